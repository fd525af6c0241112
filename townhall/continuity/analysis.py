"""Continuity analysis: how long each service takes to come back, and what stands in its way.

Pure Python, no Django: the continuity pages, the CLI and the tests build a `Graph` from
plain `Item` records and (dependant, dependency) pairs of keys, then ask it questions:

    graph = Graph(items, edges)
    times = recovery_times(graph)
    times.hours(("service", 3)), times.at_least(("service", 3)), times.chain(("service", 3))
    recovery_order(graph).tiers
    rto_gaps(graph, times), rto_inversions(graph), rpo_gaps(graph)
    single_points_of_failure(graph, limit=20)
    analyze(items, edges)  # all of the above at once

Everything is iterative (no recursion, so a chain of 200,000 items is fine) and linear in the
size of the graph, apart from single points of failure (bitsets, below): the large demo
estate (105,000 items, 300,000 dependencies) takes about a second.

The model
    An item is a service, system or component. Its key is (kind, id), as in the estate
    graph (`townhall.estate.graph`): ("system", 12). It carries a restore time in hours
    (None: unknown), an RTO (None: none set), an RPO target (what the business needs,
    mostly on services), an achievable RPO (how much data a restore loses, the backup
    interval; set on data stores, None elsewhere or when unknown) and a mission-essential
    flag. Hours may be int, float or Decimal; answers are floats. An edge (A, B) reads "A
    needs B": B must be back before A can come back. Duplicate edges change nothing.

Effective recovery time
    Of X: X's own restore time plus the longest effective recovery time among the things X
    needs. Branches are restored in parallel, so only the slowest counts, and a dependency
    shared by several branches (a diamond) is counted once. An unknown restore time counts as
    0, so the result is then a lower bound: `at_least` is set when anything X depends on (X
    included) has an unknown restore time, and `RecoveryTimes.unknown` names those items.
    The critical chain is the path of dependencies that gives the maximum, for example
    [service, system, database server, SAN]; between equally slow branches, the first
    dependency given.

Cycles
    Items that need each other (strongly connected components, found with an iterative
    Tarjan; an item that needs itself counts too) recover together, as one unit: its
    restore time is the longest of its members', because they can be restored in parallel
    but none is usable until all are. Every member of a cycle has the same effective
    recovery time and the same tier, and every cycle is reported with its members. A
    critical chain through a cycle goes round it as far as the member that sets the cycle's
    restore time, then on to where it leaves the cycle, so a key can appear twice in it.

RTO gaps
    Every item with an RTO (services first of all, but a system may have one too) whose
    effective recovery time is longer than its RTO, with the gap and the critical chain.
    An item whose RTO is met only because some restore times are unknown is "unconfirmed"
    (`rto_unconfirmed`), not a gap.

RTO inversions
    An item with an RTO longer than the RTO of something that needs it, directly or through
    items with or without RTOs of their own (service, 4 h -> system, no RTO -> database,
    24 h). Each such item is reported once, naming the dependant with the tightest RTO
    among everything that needs it and the chain from that dependant down to it. So every
    edge whose dependency has a longer RTO than its dependant is caught: the dependency is
    listed, against that dependant or one with a tighter RTO still.

RPO gaps
    An item with an RPO target smaller than the worst achievable RPO among itself and
    everything it depends on, naming that data store and the chain to it. Items without an
    achievable RPO are not treated as data stores.

Recovery order
    Tiers of the graph with each cycle drawn together: tier 0 needs nothing (outside its own
    cycle), tier n only tiers below n, and each item is in the lowest tier it can be in.
    Restoring tier by tier never waits on a later tier.

Single points of failure
    For each item, the mission-essential items its loss stops: every mission-essential
    item that depends on it, directly or not, and never the item itself (a service is not
    a single point of failure for itself; in a cycle, the other members count). The
    data model has no redundancy yet, so every dependency counts as required; a pair of
    clustered servers is two single points of failure here. Computed on the cycle-free graph
    of units with one bitset (a Python int, one bit per mission-essential item) per unit.

Lists come sorted worst first; ties, and items within a tier or a cycle, keep the order in
which the items were given. Keys not in the graph raise KeyError.
"""

