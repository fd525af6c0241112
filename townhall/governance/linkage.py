"""Where a proposal meets the estate: what it changes, and the foundations under it that are
past or near the end of vendor support (a renewal worth bundling into the request)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from townhall.estate.models import Component, Dependency, System
from townhall.governance.models import Proposal

NEAR_MONTHS = 24  # "near" end of support: within two years


@dataclass
class Warning:
    item: Any
    end_of_support: datetime.date
    past: bool
    via: str  # how the proposal relies on it, in words

    @property
    def suggestion(self) -> str:
        if self.past:
            return f"{self.item} is past end of support: bundle its renewal into this request."
        return (
            f"{self.item} reaches end of support on {self.end_of_support:%B %-d, %Y}: "
            "consider bundling its renewal into this request."
        )


def horizon(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    year, month = divmod(today.month - 1 + NEAR_MONTHS, 12)
    return today.replace(year=today.year + year, month=month + 1, day=min(today.day, 28))


def links(proposal: Proposal) -> list[tuple[str, list[Any]]]:
    """The estate records the proposal names, by what it does to them."""
    return [
        (label, list(getattr(proposal, name).all()))
        for label, name in (
            ("Replaces systems", "replaces_systems"),
            ("Retires systems", "retires_systems"),
            ("Extends systems", "extends_systems"),
            ("Replaces components", "replaces_components"),
            ("Extends components", "extends_components"),
        )
    ]


def warnings(proposal: Proposal, today: datetime.date | None = None) -> list[Warning]:
    """Foundations the proposal relies on that are past or near end of support.

    It relies on what it extends, and on what those systems and components run on (one
    step down the dependency graph). What it replaces or retires is on its way out, so it
    is not flagged."""
    if proposal.pk is None:
        return []
    today = today or timezone.localdate()
    limit = horizon(today)
    systems = list(proposal.extends_systems.all())
    components = list(proposal.extends_components.all())
    found: dict[tuple[str, int], Warning] = {}

    def consider(item: Any, via: str) -> None:
        eos = getattr(item, "end_of_support", None)
        if eos and eos <= limit:
            found.setdefault((type(item).__name__, item.pk), Warning(item, eos, eos < today, via))

    for system in systems:
        consider(system, "extended by this proposal")
    for component in components:
        consider(component, "extended by this proposal")
    underneath = Dependency.objects.filter(
        Q(from_system__in=[s.pk for s in systems])
        | Q(from_component__in=[c.pk for c in components])
    ).select_related("from_system", "from_component", "to_system", "to_component")
    for dep in underneath:
        target = dep.to_system or dep.to_component
        if target is not None:
            consider(target, f"{dep.source} {dep.get_kind_display().lower()} it")
    return sorted(found.values(), key=lambda w: (not w.past, w.end_of_support, str(w.item)))


def flagged_ids(proposals: list[Proposal], today: datetime.date | None = None) -> set[int]:
    """Which of these proposals rely on something past or near end of support (few queries)."""
    today = today or timezone.localdate()
    limit = horizon(today)
    ids = [p.pk for p in proposals]
    near = Q(end_of_support__isnull=False, end_of_support__lte=limit)
    flagged: set[int] = set()
    through_s = Proposal.extends_systems.through
    through_c = Proposal.extends_components.through
    direct_s = set(
        through_s.objects.filter(
            proposal_id__in=ids, system__in=System.objects.filter(near)
        ).values_list("proposal_id", flat=True)
    )
    direct_c = set(
        through_c.objects.filter(
            proposal_id__in=ids, component__in=Component.objects.filter(near)
        ).values_list("proposal_id", flat=True)
    )
    flagged |= direct_s | direct_c
    proposals_of: dict[int, set[int]] = {}
    for system_id, proposal_id in through_s.objects.filter(proposal_id__in=ids).values_list(
        "system_id", "proposal_id"
    ):
        proposals_of.setdefault(system_id, set()).add(proposal_id)
    below = Dependency.objects.filter(from_system__in=list(proposals_of)).filter(
        Q(to_system__in=System.objects.filter(near))
        | Q(to_component__in=Component.objects.filter(near))
    )
    for system_id in below.values_list("from_system_id", flat=True):
        flagged |= proposals_of[system_id]
    return flagged
