"""Cyber health records: frameworks and assessments, risks, incidents, training, exposure to
known-exploited vulnerabilities and end of life, the plan of action, who performs each cyber
function, and the insurer's questions.

Risks and incidents belong to a department; a department liaison sees only their own
department's. Exposure, assessments and the plan of action are for IT, auditors and the
board (`CyberRows`): they describe weaknesses an attacker would like to read.
"""

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from townhall.core import permissions
from townhall.core.models import OwnedModel, TrackedModel, field_named

SCALE_MIN, SCALE_MAX, TARGET = 1, 7, 5
SCORE = [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def _url(obj: models.Model) -> str:
    return reverse(f"cyber:{obj._meta.model_name}_detail", args=[obj.pk])


class CyberRows:
    """Row rule: department liaisons see only rows their department owns (none, for records
    without a department); everyone else follows their role."""

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        if not permissions.is_liaison(user):
            return by_role
        field = getattr(cls, "department_field", None)
        if not field or not user.department_id:
            return by_role.none()
        return by_role.filter(**{f"{field}_id": user.department_id})


# --- frameworks -------------------------------------------------------------------------


class Framework(TrackedModel):
    """One version of a control framework (NIST CSF 2.0, CISA CPGs, an OSCAL catalog)."""

    name = models.CharField(max_length=200)
    key = models.SlugField(max_length=60, help_text="Short key, such as “csf”.")
    release = models.CharField("version", max_length=40, help_text="Such as “2.0”.")
    publisher = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    official_text = models.BooleanField(
        default=False,
        help_text="Texts come from the publisher's official file (not our own short words).",
    )
    catalog_uuid = models.CharField("catalog UUID", max_length=60, blank=True)
    last_imported = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "release"]
        constraints = [
            models.UniqueConstraint(fields=["key", "release"], name="framework_key_release")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.release}"

    def get_absolute_url(self) -> str:
        return _url(self)


