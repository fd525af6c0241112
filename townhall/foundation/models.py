"""Foundation health: what is known of the support and expected life of what every service
stands on. The estate keeps the facts (dates, kinds, install dates); this module keeps what
it adds to them: the expected life of each kind of component, and the support dates the
public release data suggests for the estate's items until someone decides."""

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from townhall.core import permissions
from townhall.core.models import TrackedModel
from townhall.estate.models import Component, SupportState
from townhall.foundation.life import SYSTEM_KIND


class ServiceLife(TrackedModel):
    """How many years a kind of component is expected to serve, and a system (a business
    application, counted from its go-live date: the "system" entry); a component's own
    expected service life overrides its kind's. Shared by every department: only IT staff
    change it."""

    kind = models.CharField(
        "kind of component, or system",
        max_length=20,
        choices=[*Component.Kind.choices, (SYSTEM_KIND, "System (business application)")],
        unique=True,
    )
    years = models.PositiveSmallIntegerField(
        "expected service life (years)",
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = "expected service life"
        verbose_name_plural = "expected service lives"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.years} years"

    def get_absolute_url(self) -> str:
        return reverse("foundation:servicelife_detail", args=[self.pk])


class SupportSuggestion(TrackedModel):
    """A support status or end-of-support date the endoflife.date release data suggests for
    one system or component, waiting for IT staff to accept or reject it. A rejected one is
    kept so the same release is not suggested again for that item."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    system = models.ForeignKey(
        "estate.System",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_suggestions",
    )
    component = models.ForeignKey(
        "estate.Component",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_suggestions",
    )
    release = models.ForeignKey(
        "cyber.ProductRelease", on_delete=models.CASCADE, related_name="support_suggestions"
    )
    support_state = models.CharField(
        "suggested support status",
        max_length=20,
        choices=[c for c in SupportState.choices if c[0] != SupportState.UNKNOWN],
    )
    end_of_support = models.DateField("suggested end of support", null=True, blank=True)
    matched_on = models.CharField(max_length=300, blank=True, help_text="Why it matched.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "status": {(Status.PENDING, Status.ACCEPTED), (Status.PENDING, Status.REJECTED)},
    }

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.item}: {self.suggestion_text}"

    @property
    def item(self) -> Any:
        return self.system or self.component

    @property
    def suggestion_text(self) -> str:
        if self.support_state == SupportState.DATED and self.end_of_support:
            return f"support ends {self.end_of_support:%B %-d, %Y}"
        return str(SupportState(self.support_state).label)

    def may_transition(self, user: Any, field: str, was: str, to: str) -> bool:
        """Only IT staff decide what the estate records as an item's support."""
        return permissions.is_it_staff(user)

    def clean(self) -> None:
        super().clean()
        if bool(self.system_id) == bool(self.component_id):
            raise ValidationError("A suggestion concerns one system or one component.")
        if self.support_state == SupportState.DATED and self.end_of_support is None:
            raise ValidationError({"end_of_support": "A dated suggestion needs its date."})
        if self.support_state == SupportState.NO_END_DATE and self.end_of_support is not None:
            raise ValidationError({"end_of_support": "No end date is announced: leave it empty."})


