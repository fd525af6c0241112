"""The IT organization and its skills: teams and the positions in them (filled by the
estate's people, `estate.Person`, or vacant), each department's IT operating model, the
skills the work needs (NICE work roles and competency areas, and the technology the estate
runs on), who has them and how well, and the certifications people hold.

Pay, retirement eligibility and performance are personnel data: they live only in
`StaffRecord`, which only administrators and IT managers see (`permissions.PersonnelRows`),
never in a field of a record every role reads."""

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from townhall.core.models import OwnedModel, TrackedModel
from townhall.core.permissions import PersonnelRows

# A chain of reporting lines or teams longer than this is taken for a loop: no real
# organization is this deep, and the walk must end whatever the data holds.
MAX_DEPTH = 200


def _url(obj: models.Model) -> str:
    return reverse(f"people:{obj._meta.model_name}_detail", args=[obj.pk])


class Placement(models.TextChoices):
    """Where IT work sits: in the central IT unit, or in a department that runs its own."""

    CENTRAL = "central", "Central IT"
    EMBEDDED = "embedded", "Embedded in a department"


def _loop(start: Any, own_pk: Any, model: type[models.Model], field: str) -> list[str] | None:
    """The names along `field` from `start` back to the record `own_pk`, if the chain
    comes back to it (a loop); None when it ends. One query per step, bounded."""
    if own_pk is None or start is None:
        return None
    names = []
    current = start
    for _ in range(MAX_DEPTH):
        names.append(str(current))
        if current.pk == own_pk:
            return names
        next_id = getattr(current, f"{field}_id")
        if next_id is None:
            return None
        current = model._default_manager.filter(pk=next_id).first()
        if current is None:
            return None
    return names


SHARE_MIN = MinValueValidator(Decimal(0), "A share is 0 or more.")
SHARE_MAX = MaxValueValidator(Decimal(1), "A share is at most 1 (all of the time).")


class Team(OwnedModel):
    """An IT unit or team: the central IT department's divisions and teams, or an IT group
    a department keeps for itself. Teams form a tree through `parent`; the department is
    the one the team sits in (an embedded team must name it)."""

    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="part of",
        help_text="The unit this team belongs to; empty for a top-level unit.",
    )
    placement = models.CharField(
        max_length=10, choices=Placement.choices, default=Placement.CENTRAL
    )
    purpose = models.TextField(blank=True)
    operations_share = models.DecimalField(
        "share of time for operations",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[SHARE_MIN, SHARE_MAX],
        help_text="The part of each position's hours (0 to 1, such as 0.6) that keeps "
        "the lights on and is not free for projects. Empty: the unit it is part of, "
        "else the city's setting.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if self.placement == Placement.EMBEDDED and not self.owner_department_id:
            raise ValidationError(
                {"owner_department": "A team embedded in a department names that department."}
            )
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "A team cannot be part of itself."})
        loop = _loop(self.parent, self.pk, Team, "parent")
        if loop:
            raise ValidationError(
                {"parent": "This makes a loop of teams: " + " → ".join([self.name, *loop]) + "."}
            )


