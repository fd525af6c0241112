"""The estate as the forecast and the schedule read it, in a fixed number of queries.

Each component the reader may see that is not retired becomes one `forecast.Item`: its end
of life from `life.py` (vendor end of support, else install date plus its own or its kind's
expected service life), its department, its quantity, its own replacement cost when it has
one, and the funded governance proposal that renews it, if any. Its services are those
that depend on it directly, or on a system that depends on it directly (one level, as the
estate records it: service → system → component). Eight queries for the estate whatever
its size (`estate`): service lives, components, departments, services, mission-essential
services, the two kinds of dependency and funded renewals; settings and unit costs are
read apart.

The schedule's units are built here too (`units`): the uncovered components due within the
horizon, grouped as a city replaces them: same kind and model, same department, same
fiscal year due (a component past its end counts as due in the first year). A unit's
weight is the sum of its components' weights: 1 each, and `ESSENTIAL_WEIGHT` for one under
a mission-essential service (its impact analysis says so), so twenty desktops out of support
weigh more than one, and the server under 911 dispatch more than a desktop.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from townhall.continuity.models import ImpactAnalysis
from townhall.estate.models import Component, Dependency, Service
from townhall.foundation import forecast, life, schedule
from townhall.foundation.models import (
    CapitalCap,
    Renewal,
    ReplacementSettings,
    ServiceLife,
    UnitCost,
)
from townhall.org.models import Department

# Governance's statuses in which a proposal's money is granted.
FUNDED = ("approved", "in_progress", "complete")


@dataclass(frozen=True)
class Settings:
    inflation: float = 0.03
    horizon: int = 5
    start_month: int = 7


@dataclass
class Estate:
    """The forecast's items and what the pages show of each beside the figures."""

    items: list[forecast.Item]
    names: dict[str, str] = field(default_factory=dict)  # item id -> component name
    essential: set[str] = field(default_factory=set)  # under a mission-essential service
    funded_by: dict[str, int] = field(default_factory=dict)  # item id -> proposal pk


def settings() -> Settings:
    """The city's replacement settings, or the defaults when none are recorded."""
    row = ReplacementSettings.objects.order_by("pk").first()
    if row is None:
        return Settings()
    return Settings(float(row.inflation_percent) / 100, row.horizon, row.start_month)


def cost_table() -> forecast.CostTable:
    by_model: dict[str, forecast.UnitCost] = {}
    by_kind: dict[str, forecast.UnitCost] = {}
    for kind, model, capital, operating in UnitCost.objects.values_list(
        "kind", "model_number", "capital", "operating"
    ):
        entry = forecast.UnitCost(float(capital), float(operating))
        if model:
            by_model[model_key(kind, model)] = entry
        else:
            by_kind[kind] = entry
    return forecast.CostTable(by_model=by_model, by_kind=by_kind)


def model_key(kind: str, model: str) -> str:
    """A model is priced within its kind: the same model name under two kinds is two prices."""
    return f"{kind}|{model}" if model else ""


# How much more a year late weighs for a component a mission-essential service stands on.
ESSENTIAL_WEIGHT = 3.0


def estate(user: Any, today: datetime.date) -> Estate:
    """The components `user` may see, as forecast items."""
    lives = dict(ServiceLife.objects.values_list("kind", "years"))
    rows = list(
        Component.objects.restrict(user, "view")
        .exclude(status=Component.Status.RETIRED)
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "kind",
            "model_number",
            "owner_department_id",
            "quantity",
            "end_of_support",
            "install_date",
            "service_life_years",
            "replacement_cost",
        )
    )
    departments = dict(Department.objects.values_list("pk", "name"))
    services, essential = _services(user)
    funded = dict(
        Renewal.components.through.objects.filter(renewal__proposal__status__in=FUNDED).values_list(
            "component_id", "renewal__proposal_id"
        )
    )
    result = Estate(items=[])
    for pk, name, kind, model, dept, quantity, eos, installed, own_years, cost in rows:
        end = life.expected_life(
            today=today,
            end_of_support=eos,
            install_date=installed,
            own_years=own_years,
            kind_years=lives.get(kind),
        ).end
        key = str(pk)
        result.items.append(
            forecast.Item(
                id=key,
                kind=kind,
                end_of_life=end,
                model=model_key(kind, model),
                department=departments.get(dept, forecast.NONE_GIVEN) if dept else "",
                services=tuple(sorted(services.get(pk, ()))),
                quantity=max(1, quantity or 1),
                unit_capital=float(cost) if cost is not None else None,
                funded_by=str(funded[pk]) if pk in funded else None,
            )
        )
        result.names[key] = name
        if pk in essential:
            result.essential.add(key)
        if pk in funded:
            result.funded_by[key] = funded[pk]
    return result