from __future__ import annotations

import gc
import math
from collections import deque
from collections.abc import Collection, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter

__all__ = [
    "Analysis",
    "Cycle",
    "Graph",
    "Item",
    "Key",
    "Recovery",
    "RecoveryOrder",
    "RecoveryTimes",
    "RpoGap",
    "RtoGap",
    "RtoInversion",
    "SinglePoint",
    "analyze",
    "loss_counts",
    "recovery_order",
    "recovery_times",
    "record_id",
    "rpo_gaps",
    "rto_gaps",
    "rto_inversions",
    "rto_unconfirmed",
    "single_points_of_failure",
]

Key = tuple[str, Hashable]  # (kind, id), as in townhall.estate.graph


def record_id(key: Key) -> int:
    """The database id in a key read from the estate (the analysis itself takes any ids)."""
    pk = key[1]
    if not isinstance(pk, int):
        raise TypeError(f"{key!r} does not name a stored record.")
    return pk


# Effective recovery times are sums of floats: 0.1 + 0.2 must not miss an RTO of 0.3.
TOL = 1e-9


@dataclass(frozen=True, slots=True)
class Item:
    """One service, system or component, with what continuity needs to know about it."""

    kind: str  # "service", "system" or "component": the first half of the key
    id: Hashable
    name: str = ""
    restore_hours: float | None = None  # None: unknown (counted as 0, results "at least")
    rto_hours: float | None = None  # None: no RTO set
    rpo_target_hours: float | None = None  # the most data loss the business accepts
    rpo_achievable_hours: float | None = None  # the backup interval; None: not a data store
    mission_essential: bool = False
    any_of: bool = False  # a redundancy group: up while any one item it needs is up

    @property
    def key(self) -> Key:
        return (self.kind, self.id)


@dataclass(frozen=True)
class Cycle:
    """Items that need each other, directly or not, and so recover together."""

    members: tuple[Key, ...]  # one member: an item that needs itself
    restore_hours: float  # the longest member's (unknown as 0)
    at_least: bool  # some member's restore time is unknown


@dataclass(frozen=True)
class Recovery:
    """Everything about one item's effective recovery time."""

    key: Key
    hours: float  # a lower bound when at_least
    at_least: bool
    chain: tuple[Key, ...]  # from the item to the end of its slowest path
    unknown: tuple[Key, ...]  # items it depends on (itself included) with no restore time


@dataclass(frozen=True)
class RecoveryOrder:
    """What to restore first: tier 0 needs nothing, each later tier only earlier ones."""

    tiers: tuple[tuple[Key, ...], ...]
    tier: dict[Key, int]
    cycles: tuple[Cycle, ...]  # largest first


@dataclass(frozen=True)
class RtoGap:
    """An item that cannot be back within its RTO."""

    key: Key
    rto_hours: float
    recovery_hours: float
    gap_hours: float
    at_least: bool  # the recovery time is a lower bound: the gap may be larger
    chain: tuple[Key, ...]


@dataclass(frozen=True)
class RtoInversion:
    """A dependency allowed longer to come back than something that needs it."""

    dependant: Key  # the item with the tightest RTO among those that need `dependency`
    dependant_rto_hours: float
    dependency: Key
    dependency_rto_hours: float
    chain: tuple[Key, ...]  # from dependant to dependency

    @property
    def excess_hours(self) -> float:
        return self.dependency_rto_hours - self.dependant_rto_hours


@dataclass(frozen=True)
class RpoGap:
    """An item that would lose more data than its RPO target allows."""

    key: Key
    rpo_target_hours: float
    rpo_achievable_hours: float  # the worst among what it depends on
    data_store: Key  # the item with that achievable RPO
    chain: tuple[Key, ...]  # from the item to the data store

    @property
    def gap_hours(self) -> float:
        return self.rpo_achievable_hours - self.rpo_target_hours


@dataclass(frozen=True)
class SinglePoint:
    """An item and the mission-essential items its loss would stop."""

    key: Key
    count: int
    stops: tuple[Key, ...]


# --- the graph -------------------------------------------------------------------------------


