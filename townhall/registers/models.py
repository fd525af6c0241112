"""The registers: what the government has and does beyond its core systems, each tied to
the estate. Every register's record is `Reviewed`: a department answers for it, a person
owns its review, and the day it is next due puts it in the calendar and, once past, on IT
staff's home page (`reviews.py`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from townhall.core.models import OwnedModel, TrackedModel
from townhall.registers.dcat import FREQUENCIES, MEDIA_TYPE_RE, is_temporal


def _url(obj: models.Model) -> str:
    return reverse(f"registers:{obj._meta.model_name}_detail", args=[obj.pk])


class Reviewed(OwnedModel):
    """A register's record: owned by a department, reviewed by a person on a schedule.
    Every register's records take these fields, so one calendar, one overdue list and one
    front page serve them all."""

    review_owner = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="review owner",
        help_text="The person who reviews this record and answers for it.",
    )
    last_reviewed_on = models.DateField("last reviewed on", null=True, blank=True)
    next_review_on = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text="Empty: a year after the last review.",
    )

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if self.last_reviewed_on and self.next_review_on is None:
            self.next_review_on = add_year(self.last_reviewed_on)
        if (
            self.last_reviewed_on
            and self.next_review_on
            and self.next_review_on < self.last_reviewed_on
        ):
            raise ValidationError({"next_review_on": "The next review comes after the last one."})


def add_year(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


# --- Data inventory ---------------------------------------------------------------------


class Dataset(Reviewed):
    """A body of data the government keeps: who publishes and stewards it, which system
    holds it, how sensitive it is, how long it is kept, and whether (and where) the public
    may have it. The public and restricted-public ones make the `data.json` catalog."""

    class Classification(models.TextChoices):
        PUBLIC = "public", "Public"
        INTERNAL = "internal", "Internal"
        CONFIDENTIAL = "confidential", "Confidential"
        RESTRICTED = "restricted", "Restricted"

    class AccessLevel(models.TextChoices):
        PUBLIC = "public", "Public"
        RESTRICTED_PUBLIC = "restricted public", "Restricted public"
        NON_PUBLIC = "non-public", "Not public"

    title = models.CharField(max_length=200)
    identifier = models.CharField(
        max_length=200,
        unique=True,
        help_text="The dataset's lasting identifier in the catalog; an import matches on it.",
    )
    description = models.TextField()
    keywords = models.CharField(
        max_length=500, help_text="Words people search for, separated by commas."
    )
    themes = models.CharField(max_length=300, blank=True, help_text="Separated by commas.")
    steward = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person who answers for the data's meaning and quality.",
    )
    contact_name = models.CharField(
        "contact name", max_length=200, blank=True, help_text="Empty: the steward."
    )
    contact_email = models.EmailField(
        "contact e-mail", blank=True, help_text="Empty: the steward's e-mail."
    )
    system = models.ForeignKey(
        "estate.System",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="datasets",
        verbose_name="system of record",
    )
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.INTERNAL
    )
    personal_data = models.BooleanField("contains personal data", default=False)
    sensitive_personal_data = models.BooleanField(
        "sensitive personal data",
        default=False,
        help_text="Health, criminal justice, benefits or similar.",
    )
    childrens_data = models.BooleanField("children's data", default=False)
    retention_schedule = models.CharField(
        "retention schedule", max_length=200, blank=True, help_text="The schedule and item."
    )
    retention_years = models.PositiveSmallIntegerField("kept for (years)", null=True, blank=True)
    accrual_periodicity = models.CharField(
        "update frequency", max_length=20, choices=FREQUENCIES, blank=True
    )
    access_level = models.CharField(
        "access level",
        max_length=20,
        choices=AccessLevel.choices,
        default=AccessLevel.NON_PUBLIC,
        db_index=True,
    )
    rights = models.CharField(
        max_length=255,
        blank=True,
        help_text="Why access is limited and how to ask for it (needed unless public).",
    )
    landing_page = models.URLField(
        "open-data address", max_length=500, blank=True, help_text="The dataset's public page."
    )
    license = models.URLField(max_length=500, blank=True)
    spatial = models.CharField("area covered", max_length=200, blank=True)
    temporal = models.CharField(
        "period covered",
        max_length=100,
        blank=True,
        help_text="ISO 8601 interval, such as 2015-01-01/2026-12-31.",
    )
    issued = models.DateField("first published", null=True, blank=True)
    data_modified_on = models.DateField(
        "data last changed", null=True, blank=True, help_text="Empty: the record's last change."
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        public = self.access_level == self.AccessLevel.PUBLIC
        if public and not self.landing_page and not (self.pk and self.distributions.exists()):
            errors["landing_page"] = (
                "A public dataset needs an open-data address or a distribution."
            )
        if not public and not self.rights.strip():
            errors["rights"] = "Say why access is limited and how to ask for it."
        if public and self.classification in (
            self.Classification.RESTRICTED,
            self.Classification.CONFIDENTIAL,
        ):
            errors["access_level"] = (
                f"A {self.get_classification_display().lower()} dataset cannot be public."
            )
        steward_email = self.steward.email if self.steward_id and self.steward else ""
        if self.access_level != self.AccessLevel.NON_PUBLIC and not (
            self.contact_email or steward_email
        ):
            errors["contact_email"] = (
                "A dataset in the catalog needs a contact e-mail (or a steward with one)."
            )
        if (self.sensitive_personal_data or self.childrens_data) and not self.personal_data:
            errors["personal_data"] = (
                "Sensitive or children's data is personal data: tick this as well."
            )
        if self.temporal and not is_temporal(self.temporal):
            errors["temporal"] = "Give an ISO 8601 interval, such as 2015-01-01/2026-12-31."
        if errors:
            raise ValidationError(errors)


class Distribution(TrackedModel):
    """One way to get a dataset: a file to download or a service to query."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="distributions")
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    download_url = models.URLField("download address", max_length=500, blank=True)
    access_url = models.URLField(
        "access address", max_length=500, blank=True, help_text="A page or service, not a file."
    )
    media_type = models.CharField(
        "media type", max_length=100, blank=True, help_text="Such as text/csv."
    )
    format = models.CharField(max_length=50, blank=True, help_text="Such as CSV or API.")

    class Meta:
        ordering = ["dataset__title", "title", "pk"]

    def __str__(self) -> str:
        return self.title or self.format or self.download_url or self.access_url

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.download_url and not self.access_url:
            errors["download_url"] = "Give a download address or an access address."
        if self.download_url and not self.media_type:
            errors["media_type"] = "A download needs its media type, such as text/csv."
        if self.media_type and not MEDIA_TYPE_RE.match(self.media_type):
            errors["media_type"] = "A media type is type/subtype, such as text/csv."
        if errors:
            raise ValidationError(errors)