class Requirement(TrackedModel):
    """A node of a framework: a function, category, subcategory, goal or control."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    identifier = models.CharField(max_length=60, help_text="Such as GV.OC-01 or 1.A.")
    level = models.CharField(
        max_length=40, help_text="function, category, subcategory, goal, group, control…"
    )
    title = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    examples = models.TextField(blank=True)
    assessable = models.BooleanField(
        default=False, help_text="Scored in assessments (the leaves of the tree)."
    )
    withdrawn = models.BooleanField(
        default=False, help_text="No longer in the latest import; kept for its history."
    )
    sort_key = models.CharField(max_length=100, blank=True, db_index=True)
    properties = models.JSONField(default=dict, blank=True)

    # Not stored: set on the requirements some readers return, for the page showing them.
    relation: str  # frameworks.mapping_index: the mapping's label, read from the other side
    below: str  # the framework page: what sits under a top-level requirement, in words

    class Meta:
        ordering = ["framework", "sort_key", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "identifier"], name="requirement_identifier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        """A requirement sits under another of the same framework, never under itself or
        under one of its own descendants."""
        if not self.parent_id:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "A requirement cannot sit under itself."})
        parent = self.parent  # not None: parent_id is set
        if self.framework_id and parent is not None and parent.framework_id != self.framework_id:
            raise ValidationError({"parent": "Choose a requirement of the same framework."})
        if self.pk is None:
            return  # a new requirement has no descendants yet
        ancestor, steps = self.parent, 0
        while ancestor is not None and steps < 100:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": "That requirement sits under this one; choose another."}
                )
            ancestor, steps = ancestor.parent, steps + 1


class RequirementMapping(TrackedModel):
    """One requirement answers, in part or whole, another framework's requirement, so a score
    given once counts toward both."""

    class Relation(models.TextChoices):
        EQUIVALENT = "equivalent", "Equivalent"
        SUBSET = "subset", "Covers part of"
        RELATED = "related", "Related"

    # Django lets a model replace a field of its abstract base: here `source` is the mapped
    # requirement, not the base's text field. The checker keeps the base's type.
    source = models.ForeignKey(  # type: ignore[assignment]
        Requirement, on_delete=models.CASCADE, related_name="mapped_to"
    )
    target = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="mapped_from")
    relation = models.CharField(max_length=20, choices=Relation.choices, default=Relation.RELATED)

    class Meta:
        ordering = ["source", "target"]
        verbose_name = "requirement mapping"
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="requirement_mapping_pair")
        ]

    def __str__(self) -> str:
        return f"{self.source.identifier} → {self.target.identifier}"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        if self.source_id and self.target_id:
            if self.source_id == self.target_id:
                raise ValidationError({"target": "A requirement cannot map to itself."})
            if self.source.framework_id == self.target.framework_id:
                raise ValidationError({"target": "Map to a requirement of another framework."})


# --- assessments ------------------------------------------------------------------------


class Assessment(CyberRows, TrackedModel):
    """A self-assessment against one framework version, for one year, on the 1–7 scale."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    name = models.CharField(max_length=200, help_text="Such as “2026 self-assessment”.")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    target = models.PositiveSmallIntegerField(
        default=TARGET,
        validators=SCORE,
        help_text="The level to reach; 5 is the recommended minimum.",
    )
    lead = models.ForeignKey(
        "estate.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The assessment to compare with, usually last year's.",
    )
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "name"]

    # Completing and reopening are named state changes (`services.transition`, made by
    # cyber.services), by those who may change the assessment.
    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "status": {(Status.IN_PROGRESS, Status.COMPLETE), (Status.COMPLETE, Status.IN_PROGRESS)},
    }

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        if self.previous_id and self.pk and self.previous_id == self.pk:
            raise ValidationError({"previous": "An assessment cannot be compared with itself."})
        if self.pk and self.framework_id:
            before = Assessment.objects.filter(pk=self.pk).values_list("framework_id", flat=True)
            if before and before[0] != self.framework_id and self.scores.exists():
                raise ValidationError(
                    {
                        "framework": "This assessment already has scores against its framework; "
                        "start a new assessment for another one."
                    }
                )
        if self.status == self.Status.COMPLETE and self.framework_id and not self._was_complete():
            self._check_answered()
        if self.status == self.Status.COMPLETE and not self.completed_on:
            self.completed_on = datetime.date.today()

    def _was_complete(self) -> bool:
        """Already complete when stored: a later framework update that adds subcategories
        must not stop people from correcting a finished assessment's notes."""
        if self.pk is None:
            return False
        stored = Assessment.objects.filter(pk=self.pk).values_list("status", flat=True)
        return bool(stored) and stored[0] == self.Status.COMPLETE

    def _check_answered(self) -> None:
        """Complete means every current subcategory is scored or marked not applicable,
        whichever page or API call marks it so."""
        answered = Score.objects.filter(assessment_id=self.pk).filter(
            models.Q(level__isnull=False) | models.Q(not_applicable=True)
        )
        left = Requirement.objects.filter(
            framework_id=self.framework_id, assessable=True, withdrawn=False
        )
        if self.pk:
            left = left.exclude(pk__in=answered.values("requirement_id"))
        if left.exists():
            first = ", ".join(
                left.order_by("sort_key", "identifier").values_list("identifier", flat=True)[:5]
            )
            raise ValidationError(
                {
                    "status": f"{left.count()} subcategories are neither scored nor marked not "
                    f"applicable yet (first: {first}); answer them before completing."
                }
            )


