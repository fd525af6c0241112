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


# --- AI use cases ---
# The fields of the federal AI use case inventory (OMB memorandum M-25-21 and the inventory
# guidance that follows it), for a city's own register. Choice labels are the values the
# federal file writes, so the inventory's CSV (ai_inventory.py) reads and writes them as is.

YES_NO = [("yes", "Yes"), ("no", "No")]


class AIUseCase(Reviewed):
    """One use of AI by the government: what it is for, how far along it is, whether it can
    affect people's rights or safety (high-impact), and, when it can, how its risks are
    managed before and after it goes live."""

    class TopicArea(models.TextChoices):
        GOVERNMENT_SERVICES = "government_services", "Government Services"
        MISSION_ENABLING = "mission_enabling", "Mission-Enabling"
        HEALTH = "health", "Health & Medical"
        LAW_JUSTICE = "law_justice", "Law & Justice"
        EMERGENCY = "emergency", "Emergency Management"
        TRANSPORTATION = "transportation", "Transportation"
        ENERGY_ENVIRONMENT = "energy_environment", "Energy & the Environment"
        EDUCATION_WORKFORCE = "education_workforce", "Education & Workforce"
        SCIENCE = "science", "Science & Space"
        AGRICULTURE = "agriculture", "Agriculture"
        OTHER = "other", "Other"

    class Stage(models.TextChoices):
        PRE_DEPLOYMENT = "pre_deployment", "Pre-deployment"
        PILOT = "pilot", "Pilot"
        DEPLOYED = "deployed", "Deployed"
        RETIRED = "retired", "Retired"

    class HighImpact(models.TextChoices):
        YES = "yes", "High-impact"
        PRESUMED = "presumed", "Presumed high-impact"
        NO = "no", "Not high-impact"

    class Development(models.TextChoices):
        IN_HOUSE = "in_house", "Developed in-house"
        CONTRACTED = "contracted", "Developed with contracting resources"
        BOTH = "both", "Developed with both contracting and in-house resources"

    class Practice(models.TextChoices):
        DONE = "done", "Yes"
        IN_PROGRESS = "in_progress", "In progress"
        NOT_DONE = "not_done", "No"
        WAIVED = "waived", "Waived"

    name = models.CharField("use case name", max_length=200)
    topic_area = models.CharField("topic area", max_length=30, choices=TopicArea.choices)
    topic_other = models.CharField(
        "other topic area",
        max_length=200,
        blank=True,
        help_text="When the topic area is Other: what it is.",
    )
    purpose = models.TextField(
        "purpose and expected benefits",
        help_text="What the AI is for, and what the government and the public gain by it.",
    )
    outputs = models.TextField(
        "outputs", help_text="What the AI produces: text, scores, alerts, decisions."
    )
    stage = models.CharField("stage of development", max_length=20, choices=Stage.choices)
    high_impact = models.CharField(
        "high-impact",
        max_length=10,
        choices=HighImpact.choices,
        help_text="High-impact: its output is a principal basis for decisions with legal, "
        "material or similarly significant effects on people's rights or safety. Presumed: "
        "it falls in a category the memorandum presumes high-impact.",
    )
    high_impact_reason = models.TextField(
        "why high-impact (or not)",
        blank=True,
        help_text="Required for a high-impact or presumed high-impact use.",
    )
    initiated_on = models.DateField("date initiated", null=True, blank=True)
    implemented_on = models.DateField("date implemented", null=True, blank=True)
    retired_on = models.DateField("date retired", null=True, blank=True)
    development = models.CharField(
        "developed by", max_length=20, choices=Development.choices, blank=True
    )
    vendor = models.ForeignKey(
        "estate.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ai_use_cases",
        help_text="The company that supplies the AI, when it is bought.",
    )
    contract_number = models.CharField(
        "contract number",
        max_length=200,
        blank=True,
        help_text="The contract (procurement instrument identifier) it is bought under.",
    )
    system = models.ForeignKey(
        "estate.System",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ai_use_cases",
        help_text="The system in the estate the AI runs in or is part of.",
    )
    public_facing = models.CharField(
        "public-facing",
        max_length=3,
        choices=YES_NO,
        blank=True,
        help_text="Does it give information to, or talk with, the public?",
    )
    personal_data = models.CharField(
        "involves personal information",
        max_length=3,
        choices=YES_NO,
        blank=True,
        help_text="Does it use personally identifiable information the government keeps?",
    )
    privacy_assessed = models.CharField(
        "privacy risks assessed",
        max_length=3,
        choices=YES_NO,
        blank=True,
        help_text="For a use with personal information: has the privacy officer assessed it?",
    )
    demographic_features = models.TextField(
        "demographic features used",
        blank=True,
        help_text="Demographic variables the model uses as inputs, if any.",
    )
    # The minimum risk practices for a high-impact use: each as a status and how it is done.
    testing = models.CharField(
        "pre-deployment testing", max_length=20, choices=Practice.choices, blank=True
    )
    testing_notes = models.TextField("pre-deployment testing: how", blank=True)
    impact_assessment = models.CharField(
        "impact assessment", max_length=20, choices=Practice.choices, blank=True
    )
    impact_assessment_notes = models.TextField("impact assessment: how", blank=True)
    monitoring = models.CharField(
        "ongoing monitoring", max_length=20, choices=Practice.choices, blank=True
    )
    monitoring_notes = models.TextField("ongoing monitoring: how", blank=True)
    training = models.CharField(
        "operator training", max_length=20, choices=Practice.choices, blank=True
    )
    training_notes = models.TextField("operator training: how", blank=True)
    oversight = models.CharField(
        "human oversight", max_length=20, choices=Practice.choices, blank=True
    )
    oversight_notes = models.TextField("human oversight: how", blank=True)
    remedy = models.CharField(
        "appeal or remedy", max_length=20, choices=Practice.choices, blank=True
    )
    remedy_notes = models.TextField("appeal or remedy: how", blank=True)
    feedback = models.CharField(
        "public feedback", max_length=20, choices=Practice.choices, blank=True
    )
    feedback_notes = models.TextField("public feedback: how", blank=True)

    class Meta:
        verbose_name = "AI use case"
        verbose_name_plural = "AI use cases"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from townhall.registers import ai_rules

        problems = ai_rules.problems(ai_rules.Answers.of(self))
        if problems:
            raise ValidationError(problems)
