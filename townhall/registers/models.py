"""The registers: what the government has and does beyond its core systems, each tied to
the estate. Every register's record is `Reviewed`: a department answers for it, a person
owns its review, and the day it is next due puts it in the calendar and, once past, on IT
staff's home page (`reviews.py`)."""

import datetime
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from townhall.core.models import OwnedModel


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

    # The review days as last read from the database, so `clean` can tell a newly recorded
    # review from a record saved again.
    _stored_review: tuple[datetime.date | None, datetime.date | None] = (None, None)

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Self:
        obj = super().from_db(*args, **kwargs)
        obj._stored_review = (
            obj.__dict__.get("last_reviewed_on"),
            obj.__dict__.get("next_review_on"),
        )
        return obj

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        stored_last, stored_next = self._stored_review
        recorded_anew = stored_last != self.last_reviewed_on and stored_next == self.next_review_on
        # A review recorded with no new due day moves the next review a year after it: left
        # as it was, the record would stay past its review day however often it is reviewed.
        if self.last_reviewed_on and (self.next_review_on is None or recorded_anew):
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


# --- Social media accounts ---


class SocialAccount(Reviewed):
    """An account the government speaks through on a social platform, and what it would take
    to keep it when a person leaves: its administrators, multi-factor sign-in, where its
    credentials are kept and who the platform would send a reset to."""

    class Platform(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        X = "x", "X"
        YOUTUBE = "youtube", "YouTube"
        LINKEDIN = "linkedin", "LinkedIn"
        NEXTDOOR = "nextdoor", "Nextdoor"
        TIKTOK = "tiktok", "TikTok"
        THREADS = "threads", "Threads"
        BLUESKY = "bluesky", "Bluesky"
        OTHER = "other", "Other"

    class Credentials(models.TextChoices):
        VAULT = "vault", "Password manager or vault"
        BUSINESS_MANAGER = "business_manager", "The platform's business manager"
        SHARED_DOCUMENT = "shared_document", "Shared document"
        PERSONAL = "personal", "A person's own account"
        UNKNOWN = "unknown", "Unknown"

    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(
        max_length=200, help_text="The account's name on the platform, such as @JuniperParks."
    )
    address = models.URLField("address", max_length=500, blank=True)
    owner = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_accounts_owned",
        verbose_name="account owner",
        help_text="The person who answers for what the account says.",
    )
    administrators = models.ManyToManyField(
        "estate.Person",
        blank=True,
        related_name="social_accounts_administered",
        help_text="Everyone who can sign in and manage the account: two at least.",
    )
    multi_factor = models.BooleanField(
        "multi-factor on", default=False, help_text="Signing in asks for a second factor."
    )
    credentials_kept_in = models.CharField(
        "credentials kept in",
        max_length=20,
        choices=Credentials.choices,
        default=Credentials.UNKNOWN,
    )
    recovery_email = models.EmailField(
        "recovery e-mail", blank=True, help_text="Where the platform sends a password reset."
    )
    recovery_phone = models.CharField(
        "recovery phone",
        max_length=50,
        blank=True,
        help_text="Where the platform sends a sign-in code.",
    )
    recovery_phone_government = models.BooleanField(
        "recovery phone is a government line",
        default=False,
        help_text="The government pays for the line, not a person.",
    )
    recovery_person = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_accounts_recovered",
        verbose_name="personal recovery contacts belong to",
        help_text="The person whose own e-mail or phone is the recovery contact, if so.",
    )

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name = "social media account"
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "handle"], name="registers_social_platform_handle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.handle} on {self.get_platform_display()}"

    def clean(self) -> None:
        super().clean()
        self.handle = (self.handle or "").strip()
        if any(ch.isspace() for ch in self.handle):
            raise ValidationError({"handle": "A handle has no spaces."})
        if self.recovery_phone_government and not self.recovery_phone.strip():
            raise ValidationError(
                {"recovery_phone_government": "Give the recovery phone that is a government line."}
            )