class Score(CyberRows, TrackedModel):
    """One requirement's level in one assessment, or not applicable."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="scores")
    level = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    not_applicable = models.BooleanField(default=False)
    responsible = models.ForeignKey(
        "estate.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["assessment", "requirement__sort_key", "requirement__identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement"], name="score_assessment_requirement"
            )
        ]

    def __str__(self) -> str:
        shown = "not applicable" if self.not_applicable else (self.level or "not scored")
        return f"{self.requirement.identifier}: {shown}"

    def get_absolute_url(self) -> str:
        return _url(self)

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        """A complete assessment is the record of its year: its scores no longer change
        (reopen the assessment first)."""
        rows = super().restrict_rows(qs, user, action, by_role)
        if action in ("change", "delete"):
            rows = rows.exclude(assessment__status=Assessment.Status.COMPLETE)
        return rows

    def clean(self) -> None:
        if len(self.notes or "") > SCORE_NOTES_MAX:
            raise ValidationError(
                {
                    "notes": f"Keep the notes on one score to {SCORE_NOTES_MAX} characters "
                    f"(they have {len(self.notes)})."
                }
            )
        if self.not_applicable and self.level is not None:
            raise ValidationError(
                {"level": "Leave the level empty for a requirement that does not apply."}
            )
        if self.assessment_id and self.requirement_id:
            if self.requirement.framework_id != self.assessment.framework_id:
                raise ValidationError(
                    {"requirement": "This requirement belongs to another framework."}
                )
            if not self.requirement.assessable:
                raise ValidationError(
                    {
                        "requirement": f"{self.requirement.identifier} is not scored in "
                        "assessments; score its subcategories instead."
                    }
                )
            if self.assessment.status == Assessment.Status.COMPLETE:
                raise ValidationError(
                    {"assessment": "This assessment is complete; reopen it to change its scores."}
                )


SCORE_NOTES_MAX = 4000  # characters of notes on one score: what the workspace shows


class Evidence(CyberRows, TrackedModel):
    """A document or link that shows a control is in place; it carries over between years."""

    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="evidence/%Y/", max_length=300, blank=True)
    link = models.URLField(max_length=500, blank=True)
    owner = models.ForeignKey(
        "estate.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    effective_date = models.DateField(null=True, blank=True)
    expires = models.DateField(null=True, blank=True, db_index=True)
    requirements = models.ManyToManyField(Requirement, blank=True, related_name="evidence")

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _url(self)

    def is_expired(self, today: datetime.date) -> bool:
        return self.expires is not None and self.expires < today

    def expires_within(self, today: datetime.date, days: int) -> bool:
        """Still valid today, but not `days` from now."""
        return self.expires is not None and today <= self.expires <= today + datetime.timedelta(
            days=days
        )

    def clean(self) -> None:
        if not self.file and not self.link:
            raise ValidationError("Attach a file or give a link.")
        if self.effective_date and self.expires and self.expires < self.effective_date:
            raise ValidationError({"expires": "Expiry comes after the effective date."})
        limit = settings.UPLOAD_MAX_MB * 1024 * 1024
        # `_committed` is False for a file chosen but not yet stored; the stubs leave it out.
        if self.file and not self.file._committed and self.file.size > limit:  # type: ignore[attr-defined]
            raise ValidationError(
                {"file": f"The file is larger than the {settings.UPLOAD_MAX_MB} MB limit."}
            )


# --- risks and incidents ----------------------------------------------------------------


class Risk(CyberRows, OwnedModel):
    """A cyber risk on the 5×5 scale, before (inherent) and after (residual) its controls."""

    class Treatment(models.TextChoices):
        MITIGATE = "mitigate", "Mitigate"
        ACCEPT = "accept", "Accept"
        TRANSFER = "transfer", "Transfer"
        AVOID = "avoid", "Avoid"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_TREATMENT = "in_treatment", "In treatment"
        ACCEPTED = "accepted", "Accepted"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    systems = models.ManyToManyField("estate.System", blank=True, related_name="cyber_risks")
    services = models.ManyToManyField("estate.Service", blank=True, related_name="cyber_risks")
    requirements = models.ManyToManyField(Requirement, blank=True, related_name="risks")
    inherent_likelihood = models.PositiveSmallIntegerField(validators=FIVE, default=3)
    inherent_impact = models.PositiveSmallIntegerField(validators=FIVE, default=3)
    residual_likelihood = models.PositiveSmallIntegerField(validators=FIVE, null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(validators=FIVE, null=True, blank=True)
    treatment = models.CharField(
        max_length=20, choices=Treatment.choices, default=Treatment.MITIGATE
    )
    treatment_plan = models.TextField(blank=True)
    owner = models.ForeignKey(
        "estate.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    approver = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who accepted the risk on the government's behalf.",
    )
    acceptance_expires = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _url(self)

    @property
    def inherent_rating(self) -> int:
        return (self.inherent_likelihood or 0) * (self.inherent_impact or 0)

    @property
    def residual_rating(self) -> int | None:
        if self.residual_likelihood is None or self.residual_impact is None:
            return None
        return self.residual_likelihood * self.residual_impact

    def clean(self) -> None:
        errors: dict[str, str] = {}
        accepting = self.treatment == self.Treatment.ACCEPT or self.status == self.Status.ACCEPTED
        if accepting:
            if not self.approver_id:
                errors["approver"] = "Accepting a risk needs the person who approves it."
            if not self.acceptance_expires:
                errors["acceptance_expires"] = (
                    "Accepting a risk needs a date when the acceptance is reviewed."
                )
        if (self.residual_likelihood is None) != (self.residual_impact is None):
            errors["residual_impact"] = "Give both residual likelihood and impact, or neither."
        if errors:
            raise ValidationError(errors)


class Incident(CyberRows, OwnedModel):
    """A cyber incident, from detection to recovery, and whom it was reported to."""

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    class Kind(models.TextChoices):
        RANSOMWARE = "ransomware", "Ransomware"
        PHISHING = "phishing", "Phishing or business e-mail compromise"
        MALWARE = "malware", "Malware"
        DENIAL = "denial_of_service", "Denial of service"
        ACCESS = "unauthorized_access", "Unauthorized access"
        DATA = "data_exposure", "Data exposure"
        LOST = "lost_device", "Lost or stolen device"
        VENDOR = "vendor", "Vendor or supply chain"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    severity = models.CharField(max_length=20, choices=Severity.choices, default=Severity.MODERATE)
    kind = models.CharField("type", max_length=30, choices=Kind.choices, default=Kind.OTHER)
    began = models.DateTimeField(null=True, blank=True, help_text="When it started, if known.")
    detected = models.DateTimeField()
    contained = models.DateTimeField(null=True, blank=True)
    eradicated = models.DateTimeField(null=True, blank=True)
    recovered = models.DateTimeField(null=True, blank=True)
    systems = models.ManyToManyField("estate.System", blank=True, related_name="cyber_incidents")
    services = models.ManyToManyField("estate.Service", blank=True, related_name="cyber_incidents")
    risks = models.ManyToManyField(Risk, blank=True, related_name="incidents")
    reported_ms_isac = models.DateTimeField("reported to MS-ISAC", null=True, blank=True)
    reported_state = models.DateTimeField("reported to the state", null=True, blank=True)
    reported_insurer = models.DateTimeField("reported to the insurer", null=True, blank=True)
    reported_law_enforcement = models.DateTimeField(
        "reported to law enforcement", null=True, blank=True
    )
    lessons_learned = models.TextField(blank=True)

    STAGES: ClassVar[tuple[str, ...]] = (
        "began",
        "detected",
        "contained",
        "eradicated",
        "recovered",
    )

    class Meta:
        ordering = ["-detected"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _url(self)

    REPORTS: ClassVar[tuple[str, ...]] = (
        "reported_ms_isac",
        "reported_state",
        "reported_insurer",
        "reported_law_enforcement",
    )

    def _label(self, name: str) -> str:
        return str(field_named(type(self), name).verbose_name)

    def clean(self) -> None:
        """Stages happen in order (began, detected, contained, eradicated, recovered; a stage
        may be left empty) and nobody is told of an incident before it was detected. Each
        message names both times, so the person sees which one to correct."""
        errors: dict[str, str] = {}
        order = " → ".join(self.STAGES)
        for k, name in enumerate(self.STAGES):
            value = getattr(self, name)
            if value is None:
                continue
            later = [
                earlier
                for earlier in self.STAGES[:k]
                if getattr(self, earlier) is not None and value < getattr(self, earlier)
            ]
            if later:
                earlier = later[-1]
                errors[name] = (
                    f"{self._label(name).capitalize()} ({_when(value)}) cannot be before "
                    f"{self._label(earlier)} ({_when(getattr(self, earlier))}): the stages go "
                    f"{order}."
                )
        if self.detected is not None:
            for name in self.REPORTS:
                value = getattr(self, name)
                if value is not None and value < self.detected:
                    errors[name] = (
                        f"{self._label(name).capitalize()} ({_when(value)}) cannot be before "
                        f"the incident was detected ({_when(self.detected)})."
                    )
        if errors:
            raise ValidationError(errors)


def _when(value: datetime.datetime) -> str:
    """A time as people read it in messages, in the site's time zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


