"""The part of the estate below a few services, read in one query, for pages that need the
continuity analysis of those services only (a service's page, an exercise, the recovery
tests) or of everything mission-essential services rely on (the dependency page).

`graph_input` reads the whole estate, which is right for the analysis page but costly for
a page about one service in a county with 100,000 components. The effective recovery time
of a service depends only on what lies below it, so reading that part and running the same
`analysis` on it gives the same answer. Likewise an item's loss count (how many
mission-essential services stop without it) only involves the part of the estate below
mission-essential services.

One recursive query walks down from the seed services through the dependencies the reader
may see, to items the reader may see (permissions come from `restrict()`: each restricted
queryset is composed into the query as a subquery; a model everybody may read in full adds
nothing). It returns the edges it crossed and, for every item reached, its name, restore
time and mission-essential flag, with the same visibility rules as `graph_input`, so the
numbers agree with the analysis page. Items are built exactly as `graph_input` builds them.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Field, Model, QuerySet

from townhall.continuity import analysis
from townhall.continuity.models import ImpactAnalysis, RecoveryCapability
from townhall.core.models import TrackedModel
from townhall.estate.models import Component, Dependency, RedundancyGroup, Service, System

ENDS: tuple[tuple[str, type[Service | System | Component]], ...] = (
    ("service", Service),
    ("system", System),
    ("component", Component),
)


@dataclass(frozen=True)
class Subgraph:
    """Items and edges below the seeds (seeds included), with their names."""

    items: list[analysis.Item]
    edges: list[tuple[analysis.Key, analysis.Key]]
    names: dict[analysis.Key, str]

    def graph(self) -> analysis.Graph:
        return analysis.Graph(self.items, self.edges)


class _Nothing(Exception):
    """The reader may see none of the rows a part of the query needs."""


def _visible_ids(model: type[TrackedModel], user: Any) -> tuple[str, list] | None:
    """SQL selecting the ids of the rows of `model` that `user` may view, or None when
    every row is visible (so the common case adds nothing to the query)."""
    everything = model.objects.all()  # the default manager of every tracked model
    visible = everything if user is None else everything.restrict(user, "view")
    if visible.query.is_empty():
        raise _Nothing
    if not visible.query.where:
        return None
    try:
        sql, params = visible.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        raise _Nothing from None
    return sql, list(params)


class _Sql:
    """Builds the query text and its parameters in step."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list = []

    def add(self, text: str, params: list | tuple = ()) -> None:
        self.parts.append(text)
        self.params += list(params)

    def only_visible(
        self, model: type[TrackedModel], user: Any, column: str, nullable: bool = False
    ) -> None:
        """`AND column IN (visible ids)`, or nothing when everything is visible."""
        ids = _visible_ids(model, user)
        if ids is None:
            return
        sql, params = ids
        if nullable:
            self.add(f" AND ({column} IS NULL OR {column} IN ({sql}))", params)
        else:
            self.add(f" AND {column} IN ({sql})", params)

    def text(self) -> str:
        return "".join(self.parts)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _col(model: type[Model], field: str) -> str:
    found = model._meta.get_field(field)
    if not isinstance(found, Field) or found.column is None:
        raise ValueError(f"{model.__name__}.{field} is not a column.")
    return _q(found.column)


def _table(model: type[Model]) -> str:
    return _q(model._meta.db_table)