class Graph:
    """Items and dependencies, indexed once, with the cycles found; every analysis reads it.

    Internally items are numbered in the order given, and the cycle-free graph of units
    (a cycle, or a single item) is numbered so that a unit's dependencies always come
    before it: one pass upwards or downwards visits everything in dependency order.
    """

    def __init__(self, items: Iterable[Item], edges: Iterable[tuple[Key, Key]]) -> None:
        """Raises ValueError for an item given twice, a negative or NaN number of hours, or
        an edge naming an item not given (which would make every answer quietly wrong)."""
        with _collector_paused():
            self._build(items, edges)

    def _build(self, items: Iterable[Item], edges: Iterable[tuple[Key, Key]]) -> None:
        self.items: tuple[Item, ...] = tuple(items)
        self.keys: tuple[Key, ...] = tuple(map(attrgetter("kind", "id"), self.items))
        self._index: dict[Key, int] = dict(zip(self.keys, range(len(self.keys)), strict=True))
        if len(self._index) != len(self.keys):
            seen: set[Key] = set()
            for key in self.keys:
                if key in seen:
                    raise ValueError(f"item {key!r} given twice")
                seen.add(key)
        # Hours as floats (the database may hand over Decimals), one list per field.
        restore = self._hours("restore_hours")
        self._rto = self._hours("rto_hours")
        self._rpo_target = self._hours("rpo_target_hours")
        self._rpo_achievable = self._hours("rpo_achievable_hours")
        self._restore = [h or 0.0 for h in restore]
        self._unknown = [h is None for h in restore]

        index = self._index
        self._succ: list[list[int]] = [[] for _ in self.items]
        self._self_loops: set[int] = set()
        pairs = list(edges)
        self.edge_count = len(pairs)
        if pairs:
            sources, targets = zip(*pairs, strict=True)
            try:
                us = list(map(index.__getitem__, sources))
                vs = list(map(index.__getitem__, targets))
            except KeyError as missing:
                raise ValueError(f"dependency names unknown item {missing.args[0]!r}") from None
            succ, loops = self._succ, self._self_loops
            for u, v in zip(us, vs, strict=True):
                if u == v:
                    loops.add(u)
                else:
                    succ[u].append(v)
        groups = {n for n, i in enumerate(self.items) if i.any_of}
        self._groups = groups  # items that are redundancy groups, never failing themselves
        self._comp, self._units = _strongly_connected(self._succ)
        self._toward: dict[int, dict[int, int]] = {}  # paths inside cycles (`_tree_to`)
        comp, succ = self._comp, self._succ
        unit_of = comp.__getitem__
        usucc: list[list[int]] = []
        # Units that are a redundancy group with two or more members apart: up while any is.
        self._any: set[int] = set()
        for c, members in enumerate(self._units):
            if len(members) == 1:  # self-loops are not in succ, so no edge stays inside
                usucc.append(list(map(unit_of, succ[members[0]])))
                if members[0] in groups and len(set(usucc[c])) > 1:
                    self._any.add(c)
            else:
                # A group inside a cycle is met by its member in the cycle, which comes
                # back with the cycle: its members outside the cycle are not waited for.
                outside = (comp[v] for u in members if u not in groups for v in succ[u])
                usucc.append([d for d in dict.fromkeys(outside) if d != c])
        self._usucc = usucc

    def _hours(self, field: str) -> list[float | None]:
        column = [None if h is None else float(h) for h in map(attrgetter(field), self.items)]
        given = [h for h in column if h is not None]
        if given and (min(given) < 0 or any(map(math.isnan, given))):
            n = next(n for n, h in enumerate(column) if h is not None and not h >= 0)
            raise ValueError(f"item {self.keys[n]!r}: {field} must be 0 or more, not {column[n]}")
        return column

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def item(self, key: Key) -> Item:
        return self.items[self._index[key]]

    def dependencies(self, key: Key) -> tuple[Key, ...]:
        """What `key` needs directly (an item that needs itself is included)."""
        n = self._index[key]
        own = (self.keys[n],) if n in self._self_loops else ()
        return own + tuple(self.keys[v] for v in dict.fromkeys(self._succ[n]))

    def needs(self, key: Key) -> list[Key]:
        """Everything `key` depends on, directly or not, each once, never `key` itself.

        Walked over the condensed graph, so a mesh of items that all need each other costs
        one step, not one per internal dependency."""
        start = self._index[key]
        own = self._comp[start]
        seen = {own}
        stack = [own]
        found = [v for v in self._units[own] if v != start]
        units, usucc = self._units, self._usucc
        while stack:
            for d in usucc[stack.pop()]:
                if d not in seen:
                    seen.add(d)
                    stack.append(d)
                    found.extend(units[d])
        keys = self.keys
        return [keys[v] for v in found]

    def cycles(self) -> tuple[Cycle, ...]:
        """Every cycle, largest first, members in the order the items were given."""
        found = []
        for c, members in enumerate(self._units):
            if len(members) > 1 or members[0] in self._self_loops:
                found.append((len(members), members[0], c))
        found.sort(key=lambda f: (-f[0], f[1]))
        return tuple(self._cycle(c) for _, _, c in found)

    def _cycle(self, c: int) -> Cycle:
        members = self._units[c]
        return Cycle(
            members=tuple(self.keys[m] for m in members),
            restore_hours=max(self._restore[m] for m in members),
            at_least=any(self._unknown[m] for m in members),
        )

    def _at(self, key: Key) -> int:
        return self._index[key]

    # Paths for chains: real dependency edges, so a page can draw them on the graph.

    def _inside(self, start: int, end: int) -> list[int]:
        """A shortest path from `start` to `end` among the members of their cycle."""
        if start == end:
            return [start]
        toward = self._toward.get(end)
        if toward is None:
            toward = self._toward[end] = self._tree_to(end)
        path = [start]
        while start != end:
            start = toward[start]
            path.append(start)
        return path

    def _tree_to(self, end: int) -> dict[int, int]:
        """For every member of `end`'s cycle, the next step on a shortest path to `end`.

        Built once per end (a breadth-first search backwards from it), because many chains
        cross the same large cycle, such as a network where every device needs the others."""
        comp, succ, unit = self._comp, self._succ, self._comp[end]
        members = self._units[unit]
        before: dict[int, list[int]] = {m: [] for m in members}
        for u in members:
            for v in succ[u]:
                if comp[v] == unit:
                    before[v].append(u)
        toward = {end: end}
        queue = deque([end])
        while queue:
            v = queue.popleft()
            for u in before[v]:
                if u not in toward:
                    toward[u] = v
                    queue.append(u)
        if len(toward) != len(members):
            raise AssertionError("members of a cycle always reach each other")
        return toward

    def _leave(self, start: int, target_unit: int) -> list[int]:
        """The shortest path from `start` out of its unit into `target_unit`."""
        comp, succ = self._comp, self._succ
        if len(self._units[comp[start]]) == 1:
            for v in succ[start]:
                if comp[v] == target_unit:
                    return [start, v]
            raise AssertionError("no edge into the next unit")
        unit = comp[start]
        parent = {start: start}
        queue = deque([start])
        while queue:
            u = queue.popleft()
            for v in succ[u]:
                if comp[v] == target_unit:
                    return [*_unwind(parent, u), v]
            for v in succ[u]:
                if comp[v] == unit and v not in parent:
                    parent[v] = u
                    queue.append(v)
        raise AssertionError("no edge into the next unit")

    def _route(self, start: int, units: list[int], end: int) -> tuple[Key, ...]:
        """A path from `start` through the given units, in order, to `end`."""
        path, here = [start], start
        for unit in units[1:]:
            step = self._leave(here, unit)
            path += step[1:]
            here = step[-1]
        path += self._inside(here, end)[1:]
        return tuple(self.keys[n] for n in path)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while the graph is built. Building it makes a few
    hundred thousand lists and tuples, and no reference cycles; left running, the collector
    would walk every object in the process several times over, a third of the whole time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _unwind(parent: dict[int, int], node: int) -> list[int]:
    path = [node]
    while parent[node] != node:
        node = parent[node]
        path.append(node)
    path.reverse()
    return path


