"""Foundation health: what is known of the support and expected life of what every service
stands on. The estate keeps the facts (dates, kinds, install dates); this module keeps what
it adds to them: the expected life of each kind of component, and the support dates the
public release data suggests for the estate's items until someone decides."""

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from townhall.core import permissions
from townhall.core.models import TrackedModel
from townhall.estate.models import Component, SupportState


class ServiceLife(TrackedModel):
    """How many years a kind of component is expected to serve; a component's own expected
    service life overrides it. Shared by every department: only IT staff change it."""

    kind = models.CharField(
        "kind of component", max_length=20, choices=Component.Kind.choices, unique=True
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