class Position(OwnedModel):
    """A budgeted (or unfunded) job in a team: its title and grade, whether it is funded,
    who fills it — a person of the estate — or since when it has been vacant, whether it
    is in central IT or embedded in a department, the position it reports to and its
    full-time equivalent."""

    title = models.CharField(max_length=200)
    grade = models.CharField(
        max_length=50, blank=True, help_text="The pay grade or class the city uses."
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="positions")
    funded = models.BooleanField(default=True)
    person = models.ForeignKey(
        "estate.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="filled by",
    )
    vacant_since = models.DateField(
        "vacant since", null=True, blank=True, help_text="For a vacant position only."
    )
    placement = models.CharField(
        max_length=10, choices=Placement.choices, default=Placement.CENTRAL
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="reports to",
    )
    fte = models.DecimalField(
        "FTE",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[
            MinValueValidator(Decimal("0.01"), "A position is more than 0 FTE."),
            MaxValueValidator(Decimal("1.00"), "A position is at most 1 FTE."),
        ],
        help_text="Full-time equivalent: 1 for a full-time position, 0.5 for half time.",
    )
    skill_pool = models.ForeignKey(
        "governance.SkillPool",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="skill pool",
        help_text="The governance skill pool whose project hours this position adds to.",
    )
    available_hours = models.PositiveIntegerField(
        "available hours a year",
        null=True,
        blank=True,
        validators=[MaxValueValidator(8784, "A year has at most 8,784 hours.")],
        help_text="Hours a full-time person in this position works in a year, after leave "
        "and holidays. Empty: the city's setting.",
    )
    market_rate = models.ForeignKey(
        "people.MarketRate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="market rate",
        help_text="What the market pays for this kind of job, to compare pay with.",
    )
    fill_planned = models.DateField(
        "planned fill date",
        null=True,
        blank=True,
        help_text="For a vacant position: the day it is expected to be filled. Its hours "
        "count from then; a vacancy without one adds no hours.",
    )

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["team", "title"], name="people_position_team_title")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _url(self)

    @property
    def vacant(self) -> bool:
        return self.person_id is None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.person_id is not None and self.vacant_since is not None:
            errors["vacant_since"] = "A filled position has no vacant-since date: clear it."
        if self.person_id is None and self.vacant_since is None:
            errors["vacant_since"] = (
                "A vacant position says since when it has been vacant (or name who fills it)."
            )
        if self.person_id is not None and self.fill_planned is not None:
            errors["fill_planned"] = "A filled position has no planned fill date: clear it."
        if self.placement == Placement.EMBEDDED and not self.owner_department_id:
            errors["owner_department"] = (
                "A position embedded in a department names that department."
            )
        if self.reports_to_id is not None and self.reports_to_id == self.pk:
            errors["reports_to"] = "A position cannot report to itself."
        elif self.reports_to_id is not None:
            loop = _loop(self.reports_to, self.pk, Position, "reports_to")
            if loop:
                errors["reports_to"] = (
                    "These reporting lines make a loop: " + " → ".join([self.title, *loop]) + "."
                )
        if errors:
            raise ValidationError(errors)


class OperatingModel(OwnedModel):
    """How a department's IT is run, from a date on: by central IT, by the department
    itself, or shared between them. The department's latest record is its current model;
    the staff behind it are counted from the positions (`staff.operating_staff`)."""

    class Model(models.TextChoices):
        CENTRAL = "central", "Centralized: central IT runs it"
        HYBRID = "hybrid", "Hybrid: central IT and department IT staff share it"
        DECENTRALIZED = "decentralized", "Decentralized: the department runs its own IT"

    model = models.CharField(
        "operating model", max_length=15, choices=Model.choices, default=Model.CENTRAL
    )
    as_of = models.DateField("in place from", default=datetime.date.today)
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["owner_department__name", "-as_of"]
        verbose_name = "operating model"
        constraints = [
            models.UniqueConstraint(
                fields=["owner_department", "as_of"], name="people_one_model_per_day"
            )
        ]

    def __str__(self) -> str:
        department = self.owner_department
        return f"{department.name if department else '?'}: {self.get_model_display().split(':')[0]}"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if not self.owner_department_id:
            raise ValidationError(
                {"owner_department": "Name the department this operating model is for."}
            )