# --- training ---------------------------------------------------------------------------


class Course(TrackedModel):
    """A cyber training course people are expected to complete."""

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(max_length=60, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    required = models.BooleanField(
        default=True, help_text="Everyone is expected to complete it; counts toward coverage."
    )
    renewal_months = models.PositiveSmallIntegerField(
        default=12, help_text="A completion older than this is overdue."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _url(self)


class TrainingCompletion(TrackedModel):
    """One person finished one course on one day (from the learning system's export)."""

    person = models.ForeignKey(
        "estate.Person", on_delete=models.CASCADE, related_name="training_completions"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"], name="training_completion_once"
            )
        ]

    def clean(self) -> None:
        """A completion is a thing done: a day after today is a mistake in the file (often a
        due date exported as the completion), refused on every door."""
        super().clean()
        today = timezone.localdate()
        if self.completed_on is not None and self.completed_on > today:
            raise ValidationError(
                {"completed_on": f"The completion date is after today ({today.isoformat()})."}
            )

    def __str__(self) -> str:
        return f"{self.person} — {self.course} ({self.completed_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return _url(self)


# --- exposure ---------------------------------------------------------------------------


class FeedImport(TrackedModel):
    """One import of a public feed: which version, when, how many entries."""

    class Kind(models.TextChoices):
        KEV = "kev", "Known Exploited Vulnerabilities"
        EOL = "eol", "End-of-life dates"
        CVE = "cve", "CVE records (affected versions)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    feed_version = models.CharField("version", max_length=60, blank=True)
    released = models.DateTimeField(null=True, blank=True)
    entries = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.feed_version}".strip()

    def get_absolute_url(self) -> str:
        return _url(self)


