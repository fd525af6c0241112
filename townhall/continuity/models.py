"""Continuity records: a business impact analysis for each estate service, and what each
system or component can do to come back after a failure.

Both belong to the department that owns the service, system or component they describe, so
a department liaison fills in their own department's analyses (and only theirs). The
analysis of what the estate can achieve lives in `analysis.py` (pure) and `graph_input.py`
(reads the database for it).
"""

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from townhall.core.models import OwnedModel
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
