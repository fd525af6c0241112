"""Continuity records: a business impact analysis for each estate service, and what each
system or component can do to come back after a failure.

Both belong to the department that owns the service, system or component they describe, so
a department liaison fills in their own department's analyses (and only theirs). The
analysis of what the estate can achieve lives in `analysis.py` (pure) and `graph_input.py`
(reads the database for it).
"""

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from townhall.core import permissions
from townhall.core.models import OwnedModel, TrackedModel
from townhall.estate.models import Component, Location, Service, System

# Impact categories and escalation points of the impact grid, in the order shown.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("public_safety", "Public safety"),
    ("finance", "Finance"),
    ("legal", "Legal and regulatory"),
    ("residents", "Service to residents"),
    ("reputation", "Reputation"),
)
POINTS: tuple[tuple[str, str], ...] = (
    ("1h", "1 hour"),
    ("4h", "4 hours"),
    ("24h", "24 hours"),
    ("72h", "72 hours"),
    ("1w", "1 week"),
)
LEVELS: tuple[tuple[int, str], ...] = (
    (1, "1 – minimal"),
    (2, "2 – minor"),
    (3, "3 – moderate"),
    (4, "4 – major"),
    (5, "5 – severe"),
)
POSITIVE = [MinValueValidator(Decimal("0.01"), "Enter a number of hours above 0.")]


def impact_errors(value: Any) -> list[str]:
    """What is wrong with an impact grid, in words that name the cell; [] when it is fine.

    The grid is {category: {point: 1–5}}; categories and points may be left out (not yet
    assessed), but every key must be a known one and every value a whole number 1–5."""
    if value in (None, ""):
        return []
    if not isinstance(value, dict):
        return ["The impact grid must map each category to its ratings."]
    categories, points = dict(CATEGORIES), dict(POINTS)
    errors = []
    for category, ratings in value.items():
        if category not in categories:
            known = ", ".join(categories)
            errors.append(f"“{category}” is not an impact category (use one of {known}).")
            continue
        if not isinstance(ratings, dict):
            errors.append(f"{categories[category]}: give a rating for each escalation point.")
            continue
        for point, rating in ratings.items():
            if point not in points:
                known = ", ".join(points)
                errors.append(
                    f"{categories[category]}: “{point}” is not an escalation point "
                    f"(use one of {known})."
                )
            elif isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
                errors.append(
                    f"{categories[category]} after {points[point]}: the rating must be a "
                    f"whole number from 1 to 5, not {rating!r}."
                )
    return errors


def validate_impacts(value: Any) -> None:
    errors = impact_errors(value)
    if errors:
        raise ValidationError(errors)


def _url(obj: models.Model) -> str:
    return reverse(f"continuity:{obj._meta.model_name}_detail", args=[obj.pk])


class FromParent:
    """The owner department comes from the record described: filled in when left blank,
    refused when it differs (a record cannot be handed to another department)."""

    parents: ClassVar[tuple[str, ...]] = ()
    owner_department_id: int | None  # the OwnedModel's field it is mixed with

    def _parent(self) -> Any:
        for name in self.parents:
            if getattr(self, f"{name}_id", None):
                return getattr(self, name)
        return None

    def department_id_value(self) -> int | None:
        if self.owner_department_id:
            return self.owner_department_id
        parent = self._parent()
        return parent.owner_department_id if parent is not None else None

    def _check_owner(self) -> None:
        parent = self._parent()
        if parent is None:
            return
        if self.owner_department_id is None:
            self.owner_department_id = parent.owner_department_id
        elif self.owner_department_id != parent.owner_department_id:
            raise ValidationError(
                {
                    "owner_department": (
                        f"This must be the department that owns “{parent}”"
                        + (f" ({parent.owner_department})." if parent.owner_department else ".")
                        + " Leave it blank to fill it in."
                    )
                }
            )