def _strongly_connected(succ: list[list[int]]) -> tuple[list[int], list[list[int]]]:
    """Tarjan's algorithm without recursion: each node's unit, and each unit's members.

    Tarjan closes a unit only after every unit it reaches, so the units come out numbered
    dependencies first: an edge between units always goes from a higher number to a lower.
    A node seen but not yet in a unit is on Tarjan's stack, so `comp` doubles as the
    on-stack mark; a node needing nothing is a unit as soon as it is seen.
    """
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    comp = [-1] * n
    stack: list[int] = []
    units: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        if not succ[root]:
            comp[root] = len(units)
            units.append([root])
            continue
        stack.append(root)
        work = [(root, iter(succ[root]))]
        while work:
            node, neighbours = work[-1]
            for other in neighbours:
                if index[other] < 0:
                    index[other] = low[other] = counter
                    counter += 1
                    if not succ[other]:  # a leaf: done at once, never on the stack
                        comp[other] = len(units)
                        units.append([other])
                        continue
                    stack.append(other)
                    work.append((other, iter(succ[other])))
                    break
                if comp[other] < 0 and index[other] < low[node]:
                    low[node] = index[other]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    unit = len(units)
                    if stack[-1] == node:  # the usual case: an item on its own
                        stack.pop()
                        comp[node] = unit
                        units.append([node])
                        continue
                    members = []
                    while True:
                        member = stack.pop()
                        comp[member] = unit
                        members.append(member)
                        if member == node:
                            break
                    members.sort()
                    units.append(members)
    return comp, units