class KnownVulnerability(TrackedModel):
    """An entry of CISA's Known Exploited Vulnerabilities catalog."""

    cve_id = models.CharField("CVE", max_length=30, unique=True)
    vendor_project = models.CharField("vendor", max_length=200, db_index=True)
    product = models.CharField(max_length=200)
    name = models.CharField(max_length=300, blank=True)
    short_description = models.TextField(blank=True)
    required_action = models.TextField(blank=True)
    date_added = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    ransomware = models.BooleanField(
        "used in ransomware campaigns", default=False, help_text="Known to be used, per CISA."
    )
    feed_notes = models.TextField(blank=True)
    cwes = models.JSONField("CWEs", default=list, blank=True)

    class Meta:
        ordering = ["-date_added", "cve_id"]
        verbose_name = "known exploited vulnerability"
        verbose_name_plural = "known exploited vulnerabilities"

    def __str__(self) -> str:
        return self.cve_id

    def get_absolute_url(self) -> str:
        return _url(self)


class CveRecord(TrackedModel):
    """The affected versions a CVE record lists (CNA and ADP containers, `cyber/cve.py`),
    for a CVE of the known-exploited catalog: they tell whether an installed version is
    exposed."""

    cve_id = models.CharField("CVE", max_length=30, unique=True)
    date_updated = models.CharField("record updated", max_length=40, blank=True)
    affected = models.JSONField(
        default=list, blank=True, help_text="Vendor, product, default status and versions."
    )

    class Meta:
        ordering = ["cve_id"]
        verbose_name = "CVE record"
        verbose_name_plural = "CVE records"

    def __str__(self) -> str:
        return self.cve_id

    def get_absolute_url(self) -> str:
        return _url(self)