class ImpactAnalysis(FromParent, OwnedModel):
    """A business impact analysis: what losing one service costs over time, and how fast
    and with how little data loss it must come back."""

    parents = ("service",)

    class Essential(models.TextChoices):
        PMEF = "pmef", "Primary mission-essential function (PMEF)"
        MEF = "mef", "Mission-essential function (MEF)"
        SUPPORTING = "supporting", "Essential supporting activity"
        NOT_ESSENTIAL = "not_essential", "Not essential"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, related_name="impact_analysis"
    )
    mission_essential = models.BooleanField(
        default=False,
        help_text="The government must keep doing this during an emergency, or resume it "
        "within hours.",
    )
    essential_function = models.CharField(
        "essential function",
        max_length=20,
        choices=Essential.choices,
        default=Essential.NOT_ESSENTIAL,
        help_text="In the federal continuity vocabulary.",
    )
    impacts = models.JSONField(
        "impact over time",
        default=dict,
        blank=True,
        validators=[validate_impacts],
        help_text="For each category, a rating from 1 (minimal) to 5 (severe) after 1 hour, "
        "4 hours, 24 hours, 72 hours and 1 week without the service.",
    )
    mtd_hours = models.DecimalField(
        "maximum tolerable downtime (hours)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text="After this long without the service the harm can no longer be undone.",
    )
    rto_hours = models.DecimalField(
        "recovery time objective (hours)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text="How soon the service must be back; no longer than the maximum tolerable "
        "downtime.",
    )
    rpo_hours = models.DecimalField(
        "recovery point objective (hours)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text="The most recent work the service can afford to lose, in hours.",
    )
    peak_periods = models.TextField(
        blank=True, help_text="When an outage hurts most, such as tax season or elections."
    )
    minimum_staff = models.PositiveIntegerField(
        null=True, blank=True, help_text="People needed to run the service at its minimum."
    )
    alternate_locations = models.TextField(blank=True)
    manual_workarounds = models.TextField(
        blank=True, help_text="How the work gets done by hand while systems are down."
    )
    vital_records = models.TextField(
        blank=True, help_text="Records that must be protected and reachable in an emergency."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "impact analysis"
        verbose_name_plural = "impact analyses"
        ordering = ["service__name", "id"]

    def __str__(self) -> str:
        return f"Impact analysis: {self.service}" if self.service_id else "Impact analysis"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        self._check_owner()
        if (
            self.rto_hours is not None
            and self.mtd_hours is not None
            and self.rto_hours > self.mtd_hours
        ):
            raise ValidationError(
                {
                    "rto_hours": (
                        f"The recovery time objective ({self.rto_hours.normalize():f} h) cannot "
                        f"be longer "
                        f"than the maximum tolerable downtime ({self.mtd_hours.normalize():f} h)."
                    )
                }
            )

    # The review: named state changes (`services.transition`, made by continuity.campaigns).
    # A department submits its draft; IT approves it, or returns it (or, opening a campaign,
    # puts it back to draft for review).
    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "status": {
            (Status.DRAFT, Status.SUBMITTED),
            (Status.SUBMITTED, Status.APPROVED),
            (Status.SUBMITTED, Status.DRAFT),
            (Status.APPROVED, Status.DRAFT),
        },
    }

    def may_transition(self, user: Any, field: str, was: str, to: str) -> bool:
        """Whoever may change the analysis (its department's liaison, IT) submits it; only
        IT staff approve or return it."""
        if field != "status" or not permissions.can(user, "change", self):
            return False
        return to == self.Status.SUBMITTED or permissions.is_it_staff(user)

    def check_write(self, user: Any, before: dict[str, Any] | None) -> None:
        """Approval is IT's review of what a department submitted: a liaison cannot approve
        their own department's analysis. An edit moves no status at all (core.services
        refuses it, whoever asks); this keeps a liaison from adding an analysis that starts
        approved, by form, API or import."""
        was = (before or {}).get("status")
        if (
            self.status == self.Status.APPROVED
            and was != self.Status.APPROVED
            and not permissions.is_it_staff(user)
        ):
            raise PermissionDenied(
                "Only IT staff approve impact analyses; submit it for review instead."
            )

    def rating(self, category: str, point: str) -> int | None:
        return (self.impacts or {}).get(category, {}).get(point)


