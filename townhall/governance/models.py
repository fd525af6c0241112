"""Governance records: budget cycles, criteria, investment proposals, board ballots, scenarios.

Costs and staff effort of a proposal are kept per *project year* (year 1 is the year it
starts), because the portfolio optimizer decides the start year; pages show them against
fiscal years once a start is known.
"""

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from townhall.core import permissions
from townhall.core.models import OwnedModel, TrackedModel, guard

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]
MAX_YEARS = 10
MAX_VOTES = 99  # a board's votes on one decision


class SkillPool(TrackedModel):
    """A group of staff whose hours proposals draw on (applications, infrastructure, …)."""

    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(
        max_length=40, unique=True, help_text="Short key used in files, such as “apps”."
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:skillpool_detail", args=[self.pk])


class CriteriaSet(TrackedModel):
    """A board's weighted scoring criteria. Frozen once a budget cycle uses it."""

    name = models.CharField(max_length=200)
    edition = models.PositiveIntegerField(
        default=1, help_text="Editing a frozen set makes a new edition."
    )
    description = models.TextField(blank=True)
    scale_min = models.PositiveSmallIntegerField("lowest score", default=1)
    scale_max = models.PositiveSmallIntegerField("highest score", default=5)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="next_editions",
    )

    class Meta:
        ordering = ["name", "-edition"]
        verbose_name = "criteria set"
        constraints = [
            models.UniqueConstraint(fields=["name", "edition"], name="criteria_set_edition")
        ]

    def __str__(self) -> str:
        return f"{self.name} (edition {self.edition})"

    def get_absolute_url(self) -> str:
        return reverse("governance:criteriaset_detail", args=[self.pk])

    def clean(self) -> None:
        if self.scale_min is not None and self.scale_max is not None:
            if self.scale_min >= self.scale_max:
                raise ValidationError({"scale_max": "The highest score must be above the lowest."})
        if self.pk and self.frozen:
            old = (
                type(self)._default_manager.filter(pk=self.pk).values("scale_min", "scale_max")[:1]
            )
            if old and (old[0]["scale_min"], old[0]["scale_max"]) != (
                self.scale_min,
                self.scale_max,
            ):
                raise ValidationError(
                    "This set is frozen by a budget cycle; make a new edition to change its scale."
                )

    @property
    def frozen(self) -> bool:
        """Used by a budget cycle: its criteria no longer change, so scores stay comparable."""
        if self.pk is None:
            return False
        return BudgetCycle.objects.filter(criteria_set_id=self.pk).exists()

    def total_weight(self) -> Decimal:
        return sum((c.weight for c in self.criteria.all()), Decimal(0))