# --- effective recovery times ----------------------------------------------------------------


class RecoveryTimes:
    """Effective recovery times of every item; chains and unknowns worked out when asked."""

    def __init__(
        self,
        graph: Graph,
        hours: list[float],
        after: list[int],
        at_least: list[bool],
        slowest: list[int],
    ) -> None:
        self.graph = graph
        self._hours = hours  # per unit
        self._after = after  # per unit: the dependency unit on the critical chain, or -1
        self._at_least = at_least  # per unit
        self._slowest = slowest  # per unit: the member with the longest restore time

    def __len__(self) -> int:
        return len(self.graph)

    def hours(self, key: Key) -> float:
        return self._hours[self.graph._comp[self.graph._at(key)]]

    def at_least(self, key: Key) -> bool:
        return self._at_least[self.graph._comp[self.graph._at(key)]]

    def as_dict(self) -> dict[Key, float]:
        """Every item's effective recovery time, in one go."""
        keys, hours = self.graph.keys, map(self._hours.__getitem__, self.graph._comp)
        return dict(zip(keys, hours, strict=True))

    def chain(self, key: Key) -> tuple[Key, ...]:
        """The path of dependencies that gives `key` its effective recovery time."""
        g = self.graph
        comp, units = g._comp, g._units
        here = g._at(key)
        path = [here]
        while True:
            unit = comp[here]
            if len(units[unit]) > 1:
                step = g._inside(here, self._slowest[unit])
                path += step[1:]
                here = step[-1]
            after = self._after[unit]
            if after < 0:
                break
            step = g._leave(here, after)
            path += step[1:]
            here = step[-1]
        return tuple(g.keys[n] for n in path)

    def unknown(self, key: Key) -> tuple[Key, ...]:
        """The items `key` depends on (itself included) whose restore time is unknown."""
        g = self.graph
        comp, succ, vague, at_least = g._comp, g._succ, g._unknown, self._at_least
        groups, after = g._any, self._after
        start = g._at(key)
        seen = {start}
        stack = [start]
        found = []
        while stack:
            u = stack.pop()
            if vague[u]:
                found.append(u)
            unit = comp[u]
            for v in succ[u]:
                if unit in groups and comp[v] != after[unit]:
                    continue  # a group waits only for its fastest member
                if v not in seen and at_least[comp[v]]:  # exact branches hide no unknown
                    seen.add(v)
                    stack.append(v)
        return tuple(g.keys[n] for n in sorted(found))

    def get(self, key: Key) -> Recovery:
        return Recovery(
            key=key,
            hours=self.hours(key),
            at_least=self.at_least(key),
            chain=self.chain(key),
            unknown=self.unknown(key),
        )