def _query(
    user: Any,
    seeds: QuerySet | None,
    limit: int | None = None,
    members: dict[str, list[int]] | None = None,
) -> tuple[str, list]:
    """The recursive query (see the module docstring) and its parameters: from the services
    `seeds` selects, or from the systems and components `members` names (the members of
    redundancy groups met on an earlier walk, `below`).

    Only quoted table and column names from the models, and SQL that Django compiled from
    querysets, are written into the text; every value is a parameter."""
    pk = _q("id")
    dep = _table(Dependency)
    fs, fy, fc = (f"d.{_col(Dependency, f'from_{kind}')}" for kind, _ in ENDS)
    ts, ty, tc = (f"d.{_col(Dependency, f'to_{kind}')}" for kind, _ in ENDS)
    tg = f"d.{_col(Dependency, 'to_group')}"
    join = f"({fs} = r.s OR {fy} = r.y OR {fc} = r.c)"
    null = "CAST(NULL AS BIGINT)"

    def crossing(q: _Sql) -> None:
        """The dependencies to follow from a reached item: visible, to a visible item."""
        q.add(f" WHERE COALESCE({ts}, {ty}, {tc}, {tg}) IS NOT NULL")
        q.only_visible(Dependency, user, f"d.{pk}")
        for column, (_, model) in zip((ts, ty, tc), ENDS, strict=True):
            q.only_visible(model, user, column, nullable=True)
        q.only_visible(RedundancyGroup, user, tg, nullable=True)

    q = _Sql()
    q.add("WITH RECURSIVE reach(s, y, c, g) AS (")
    if seeds is not None:
        seed_sql, seed_params = seeds.order_by().query.sql_with_params()
        q.add(
            f" SELECT CAST(sv.{pk} AS BIGINT), {null}, {null}, {null}"  # noqa: S608
            f" FROM {_table(Service)} sv WHERE sv.{pk} IN ({seed_sql})",
            seed_params,
        )
        q.only_visible(Service, user, f"sv.{pk}")
    else:
        first = True
        for kind, model in ENDS[1:]:
            ids = (members or {}).get(kind) or []
            if not ids:
                continue
            columns = f"{null}, CAST(x.{pk} AS BIGINT), {null}, {null}"
            if kind == "component":
                columns = f"{null}, {null}, CAST(x.{pk} AS BIGINT), {null}"
            marks = ", ".join(["%s"] * len(ids))
            select = f" SELECT {columns} FROM {_table(model)} x WHERE x.{pk} IN ({marks})"  # noqa: S608
            q.add(("" if first else " UNION") + select, ids)
            first = False
        if first:
            raise _Nothing
    q.add(
        " UNION"  # noqa: S608
        f" SELECT CAST({ts} AS BIGINT), CAST({ty} AS BIGINT), CAST({tc} AS BIGINT),"
        f" CAST({tg} AS BIGINT)"
        f" FROM reach r INNER JOIN {dep} d ON {join}"
    )
    crossing(q)
    reached = "reach"
    if limit is not None:
        if connection.vendor == "sqlite":
            # SQLite builds `reach` in full before the rest runs; a limit on its recursive
            # part stops the walk early.
            q.add(f" LIMIT {int(limit) + 1}")
        # PostgreSQL refuses a limit there, and walks only as far as its readers read; but
        # a reader that sorts or hashes `reach` (the planner does, to join it to the
        # recovery capabilities) reads all of it: 34,000 items below the large demo's
        # most needed service, 0.15 s, to find that more than `limit` lie below. Reading
        # `reach` through a limit, in the order it is walked, stops the walk there; and
        # counting what was kept first lets the query say "too large" in one row, without
        # joining the names and restore times of the items it will not use.
        q.add(f"), kept(s, y, c, g) AS (SELECT s, y, c, g FROM reach LIMIT {int(limit) + 1}")  # noqa: S608
        q.add("), kept_count(n) AS (SELECT COUNT(*) FROM kept")
        reached = "kept"
    q.add(
        "), edge(fs, fy, fc, ts, ty, tc, tg) AS ("  # noqa: S608
        f" SELECT {fs}, {fy}, {fc}, {ts}, {ty}, {tc}, {tg} FROM {reached} r"
        f" INNER JOIN {dep} d ON {join}"
    )
    crossing(q)
    cap = _table(RecoveryCapability)
    restore = _col(RecoveryCapability, "restore_hours")
    within = ""
    q.add(")")
    if limit is not None:
        typed = ", ".join([null] * 7)  # typed, as the edges' ends are
        counted = f" SELECT {COUNTED}, n, {typed}, NULL, NULL, NULL FROM kept_count"  # noqa: S608
        q.add(counted + " UNION ALL")
        within = f" WHERE (SELECT n FROM kept_count) <= {int(limit)}"  # noqa: S608
    q.add(
        " SELECT 1, r.s, r.y, r.c, r.g, NULL, NULL, NULL, NULL,"  # noqa: S608
        f" COALESCE(cs.{restore}, cc.{restore}),"
        f" COALESCE(nsv.{_col(Service, 'name')}, nsy.{_col(System, 'name')},"
        f" nco.{_col(Component, 'name')}, ngr.{_col(RedundancyGroup, 'name')}),"
        f" ia.{_col(ImpactAnalysis, 'mission_essential')}"
        f" FROM {reached} r"
        f" LEFT JOIN {cap} cs ON cs.{_col(RecoveryCapability, 'system')} = r.y"
    )
    q.only_visible(RecoveryCapability, user, f"cs.{pk}")
    q.add(f" LEFT JOIN {cap} cc ON cc.{_col(RecoveryCapability, 'component')} = r.c")
    q.only_visible(RecoveryCapability, user, f"cc.{pk}")
    q.add(f" LEFT JOIN {_table(ImpactAnalysis)} ia ON ia.{_col(ImpactAnalysis, 'service')} = r.s")
    q.only_visible(ImpactAnalysis, user, f"ia.{pk}")
    q.add(
        f" LEFT JOIN {_table(Service)} nsv ON nsv.{pk} = r.s"  # noqa: S608
        f" LEFT JOIN {_table(System)} nsy ON nsy.{pk} = r.y"
        f" LEFT JOIN {_table(Component)} nco ON nco.{pk} = r.c"
        f" LEFT JOIN {_table(RedundancyGroup)} ngr ON ngr.{pk} = r.g{within}"
        " UNION ALL"
        f" SELECT 0, fs, fy, fc, NULL, ts, ty, tc, tg, NULL, NULL, NULL FROM edge{within}"
    )
    if limit is not None:
        q.add(f" LIMIT {ROWS_PER_ITEM * int(limit) + 2}")  # and the count
    return q.text(), q.params


