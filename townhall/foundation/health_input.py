"""The facts `health.py` weighs, read from the estate, cyber and continuity in a fixed
number of flat queries whatever the size of the estate (about fifteen), for what the reader
may see (`restrict(user, "view")`; None reads everything, as the system).

- the estate: systems and components that are not retired, their vendor dates and support
  status; a component's install date and expected service life (its own, else its kind's
  `ServiceLife`), a system's go-live date and the expected life of a system
  (`ServiceLife`'s "system" entry, else `life.SYSTEM_YEARS`); whether a system names its
  technical owner, and for a component whether the systems that depend on it do
  (`health.inherited_owners`); the dependency graph with its redundancy groups, read as
  continuity reads it (`continuity.graph_input`);
- cyber: open or accepted known-exploited-vulnerability exposures whose installed version is
  classified affected (a mitigated one, one not affected or of unknown version is not
  counted), and the incidents detected in the last 365 days that name a system;
- continuity: each recovery capability's last restore test, and the single points of failure
  of mission-essential services, worked out on the same graph with continuity's own
  `analysis.single_points_of_failure` (so a redundant pair is never one).
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from townhall.continuity import analysis, graph_input, subgraph
from townhall.continuity.models import RecoveryCapability
from townhall.cyber.models import Exposure, Incident
from townhall.estate.models import Component, Dependency, RedundancyGroup, System
from townhall.foundation import health, life
from townhall.foundation.models import ServiceLife

YEAR_DAYS = 365  # incidents counted: those detected in the last year
NAMED_STOPS = 3  # mission-essential services named in a "no redundancy" factor
LOSS_LIMIT = 10000  # items below mission-essential services past which one item's page stops
OWNER_LEVELS = 10  # levels of dependants an item's page climbs to find the systems above it
COUNTED_EXPOSURES = (Exposure.Status.OPEN, Exposure.Status.ACCEPTED)


@dataclass(frozen=True)
class HealthInput:
    """Everything `health` needs, with each record's name for the pages."""

    items: list[health.ItemFacts]
    services: list[tuple[health.Key, str]]
    edges: list[tuple[health.Key, health.Key]]
    names: dict[health.Key, str]


def _visible(model: Any, user: Any) -> Any:
    qs = model.objects.all()
    return qs if user is None else qs.restrict(user, "view")


def _kev_counts(user: Any, systems: Any = None, components: Any = None) -> Counter:
    qs = _visible(Exposure, user).filter(
        kind=Exposure.Kind.KEV,
        version_status=Exposure.Version.AFFECTED,
        status__in=COUNTED_EXPOSURES,
    )
    if systems is not None or components is not None:
        qs = qs.filter(Q(system__in=systems or []) | Q(component__in=components or []))
    counts: Counter = Counter()
    rows = qs.order_by().values("system_id", "component_id").annotate(n=Count("pk"))
    for row in rows:
        key = (
            ("system", row["system_id"]) if row["system_id"] else ("component", row["component_id"])
        )
        counts[key] += row["n"]
    return counts


def _incident_counts(user: Any, today: datetime.date, systems: Any = None) -> Counter:
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=YEAR_DAYS), datetime.time.min)
    )
    incidents = _visible(Incident, user).filter(detected__gte=since).values("pk")
    links = Incident.systems.through.objects.filter(incident_id__in=incidents)
    if systems is not None:
        links = links.filter(system_id__in=systems)
    rows = links.order_by().values("system_id").annotate(n=Count("incident_id", distinct=True))
    return Counter({("system", r["system_id"]): r["n"] for r in rows})


def _restore_tests(user: Any, systems: Any = None, components: Any = None) -> dict:
    qs = _visible(RecoveryCapability, user)
    if systems is not None or components is not None:
        qs = qs.filter(Q(system__in=systems or []) | Q(component__in=components or []))
    out = {}
    for system, component, tested in qs.values_list(
        "system_id", "component_id", "last_restore_test"
    ):
        out[("system", system) if system else ("component", component)] = tested
    return out


