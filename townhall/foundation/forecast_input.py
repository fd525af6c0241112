"""The estate as the forecast and the schedule read it, in a fixed number of queries.

Each component the reader may see that is not retired becomes one `forecast.Item`: its end
of life from `life.py` (vendor end of support, else install date plus its own or its kind's
expected service life), its department, its quantity, its own replacement cost when it has
one, and the funded governance proposal that renews it, if any. Its services are those
that depend on it directly, or on a system that depends on it directly (one level, as the
estate records it: service → system → component), a redundancy group standing for any of
its members on the way (service → group → component, service → system → group → component,
service → group → system → component). Each system the reader may see that is
not retired and has a vendor end of support or a go-live date is an item too (id "s" + its
pk, kind `SYSTEM_KIND`), due at its vendor end of support, else its go-live date plus the
expected service life of a system (`ServiceLife`'s "system" entry), under the services that
depend on it (directly or through a group); the estate records no
replacement cost for a system (its costs are yearly running costs), so it is shown without
a price. Ten queries for the estate whatever its size (`estate`): service lives,
components, systems, departments, services, mission-essential services, the two kinds of
dependency and the funded renewals of components and of systems; settings and unit costs
are read apart.

The schedule's units are built here too (`units`): the uncovered components due within the
horizon, grouped as a city replaces them: same kind and model, same department, same
fiscal year due (a component past its end counts as due in the first year). A unit's
weight is the sum of its components' weights: 1 each, and `ESSENTIAL_WEIGHT` for one under
a mission-essential service (its impact analysis says so), so twenty desktops out of support
weigh more than one, and the server under 911 dispatch more than a desktop. Each system
due is a unit of its own. When something in unit A depends directly on a component in unit
B, or on a redundancy group with a component member in unit B, or when a system in A
depends on a system in B (directly or as a member of such a group), B is A's prerequisite:
the platform is replaced before or with what runs on it. Grouping can make such links
circle back (a cycle the solver refuses); the link that would close a cycle is dropped, and
the page names it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from townhall.continuity.models import ImpactAnalysis
from townhall.estate.models import Component, Dependency, Service, System
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
# The forecast's kind for a system (no component kind is spelled so), and its items' prefix.
SYSTEM_KIND = life.SYSTEM_KIND
SYSTEM_PREFIX = "s"


def system_id(pk: int) -> str:
    """A system's item id: components keep their pk, so the two never meet."""
    return f"{SYSTEM_PREFIX}{pk}"


def is_system(item_id: str) -> bool:
    return item_id.startswith(SYSTEM_PREFIX)


def pk_of(item_id: str) -> int:
    """The component's or system's primary key behind an item id."""
    return int(item_id[len(SYSTEM_PREFIX) :] if is_system(item_id) else item_id)


@dataclass(frozen=True)
class Settings:
    inflation: float = 0.03
    horizon: int = 5
    start_month: int = 7


