"""Foundation records for Juniper County, the fictional demo jurisdiction.

On top of the demo estate and cyber's sample release data: the expected service life of
each kind of component (when the migration's defaults are missing), cloud services and
databases without a vendor date marked "supported, no end date announced" as their
providers publish no end, the support suggestions the release data gives, left
pending for someone to decide, a unit cost for every kind of component, and a capital
cap for each of the forecast's five fiscal years (a third of what the forecast asks for,
on average, so the schedule has choices to make).
"""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from townhall.core import context, services
from townhall.estate.models import Component, SupportState
from townhall.foundation import forecast_input, life, suggestions
from townhall.foundation.models import CapitalCap, ServiceLife, SupportSuggestion, UnitCost
from townhall.org.models import Department

NO_END_KINDS = (Component.Kind.CLOUD, Component.Kind.DATABASE)
# Capital per unit and yearly operating change, in today's dollars, by kind of component.
UNIT_COSTS: dict[str, tuple[int, int]] = {
    "server": (12000, 400),
    "virtual_machine": (1500, 300),
    "storage": (45000, 1500),
    "network_device": (6000, 250),
    "firewall": (18000, 2000),
    "endpoint_fleet": (1200, 0),
    "radio_system": (250000, 10000),
    "iot_fleet": (8000, 600),
    "database": (9000, 1200),
    "cloud_service": (0, 5000),
    "other": (5000, 200),
}


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's foundation records; return how many were created or changed."""
    if SupportSuggestion.objects.exists() or not Department.objects.exists():
        return 0
    count = 0
    with context.acting("demo"):
        have = set(ServiceLife.objects.values_list("kind", flat=True))
        defaults = {**life.DEFAULT_YEARS, life.SYSTEM_KIND: life.SYSTEM_YEARS}
        rows = [{"kind": k, "years": y} for k, y in defaults.items() if k not in have]
        count += len(services.create_many(context.SYSTEM, ServiceLife, rows))
        open_ended = Component.objects.filter(
            Q(kind__in=NO_END_KINDS),
            end_of_support__isnull=True,
            support_state=SupportState.UNKNOWN,
        ).order_by("pk")[:200]
        changes = [(c, {"support_state": SupportState.NO_END_DATE}) for c in open_ended]
        if changes:
            services.update_rows(context.SYSTEM, changes)
        count += len(changes)
        count += suggestions.make_suggestions(context.SYSTEM).made
        count += _replacement(timezone.localdate())
    return count


def _replacement(today: Any) -> int:
    """Unit costs for every kind, then caps at a third of the forecast's average year."""
    if UnitCost.objects.exists():
        return 0
    rows = [{"kind": k, "capital": c, "operating": o} for k, (c, o) in UNIT_COSTS.items()]
    made = len(services.create_many(context.SYSTEM, UnitCost, rows))
    result, *_ = forecast_input.build(context.SYSTEM, today)
    average = sum(y.totals.capital for y in result.years) / len(result.years)
    cap = round(average / 3, -3)
    caps = [
        {"fiscal_year": y.year, "amount": cap}
        for y in result.years
        if not CapitalCap.objects.filter(fiscal_year=y.year).exists()
    ]
    return made + len(services.create_many(context.SYSTEM, CapitalCap, caps))
