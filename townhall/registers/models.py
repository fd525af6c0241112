"""The registers: what the government has and does beyond its core systems, each tied to
the estate. Every register's record is `Reviewed`: a department answers for it, a person
owns its review, and the day it is next due puts it in the calendar and, once past, on IT
staff's home page (`reviews.py`)."""

import datetime

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