@dataclass
class Estate:
    """The forecast's items and what the pages show of each beside the figures."""

    items: list[forecast.Item]
    names: dict[str, str] = field(default_factory=dict)  # item id -> component or system name
    essential: set[str] = field(default_factory=set)  # under a mission-essential service
    funded_by: dict[str, int] = field(default_factory=dict)  # item id -> proposal pk
    # item id -> ids of the items it waits on in the schedule (all in `items`; see `_reach`)
    needs: dict[str, set[str]] = field(default_factory=dict)


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
    """The components and systems `user` may see, as forecast items."""
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
    systems = list(
        System.objects.restrict(user, "view")
        .exclude(lifecycle=System.Lifecycle.RETIRED)
        .filter(Q(end_of_support__isnull=False) | Q(go_live__isnull=False))
        .order_by("pk")
        .values_list("pk", "name", "owner_department_id", "end_of_support", "go_live")
    )
    system_years = life.system_years(lives)
    departments = dict(Department.objects.values_list("pk", "name"))
    reach = _reach(user)
    funded = {
        str(c): p
        for c, p in Renewal.components.through.objects.filter(
            renewal__proposal__status__in=FUNDED
        ).values_list("component_id", "renewal__proposal_id")
    }
    funded.update(
        (system_id(s), p)
        for s, p in Renewal.systems.through.objects.filter(
            renewal__proposal__status__in=FUNDED
        ).values_list("system_id", "renewal__proposal_id")
    )
    result = Estate(items=[])

    def add(key: str, name: str, item: forecast.Item) -> None:
        result.items.append(item)
        result.names[key] = name
        if key in reach.essential:
            result.essential.add(key)
        if key in funded:
            result.funded_by[key] = funded[key]

    for pk, name, kind, model, dept, quantity, eos, installed, own_years, cost in rows:
        end = life.expected_life(
            today=today,
            end_of_support=eos,
            install_date=installed,
            own_years=own_years,
            kind_years=lives.get(kind),
        ).end
        key = str(pk)
        add(
            key,
            name,
            forecast.Item(
                id=key,
                kind=kind,
                end_of_life=end,
                model=model_key(kind, model),
                department=departments.get(dept, forecast.NONE_GIVEN) if dept else "",
                services=tuple(sorted(reach.services.get(key, ()))),
                quantity=max(1, quantity or 1),
                unit_capital=float(cost) if cost is not None else None,
                funded_by=str(funded[key]) if key in funded else None,
            ),
        )
    for pk, name, dept, eos, live in systems:
        key = system_id(pk)
        end = life.expected_life(
            today=today, end_of_support=eos, install_date=live, kind_years=system_years
        ).end
        add(
            key,
            name,
            forecast.Item(
                id=key,
                kind=SYSTEM_KIND,
                end_of_life=end,
                department=departments.get(dept, forecast.NONE_GIVEN) if dept else "",
                services=tuple(sorted(reach.services.get(key, ()))),
                funded_by=str(funded[key]) if key in funded else None,
            ),
        )
    known = set(result.names)
    for key, needed in reach.needs.items():
        if key in known:
            kept = {n for n in needed if n in known and n != key}
            if kept:
                result.needs[key] = kept
    return result


@dataclass
class _Reach:
    """What the estate's dependencies say of each item (by item id)."""

    services: dict[str, set[str]]  # names of the services (`user` may see) standing on it
    essential: set[str]  # the items a mission-essential one among them stands on
    needs: dict[str, set[str]]  # the items it depends on (see `_reach`)