class ProductRelease(TrackedModel):
    """One release cycle of a product from endoflife.date, with its support dates."""

    product = models.CharField(max_length=100, help_text="endoflife.date product key.")
    label = models.CharField(
        "product name",
        max_length=200,
        blank=True,
        help_text="The product's name as endoflife.date writes it, such as “Windows Server”.",
    )
    cycle = models.CharField(max_length=60)
    release_date = models.DateField(null=True, blank=True)
    support_ends = models.DateField(null=True, blank=True)
    end_of_life = models.DateField(null=True, blank=True)
    end_of_life_passed = models.BooleanField(
        null=True, blank=True, help_text="Given by the feed as yes/no when it has no date."
    )
    latest = models.CharField(max_length=60, blank=True)
    lts = models.BooleanField("long-term support", default=False)

    class Meta:
        ordering = ["product", "-release_date", "cycle"]
        constraints = [
            models.UniqueConstraint(fields=["product", "cycle"], name="product_release_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.cycle}"

    def get_absolute_url(self) -> str:
        return _url(self)

    def is_end_of_life(self, on: datetime.date) -> bool:
        if self.end_of_life:
            return self.end_of_life <= on
        return bool(self.end_of_life_passed)


class ProductAlias(TrackedModel):
    """Tells the matcher that a name in the estate means a name in a feed."""

    class Kind(models.TextChoices):
        VENDOR = "vendor", "Vendor name"
        PRODUCT = "product", "Product name"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRODUCT)
    estate_name = models.CharField(
        "name in the estate", max_length=200, help_text="As written on systems or components."
    )
    feed_vendor = models.CharField("vendor in the KEV feed", max_length=200, blank=True)
    feed_product = models.CharField("product in the KEV feed", max_length=200, blank=True)
    eol_product = models.CharField(
        "endoflife.date product", max_length=100, blank=True, help_text="Such as “windows-server”."
    )

    class Meta:
        ordering = ["kind", "estate_name"]
        verbose_name = "product alias"
        verbose_name_plural = "product aliases"
        constraints = [
            models.UniqueConstraint(fields=["kind", "estate_name"], name="product_alias_name")
        ]

    def __str__(self) -> str:
        target = self.feed_product or self.feed_vendor or self.eol_product
        return f"{self.estate_name} → {target}"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        if not (self.feed_vendor or self.feed_product or self.eol_product):
            raise ValidationError("Give the name it has in at least one feed.")


class Exposure(CyberRows, TrackedModel):
    """A system or component matched to a known-exploited vulnerability or to an ended
    release. Matching refreshes the list; what people decided (status, note) stays."""

    class Kind(models.TextChoices):
        KEV = "kev", "Known exploited vulnerability"
        EOL = "eol", "End of life"

    class Version(models.TextChoices):
        AFFECTED = "affected", "Affected"
        NOT_AFFECTED = "not_affected", "Not affected"
        UNKNOWN = "version_unknown", "Version unknown"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATED = "mitigated", "Mitigated"
        ACCEPTED = "accepted", "Risk accepted"
        NOT_AFFECTED = "not_affected", "Not affected (wrong match)"
        GONE = "gone", "No longer matched"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    system = models.ForeignKey(
        "estate.System", on_delete=models.CASCADE, null=True, blank=True, related_name="exposures"
    )
    component = models.ForeignKey(
        "estate.Component",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exposures",
    )
    vulnerability = models.ForeignKey(
        KnownVulnerability,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exposures",
    )
    release = models.ForeignKey(
        ProductRelease, on_delete=models.CASCADE, null=True, blank=True, related_name="exposures"
    )
    matched_on = models.CharField(max_length=300, blank=True, help_text="Why it matched.")
    due_date = models.DateField(null=True, blank=True, db_index=True)
    ransomware = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    first_seen = models.DateField(default=datetime.date.today)
    version_status = models.CharField(
        "installed version",
        max_length=20,
        choices=Version.choices,
        default=Version.UNKNOWN,
        db_index=True,
        help_text="Whether the installed version is among the affected ones.",
    )
    version_reason = models.CharField("why", max_length=300, blank=True)
    # The installed version the verdict above was made for: when the item's version differs
    # (an upgrade), the verdict is worked out again (`exposure.reclassify`).
    classified_version = models.CharField(
        "version classified", max_length=100, blank=True, editable=False
    )

    class Meta:
        ordering = ["-ransomware", "due_date", "id"]
        # The exposure page's order within a status: its pages are read from this index.
        indexes = [
            models.Index(fields=["status", "-ransomware", "due_date", "id"], name="exposure_order")
        ]
        # One row per item and vulnerability or release: matching again finds the same row.
        constraints = [
            models.UniqueConstraint(
                fields=[item, what],
                condition=models.Q(**{f"{item}__isnull": False, f"{what}__isnull": False}),
                name=f"exposure_{item}_{what}",
            )
            for item in ("system", "component")
            for what in ("vulnerability", "release")
        ]

    # What matching moves by itself (`services.transition`, in cyber.exposure): an open row
    # no longer matched is gone, a gone row matched again reopens. People set the other
    # statuses on the form, in any order (a decision can be revisited).
    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "status": {(Status.OPEN, Status.GONE), (Status.GONE, Status.OPEN)},
    }
    edited_states: ClassVar[dict[str, set[str]]] = {
        "status": {Status.OPEN, Status.MITIGATED, Status.ACCEPTED, Status.NOT_AFFECTED},
    }

    def __str__(self) -> str:
        item = self.system or self.component
        what = self.vulnerability or self.release
        return f"{item}: {what}"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        if bool(self.system_id) == bool(self.component_id):
            raise ValidationError("An exposure concerns one system or one component.")
        if self.kind == self.Kind.KEV and not self.vulnerability_id:
            raise ValidationError({"vulnerability": "Name the vulnerability."})
        if self.kind == self.Kind.EOL and not self.release_id:
            raise ValidationError({"release": "Name the release that reached end of life."})


