"""The continuity analysis of the estate in the database: reads services, systems,
components, redundancy groups and their members, their impact analyses and recovery
capabilities and every dependency in nine flat queries (no query per row, and no ORM work
per row), builds `analysis.Item`s and edges and runs `analysis.analyze`.

For a person, only what they may see is read (`restrict(user, "view")`): a dependency on
something hidden is left out, and the results say so through `hidden_edges`. The command
line reads everything, as the system.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.urls import reverse

from townhall.continuity import analysis
from townhall.continuity.models import ImpactAnalysis, RecoveryCapability
from townhall.core.models import TrackedModel, TrackedQuerySet
from townhall.estate.models import Component, Dependency, RedundancyGroup, Service, System

KINDS: dict[str, type[Service | System | Component | RedundancyGroup]] = {
    "service": Service,
    "system": System,
    "component": Component,
    "group": RedundancyGroup,
}
# The page of each kind of item, by the estate's address names.
PAGES = {"service": "service", "system": "system", "component": "component"}
PAGES["group"] = "redundancygroup"


@dataclass(frozen=True)
class EstateAnalysis:
    """The analysis plus what a page or report needs to show it: names and addresses."""

    result: analysis.Analysis
    names: dict[analysis.Key, str]
    hidden_edges: int  # dependencies left out because one end is hidden from the reader

    def name(self, key: analysis.Key) -> str:
        return self.names.get(key, f"{key[0]} {key[1]}")

    def url(self, key: analysis.Key) -> str:
        return reverse(f"estate:{PAGES[key[0]]}_detail", args=[key[1]])


def _visible(model: type[TrackedModel], user: Any) -> TrackedQuerySet:
    qs = model.objects.all()
    return qs if user is None else qs.restrict(user, "view")


def _flat(qs: Any) -> list[tuple]:
    """The rows of a `values_list` queryset as the database driver gives them: the same
    query (so `restrict` still decides what is read), without the ORM's work per row,
    which cost most of the reading time in a large county (hours arrive as Decimal or
    float, flags as bool or 0/1; `analysis` takes either)."""
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _orm(qs: Any) -> list[tuple]:
    """The same rows through the ORM: how the graph was read before (kept for the bench)."""
    return list(qs)


def items_and_edges(
    user: Any = None, *, flat: bool = True
) -> tuple[list[analysis.Item], list[tuple[analysis.Key, analysis.Key]], dict, int]:
    """Items, edges, names and the number of edges left out; `user` None reads everything.
    Nine flat queries whatever the size (`flat=False` reads them through the ORM instead)."""
    rows = _flat if flat else _orm
    impacts = {
        service: (rto, rpo, bool(essential))
        for service, rto, rpo, essential in rows(
            _visible(ImpactAnalysis, user).values_list(
                "service_id", "rto_hours", "rpo_hours", "mission_essential"
            )
        )
    }
    capabilities: dict[analysis.Key, tuple] = {}
    for system, component, restore, backup, rto in rows(
        _visible(RecoveryCapability, user).values_list(
            "system_id", "component_id", "restore_hours", "backup_frequency_hours", "rto_hours"
        )
    ):
        key = ("system", system) if system else ("component", component)
        capabilities[key] = (restore, backup, rto)

    items: list[analysis.Item] = []
    names: dict[analysis.Key, str] = {}
    for kind, model in KINDS.items():
        for pk, name in rows(
            _visible(model, user).order_by("name", "pk").values_list("pk", "name")
        ):
            key = (kind, pk)
            names[key] = name
            if kind == "group":
                # Back as soon as its first member is; never essential in itself.
                items.append(analysis.Item(kind, pk, name, restore_hours=0, any_of=True))
            elif kind == "service":
                rto, rpo, essential = impacts.get(pk, (None, None, False))
                items.append(
                    analysis.Item(
                        kind,
                        pk,
                        name,
                        restore_hours=0,  # back as soon as what it needs is back
                        rto_hours=rto,
                        rpo_target_hours=rpo,
                        mission_essential=essential,
                    )
                )
            else:
                restore, backup, rto = capabilities.get(key, (None, None, None))
                items.append(
                    analysis.Item(
                        kind,
                        pk,
                        name,
                        restore_hours=restore,
                        rto_hours=rto,
                        rpo_achievable_hours=backup,
                    )
                )

    columns = [f"from_{e}_id" for e in Dependency.ENDS] + [f"to_{e}_id" for e in Dependency.TARGETS]
    edges = []
    hidden = 0
    first, second, third = Dependency.ENDS
    for a, b, c, x, y, z, g in rows(
        _visible(Dependency, user).order_by("pk").values_list(*columns)
    ):
        # The end that is set, in the order of ENDS (plain tests: this runs once per edge).
        source = (first, a) if a else (second, b) if b else (third, c) if c else None
        target = (
            (first, x)
            if x
            else (second, y)
            if y
            else (third, z)
            if z
            else ("group", g)
            if g
            else None
        )
        if source is None or target is None:
            continue  # an incomplete row the estate's own checks refuse; nothing to follow
        if source in names and target in names:
            edges.append((source, target))
        else:
            hidden += 1
    # A group needs its members, any one of them (the analysis reads the group as "any of").
    for kind, through in (
        ("system", RedundancyGroup.systems.through),
        ("component", RedundancyGroup.components.through),
    ):
        for group, member in rows(
            through.objects.order_by("pk").values_list("redundancygroup_id", f"{kind}_id")
        ):
            source, target = ("group", group), (kind, member)
            if source not in names:
                continue  # the group itself is hidden: its dependants count the edge
            if target in names:
                edges.append((source, target))
            else:
                hidden += 1
    return items, edges, names, hidden


def analyze(user: Any = None, *, single_points: int | None = 20) -> EstateAnalysis:
    """The continuity analysis of what `user` may see (everything when None)."""
    items, edges, names, hidden = items_and_edges(user)
    result = analysis.analyze(items, edges, single_points=single_points)
    return EstateAnalysis(result=result, names=names, hidden_edges=hidden)