class Criterion(TrackedModel):
    """One weighted criterion with a written anchor for the scores."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Relative weight; weights are turned into shares of the total.",
    )
    description = models.TextField(blank=True)
    anchors = models.JSONField(
        default=list,
        blank=True,
        help_text="What each score means: a list of {score, text}.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "order", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "name"], name="criterion_name_in_set")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:criterion_detail", args=[self.pk])

    def clean(self) -> None:
        if self.criteria_set_id and self.criteria_set.frozen:
            raise ValidationError(
                {
                    "criteria_set": f"{self.criteria_set} is used by a budget cycle and cannot "
                    "change; make a new edition of the set instead."
                }
            )
        if not isinstance(self.anchors, list):
            raise ValidationError({"anchors": "Anchors must be a list."})
        low, high = (
            (self.criteria_set.scale_min, self.criteria_set.scale_max)
            if self.criteria_set_id
            else (1, 10)
        )
        seen = set()
        for anchor in self.anchors:
            score = anchor.get("score") if isinstance(anchor, dict) else None
            if not isinstance(score, int) or not low <= score <= high:
                raise ValidationError(
                    {"anchors": f"Each anchor needs a score from {low} to {high}."}
                )
            if score in seen:
                raise ValidationError({"anchors": f"Score {score} has two anchors."})
            if not str(anchor.get("text", "")).strip():
                raise ValidationError({"anchors": f"Score {score} needs a description."})
            seen.add(score)

    def anchor_for(self, score: int) -> str:
        for anchor in self.anchors:
            if anchor.get("score") == score:
                return anchor.get("text", "")
        return ""


class BudgetCycle(TrackedModel):
    """One round of governance, such as FY2027: its criteria, years, budgets and staff."""

    class Status(models.TextChoices):
        INTAKE = "intake", "Open for requests"
        SCORING = "scoring", "Board scoring"
        DECIDING = "deciding", "Decisions"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=100, unique=True, help_text="Such as “FY2027”.")
    first_year = models.PositiveIntegerField(
        "first fiscal year", validators=YEAR, help_text="The fiscal year the cycle funds first."
    )
    years = models.PositiveSmallIntegerField(
        "fiscal years planned",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_YEARS)],
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="cycles", verbose_name="criteria"
    )
    # The phase the cycle is in, set on its edit form like its other values: an ordinary
    # field, not a state machine. Nothing is refused or started by moving it (proposals keep
    # their own workflow), any phase may follow any other (a cycle reopened for late
    # requests goes back to intake), so a named transition would add no rule.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INTAKE)
    intake_deadline = models.DateField(null=True, blank=True)
    infrastructure_share = models.DecimalField(
        "minimum infrastructure renewal share",
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="Optional: the least share of each year's funded spending (0 to 1) that "
        "goes to infrastructure renewal.",
    )
    budgets = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per fiscal year: {“2027”: {“capital”: …, “operating”: …}}.",
    )
    capacities = models.JSONField(
        "staff hours",
        default=dict,
        blank=True,
        help_text="Per skill pool code and fiscal year: {“apps”: {“2027”: hours}}.",
    )

    class Meta:
        ordering = ["-first_year", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:budgetcycle_detail", args=[self.pk])

    def fiscal_years(self) -> list[int]:
        return [self.first_year + i for i in range(self.years or 0)]

    def budget(self, year: int, kind: str) -> Decimal:
        return Decimal(str((self.budgets.get(str(year)) or {}).get(kind) or 0))

    def capacity(self, pool_code: str, year: int) -> Decimal:
        return Decimal(str((self.capacities.get(pool_code) or {}).get(str(year)) or 0))

    def clean(self) -> None:
        if self.pk:
            before = type(self)._default_manager.filter(pk=self.pk).values("criteria_set_id")[:1]
            moved = before and before[0]["criteria_set_id"] != self.criteria_set_id
            if moved and Ballot.objects.filter(proposal__cycle_id=self.pk).exists():
                raise ValidationError(
                    {"criteria_set": "Board members have scored with these criteria already."}
                )
        _check_year_map(self.budgets, "budgets", ("capital", "operating"))
        if not isinstance(self.capacities, dict):
            raise ValidationError({"capacities": "Staff hours must be a mapping by skill pool."})
        for code, years in self.capacities.items():
            if not isinstance(years, dict):
                raise ValidationError({"capacities": f"Hours for {code} must be given per year."})
            for year, hours in years.items():
                _check_amount(hours, "capacities", f"{code} {year}", MOST_HOURS)


# The largest amounts the budget grid accepts (its fields' digits), enforced on the model
# so that the API and the importer refuse what the page refuses.
MOST_MONEY = Decimal("999999999999.99")
MOST_HOURS = Decimal("999999999.9")


def _check_amount(value: Any, field: str, where: str, most: Decimal = MOST_MONEY) -> None:
    try:
        number = Decimal(str(value))
    except Exception:  # noqa: BLE001 - any unparsable value is the same user error
        raise ValidationError({field: f"{where}: {value!r} is not a number."}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({field: f"{where}: amounts must be zero or more."})
    if number > most:
        raise ValidationError({field: f"{where}: amounts must be at most {most:,}."})


def _check_year_map(value: Any, field: str, kinds: tuple[str, ...]) -> None:
    if not isinstance(value, dict):
        raise ValidationError({field: "Must be a mapping by fiscal year."})
    for year, amounts in value.items():
        if not (str(year).isascii() and str(year).isdecimal()) or not isinstance(amounts, dict):
            raise ValidationError({field: f"{year!r} is not a fiscal year with amounts."})
        for kind, amount in amounts.items():
            if kind not in kinds:
                raise ValidationError({field: f"{year}: unknown budget {kind!r}."})
            _check_amount(amount, field, f"{year} {kind}")


class Proposal(OwnedModel):
    """An investment request from a department, from draft to decision and delivery."""

    class Kind(models.TextChoices):
        NEW = "new_capability", "New capability"
        MODERNIZATION = "modernization", "Modernization"
        RENEWAL = "infrastructure_renewal", "Infrastructure renewal"
        CYBER = "cybersecurity", "Cybersecurity"
        COMPLIANCE = "compliance", "Compliance"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        UNDER_REVIEW = "under_review", "Under review"
        SCORED = "scored", "Scored"
        APPROVED = "approved", "Approved"
        DEFERRED = "deferred", "Deferred"
        REJECTED = "rejected", "Rejected"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    # Statuses after the board's scoring is closed: ballots become visible to all readers.
    CLOSED_SCORING = ("scored", "approved", "deferred", "rejected", "in_progress", "complete")

    # Who asked for it: liaisons see, draft and submit their department's requests.
    owner_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=False,
        related_name="proposals",
        verbose_name="requesting department",
    )
    cycle = models.ForeignKey(
        BudgetCycle, on_delete=models.PROTECT, related_name="proposals", verbose_name="budget cycle"
    )
    title = models.CharField(max_length=200)
    problem = models.TextField(help_text="The problem today, in plain words.")
    outcome = models.TextField(help_text="What will be better, for whom, and how we will know.")
    sponsor = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The leader who champions the request.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )
    mandated = models.BooleanField(
        "mandated by law or regulation",
        default=False,
        help_text="Mandated requests are funded first and are not scored.",
    )
    mandate = models.CharField(
        "law or regulation", max_length=300, blank=True, help_text="Which one, if mandated."
    )
    earliest_start = models.PositiveIntegerField(
        "earliest start (fiscal year)", validators=YEAR, null=True, blank=True
    )
    duration = models.PositiveSmallIntegerField(
        "duration (years)",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_YEARS)],
    )
    capital_costs = models.JSONField(
        "one-time capital cost by project year", default=list, blank=True
    )
    operating_costs = models.JSONField(
        "one-time operating cost by project year", default=list, blank=True
    )
    recurring_operating = models.DecimalField(
        "recurring operating cost per year",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Continues every year from the start (licences, support, cloud).",
    )
    effort = models.JSONField(
        "staff hours by skill pool and project year",
        default=dict,
        blank=True,
        help_text="{“pool code”: [hours in year 1, year 2, …]}.",
    )
    replaces_systems = models.ManyToManyField(
        "estate.System", blank=True, related_name="replaced_by_proposals"
    )
    retires_systems = models.ManyToManyField(
        "estate.System", blank=True, related_name="retired_by_proposals"
    )
    extends_systems = models.ManyToManyField(
        "estate.System", blank=True, related_name="extended_by_proposals"
    )
    replaces_components = models.ManyToManyField(
        "estate.Component", blank=True, related_name="replaced_by_proposals"
    )
    extends_components = models.ManyToManyField(
        "estate.Component", blank=True, related_name="extended_by_proposals"
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="enables",
        help_text="Proposals that must finish before this one starts.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_rationale = models.TextField(blank=True, editable=False)
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    votes_abstaining = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    approved_start = models.PositiveIntegerField(
        "approved start (fiscal year)", null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["cycle", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "title"], name="proposal_title_in_cycle")
        ]

    # The workflow: which step may follow which, and who may take it. "requester" is the
    # requesting department's liaison (or IT staff), "staff" is IT staff and administrators.
    # Each step is a named state change (`services.transition`), made by governance.services.
    STEPS: ClassVar[dict[tuple[str, str], str]] = {
        (Status.DRAFT, Status.SUBMITTED): "requester",
        (Status.SUBMITTED, Status.DRAFT): "staff",  # returned to the department for changes
        (Status.SUBMITTED, Status.UNDER_REVIEW): "staff",
        (Status.UNDER_REVIEW, Status.SCORED): "staff",
        (Status.UNDER_REVIEW, Status.SUBMITTED): "staff",
        (Status.SCORED, Status.UNDER_REVIEW): "staff",  # scoring reopened
        (Status.UNDER_REVIEW, Status.APPROVED): "staff",  # mandated requests skip scoring
        (Status.SCORED, Status.APPROVED): "staff",
        (Status.SCORED, Status.DEFERRED): "staff",
        (Status.SCORED, Status.REJECTED): "staff",
        (Status.UNDER_REVIEW, Status.REJECTED): "staff",
        (Status.DEFERRED, Status.UNDER_REVIEW): "staff",
        (Status.APPROVED, Status.IN_PROGRESS): "staff",
        (Status.IN_PROGRESS, Status.COMPLETE): "staff",
    }
    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {"status": set(STEPS)}

    def may_transition(self, user: Any, field: str, was: str, to: str) -> bool:
        """IT staff take every step; a liaison submits their own department's draft."""
        who = self.STEPS.get((was, to)) if field == "status" else None
        if who is None:
            return False
        if permissions.is_it_staff(user):
            return True
        return (
            who == "requester"
            and permissions.is_liaison(user)
            and permissions.can(user, "change", self)
        )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:proposal_detail", args=[self.pk])

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        """Drafts stay within the requesting department (and IT) until submitted; once
        submitted, a request is changed only through its workflow by IT staff."""
        if permissions.is_it_staff(user):
            return by_role
        if action == "view":
            mine = models.Q(owner_department_id=user.department_id) if user.department_id else None
            shared = ~models.Q(status=cls.Status.DRAFT)
            return by_role.filter(shared | mine if mine is not None else shared)
        return by_role.filter(status=cls.Status.DRAFT)

    def clean_relations(self) -> None:
        """A proposal cannot, through its prerequisites, come before itself."""
        links: dict[int, list[int]] = {}
        through = Proposal.prerequisites.through.objects.values_list(
            "from_proposal_id", "to_proposal_id"
        )
        for source, target in through:
            links.setdefault(source, []).append(target)
        path = _loop_from(self.pk, links)
        if path:
            names = dict(Proposal.objects.filter(pk__in=path).values_list("pk", "title"))
            chain = " → ".join(names.get(pk, str(pk)) for pk in path)
            raise ValidationError({"prerequisites": f"These prerequisites make a loop: {chain}."})

    @property
    def is_infrastructure(self) -> bool:
        return self.kind == self.Kind.RENEWAL

    def year_amounts(self, field: str) -> list[Decimal]:
        """Amounts for project years 1..duration, zero where none was given."""
        values = list(getattr(self, field) or [])
        return [
            Decimal(str(values[i] or 0)) if i < len(values) else Decimal(0)
            for i in range(self.duration or 1)
        ]

    def pool_hours(self, code: str) -> list[Decimal]:
        values = list((self.effort or {}).get(code) or [])
        return [
            Decimal(str(values[i] or 0)) if i < len(values) else Decimal(0)
            for i in range(self.duration or 1)
        ]

    def one_time_total(self) -> Decimal:
        return sum(self.year_amounts("capital_costs"), Decimal(0)) + sum(
            self.year_amounts("operating_costs"), Decimal(0)
        )

    def clean(self) -> None:
        duration = self.duration or 1
        for field in ("capital_costs", "operating_costs"):
            values = getattr(self, field)
            if not isinstance(values, list):
                raise ValidationError({field: "Give one amount per project year."})
            if len(values) > duration:
                raise ValidationError(
                    {field: f"{len(values)} years of costs for a {duration}-year proposal."}
                )
            for i, value in enumerate(values, 1):
                _check_amount(value or 0, field, f"year {i}")
        if not isinstance(self.effort, dict):
            raise ValidationError({"effort": "Give staff hours per skill pool."})
        for code, values in self.effort.items():
            if not isinstance(values, list) or len(values) > duration:
                raise ValidationError(
                    {"effort": f"{code}: give at most {duration} yearly amounts of hours."}
                )
            for i, value in enumerate(values, 1):
                _check_amount(value or 0, "effort", f"{code} year {i}")
        for name in ("votes_for", "votes_against", "votes_abstaining"):
            votes = getattr(self, name)
            if votes is not None and not 0 <= votes <= MAX_VOTES:
                raise ValidationError({name: f"Give a number of votes from 0 to {MAX_VOTES}."})
        if self.approved_start is not None and not 2000 <= self.approved_start <= 2100:
            raise ValidationError(
                {"approved_start": "Give the approved start as a fiscal year, 2000 to 2100."}
            )
        if self.mandated and not self.mandate.strip():
            raise ValidationError({"mandate": "Name the law or regulation that mandates it."})
        if self.cycle_id and self.earliest_start:
            last = self.cycle.first_year + self.cycle.years - 1
            if not self.cycle.first_year <= self.earliest_start <= last:
                raise ValidationError(
                    {
                        "earliest_start": f"The cycle plans fiscal years "
                        f"{self.cycle.first_year}–{last}."
                    }
                )