class UnitCost(TrackedModel):
    """What replacing one unit of a kind of component costs, or one unit of a given model
    of it: a model's own entry wins over its kind's (`forecast.CostTable`). Amounts are in
    today's dollars; the forecast inflates them year by year."""

    kind = models.CharField("kind of component", max_length=20, choices=Component.Kind.choices)
    model_number = models.CharField(
        "model",
        max_length=200,
        blank=True,
        help_text="Leave empty for the price of every model of this kind without its own.",
    )
    capital = models.DecimalField(
        "capital cost per unit",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    operating = models.DecimalField(
        "yearly operating cost change per unit",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        help_text="What a replacement adds to the yearly operating budget; negative when the "
        "new one is cheaper to run.",
    )

    class Meta:
        ordering = ["kind", "model_number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "model_number"], name="unit_cost_kind_model")
        ]

    def __str__(self) -> str:
        kind = self.get_kind_display()
        return f"{kind}, {self.model_number}" if self.model_number else f"{kind} (any model)"

    def get_absolute_url(self) -> str:
        return reverse("foundation:unitcost_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        self.model_number = self.model_number.strip()


class ReplacementSettings(TrackedModel):
    """How the replacement forecast and schedule count: the inflation rate, how many fiscal
    years they cover, and the month the fiscal year starts. One record; without it the
    forecast uses the defaults (3 %, 5 years, July)."""

    inflation_percent = models.DecimalField(
        "inflation rate (% a year)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(Decimal(-49)), MaxValueValidator(Decimal(99))],
    )
    horizon = models.PositiveSmallIntegerField(
        "fiscal years covered",
        default=5,
        validators=[MinValueValidator(5), MaxValueValidator(10)],
    )
    start_month = models.PositiveSmallIntegerField(
        "month the fiscal year starts",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="7 for July. A fiscal year is named by the calendar year in which it ends.",
    )

    class Meta:
        verbose_name = "replacement settings"
        verbose_name_plural = "replacement settings"

    def __str__(self) -> str:
        return (
            f"{self.inflation_percent} % a year, {self.horizon} years, "
            f"starting in month {self.start_month}"
        )

    def get_absolute_url(self) -> str:
        return reverse("foundation:replacement_settings")

    def clean(self) -> None:
        super().clean()
        others = ReplacementSettings.objects.exclude(pk=self.pk) if self.pk else None
        if (others if others is not None else ReplacementSettings.objects).exists():
            raise ValidationError("There is one set of replacement settings: change that one.")


class CapitalCap(TrackedModel):
    """The capital a city can spend on replacements in one fiscal year: the schedule keeps
    each year's replacements within it."""

    fiscal_year = models.PositiveIntegerField(
        unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(
        "capital available",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = "yearly capital cap"

    def __str__(self) -> str:
        return f"FY{self.fiscal_year}: {self.amount:,.0f}"

    def get_absolute_url(self) -> str:
        return reverse("foundation:capitalcap_detail", args=[self.pk])


class Renewal(TrackedModel):
    """The components and systems a governance proposal renews. Kept here, not in
    governance, because governance comes before foundation and never imports it; the
    proposal's page shows it through a panel foundation registers. Once the proposal is
    funded (approved, under way or done) the forecast counts them as covered."""

    proposal = models.OneToOneField(
        "governance.Proposal", on_delete=models.CASCADE, related_name="renewal"
    )
    components = models.ManyToManyField("estate.Component", related_name="renewals", blank=True)
    systems = models.ManyToManyField("estate.System", related_name="renewals", blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Renewal by {self.proposal}"

    def get_absolute_url(self) -> str:
        return str(self.proposal.get_absolute_url())


class SchedulePlan(TrackedModel):
    """One solved replacement schedule (`schedule.py`), kept as the job stored it so the
    page shows it without solving again."""

    first_year = models.PositiveIntegerField()
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"

    def __str__(self) -> str:
        return f"Replacement schedule from FY{self.first_year}"

    def get_absolute_url(self) -> str:
        return reverse("foundation:schedule")


# --- the stored health ------------------------------------------------------------------
#
# Worked out from the records, never edited: written only by `foundation.stored` (the job
# that recomputes the health), so they are plain models, outside the write path and its
# audit, like continuity's stored analysis.


class HealthChange(models.Model):
    """A write to what the health reads that the stored health does not include yet.
    Inserted inside the writer's transaction, never updated by writers, so writers never
    wait on each other for it; the recomputing job claims the rows it has seen before
    reading the estate and deletes them with its result."""

    claim = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = "foundation health change"

    def __str__(self) -> str:
        return f"change {self.pk}"


class StoredHealth(models.Model):
    """The health of the whole estate on one day, with the front page's figures."""

    computed_at = models.DateTimeField()
    # Age and end of support are counted from a day: the health holds for this one only.
    computed_for = models.DateField()
    seconds = models.FloatField(default=0)
    summary = models.JSONField(default=dict)

    class Meta:
        verbose_name = "stored foundation health"

    def __str__(self) -> str:
        return f"foundation health of {self.computed_for:%Y-%m-%d}"


class StoredItemHealth(models.Model):
    """One system's or component's health in a stored health: its band and its factors,
    worst first, as the panel on its page shows them."""

    health = models.ForeignKey(StoredHealth, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10)  # "system" or "component"
    item = models.IntegerField()
    band = models.CharField(max_length=10)
    factors = models.JSONField(default=list)

    class Meta:
        verbose_name = "stored item health"
        indexes = [models.Index(fields=["health", "kind", "item"], name="fnd_health_item")]

    def __str__(self) -> str:
        return f"{self.kind} {self.item}: {self.band}"


class StoredServiceHealth(models.Model):
    """One service's foundation in a stored health: its band, its items by band and its
    weakest items with the chain that makes each matter, as its page shows them."""

    health = models.ForeignKey(StoredHealth, on_delete=models.CASCADE, related_name="services")
    service = models.IntegerField()
    position = models.PositiveIntegerField()  # weakest service first
    band = models.CharField(max_length=10)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = "stored service health"
        indexes = [
            models.Index(fields=["health", "service"], name="fnd_health_service"),
            models.Index(fields=["health", "position"], name="fnd_health_pos"),
        ]

    def __str__(self) -> str:
        return f"service {self.service}: {self.band}"