def _reach(user: Any) -> _Reach:
    """Services stand on the systems and components they depend on directly or through a
    redundancy group (any member: each is part of what keeps the service running, as in
    continuity's graph), and on the components those systems depend on directly or through
    a group.

    What an item needs (the schedule's prerequisites): the components it depends on
    directly, each component member of a redundancy group it depends on, and for a system
    the systems it depends on directly and the system members of such a group. One query:
    a dependency on a group comes back once per member (components × systems for a group of
    both, a few rows)."""
    names = dict(Service.objects.restrict(user, "view").values_list("pk", "name"))
    vital = set(
        ImpactAnalysis.objects.filter(mission_essential=True).values_list("service_id", flat=True)
    )
    needs: dict[str, set[str]] = defaultdict(set)
    runs_on: dict[str, set[str]] = defaultdict(set)  # a system's direct components
    rows = (
        Dependency.objects.filter(from_service__isnull=True)
        .filter(
            Q(to_component__isnull=False) | Q(to_system__isnull=False) | Q(to_group__isnull=False)
        )
        .order_by()
        .values_list(
            "from_system_id",
            "from_component_id",
            "to_component_id",
            "to_system_id",
            "to_group__components",
            "to_group__systems",
        )
    )
    for system, component, to_component, to_system, member, member_system in rows:
        source = system_id(system) if system is not None else str(component)
        for target in (to_component, member):
            if target is not None:
                needs[source].add(str(target))
        if system is not None:  # the components a system runs on, directly or in a group
            for target in (to_component, member):
                if target is not None:
                    runs_on[source].add(str(target))
        if system is not None:  # a system waits on the systems it needs; a component does not
            for target in (to_system, member_system):
                if target is not None:
                    needs[source].add(system_id(target))
    services: dict[str, set[str]] = defaultdict(set)
    essential: set[str] = set()
    for service, system, component, member, member_system in (
        Dependency.objects.filter(from_service__isnull=False)
        .order_by()
        .values_list(
            "from_service_id",
            "to_system_id",
            "to_component_id",
            "to_group__components",
            "to_group__systems",
        )
    ):
        if service not in names:
            continue
        reached: set[str] = set()
        for target in (system, member_system):
            if target is not None:
                key = system_id(target)
                reached.add(key)
                reached |= runs_on.get(key, set())
        for target in (component, member):
            if target is not None:
                reached.add(str(target))
        for key in reached:
            services[key].add(names[service])
        if service in vital:
            essential |= reached
    return _Reach(services, essential, needs)


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
) -> tuple[list[schedule.Unit], dict[str, UnitInfo], list[tuple[str, str]]]:
    """The schedule's units (see the module's doc), with their labels, and the
    prerequisite links dropped because they would close a cycle, as (unit, prerequisite)."""
    due_in = {item_id: year.year for year in result.years for item_id in year.due}
    groups: dict[tuple[str, str, str, int, str], list[forecast.Item]] = defaultdict(list)
    for item in items.items:
        year = due_in.get(item.id)
        if year is None or item.funded_by is not None:
            continue
        alone = item.id if item.kind == SYSTEM_KIND else ""  # a system is a unit by itself
        groups[(item.kind, item.model, item.department, year, alone)].append(item)
    kinds = dict(Component.Kind.choices)
    made: list[tuple[str, float, int, float]] = []
    info: dict[str, UnitInfo] = {}
    unit_of: dict[str, str] = {}
    for number, (key, members) in enumerate(sorted(groups.items()), 1):
        kind, model, department, year, alone = key
        unit_id = f"U{number}"
        cost = sum(unit_capital(m, costs) or 0.0 for m in members)
        weight = sum(ESSENTIAL_WEIGHT if m.id in items.essential else 1.0 for m in members)
        made.append((unit_id, cost, year, weight))
        where = department or "no department"
        if alone:
            label = f"System {items.names[alone]}, {where}, due FY{year}"
        else:
            what = model.split("|", 1)[1] if model else str(kinds.get(kind, kind))
            label = f"{len(members)} × {what}, {where}, due FY{year}"
        info[unit_id] = UnitInfo(unit_id, label, [m.id for m in members])
        unit_of.update((m.id, unit_id) for m in members)
    links = sorted(
        {
            (unit_of[source], unit_of[target])
            for source, targets in items.needs.items()
            if source in unit_of
            for target in targets
            if target in unit_of and unit_of[target] != unit_of[source]
        },
        key=lambda link: (int(link[0][1:]), int(link[1][1:])),
    )
    prerequisites, dropped = acyclic(links)
    units = [
        schedule.Unit(u, cost, year, weight=weight, prerequisites=tuple(prerequisites.get(u, ())))
        for u, cost, year, weight in made
    ]
    return units, info, dropped


def acyclic(
    links: list[tuple[str, str]],
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """The links (unit, prerequisite) kept in their order, each dropped that would close a
    cycle with those kept before it (the schedule refuses a cycle: each unit of one would
    wait on the others)."""
    kept: dict[str, list[str]] = defaultdict(list)
    dropped: list[tuple[str, str]] = []

    def reaches(start: str, goal: str) -> bool:
        seen, todo = {start}, [start]
        while todo:
            here = todo.pop()
            if here == goal:
                return True
            for nxt in kept.get(here, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    for unit, pre in links:
        if reaches(pre, unit):
            dropped.append((unit, pre))
        else:
            kept[unit].append(pre)
    return dict(kept), dropped


def caps(years: list[int]) -> tuple[dict[int, float], list[int]]:
    """The capital caps recorded for `years`, and the years that have none."""
    found = {
        year: float(amount)
        for year, amount in CapitalCap.objects.filter(fiscal_year__in=years).values_list(
            "fiscal_year", "amount"
        )
    }
    return found, [y for y in years if y not in found]
