"""The registers: what the government has and does beyond its core systems, each tied to
the estate. Every register's record is `Reviewed`: a department answers for it, a person
owns its review, and the day it is next due puts it in the calendar and, once past, on IT
staff's home page (`reviews.py`)."""

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from townhall.core.models import OwnedModel, field_named
from townhall.registers import pilots, readiness


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


# --- Innovation pilots and emerging technology ---


class Technology(models.TextChoices):
    """The kinds of emerging technology a pilot tries, in the words city staff use."""

    AI = "ai", "Artificial intelligence"
    IOT = "iot", "IoT sensors"
    VEHICLE = "vehicle", "Connected and automated vehicles"
    BODY_CAMERA = "body_camera", "Body-worn cameras"
    DRONE = "drone", "Drones"
    PLATE_READER = "plate_reader", "Licence-plate readers"
    OTHER = "other", "Other"


class Pilot(Reviewed):
    """An idea tried on a small scale before the government commits: its sponsor
    department, vendor, the data it collects, how it will be judged and what came of it.
    It moves idea → pilot → evaluation → scaled or stopped only by `pilot_moves.move`, so
    each move is its own audit entry and a pilot needing a surveillance review cannot run
    without an approved one."""

    class Stage(models.TextChoices):
        IDEA = pilots.IDEA, "Idea"
        PILOT = pilots.PILOT, "Pilot"
        EVALUATION = pilots.EVALUATION, "Evaluation"
        SCALED = pilots.SCALED, "Scaled"
        STOPPED = pilots.STOPPED, "Stopped"

    title = models.CharField(max_length=200)
    technology = models.CharField(
        "kind of technology", max_length=20, choices=Technology.choices, default=Technology.OTHER
    )
    description = models.TextField("what it tries", blank=True)
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.IDEA, db_index=True
    )
    idea_on = models.DateField("idea recorded on", null=True, blank=True)
    pilot_on = models.DateField("pilot started on", null=True, blank=True)
    evaluation_on = models.DateField("evaluation started on", null=True, blank=True)
    scaled_on = models.DateField("scaled on", null=True, blank=True)
    stopped_on = models.DateField("stopped on", null=True, blank=True)
    vendor = models.ForeignKey(
        "estate.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilots",
    )
    data_collected = models.TextField(
        "data collected", blank=True, help_text="What the pilot records, and about whom."
    )
    personal_data = models.BooleanField(
        "collects personal data",
        default=False,
        help_text="It records something that can identify a person: faces, voices, plates, "
        "phone signals, names.",
    )
    evaluation_criteria = models.TextField(
        "evaluation criteria", blank=True, help_text="How the pilot will be judged."
    )
    results = models.TextField(blank=True, help_text="What the evaluation found.")
    systems = models.ManyToManyField(
        "estate.System",
        blank=True,
        related_name="pilots",
        help_text="Systems the pilot adds to the estate.",
    )
    components = models.ManyToManyField(
        "estate.Component",
        blank=True,
        related_name="pilots",
        help_text="Components (devices, servers) the pilot adds to the estate.",
    )

    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {"stage": set(pilots.MOVES)}

    class Meta:
        ordering = ["title", "id"]
        verbose_name = "pilot"

    def __str__(self) -> str:
        return self.title

    @property
    def review_required(self) -> bool:
        """Whether the city's rule asks for a surveillance review before this pilot runs."""
        return pilots.review_required(self.technology, self.personal_data, surveillance_rule())

    def clean(self) -> None:
        super().clean()
        needed = pilots.REQUIRED_DAYS.get(self.stage, ())
        for name in needed:
            if getattr(self, name) is None:
                label = field_named(Pilot, name).verbose_name
                message = f"A pilot at the {self.stage} stage needs its day “{label}”."
                raise ValidationError({name: message})
        for end in (pilots.SCALED, pilots.STOPPED):
            name = pilots.DAY_FIELD[end]
            if self.stage != end and getattr(self, name) is not None:
                raise ValidationError({name: f"Only a {end} pilot has a day it was {end}."})
        days = [
            (name, getattr(self, name))
            for name in pilots.DAY_FIELD.values()
            if getattr(self, name) is not None
        ]
        for (_, earlier), (name, later) in zip(days, days[1:], strict=False):
            if later < earlier:
                label = field_named(Pilot, name).verbose_name
                raise ValidationError({name: f"The day {label} comes after the stage before it."})


def surveillance_rule() -> dict[str, tuple[str, ...]]:
    """The city's rule for which pilots need a surveillance review: the setting
    `TOWNHALL_SURVEILLANCE_REVIEW` ({"always": kinds, "personal_data": kinds}) or ours."""
    configured = getattr(settings, "TOWNHALL_SURVEILLANCE_REVIEW", None)
    return dict(configured) if configured is not None else dict(pilots.DEFAULT_RULE)


class SurveillanceReview(Reviewed):
    """A privacy and surveillance-technology review of a pilot or a system, as a city's
    ordinance asks: what is collected, how long it is kept, who can see it, how the
    community was heard, and the decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
        REJECTED = "rejected", "Rejected"

    pilot = models.ForeignKey(
        Pilot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveillance_reviews",
    )
    system = models.ForeignKey(
        "estate.System",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="surveillance_reviews",
    )
    collected = models.TextField("what is collected")
    retention = models.TextField("how long it is kept", blank=True)
    access = models.TextField("who can access it", blank=True)
    community_input = models.TextField(
        "community input", blank=True, help_text="How and when residents were heard."
    )
    community_input_on = models.DateField("community heard on", null=True, blank=True)
    decision = models.CharField(
        max_length=30, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    conditions = models.TextField(blank=True)
    decided_on = models.DateField("decided on", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "surveillance review"

    def __str__(self) -> str:
        return f"Surveillance review: {self.pilot or self.system or 'nothing chosen'}"

    def clean(self) -> None:
        super().clean()
        if bool(self.pilot_id) == bool(self.system_id):
            raise ValidationError({"pilot": "A review concerns one pilot or one system."})
        if self.decision != self.Decision.PENDING and self.decided_on is None:
            raise ValidationError({"decided_on": "Give the day the decision was made."})
        if self.decision == self.Decision.PENDING and self.decided_on is not None:
            raise ValidationError({"decided_on": "A pending review has no decision day yet."})
        if self.decision == self.Decision.APPROVED_WITH_CONDITIONS and not self.conditions.strip():
            raise ValidationError({"conditions": "Write down the conditions of the approval."})


class ReadinessAssessment(Reviewed):
    """How ready the government is for a technology, answered as a scored questionnaire
    (`reference/readiness.json`, scored by `readiness.score`)."""

    title = models.CharField(max_length=200, help_text="What was assessed, and for whom.")
    technology = models.CharField(
        "kind of technology", max_length=20, choices=readiness.technologies()
    )
    assessed_on = models.DateField("assessed on", null=True, blank=True)
    pilot = models.ForeignKey(
        Pilot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="readiness_assessments",
    )
    answers = models.JSONField(
        default=dict, blank=True, help_text="Each question's score, from the questionnaire page."
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = "readiness assessment"

    def __str__(self) -> str:
        return self.title

    @property
    def result(self) -> readiness.Result:
        return readiness.score(self.technology, self.answers or {})

    def clean(self) -> None:
        super().clean()
        found = readiness.problems(self.technology, self.answers)
        if found:
            raise ValidationError({"answers": found})