class Skill(TrackedModel):
    """Something a person can do or know: a NICE Framework work role or competency area
    (by NIST's identifier), a technology the estate runs on (linked to the systems and
    components that use it), or any other skill the city names."""

    class Kind(models.TextChoices):
        WORK_ROLE = "work_role", "NICE work role"
        COMPETENCY = "competency_area", "NICE competency area"
        TECHNOLOGY = "technology", "Technology"
        OTHER = "other", "Other"

    code = models.CharField(
        max_length=100,
        unique=True,
        help_text="NIST's identifier for a NICE element (OG-WRL-001); any short code otherwise.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    systems = models.ManyToManyField(
        "estate.System", blank=True, related_name="skills", help_text="Systems that need it."
    )
    components = models.ManyToManyField(
        "estate.Component",
        blank=True,
        related_name="skills",
        help_text="Components that need it.",
    )

    class Meta:
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.kind in NICE_KINDS else self.name

    def get_absolute_url(self) -> str:
        return _url(self)


NICE_KINDS = (Skill.Kind.WORK_ROLE, Skill.Kind.COMPETENCY)

LEVELS = [
    (0, "0: none"),
    (1, "1: aware (knows what it is)"),
    (2, "2: working (does routine work with help)"),
    (3, "3: practitioner (runs it alone, handles problems)"),
    (4, "4: expert (teaches others, designs and recovers)"),
]


class Proficiency(TrackedModel):
    """How well one person has one skill, on a 0–4 scale; 3 or more means they can run
    what needs it on their own."""

    person = models.ForeignKey(
        "estate.Person", on_delete=models.CASCADE, related_name="proficiencies"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="proficiencies")
    level = models.PositiveSmallIntegerField(
        choices=LEVELS, validators=[MaxValueValidator(4, "The scale runs from 0 to 4.")]
    )
    assessed_on = models.DateField("assessed on", null=True, blank=True)

    class Meta:
        ordering = ["person__name", "skill__code"]
        verbose_name_plural = "proficiencies"
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="people_one_level_per_skill")
        ]

    def __str__(self) -> str:
        if not (self.person_id and self.skill_id):
            return "Proficiency"
        return f"{self.person}: {self.skill.name} ({self.level})"

    def get_absolute_url(self) -> str:
        return _url(self)


class Certification(TrackedModel):
    """A certification a person holds (CISSP, CCNA, a vendor's administrator exam), with
    when it was earned and when it expires; expiries show in the calendar feed."""

    person = models.ForeignKey(
        "estate.Person", on_delete=models.CASCADE, related_name="certifications"
    )
    name = models.CharField(max_length=200)
    issuer = models.CharField(max_length=200, blank=True)
    earned = models.DateField(null=True, blank=True)
    expires = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person__name", "name"]
        indexes = [models.Index(fields=["expires"], name="people_certification_expires")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if self.earned and self.expires and self.expires < self.earned:
            raise ValidationError({"expires": "A certification expires after it was earned."})


class CapacitySettings(TrackedModel):
    """How the project hours of each skill pool are counted for governance: the hours a
    full-time position works in a year and the share of time that goes to operations
    (keeping the lights on), unless a position or team says otherwise. One record; until
    it is saved the defaults below apply."""

    hours_per_fte = models.PositiveIntegerField(
        "available hours a year per FTE",
        default=1720,
        validators=[
            MinValueValidator(1, "A full-time position works some hours a year."),
            MaxValueValidator(8784, "A year has at most 8,784 hours."),
        ],
        help_text="After leave, holidays and training: 1,720 is a common figure.",
    )
    operations_share = models.DecimalField(
        "share of time for operations",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=[SHARE_MIN, SHARE_MAX],
        help_text="0 to 1: 0.6 means 60 % of the time keeps the lights on.",
    )

    class Meta:
        verbose_name = "capacity settings"
        verbose_name_plural = "capacity settings"

    def __str__(self) -> str:
        return f"{self.hours_per_fte:,} hours per FTE, {self.operations_share:.0%} operations"

    def get_absolute_url(self) -> str:
        return reverse("people:capacity")


class CapacityApplied(TrackedModel):
    """A budget cycle's staff hours set from the people: the hours derived per skill pool
    and fiscal year and the positions and settings they came from, kept (with its audit
    entry) beside the change to the cycle so every hour can be traced to its positions."""

    cycle = models.ForeignKey("governance.BudgetCycle", on_delete=models.CASCADE, related_name="+")
    hours = models.JSONField(default=dict, help_text="{pool code: {fiscal year: hours}}.")
    basis = models.JSONField(
        default=dict, help_text="The settings and each position counted, with its hours."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "capacity applied"
        verbose_name_plural = "capacity applied"

    def __str__(self) -> str:
        return f"Staff hours from the people for {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("people:capacity") + f"?cycle={self.cycle_id}"


class StaffRecord(PersonnelRows, TrackedModel):
    """What the IT organization keeps about one of the estate's people beyond their name
    and skills: their pay, the day they become eligible to retire (a date, never an age, so
    it stays true without being recomputed) and their last performance review. Personnel
    data: only administrators and IT managers see or keep it, through every door."""

    class Rating(models.TextChoices):
        EXCEEDS = "exceeds", "Exceeds expectations"
        MEETS = "meets", "Meets expectations"
        DEVELOPING = "developing", "Developing"
        BELOW = "below", "Below expectations"

    person = models.OneToOneField(
        "estate.Person", on_delete=models.CASCADE, related_name="staff_record"
    )
    retirement_eligible_on = models.DateField(
        "eligible to retire on",
        null=True,
        blank=True,
        help_text="The first day this person may retire with a pension, as HR gives it.",
    )
    annual_pay = models.DecimalField(
        "annual pay",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), "Pay is 0 or more.")],
        help_text="Base pay for a year, before benefits.",
    )
    performance_rating = models.CharField(
        "last performance rating", max_length=12, choices=Rating.choices, blank=True
    )
    reviewed_on = models.DateField("last reviewed on", null=True, blank=True)

    class Meta:
        ordering = ["person__name"]
        verbose_name = "staff record"

    def __str__(self) -> str:
        return str(self.person) if self.person_id else "Staff record"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if self.performance_rating and not self.reviewed_on:
            raise ValidationError({"reviewed_on": "Say when the rated review took place."})


