"""The registers: what the government has and does beyond its core systems, each tied to
the estate. Every register's record is `Reviewed`: a department answers for it, a person
owns its review, and the day it is next due puts it in the calendar and, once past, on IT
staff's home page (`reviews.py`)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from townhall.core.models import OwnedModel, TrackedModel


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


# --- Emergency communications ---


class ContinuumAssessment(Reviewed):
    """A self-assessment of how far the government's emergency communications have come on
    the five lanes of the interoperability continuum (`reference/continuum.json`): one
    rating per lane, each with its evidence. The latest rating of each lane is where the
    government stands."""

    assessed_on = models.DateField("assessed on")

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = "continuum self-assessment"
        verbose_name_plural = "continuum self-assessments"

    def __str__(self) -> str:
        return f"Continuum self-assessment of {self.assessed_on:%d %B %Y}".replace(" 0", " ")


class LaneRating(TrackedModel):
    """Where one lane of the continuum stood on the day of an assessment, and why we say so."""

    class Lane(models.TextChoices):
        GOVERNANCE = "governance", "Governance"
        SOPS = "procedures", "Standard operating procedures"
        TECHNOLOGY = "technology", "Technology"
        TRAINING = "training", "Training and exercises"
        USAGE = "usage", "Usage"

    assessment = models.ForeignKey(
        ContinuumAssessment, on_delete=models.CASCADE, related_name="lanes"
    )
    lane = models.CharField(max_length=20, choices=Lane.choices)
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (least developed) to 5 (most developed).",
    )
    evidence = models.TextField(blank=True, help_text="What shows the lane is at this level.")
    evidence_document = models.ForeignKey(
        "org.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="evidence document",
    )

    class Meta:
        ordering = ["assessment", "lane", "id"]
        verbose_name = "lane rating"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "lane"],
                name="lanerating_one_per_lane",
                violation_error_message="This assessment already rates that lane.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_lane_display()}: level {self.level}"

    def get_absolute_url(self) -> str:
        return _url(self)


def _is_radio(component_id: int) -> bool:
    from townhall.estate.models import Component

    return Component.objects.filter(pk=component_id, kind=Component.Kind.RADIO).exists()


class Talkgroup(Reviewed):
    """A talkgroup or conventional channel on one of the estate's radio systems: what it is
    for, whether it is encrypted and the number radios know it by."""

    class Purpose(models.TextChoices):
        DISPATCH = "dispatch", "Dispatch"
        TACTICAL = "tactical", "Tactical"
        MUTUAL_AID = "mutual_aid", "Mutual aid"
        INTEROP = "interoperability", "Interoperability"
        EVENT = "event", "Event"

    name = models.CharField(max_length=200)
    radio_system = models.ForeignKey(
        "estate.Component",
        on_delete=models.PROTECT,
        related_name="talkgroups",
        limit_choices_to={"kind": "radio_system"},
        verbose_name="radio system",
        help_text="A component of the estate whose kind is radio system.",
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.DISPATCH)
    encrypted = models.BooleanField(default=False)
    identifier = models.CharField(
        "channel or talkgroup ID",
        max_length=50,
        blank=True,
        help_text="The number or frequency radios know it by.",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "talkgroup"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.radio_system_id and not _is_radio(self.radio_system_id):
            raise ValidationError(
                {"radio_system": "Choose a component whose kind is radio system."}
            )


class PartnerAgency(Reviewed):
    """An agency outside the government that emergency responders need to talk to."""

    class Kind(models.TextChoices):
        NEIGHBOUR = "neighbouring", "Neighbouring jurisdiction"
        STATE = "state", "State"
        FEDERAL = "federal", "Federal"
        UTILITY = "utility", "Utility"
        HOSPITAL = "hospital", "Hospital"
        SCHOOL = "school", "School"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEIGHBOUR)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "partner agency"
        verbose_name_plural = "partner agencies"

    def __str__(self) -> str:
        return self.name


class InteropLink(TrackedModel):
    """How a partner agency reaches one of our talkgroups, when that was last tried and
    whether it worked."""

    class How(models.TextChoices):
        SHARED_SYSTEM = "shared_system", "Shared system"
        GATEWAY = "gateway", "Gateway or patch"
        CACHE = "cache_radios", "Cache radios"
        SHARED_CHANNEL = "shared_channel", "Shared channel"

    class Works(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    partner = models.ForeignKey(PartnerAgency, on_delete=models.CASCADE, related_name="links")
    talkgroup = models.ForeignKey(Talkgroup, on_delete=models.CASCADE, related_name="links")
    how = models.CharField(max_length=20, choices=How.choices, default=How.SHARED_SYSTEM)
    tested_on = models.DateField("last tested on", null=True, blank=True)
    works = models.CharField(
        max_length=10,
        choices=Works.choices,
        default=Works.YES,
        help_text="Whether it worked when last tried (or is expected to, if never tried).",
    )

    class Meta:
        ordering = ["partner", "talkgroup", "id"]
        verbose_name = "interoperability link"

    def __str__(self) -> str:
        return f"{self.partner} on {self.talkgroup} ({self.get_how_display()})"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if self.tested_on and self.tested_on > timezone.localdate():
            raise ValidationError({"tested_on": "A test date cannot be in the future."})