def _key(s: int | None, y: int | None, c: int | None, g: int | None = None) -> analysis.Key | None:
    for kind, value in (("service", s), ("system", y), ("component", c), ("group", g)):
        if value is not None:
            return (kind, int(value))
    return None


class TooLarge(Exception):
    """More lies below the seeds than the caller was willing to read."""


CHUNK = 2000
COUNTED = 2  # the kind of the row that says how many items the walk kept, with a limit
ROWS_PER_ITEM = 10  # with a limit of n items, at most 10 n items and dependencies are read


def below(user: Any, seeds: QuerySet, *, limit: int | None = None) -> Subgraph:
    """Everything the services whose ids `seeds` selects (a `.values("service_id")` or
    `.values("pk")` queryset) depend on, directly or not, as `user` may see it (None: as
    the system, seeing everything). One query.

    With `limit`, raises TooLarge as soon as more than `limit` items (or ten times as many
    items and dependencies together) come back, without reading the rest: for pages that
    would rather send the reader to the analysis page than wait.

    A redundancy group met on the way is followed to its members with one more query, and
    what the members depend on with one more walk (as many rounds as groups are nested;
    an estate without groups reads in the one query)."""
    edges: list[tuple[analysis.Key, analysis.Key]] = []
    items: list[analysis.Item] = []
    names: dict[analysis.Key, str] = {}
    rows_read = 0
    followed: set[analysis.Key] = set()
    walk_from: QuerySet | None = seeds
    members: dict[str, list[int]] | None = None
    while True:
        try:
            sql, params = _query(user, walk_from, limit, members)
        except (_Nothing, EmptyResultSet):
            break
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(CHUNK):
                for kind_of_row, s, y, c, g, ts, ty, tc, tg, restore, name, essential in chunk:
                    if kind_of_row == COUNTED:
                        if limit is not None and s > limit:
                            raise TooLarge(f"more than {limit} items below")
                        continue
                    rows_read += 1
                    source = _key(s, y, c, g)
                    if source is None:
                        continue
                    if kind_of_row == 0:
                        target = _key(ts, ty, tc, tg)
                        if target is not None:
                            edges.append((source, target))
                        continue
                    if source in names:
                        continue
                    names[source] = name or ""
                    items.append(_item(source, names[source], restore, essential))
                if limit is not None and (len(items) > limit or rows_read > ROWS_PER_ITEM * limit):
                    raise TooLarge(f"more than {limit} items below")
        groups = [k for k in names if k[0] == "group" and k not in followed]
        if not groups:
            break
        followed.update(groups)
        links = _group_members(user, [analysis.record_id(k) for k in groups])
        edges += links
        members = {}
        for _, member in links:
            if member not in names:
                members.setdefault(member[0], []).append(analysis.record_id(member))
        walk_from = None
        if not members:
            break
    edges = [e for e in edges if e[0] in names and e[1] in names]
    return Subgraph(items=items, edges=edges, names=names)