def _loop_from(start: int, links: dict[int, list[int]]) -> list[int]:
    """The first path of links leading from `start` back to it, or [] if none."""
    stack = [(start, [start])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        for nxt in links.get(node, []):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return []


class StatusChange(models.Model):
    """One step of a proposal's workflow, with the comment that explains it.

    Created on the write path by governance.services, with the proposal's transition, and
    never changed. It shows (and its history in the audit log) only to people who may see
    the proposal: the comment that returned a draft stays within its department and IT.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=20, choices=Proposal.Status.choices)
    to_status = models.CharField(max_length=20, choices=Proposal.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        guard(self)
        super().save(*args, **kwargs)

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        """A step shows to those who may see its proposal; it is history: nobody changes it."""
        if action != "view":
            return by_role.none()
        if permissions.is_it_staff(user):
            return by_role
        visible = permissions.restrict(Proposal.objects.all(), user, "view")
        return by_role.filter(proposal__in=visible.values("pk"))

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        """Steps are taken by IT staff, and by liaisons submitting their drafts."""
        return permissions.is_it_staff(user) or permissions.is_liaison(user)

    def check_write(self, user: Any, before: dict[str, Any] | None) -> None:
        """A step is written with the transition it records: the proposal stands at its
        new status already, and the step names who took it."""
        if self.proposal.status != self.to_status or self.from_status == self.to_status:
            raise ValidationError({"to_status": "A step is recorded with the move it records."})
        if self.by_id != getattr(user, "pk", None):
            raise PermissionDenied("A step is recorded by the person who takes it.")


class Ballot(TrackedModel):
    """One board member's scores for one proposal; private to them until they submit."""

    department_field: ClassVar[str | None] = None
    # The member owns the row: only they may fill it in (see core.permissions).
    user_field: ClassVar[str] = "member"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ballots"
    )
    scores = models.JSONField(
        default=dict, blank=True, help_text="{criterion id: score} for every criterion."
    )
    comments = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "member"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="one_ballot_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} on {self.proposal}"

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        return permissions.is_board(user)

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        """Scores are independent: a member sees others' ballots on a proposal only after
        submitting their own; everyone else once the proposal's scoring is closed. IT staff
        and administrators run the process and see all. Only the member changes a ballot,
        and only until it is submitted."""
        if action != "view":
            return qs.filter(member=user, submitted_at__isnull=True)
        if permissions.is_it_staff(user):
            return qs
        submitted = qs.filter(submitted_at__isnull=False)
        closed = submitted.filter(proposal__status__in=Proposal.CLOSED_SCORING)
        if permissions.is_board(user):
            done = cls._default_manager.filter(member=user, submitted_at__isnull=False).values(
                "proposal_id"
            )
            return qs.filter(
                models.Q(pk__in=closed.values("pk"))
                | models.Q(member=user)
                | models.Q(pk__in=submitted.filter(proposal_id__in=done).values("pk"))
            )
        return closed

    def get_absolute_url(self) -> str:
        return reverse("governance:proposal_scores", args=[self.proposal_id])