# --- succession and training ---------------------------------------------------------------

# The level at which a person runs what needs a skill alone (as `risk.QUALIFIED_LEVEL`).
QUALIFIED_LEVEL = 3


class TrainingPlan(TrackedModel):
    """Who is trained in a skill, to which level and by when, to take a key-person risk
    away: most often a second person for a critical system only one person can run. The
    plan is met when the person's proficiency reaches the target (`training.py`); a met
    plan at level 3 or more makes them one of the people qualified, so the flag clears."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        CANCELLED = "cancelled", "Cancelled"

    person = models.ForeignKey(
        "estate.Person",
        on_delete=models.CASCADE,
        related_name="training_plans",
        verbose_name="who is trained",
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="training_plans")
    target_level = models.PositiveSmallIntegerField(
        "to level",
        choices=LEVELS,
        default=3,
        validators=[
            MinValueValidator(1, "Train to level 1 or more."),
            MaxValueValidator(4, "The scale runs from 0 to 4."),
        ],
        help_text="3 or more makes the person one of those qualified to run what needs it.",
    )
    starting_level = models.PositiveSmallIntegerField(
        "level at the start",
        choices=LEVELS,
        default=0,
        validators=[MaxValueValidator(4, "The scale runs from 0 to 4.")],
    )
    due = models.DateField("trained by")
    system = models.ForeignKey(
        "estate.System",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_plans",
        help_text="The system whose key-person risk this plan answers, if any.",
    )
    component = models.ForeignKey(
        "estate.Component",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_plans",
        help_text="The component whose key-person risk this plan answers, if any.",
    )
    how = models.TextField(
        "how", blank=True, help_text="Courses, shadowing, vendor training, runbooks to write."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    met_on = models.DateField("met on", null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["status", "due"], name="people_plan_status_due")]

    def __str__(self) -> str:
        if not (self.person_id and self.skill_id):
            return "Training plan"
        return f"{self.person}: {self.skill.name} to {self.target_level}"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.target_level is not None and self.starting_level is not None:
            if self.target_level <= self.starting_level:
                errors["target_level"] = "Train to a level above the one at the start."
        if self.system_id and self.component_id:
            errors["component"] = "A plan answers one system or one component, not both."
        elif self.system_id or self.component_id:
            self._check_answers(errors)
        if self.status == self.Status.MET and not self.met_on:
            errors["met_on"] = "Say when the plan was met."
        if self.status != self.Status.MET and self.met_on:
            errors["met_on"] = "Only a met plan has a met-on date."
        if errors:
            raise ValidationError(errors)

    def _check_answers(self, errors: dict[str, str]) -> None:
        """A plan that answers a key-person risk must make a second qualified person: a
        target of level 3 or more, in a skill linked to the system or component."""
        what = "system" if self.system_id else "component"
        if self.target_level is not None and self.target_level < QUALIFIED_LEVEL:
            errors["target_level"] = (
                f"A plan that answers a {what}'s key-person risk trains to level "
                f"{QUALIFIED_LEVEL} or more: only then can the person run it alone."
            )
        if self.skill_id is None:
            return
        linked = Skill.objects.filter(pk=self.skill_id)
        if self.system_id:
            linked = linked.filter(systems=self.system_id)
        else:
            linked = linked.filter(components=self.component_id)
        if not linked.exists():
            target = self.system if self.system_id else self.component
            errors["skill"] = (
                f"Choose a skill linked to {target}: this one is not among the skills "
                f"it needs (link it on the skill's page, or choose another)."
            )


# --- recruiting ------------------------------------------------------------------------------


class MarketRate(TrackedModel):
    """What the market pays for a kind of job, as the city found it (a salary survey,
    neighbouring governments, private-sector postings): positions name the rate they are
    compared with; the comparison with the city's own pay is shown only to the roles that
    see pay."""

    name = models.CharField(max_length=200, help_text="The kind of job, such as Network engineer.")
    market_pay = models.DecimalField(
        "market annual pay",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(1), "Market pay is more than 0.")],
        help_text="The typical (median) base pay for a year.",
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the figure comes from.")
    as_of = models.DateField("as of", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "market rate"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)


class Requisition(OwnedModel):
    """A request to hire: for a vacant position, or a cohort of interns or apprentices. It
    moves through stages, each with its day, so time to fill and where hiring stalls can
    be worked out; the offers declined on the way say why."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular position"
        INTERNSHIP = "internship", "Internship"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"

    class Stage(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        POSTED = "posted", "Posted"
        INTERVIEWING = "interviewing", "Interviewing"
        OFFER = "offer", "Offer made"
        FILLED = "filled", "Filled"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.REGULAR)
    position = models.ForeignKey(
        Position,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requisitions",
        help_text="The vacant position it fills; internships and apprenticeships may have none.",
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="requisitions"
    )
    stage = models.CharField(max_length=15, choices=Stage.choices, default=Stage.REQUESTED)
    openings = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1, "A requisition has at least one opening.")],
        help_text="How many people it hires: 1 for a position, more for a cohort.",
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="requisitions", help_text="The skills it hires for."
    )
    opened_on = models.DateField("opened on")
    approved_on = models.DateField("approved on", null=True, blank=True)
    posted_on = models.DateField("posted on", null=True, blank=True)
    offer_on = models.DateField("offer made on", null=True, blank=True)
    filled_on = models.DateField("filled on", null=True, blank=True)
    closed_on = models.DateField("cancelled on", null=True, blank=True)
    applicants = models.PositiveIntegerField(null=True, blank=True)
    interviewed = models.PositiveIntegerField(null=True, blank=True)
    hired = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="hired person",
    )

    # The moves a stage may make, only by `services.move_requisition`: forward, back to
    # interviewing after an offer is turned down, back to posted to look again, or
    # cancelled. Filled and cancelled are closed: a filled requisition is never reopened,
    # because its position is filled by the hire and its days feed time to fill; if the
    # hire falls through, the position is made vacant on its own page and a new
    # requisition opened.
    NEXT_STAGES: ClassVar[dict[str, tuple[str, ...]]] = {
        Stage.REQUESTED: (Stage.APPROVED, Stage.CANCELLED),
        Stage.APPROVED: (Stage.POSTED, Stage.CANCELLED),
        Stage.POSTED: (Stage.INTERVIEWING, Stage.OFFER, Stage.CANCELLED),
        Stage.INTERVIEWING: (Stage.OFFER, Stage.POSTED, Stage.CANCELLED),
        Stage.OFFER: (Stage.FILLED, Stage.INTERVIEWING, Stage.CANCELLED),
        Stage.FILLED: (),
        Stage.CANCELLED: (),
    }
    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "stage": {(was, to) for was, moves in NEXT_STAGES.items() for to in moves}
    }

    class Meta:
        ordering = ["-opened_on", "id"]
        indexes = [models.Index(fields=["stage", "opened_on"], name="people_req_stage_opened")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _url(self)

    # The stages' days, in the order a requisition reaches them.
    STAGE_DAYS = [
        (Stage.APPROVED, "approved_on"),
        (Stage.POSTED, "posted_on"),
        (Stage.OFFER, "offer_on"),
        (Stage.FILLED, "filled_on"),
    ]

    STAGE_WORDS = {
        "approved_on": "approved",
        "posted_on": "posted",
        "offer_on": "offered",
        "filled_on": "filled",
    }

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.position is not None and not self.team_id:
            self.team_id = self.position.team_id
        if self.stage == self.Stage.FILLED and not self.filled_on:
            errors["filled_on"] = "A filled requisition says when it was filled."
        if self.stage == self.Stage.CANCELLED and not self.closed_on:
            errors["closed_on"] = "A cancelled requisition says when it was cancelled."
        if self.stage != self.Stage.CANCELLED and self.closed_on:
            errors["closed_on"] = "Only a cancelled requisition has a cancelled-on date."
        if self.stage != self.Stage.FILLED and self.filled_on:
            errors["filled_on"] = "Only a filled requisition has a filled-on date."
        earlier: tuple[datetime.date, str] | None = (
            (self.opened_on, "opened") if self.opened_on else None
        )
        for _stage, name in self.STAGE_DAYS:
            day = getattr(self, name)
            if day is None:
                continue
            if earlier is not None and day < earlier[0] and name not in errors:
                errors[name] = f"This day comes before the day it was {earlier[1]} ({earlier[0]})."
            earlier = (day, self.STAGE_WORDS[name])
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = "A requisition is cancelled after it was opened."
        if self.interviewed is not None and self.applicants is not None:
            if self.interviewed > self.applicants:
                errors["interviewed"] = "More people interviewed than applied."
        if errors:
            raise ValidationError(errors)


class DeclinedOffer(TrackedModel):
    """An offer a candidate turned down, and why: the reasons, counted over a year, show
    what loses the city its hires (pay against the private sector, above all)."""

    class Reason(models.TextChoices):
        PAY = "pay", "Pay"
        BENEFITS = "benefits", "Benefits"
        REMOTE = "remote", "Remote or flexible work"
        OTHER_OFFER = "other_offer", "Took another offer"
        SLOW = "slow", "The hiring took too long"
        LOCATION = "location", "Location or commute"
        OTHER = "other", "Other"

    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="declined_offers"
    )
    declined_on = models.DateField("declined on")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-declined_on", "id"]
        verbose_name = "declined offer"

    def __str__(self) -> str:
        return (
            f"{self.requisition}: {self.get_reason_display()}"
            if self.requisition_id
            else ("Declined offer")
        )

    def get_absolute_url(self) -> str:
        return _url(self)