def recovery_times(graph: Graph) -> RecoveryTimes:
    """Every item's effective recovery time: one pass over the units, dependencies first."""
    units, usucc = graph._units, graph._usucc
    restore, vague = graph._restore, graph._unknown
    k = len(units)
    hours = [0.0] * k
    after = [-1] * k
    at_least = [False] * k
    slowest = [0] * k
    groups = graph._any
    for c in range(k):
        members = units[c]
        if len(members) == 1:
            top = members[0]
            unsure = vague[top]
        else:
            top = max(members, key=restore.__getitem__)
            unsure = any(vague[m] for m in members)
        slowest[c] = top
        if c in groups:
            # Any one member is enough: the fastest to come back, an exact time before a
            # lower bound of the same hours.
            via = min(usucc[c], key=lambda d: (hours[d], at_least[d]))
            hours[c] = restore[top] + hours[via]
            after[c] = via
            at_least[c] = unsure or at_least[via]
            continue
        best, via = 0.0, -1
        for d in usucc[c]:
            h = hours[d]
            if via < 0 or h > best:
                best, via = h, d
            if at_least[d]:
                unsure = True
        hours[c] = restore[top] + best
        after[c] = via
        at_least[c] = unsure
    return RecoveryTimes(graph, hours, after, at_least, slowest)


# --- recovery order --------------------------------------------------------------------------


def recovery_order(graph: Graph) -> RecoveryOrder:
    """The tiers to restore in, and the cycles (whose members share a tier)."""
    usucc, groups = graph._usucc, graph._any
    k = len(usucc)
    level = [0] * k
    for c in range(k):
        if c in groups:  # ready as soon as its first member is
            level[c] = min(level[d] for d in usucc[c]) + 1
            continue
        top = -1
        for d in usucc[c]:
            if level[d] > top:
                top = level[d]
        level[c] = top + 1
    of_item = list(map(level.__getitem__, graph._comp))
    tiers: list[list[Key]] = [[] for _ in range(max(level, default=-1) + 1)]
    for key, t in zip(graph.keys, of_item, strict=True):
        tiers[t].append(key)
    return RecoveryOrder(
        tiers=tuple(map(tuple, tiers)),
        tier=dict(zip(graph.keys, of_item, strict=True)),
        cycles=graph.cycles(),
    )


# --- RTO and RPO -----------------------------------------------------------------------------


def rto_gaps(graph: Graph, times: RecoveryTimes | None = None) -> list[RtoGap]:
    """Items whose effective recovery time is longer than their RTO, largest gap first."""
    if times is None:
        times = recovery_times(graph)
    gaps = []
    for n, rto in enumerate(graph._rto):
        if rto is None:
            continue
        unit = graph._comp[n]
        hours = times._hours[unit]
        if hours > rto + TOL:
            gaps.append((rto - hours, n, rto, hours, times._at_least[unit]))
    gaps.sort(key=lambda g: g[:2])
    return [
        RtoGap(
            key=graph.keys[n],
            rto_hours=rto,
            recovery_hours=hours,
            gap_hours=hours - rto,
            at_least=at_least,
            chain=times.chain(graph.keys[n]),
        )
        for _, n, rto, hours, at_least in gaps
    ]


def rto_unconfirmed(graph: Graph, times: RecoveryTimes | None = None) -> list[Key]:
    """Items whose RTO looks met only because some restore times they depend on are
    unknown: the page should ask for those times rather than show a tick."""
    if times is None:
        times = recovery_times(graph)
    out = []
    for n, rto in enumerate(graph._rto):
        unit = graph._comp[n]
        if rto is not None and times._at_least[unit] and times._hours[unit] <= rto + TOL:
            out.append(graph.keys[n])
    return out