class Scenario(TrackedModel):
    """A saved portfolio question for a cycle and the optimizer's answer to it."""

    class Objective(models.TextChoices):
        SCORE = "score", "Total weighted score"
        SCORE_PER_COST = "score_per_million", "Weighted score per $1M of one-time cost"
        RISK = "risk", "Risk reduction (cyber, continuity, end of support)"

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    objective = models.CharField(max_length=30, choices=Objective.choices, default=Objective.SCORE)
    budget_level = models.DecimalField(
        "budget level",
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(5))],
        help_text="1 is the cycle's budgets; 0.9 plans with 10% less.",
    )
    infrastructure_share = models.DecimalField(
        "minimum infrastructure renewal share",
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="Blank uses the cycle's.",
    )
    force_in = models.ManyToManyField(
        Proposal, blank=True, related_name="forced_in_scenarios", verbose_name="always fund"
    )
    force_out = models.ManyToManyField(
        Proposal, blank=True, related_name="forced_out_scenarios", verbose_name="never fund"
    )
    time_limit = models.PositiveIntegerField(
        "time limit (seconds)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    selected = models.BooleanField(
        default=False, help_text="The scenario the board adopts; it goes in the packet."
    )
    result = models.JSONField(null=True, blank=True, editable=False)
    solved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["cycle", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="scenario_name_in_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("governance:scenario_detail", args=[self.pk])

    def clean_relations(self) -> None:
        """A proposal is either always or never funded, and only one of this cycle's."""
        forced_in = list(self.force_in.all())
        forced_out = list(self.force_out.all())
        both = {p.pk for p in forced_in} & {p.pk for p in forced_out}
        if both:
            names = ", ".join(sorted(p.title for p in forced_out if p.pk in both))
            raise ValidationError(
                {"force_out": f"A proposal cannot be both always and never funded: {names}."}
            )
        errors = {}
        for name, chosen in (("force_in", forced_in), ("force_out", forced_out)):
            others = [p for p in chosen if p.cycle_id != self.cycle_id]
            if others:
                errors[name] = f"{others[0]} belongs to another budget cycle."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def redact_history(cls, user: Any, entries: list[Any]) -> None:
        """The saved plan holds the board's weighted totals: its history shows it only to
        people who may see every score in it (governance/privacy.py)."""
        from townhall.governance import privacy

        privacy.redact_results(user, entries)


# --- Project updates for residents ---


class ProjectUpdate(TrackedModel):
    """How a funded project is going, in words written for residents: the public site shows
    these on the investment's page when its "updates" field is published."""

    FUNDED = ("approved", "in_progress", "complete")

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="updates",
        help_text="A funded proposal.",
    )
    day = models.DateField("date", help_text="The day this news is from.")
    text = models.TextField(
        "update for residents",
        help_text="What happened and what comes next, in plain words residents understand.",
    )

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["proposal", "day"], name="governance_update_day")]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.day}"

    def get_absolute_url(self) -> str:
        return reverse("governance:projectupdate_detail", args=[self.pk])

    def clean(self) -> None:
        if self.proposal_id and self.proposal.status not in self.FUNDED:
            raise ValidationError(
                {"proposal": "Updates are for funded projects: the board has not funded this one."}
            )
        if not (self.text or "").strip():
            raise ValidationError({"text": "Write what happened, for residents to read."})