def _facts(
    user: Any,
    today: datetime.date,
    systems: Any,
    components: Any,
    stops: dict[health.Key, tuple[int, tuple[str, ...]]],
    owners: dict[int, bool],
    only: tuple[list[int], list[int]] | None = None,
) -> list[health.ItemFacts]:
    """The facts of the systems and components the two querysets select (six queries);
    `owners` whether a component inherits a technical owner (`health.inherited_owners`)."""
    lives = dict(ServiceLife.objects.values_list("kind", "years"))
    some_systems, some_components = only if only is not None else (None, None)
    kev = _kev_counts(user, some_systems, some_components)
    incidents = _incident_counts(user, today, some_systems)
    tests = _restore_tests(user, some_systems, some_components)
    system_years = life.system_years(lives)
    out = []
    for pk, name, end, state, owner, live in systems.values_list(
        "pk", "name", "end_of_support", "support_state", "technical_owner_id", "go_live"
    ):
        key = ("system", pk)
        count, named = stops.get(key, (0, ()))
        out.append(
            health.ItemFacts(
                key,
                name,
                end_of_support=end,
                support_state=state,
                install_date=live,
                life_years=system_years,
                kev_affected=kev[key],
                incidents=incidents[key],
                has_capability=key in tests,
                restore_tested=tests.get(key),
                stops=count,
                stops_named=named,
                owner_known=owner is not None,
            )
        )
    for pk, name, end, state, kind, installed, own in components.values_list(
        "pk",
        "name",
        "end_of_support",
        "support_state",
        "kind",
        "install_date",
        "service_life_years",
    ):
        key = ("component", pk)
        count, named = stops.get(key, (0, ()))
        out.append(
            health.ItemFacts(
                key,
                name,
                end_of_support=end,
                support_state=state,
                install_date=installed,
                life_years=own or lives.get(kind),
                kev_affected=kev[key],
                has_capability=key in tests,
                restore_tested=tests.get(key),
                stops=count,
                stops_named=named,
                owner_known=owners.get(pk),
                owner_inherited=True,
            )
        )
    return out


def _stops(
    graph: analysis.Graph, names: dict[health.Key, str]
) -> dict[health.Key, tuple[int, tuple[str, ...]]]:
    points = analysis.single_points_of_failure(graph, limit=None, named=NAMED_STOPS)
    return {
        p.key: (p.count, tuple(names.get(s, str(s)) for s in p.stops))
        for p in points
        if p.key[0] in health.ITEM_KINDS
    }


def _in_service(user: Any) -> tuple[Any, Any]:
    systems = _visible(System, user).exclude(lifecycle=System.Lifecycle.RETIRED).order_by()
    components = _visible(Component, user).exclude(status=Component.Status.RETIRED).order_by()
    return systems, components


def read(user: Any, today: datetime.date) -> HealthInput:
    """The whole estate's facts for `user` (None: everything)."""
    items, edges, names, _hidden = graph_input.items_and_edges(user)
    graph = analysis.Graph(items, edges)
    systems, components = _in_service(user)
    owners = health.inherited_owners(edges, _system_owners(systems))
    facts = _facts(user, today, systems, components, _stops(graph, names), owners)
    services = [((i.kind, i.id), i.name) for i in items if i.kind == "service"]
    return HealthInput(facts, services, edges, names)


def item_facts(user: Any, obj: System | Component, today: datetime.date) -> health.ItemFacts | None:
    """One system's or component's facts, for its page: a handful of queries, the single
    points of failure read from the part of the estate below mission-essential services
    (None when the item is retired, or when too much lies there to work it out on a page:
    `LookupError`)."""
    kind = "system" if isinstance(obj, System) else "component"
    systems, components = _in_service(user)
    if kind == "system":
        systems, components = systems.filter(pk=obj.pk), components.none()
        only: tuple[list[int], list[int]] = ([obj.pk], [])
    else:
        systems, components = systems.none(), components.filter(pk=obj.pk)
        only = ([], [obj.pk])
    try:
        part = subgraph.below(user, subgraph.mission_essential_seeds(user), limit=LOSS_LIMIT)
    except subgraph.TooLarge as too_large:
        raise LookupError("too much below the mission-essential services") from too_large
    stops = _stops(part.graph(), part.names) if part.items else {}
    owners = _owners_above(user, obj.pk) if kind == "component" else {}
    found = _facts(user, today, systems, components, stops, owners, only)
    return found[0] if found else None


def _system_owners(systems: Any) -> dict[int, bool]:
    """Whether each system in service names its technical owner."""
    return {pk: owner is not None for pk, owner in systems.values_list("pk", "technical_owner_id")}


def _owners_above(user: Any, component: int) -> dict[int, bool]:
    """Whether one component inherits a technical owner, as `health.inherited_owners` says,
    climbing the dependencies above it level by level (two queries a level, at most
    `OWNER_LEVELS` levels) instead of reading the whole graph."""
    dependencies = _visible(Dependency, user)
    members = RedundancyGroup.components.through.objects.filter(
        redundancygroup__in=_visible(RedundancyGroup, user)
    )
    frontier, seen, systems = {component}, {component}, set()
    for _level in range(OWNER_LEVELS):
        if not frontier:
            break
        groups = members.filter(component_id__in=frontier).values("redundancygroup_id")
        rows = dependencies.filter(
            Q(to_component__in=frontier) | Q(to_group__in=groups)
        ).values_list("from_system_id", "from_component_id")
        frontier = set()
        for system, other in rows:
            if system:
                systems.add(system)
            elif other and other not in seen:
                seen.add(other)
                frontier.add(other)
    if not systems:
        return {}
    in_service = _in_service(user)[0].filter(pk__in=systems)
    owned = _system_owners(in_service)
    if not owned:
        return {}
    return {component: any(owned.values())}