class RecoveryCapability(FromParent, OwnedModel):
    """What one system or component can do to come back: how often it is backed up (the
    data a restore loses), how long a restore takes, and whether that was ever tested."""

    parents = ("system", "component")

    system = models.OneToOneField(
        System,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recovery_capability",
    )
    component = models.OneToOneField(
        Component,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recovery_capability",
    )
    backup_frequency_hours = models.DecimalField(
        "backup every (hours)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text="Hours between backups: the most data a restore can lose (the achievable "
        "recovery point). Leave blank when it holds no data.",
    )
    restore_hours = models.DecimalField(
        "restore time (hours)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), "Enter 0 hours or more.")],
        help_text="How long it takes to bring this back once what it needs is back.",
    )
    last_restore_test = models.DateField("last successful restore test", null=True, blank=True)
    recovery_site = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recovery_capabilities",
    )
    procedure_link = models.URLField("recovery procedure", blank=True)
    rto_hours = models.DecimalField(
        "own recovery time objective (hours)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text="Optional: a target for this item itself, checked against the services "
        "that need it.",
    )

    class Meta:
        verbose_name = "recovery capability"
        verbose_name_plural = "recovery capabilities"
        ordering = ["id"]

    def __str__(self) -> str:
        item = self._parent()
        return f"Recovery of {item}" if item is not None else "Recovery capability"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if bool(self.system_id) == bool(self.component_id):
            raise ValidationError(
                {"system": "Choose exactly one system or one component (not both, not neither)."}
            )
        self._check_owner()


# --- campaigns ---------------------------------------------------------------------------