def rto_inversions(graph: Graph) -> list[RtoInversion]:
    """Items with a longer RTO than something that needs them, largest excess first.

    One pass down from the top, carrying to each unit the tightest RTO among everything
    above it and where it came from; within a cycle the other members count as above.
    """
    units, usucc, comp = graph._units, graph._usucc, graph._comp
    rto = graph._rto
    k = len(units)
    above = [math.inf] * k  # the tightest RTO among the units that need this one
    origin = [-1] * k  # the item with that RTO
    via = [-1] * k  # the unit it came through
    found = []
    for c in range(k - 1, -1, -1):
        rated = sorted((r, m) for m in units[c] if (r := rto[m]) is not None)
        for own, m in rated:
            need, who = above[c], origin[c]
            for other, o in rated[:2]:  # the tightest other member of a cycle
                if o != m and other < need:
                    need, who = other, o
                    break
            if own > need:
                found.append((need - own, m, who, own, need))
        if rated and rated[0][0] <= above[c]:
            give, source = rated[0]
        else:
            give, source = above[c], origin[c]
        if source < 0:
            continue
        for d in usucc[c]:
            if give < above[d]:
                above[d], origin[d], via[d] = give, source, c
    found.sort(key=lambda f: f[:2])
    out = []
    for _, m, who, own, need in found:
        path = [comp[m]]
        while path[-1] != comp[who]:
            path.append(via[path[-1]])
        path.reverse()
        out.append(
            RtoInversion(
                dependant=graph.keys[who],
                dependant_rto_hours=need,
                dependency=graph.keys[m],
                dependency_rto_hours=own,
                chain=graph._route(who, path, m),
            )
        )
    return out


def rpo_gaps(graph: Graph) -> list[RpoGap]:
    """Items whose RPO target is tighter than the worst achievable RPO among themselves and
    what they depend on, largest gap first."""
    units, usucc, comp = graph._units, graph._usucc, graph._comp
    achievable = graph._rpo_achievable
    k = len(units)
    worst = [-1.0] * k
    store = [-1] * k  # the item with the worst achievable RPO
    after = [-1] * k  # the dependency unit it lies in, or -1 for this unit
    for c in range(k):
        w, s, a = -1.0, -1, -1
        for m in units[c]:
            value = achievable[m]
            if value is not None and value > w:
                w, s = value, m
        for d in usucc[c]:
            if worst[d] > w:
                w, s, a = worst[d], store[d], d
        worst[c], store[c], after[c] = w, s, a
    gaps = []
    for n, target in enumerate(graph._rpo_target):
        unit = comp[n]
        if target is not None and store[unit] >= 0 and worst[unit] > target:
            gaps.append((target - worst[unit], n, target, unit))
    gaps.sort(key=lambda g: g[:2])
    out = []
    for _, n, target, unit in gaps:
        path = [unit]
        while after[path[-1]] >= 0:
            path.append(after[path[-1]])
        out.append(
            RpoGap(
                key=graph.keys[n],
                rpo_target_hours=target,
                rpo_achievable_hours=worst[unit],
                data_store=graph.keys[store[unit]],
                chain=graph._route(n, path, store[unit]),
            )
        )
    return out


# --- single points of failure ----------------------------------------------------------------


def _group_losses(graph: Graph) -> dict[int, list[int]]:
    """For each redundancy group (a unit in `graph._any`), the units whose loss alone stops
    it: those whose loss stops every one of its members. Losing one member does not.

    The units a loss stops a unit through are its own downward closure: through an
    ordinary unit, everything it needs; through a group, only what stops the group (found
    first: groups are numbered after their members). Walked per member of each group, so
    the cost is the size of what the groups' members stand on, not of the whole graph."""
    usucc = graph._usucc
    stops: dict[int, set[int]] = {}
    for g in sorted(graph._any):
        common: set[int] | None = None
        for m in dict.fromkeys(usucc[g]):
            reach = {m}
            stack = [m]
            while stack:
                u = stack.pop()
                if u in stops:  # closed already: nothing under it to walk again
                    reach |= stops[u]
                    continue
                for d in usucc[u]:
                    if d not in reach:
                        reach.add(d)
                        stack.append(d)
            common = reach if common is None else common & reach
            if not common:
                break
        stops[g] = common or set()
    return {g: sorted(s) for g, s in stops.items()}