def _group_members(user: Any, ids: list[int]) -> list[tuple[analysis.Key, analysis.Key]]:
    """The edges from the given redundancy groups to their members the reader may see."""
    edges: list[tuple[analysis.Key, analysis.Key]] = []
    for kind, relation in (
        ("system", RedundancyGroup.systems),
        ("component", RedundancyGroup.components),
    ):
        model = System if kind == "system" else Component
        visible = model.objects.all() if user is None else model.objects.restrict(user, "view")
        rows = relation.through.objects.filter(
            redundancygroup_id__in=ids, **{f"{kind}__in": visible}
        ).values_list("redundancygroup_id", f"{kind}_id")
        edges += [(("group", g), (kind, member)) for g, member in rows]
    return edges


def _item(key: analysis.Key, name: str, restore: Any, essential: Any) -> analysis.Item:
    """As graph_input builds items: a service is back as soon as what it needs is back, and
    a redundancy group as soon as its first member is."""
    if key[0] == "group":
        return analysis.Item("group", key[1], name, restore_hours=0, any_of=True)
    if key[0] == "service":
        return analysis.Item(
            "service", key[1], name, restore_hours=0, mission_essential=bool(essential)
        )
    return analysis.Item(key[0], key[1], name, restore_hours=restore)


def recovery_times(
    user: Any, seeds: QuerySet, *, limit: int | None = None
) -> tuple[analysis.RecoveryTimes, dict]:
    """The effective recovery times of the seed services (and of everything below them),
    as the analysis page computes them, with the names of the items in their chains.
    Raises TooLarge as `below` does."""
    part = below(user, seeds, limit=limit)
    return analysis.recovery_times(part.graph()), part.names


def mission_essential_seeds(user: Any) -> QuerySet:
    """The services marked mission-essential in an impact analysis the reader may see."""
    analyses = ImpactAnalysis.objects.all()
    if user is not None:
        analyses = analyses.restrict(user, "view")
    return analyses.filter(mission_essential=True).values("service_id")


def loss_counts(user: Any, *, limit: int | None = None) -> dict[analysis.Key, int]:
    """How many mission-essential services stop when each item is lost, for every item
    that stops at least one (`analysis.loss_counts` on the part of the estate below the
    mission-essential services, which holds every such item and every path to it).
    Raises TooLarge as `below` does."""
    part = below(user, mission_essential_seeds(user), limit=limit)
    if not part.items:
        return {}
    return analysis.loss_counts(part.graph())