# --- plan of action, coverage, insurance ------------------------------------------------


class Action(CyberRows, TrackedModel):
    """An item of the plan of action and milestones: what will be done, by whom, by when."""

    class Source(models.TextChoices):
        ASSESSMENT = "assessment", "Below target in the assessment"
        RISK = "risk", "Open risk"
        EXPOSURE = "exposure", "Exposure"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=300)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OTHER)
    requirement = models.ForeignKey(
        Requirement, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    risk = models.ForeignKey(
        Risk, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    exposure = models.ForeignKey(
        Exposure, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    owner = models.ForeignKey(
        "estate.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    milestones = models.TextField(blank=True)

    class Meta:
        ordering = ["due_date", "title"]
        verbose_name = "plan action"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return _url(self)


class Coverage(CyberRows, TrackedModel):
    """Who performs one cyber function: in-house staff, a managed service, a state program —
    or nobody."""

    class Performer(models.TextChoices):
        IN_HOUSE = "in_house", "In-house staff"
        MANAGED = "managed", "Managed service"
        STATE = "state", "State program"
        NOBODY = "nobody", "Nobody"

    function = models.CharField(max_length=200, unique=True)
    performer = models.CharField(max_length=20, choices=Performer.choices, default=Performer.NOBODY)
    provider = models.CharField(
        max_length=200, blank=True, help_text="The team, company or program that does it."
    )
    contact = models.ForeignKey(
        "estate.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hours = models.CharField(
        max_length=100, blank=True, help_text="Such as “24×7” or “business hours”."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "function"]
        verbose_name = "function coverage"
        verbose_name_plural = "function coverage"

    def __str__(self) -> str:
        return self.function

    def get_absolute_url(self) -> str:
        return _url(self)


class InsuranceAnswer(CyberRows, TrackedModel):
    """A person's answer to one of the insurer's questions (`cyber/insurance.py` lists them),
    where the data cannot answer it alone."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"
        UNKNOWN = "unknown", "Don't know"

    question = models.SlugField(max_length=60, unique=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.UNKNOWN)
    evidence = models.ForeignKey(
        Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["question"]
        verbose_name = "insurance answer"

    def __str__(self) -> str:
        return f"{self.question}: {self.get_answer_display()}"

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        # The questions live in cyber/insurance.py, which imports this module.
        from townhall.cyber.insurance import BY_SLUG

        if self.question and self.question not in BY_SLUG:
            raise ValidationError(
                {"question": f"“{self.question}” is not one of the insurer's questions."}
            )