def _services(user: Any) -> tuple[dict[int, set[str]], set[int]]:
    """Component pk -> names of the services (that `user` may see) standing on it; and the
    components a mission-essential one among them stands on."""
    names = dict(Service.objects.restrict(user, "view").values_list("pk", "name"))
    vital = set(
        ImpactAnalysis.objects.filter(mission_essential=True).values_list("service_id", flat=True)
    )
    essential: set[int] = set()
    under_system: dict[int, set[int]] = defaultdict(set)
    for component, system in Dependency.objects.filter(
        from_system__isnull=False, to_component__isnull=False
    ).values_list("to_component_id", "from_system_id"):
        under_system[system].add(component)
    result: dict[int, set[str]] = defaultdict(set)
    for service, system, component in Dependency.objects.filter(
        from_service__isnull=False
    ).values_list("from_service_id", "to_system_id", "to_component_id"):
        if service not in names:
            continue
        reached = set(under_system.get(system, ()) if system is not None else ())
        if component is not None:
            reached.add(component)
        for pk in reached:
            result[pk].add(names[service])
        if service in vital:
            essential |= reached
    return result, essential


def build(
    user: Any, today: datetime.date, chosen: Settings | None = None
) -> tuple[forecast.Forecast, Estate, forecast.CostTable, Settings]:
    """The forecast of what `user` may see, with the estate and prices it was made from."""
    chosen = chosen or settings()
    costs = cost_table()
    items = estate(user, today)
    result = forecast.forecast(
        items.items,
        today=today,
        costs=costs,
        inflation=chosen.inflation,
        horizon=chosen.horizon,
        start_month=chosen.start_month,
    )
    return result, items, costs, chosen


def unit_capital(item: forecast.Item, costs: forecast.CostTable) -> float | None:
    """One item's capital in today's dollars, found as the forecast finds it."""
    price = item.unit_capital
    if price is None:
        entry = costs.by_model.get(item.model) if item.model else None
        entry = entry or costs.by_kind.get(item.kind)
        price = entry.capital if entry is not None else None
    return None if price is None else price * item.quantity


@dataclass(frozen=True)
class UnitInfo:
    """What the schedule page says of a unit: its words and its items."""

    id: str
    label: str
    items: list[str]


def units(
    result: forecast.Forecast, items: Estate, costs: forecast.CostTable
) -> tuple[list[schedule.Unit], dict[str, UnitInfo]]:
    """The schedule's units (see the module's doc), with their labels."""
    due_in = {item_id: year.year for year in result.years for item_id in year.due}
    groups: dict[tuple[str, str, str, int], list[forecast.Item]] = defaultdict(list)
    for item in items.items:
        year = due_in.get(item.id)
        if year is None or item.funded_by is not None:
            continue
        groups[(item.kind, item.model, item.department, year)].append(item)
    kinds = dict(Component.Kind.choices)
    made: list[schedule.Unit] = []
    info: dict[str, UnitInfo] = {}
    for number, (key, members) in enumerate(sorted(groups.items()), 1):
        kind, model, department, year = key
        unit_id = f"U{number}"
        cost = sum(unit_capital(m, costs) or 0.0 for m in members)
        weight = sum(ESSENTIAL_WEIGHT if m.id in items.essential else 1.0 for m in members)
        made.append(schedule.Unit(unit_id, cost, year, weight=weight))
        what = model.split("|", 1)[1] if model else str(kinds.get(kind, kind))
        label = f"{len(members)} × {what}, {department or 'no department'}, due FY{year}"
        info[unit_id] = UnitInfo(unit_id, label, [m.id for m in members])
    return made, info


def caps(years: list[int]) -> tuple[dict[int, float], list[int]]:
    """The capital caps recorded for `years`, and the years that have none."""
    found = {
        year: float(amount)
        for year, amount in CapitalCap.objects.filter(fiscal_year__in=years).values_list(
            "fiscal_year", "amount"
        )
    }
    return found, [y for y in years if y not in found]