def _loss_bits(graph: Graph) -> tuple[list[int], list[int], dict[int, int]]:
    """Per unit, the bitset of mission-essential items its loss stops; which item each bit
    stands for; and each mission-essential item's own bit. One pass down from the top, each
    unit handing its bits to what it needs (a redundancy group: to what stops all its
    members), so every unit ends with the bits of everything above it (and of its own
    members, which `_stopped` takes out again for each item)."""
    essential = [n for n, i in enumerate(graph.items) if i.mission_essential]
    bits = [0] * len(graph._units)
    comp = graph._comp
    own: dict[int, int] = {}
    for position, n in enumerate(essential):
        own[n] = 1 << position
        bits[comp[n]] |= own[n]
    usucc = graph._usucc
    through = _group_losses(graph) if graph._any else {}
    for c in range(len(bits) - 1, -1, -1):
        b = bits[c]
        if b:
            for d in through.get(c, usucc[c]) if through else usucc[c]:
                bits[d] |= b
    return bits, essential, own


def _stopped(bits: list[int], own: dict[int, int], comp: list[int], n: int) -> int:
    """The mission-essential items the loss of item `n` stops, as a bitset: everything
    above it and the other members of its cycle, never `n` itself. A service is not a
    single point of failure for itself; losing it is the outage, not a weakness under it."""
    return bits[comp[n]] & ~own.get(n, 0)


def loss_counts(graph: Graph) -> dict[Key, int]:
    """For every item whose loss stops at least one other mission-essential item, how
    many: for shading the dependency graph."""
    bits, _, own = _loss_bits(graph)
    comp = graph._comp
    out = {}
    groups = graph._groups
    for n, key in enumerate(graph.keys):
        if groups and n in groups:  # a group is not a thing that fails on its own
            continue
        count = _stopped(bits, own, comp, n).bit_count()
        if count:
            out[key] = count
    return out


def single_points_of_failure(
    graph: Graph,
    *,
    limit: int | None = 100,
    kinds: Collection[str] | None = None,
    named: int | None = None,
) -> list[SinglePoint]:
    """The items whose loss stops the most other mission-essential items, most first,
    naming them (the first `named` of them when given; `count` is always the whole
    number); only items of `kinds` when given, at most `limit` (None: every item stopping
    at least one)."""
    bits, essential, own = _loss_bits(graph)
    comp = graph._comp
    stopped = [_stopped(bits, own, comp, n) for n in range(len(graph.keys))]
    ranked = [
        (-b.bit_count(), n)
        for n, b in enumerate(stopped)
        if b and (kinds is None or graph.keys[n][0] in kinds)
    ]
    if graph._groups:  # a group is not a thing that fails on its own
        ranked = [r for r in ranked if r[1] not in graph._groups]
    ranked.sort()
    out = []
    for minus, n in ranked if limit is None else ranked[:limit]:
        b = stopped[n]
        stops: list[Key] = []
        while b and (named is None or len(stops) < named):
            low = b & -b
            stops.append(graph.keys[essential[low.bit_length() - 1]])
            b ^= low
        out.append(SinglePoint(key=graph.keys[n], count=-minus, stops=tuple(stops)))
    return out


# --- everything at once ----------------------------------------------------------------------


@dataclass(frozen=True)
class Analysis:
    """Every continuity answer for one estate."""

    graph: Graph
    times: RecoveryTimes
    order: RecoveryOrder
    rto_gaps: list[RtoGap]
    rto_unconfirmed: list[Key]
    rto_inversions: list[RtoInversion]
    rpo_gaps: list[RpoGap]
    single_points: list[SinglePoint]


def analyze(
    items: Iterable[Item], edges: Iterable[tuple[Key, Key]], *, single_points: int | None = 100
) -> Analysis:
    """Build the graph and run every analysis; `single_points` caps the ranked list."""
    graph = Graph(items, edges)
    times = recovery_times(graph)
    return Analysis(
        graph=graph,
        times=times,
        order=recovery_order(graph),
        rto_gaps=rto_gaps(graph, times),
        rto_unconfirmed=rto_unconfirmed(graph, times),
        rto_inversions=rto_inversions(graph),
        rpo_gaps=rpo_gaps(graph),
        single_points=single_points_of_failure(graph, limit=single_points),
    )