class Campaign(TrackedModel):
    """A round of impact analyses: every department that owns a service in scope is asked
    to fill in (or review and confirm) the analyses of its services by a date.

    Opening a campaign creates one request per service; progress is read from the
    analyses themselves, so a liaison's submitted analysis is the one record of it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200, unique=True)
    instructions = models.TextField(
        blank=True, help_text="What departments are asked to do; included in the message."
    )
    due_on = models.DateField("due", help_text="The date analyses should be submitted by.")
    departments = models.ManyToManyField(
        "org.Department",
        blank=True,
        related_name="continuity_campaigns",
        help_text="Leave empty to ask every department that owns a service.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "name"]

    # Opening and closing are named state changes (`services.transition`, made by
    # continuity.campaigns), by those who may change the campaign.
    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "status": {(Status.DRAFT, Status.OPEN), (Status.OPEN, Status.CLOSED)},
    }

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)


class CampaignRequest(TrackedModel):
    """One service's analysis asked for in a campaign, addressed to the department that
    owns the service. `final_status` keeps the analysis's status when the campaign closed."""

    department_field = "department"
    liaison_actions: ClassVar[tuple[str, ...]] = ()  # liaisons answer by submitting

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    analysis = models.ForeignKey(
        ImpactAnalysis, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    final_status = models.CharField(
        max_length=20, choices=ImpactAnalysis.Status.choices, blank=True
    )

    class Meta:
        ordering = ["campaign", "department__name", "service__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "service"], name="one_request_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.service}" if self.campaign_id else "Campaign request"

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        """Requests are made by opening a campaign, which only IT staff do."""
        return permissions.is_it_staff(user)

    def get_absolute_url(self) -> str:
        return self.campaign.get_absolute_url()


# --- plans -------------------------------------------------------------------------------


class RecoveryPlan(TrackedModel):
    """One version of the government-wide recovery plan, in the NIST SP 800-34 order.

    The written sections are kept here; the recovery sequence, runbooks and contact lists
    are generated from the estate. Approving a version freezes what was generated in
    `content`, so the approved plan reads the same next year; editing starts a new version.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    title = models.CharField(max_length=200, default="Continuity and disaster recovery plan")
    number = models.PositiveIntegerField(
        "version",
        unique=True,
        blank=True,
        help_text="Counts up from 1; left blank, a new version takes the next number.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    purpose = models.TextField("purpose", blank=True)
    scope = models.TextField("scope", blank=True)
    assumptions = models.TextField("planning assumptions", blank=True)
    activation = models.TextField(
        "activation criteria", blank=True, help_text="When the plan is activated, and by whom."
    )
    notification = models.TextField(
        "notification procedure", blank=True, help_text="Who is told, in what order, how."
    )
    reconstitution = models.TextField(
        "reconstitution",
        blank=True,
        help_text="How normal operations are confirmed, the plan deactivated and lessons kept.",
    )
    coordinator = models.ForeignKey(
        "estate.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="continuity coordinator",
    )
    alternate_coordinator = models.ForeignKey(
        "estate.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="alternate coordinator",
    )
    changes = models.TextField("changes in this version", blank=True)
    approver_name = models.CharField("approved by", max_length=200, blank=True)
    approver_title = models.CharField("approver's title", max_length=200, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    content = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-number"]
        verbose_name = "recovery plan"

    def __str__(self) -> str:
        return f"{self.title}, version {self.number}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return _url(self)

    # State changes `services.transition` makes (continuity.plans): a draft approved, its
    # content frozen in the same step; an approved version giving way to the next one.
    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "status": {(Status.DRAFT, Status.APPROVED), (Status.APPROVED, Status.SUPERSEDED)},
    }

    def may_transition(self, user: Any, field: str, was: str, to: str) -> bool:
        """Those who approve plans (IT staff and administrators) approve a draft and mark an
        approved version superseded; an approved version is otherwise changed by no one."""
        return permissions.is_it_staff(user) and permissions.can_add(user, type(self))

    def clean(self) -> None:
        super().clean()
        if self.number is None:
            latest = RecoveryPlan.objects.order_by("-number").values_list("number", flat=True)
            self.number = (latest.first() or 0) + 1

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        """An approved version is the record of what was agreed: it no longer changes."""
        if action in ("change", "delete"):
            return by_role.filter(status=cls.Status.DRAFT)
        return by_role


class PlanRole(TrackedModel):
    """A role in the plan (recovery team lead, public information officer) and who fills it."""

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=200)
    person = models.ForeignKey(
        "estate.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    alternate = models.ForeignKey(
        "estate.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsibilities = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "role", "id"]
        verbose_name = "plan role"

    def __str__(self) -> str:
        return f"{self.role} ({self.person})" if self.person_id else self.role

    def get_absolute_url(self) -> str:
        return _url(self)

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        if action in ("change", "delete"):
            return by_role.filter(plan__status=RecoveryPlan.Status.DRAFT)
        return by_role

    def clean(self) -> None:
        super().clean()
        if self.plan_id and self.plan.status != RecoveryPlan.Status.DRAFT:
            raise ValidationError(
                {"plan": "This version is approved; start a new version to change its roles."}
            )


# --- exercises ---------------------------------------------------------------------------


class Exercise(TrackedModel):
    """A tabletop or functional exercise of the plan, and what it showed."""

    class Kind(models.TextChoices):
        TABLETOP = "tabletop", "Tabletop"
        FUNCTIONAL = "functional", "Functional"
        FULL_SCALE = "full_scale", "Full-scale"

    class Scenario(models.TextChoices):
        CYBER = "cyber", "Cyber"
        WEATHER = "weather", "Weather"
        MAN_MADE = "man_made", "Man-made"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TABLETOP)
    scenario = models.CharField(max_length=20, choices=Scenario.choices)
    held_on = models.DateField("date")
    narrative = models.TextField("scenario narrative", blank=True)
    facilitator = models.CharField(max_length=200, blank=True)
    participants = models.TextField(
        blank=True, help_text="Who took part, one per line (name and role or department)."
    )
    findings = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.held_on:%Y-%m-%d})" if self.held_on else self.name

    def get_absolute_url(self) -> str:
        return _url(self)

    def participant_list(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]


class ExerciseResult(TrackedModel):
    """How long one service actually took to come back in an exercise."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="results")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    measured_hours = models.DecimalField(
        "measured recovery time (hours)",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), "Enter 0 hours or more.")],
    )
    rto_hours = models.DecimalField(
        "RTO at the time (hours)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text="Leave blank to take the service's current RTO from its impact analysis.",
    )

    class Meta:
        ordering = ["exercise", "service__name", "id"]
        verbose_name = "exercise result"
        constraints = [
            models.UniqueConstraint(fields=["exercise", "service"], name="one_result_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.measured_hours} h" if self.service_id else "Result"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if self.rto_hours is None and self.service_id:
            analysis = ImpactAnalysis.objects.filter(service_id=self.service_id).first()
            if analysis is not None:
                self.rto_hours = analysis.rto_hours

    @property
    def met(self) -> bool | None:
        if self.rto_hours is None or self.measured_hours is None:
            return None
        return self.measured_hours <= self.rto_hours


class FollowUp(OwnedModel):
    """An action an exercise found necessary, owned by the department that must do it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        "estate.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField("due", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "follow-up action"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.DONE and self.done_on is None:
            raise ValidationError({"done_on": "Give the date the action was done."})
        if self.status != self.Status.DONE and self.done_on is not None:
            raise ValidationError({"done_on": "Only a done action has a done date."})


# --- the stored analysis ---------------------------------------------------------------
#
# Worked out from the records, never edited: written only by `continuity.stored` (the job
# that recomputes the analysis), so they are plain models, outside the write path and its
# audit, like the job rows.


class AnalysisChange(models.Model):
    """A write to what the continuity analysis reads that the stored analysis does not
    include yet. Inserted inside the writer's transaction, never updated by writers, so
    writers never wait on each other for it; the recomputing job claims the rows it has
    seen before reading the estate and deletes them with its result."""

    claim = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = "continuity analysis change"

    def __str__(self) -> str:
        return f"change {self.pk}"


class StoredAnalysis(models.Model):
    """The continuity analysis of the whole estate, as the pages show it."""

    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    summary = models.JSONField(default=dict)
    # The recovery tiers and cycles laid out as HTML once (hundreds of links): read only by
    # the page that shows them, so it is kept apart from the figures every page reads.
    order_html = models.TextField(blank=True)

    class Meta:
        verbose_name = "stored continuity analysis"

    def __str__(self) -> str:
        return f"continuity analysis of {self.computed_at:%Y-%m-%d %H:%M}"


class StoredFinding(models.Model):
    """One row of a ranked list of a stored analysis: a service's effective recovery time,
    an RTO gap, an inversion, an RPO gap or a single point of failure, as the page shows it."""

    analysis = models.ForeignKey(StoredAnalysis, on_delete=models.CASCADE, related_name="rows")
    section = models.CharField(max_length=20)
    position = models.PositiveIntegerField()
    owner = models.IntegerField(null=True, blank=True)  # a service's department, to filter
    misses = models.BooleanField(default=False)  # a service that cannot meet its RTO
    # The service a row of "services" is about, so its page finds its row by index.
    item = models.IntegerField(null=True, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = "stored continuity finding"
        indexes = [
            models.Index(fields=["analysis", "section", "position"], name="cont_found_pos"),
            models.Index(
                fields=["analysis", "section", "owner", "position"], name="cont_found_owner"
            ),
            models.Index(fields=["analysis", "section", "item"], name="cont_found_item"),
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.position}"
