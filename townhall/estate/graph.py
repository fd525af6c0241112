"""Dependency graphs: walking what a record depends on, and what depends on it.

Pure Python, no Django: the caller hands in a `fetch` function that returns the edges
touching a whole level of nodes at once (one database query per level), and gets back the
levels, the nested trees to list, the cycles and the data for the picture.

A node is a `Key`: (kind, id), for example ("system", 12). An `Edge` always points from
the record that depends to the record it depends on, whichever way it was walked.
"""

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Key = tuple[str, Hashable]

NEEDS = "needs"  # walk from a record to what it depends on
NEEDED_BY = "needed_by"  # walk from a record to what depends on it
DIRECTIONS = (NEEDS, NEEDED_BY)

# A cycle reference always points to an ancestor in the same tree, which is listed above.
CYCLE = "cycle"
SEEN_ABOVE = "seen_above"
SEEN_BELOW = "seen_below"


@dataclass(frozen=True, order=True)
class Edge:
    source: Key  # the record that depends
    target: Key  # the record it depends on
    kind: str = ""


# fetch(nodes, limit) -> at most `limit` edges whose near end (the source when walking
# NEEDS, the target when walking NEEDED_BY) is one of `nodes`.
Fetch = Callable[[Sequence[Key], int], list[Edge]]


def near(edge: Edge, direction: str) -> Key:
    return edge.source if direction == NEEDS else edge.target


def far(edge: Edge, direction: str) -> Key:
    return edge.target if direction == NEEDS else edge.source


@dataclass
class Walk:
    """What a breadth-first walk in one direction found."""

    start: Key
    direction: str
    max_depth: int
    distance: dict[Key, int] = field(default_factory=dict)  # node -> level (start is 0)
    edges: list[Edge] = field(default_factory=list)  # between nodes in `distance`
    more: set[Key] = field(default_factory=set)  # shown nodes with neighbours not shown
    hidden_levels: int = 0  # levels found beyond max_depth
    hidden_levels_exact: bool = True  # False when the look beyond stopped early
    capped: bool = False  # the node or edge cap stopped the walk
    queries: int = 0  # calls made to fetch

    @property
    def levels(self) -> list[list[Key]]:
        """Nodes by level, level 0 holding only the start."""
        out: list[list[Key]] = [[] for _ in range(max(self.distance.values(), default=0) + 1)]
        for node, level in self.distance.items():
            out[level].append(node)
        return [sorted(level, key=_sort_key) for level in out]

    @property
    def depth(self) -> int:
        """The deepest level shown."""
        return max(self.distance.values(), default=0)


def _sort_key(key: Key) -> tuple[str, str]:
    return (str(key[0]), f"{key[1]!s:>20}")


def walk(
    start: Key,
    fetch: Fetch,
    direction: str,
    *,
    max_depth: int,
    max_nodes: int,
    max_edges: int | None = None,
    look_beyond: int = 20,
    max_frontier: int = 1000,
    max_look_edges: int | None = None,
) -> Walk:
    """Walk level by level from `start`, calling `fetch` once per level.

    Stops at `max_depth` levels, or when `max_nodes` nodes (the start included) or
    `max_edges` edges are reached. Past the depth limit it looks up to `look_beyond` more
    levels, only to count them (each costs one fetch, and at most `max_frontier` nodes are
    asked about), so the page can say how many levels it left out; it reads at most
    `max_look_edges` edges in all doing so (`max_edges` unless given), and past that says
    "at least" that many levels.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}")
    max_edges = max_edges if max_edges is not None else max_nodes * 4
    max_look_edges = max_look_edges if max_look_edges is not None else max_edges
    result = Walk(start=start, direction=direction, max_depth=max_depth)
    result.distance[start] = 0
    kept: set[Edge] = set()
    frontier = [start]
    level = 0
    while frontier and level < max_depth:
        level += 1
        budget = max_edges - len(result.edges)
        found = fetch(frontier, budget + 1)
        result.queries += 1
        if len(found) > budget:
            result.capped = True
            found = found[:budget]
            result.more.update(frontier)
        next_frontier: list[Key] = []
        for edge in found:
            here, there = near(edge, direction), far(edge, direction)
            if here not in result.distance or edge in kept:
                continue  # fetch answered about a node it was not asked about, or twice
            if there not in result.distance:
                if len(result.distance) >= max_nodes:
                    result.capped = True
                    result.more.add(here)
                    continue
                result.distance[there] = level
                next_frontier.append(there)
            kept.add(edge)
            result.edges.append(edge)
        frontier = next_frontier
        if result.capped:
            return result
    if frontier:
        _look_beyond(result, fetch, frontier, kept, look_beyond, max_frontier, max_look_edges)
    return result


def _look_beyond(
    result: Walk,
    fetch: Fetch,
    frontier: list[Key],
    kept: set[Edge],
    look_beyond: int,
    max_frontier: int,
    max_edges: int,
) -> None:
    """Count the levels past the depth limit; keep the edges that join shown nodes (a cycle
    closing on the last level) and note which shown nodes have more beyond them.

    Reads at most `max_edges` edges in all: below a large estate's services every level
    past the sixth held thousands (twenty levels, 80,000 edges, 0.6 s a page), only to
    print "at least 20 more levels". Once they are read it stops and says "at least"."""
    direction = result.direction
    seen = set(result.distance)
    first = True
    left = max_edges
    while frontier:
        if result.hidden_levels >= look_beyond or left <= 0:
            result.hidden_levels_exact = False
            return
        if len(frontier) > max_frontier:
            frontier = frontier[:max_frontier]
            result.hidden_levels_exact = False
        limit = min(max_frontier * 4, left)
        found = fetch(frontier, limit + 1)
        result.queries += 1
        if len(found) > limit:
            found = found[:limit]
            result.hidden_levels_exact = False
            left = 0  # the level was cut short: count it, look no further
        else:
            left -= len(found)
        next_frontier = []
        for edge in found:
            here, there = near(edge, direction), far(edge, direction)
            if first and there in result.distance:
                if edge not in kept:
                    kept.add(edge)
                    result.edges.append(edge)
                continue
            if first:
                result.more.add(here)
            if there not in seen:
                seen.add(there)
                next_frontier.append(there)
        first = False
        if next_frontier:
            result.hidden_levels += 1
        frontier = next_frontier


# --- trees -------------------------------------------------------------------------------


@dataclass
class Item:
    """One line of a nested list: a node reached through one edge."""

    key: Key
    depth: int
    edge: Edge | None = None  # None for the root
    parent: Key | None = None
    ref: str = ""  # "", CYCLE, SEEN_ABOVE or SEEN_BELOW: listed in full elsewhere
    more: bool = False  # has dependencies beyond the depth limit or the cap
    children: list["Item"] = field(default_factory=list)

    @property
    def expanded(self) -> bool:
        return not self.ref


def distances(start: Key, edges: Iterable[Edge], direction: str) -> dict[Key, int]:
    """Shortest number of steps from `start` to each node reachable through `edges`."""
    out = _adjacency(edges, direction)
    dist = {start: 0}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for edge in out.get(node, ()):
                other = far(edge, direction)
                if other not in dist:
                    dist[other] = dist[node] + 1
                    nxt.append(other)
        frontier = nxt
    return dist


def _adjacency(edges: Iterable[Edge], direction: str) -> dict[Key, list[Edge]]:
    out: dict[Key, list[Edge]] = {}
    for edge in edges:
        out.setdefault(near(edge, direction), []).append(edge)
    return out


def tree(
    start: Key,
    edges: Iterable[Edge],
    direction: str,
    *,
    max_depth: int,
    more: Collection[Key] = (),
    sort_key: Callable[[Key], Any] | None = None,
) -> Item:
    """The nested list for one direction.

    Every node is listed in full once, at the shortest distance from `start` and the first
    place in reading order it appears there; elsewhere it is a reference (`ref`): to an
    ancestor (a cycle, so never looped on) or to its full listing above or below. So the
    list has one line per edge, however many paths a diamond-shaped graph has.
    """
    edges = list(dict.fromkeys(edges))
    order = sort_key or _sort_key
    out = _adjacency(edges, direction)
    for node_edges in out.values():
        node_edges.sort(key=lambda e: (order(far(e, direction)), e.kind))
    dist = distances(start, edges, direction)
    expanded: set[Key] = {start}
    root = Item(key=start, depth=0)

    def grow(item: Item, path: set[Key]) -> None:
        node_edges = out.get(item.key, [])
        if item.depth >= max_depth:
            beyond = any(far(e, direction) not in path for e in node_edges)
            item.more = beyond or item.key in more
            return
        item.more = item.key in more
        for edge in node_edges:
            child_key = far(edge, direction)
            child = Item(key=child_key, depth=item.depth + 1, edge=edge, parent=item.key)
            item.children.append(child)
            if child_key in path:
                child.ref = CYCLE
            elif child_key in expanded:
                child.ref = SEEN_ABOVE
            elif dist.get(child_key) != child.depth:
                child.ref = SEEN_BELOW  # a shorter path lists it later on
            else:
                expanded.add(child_key)
                path.add(child_key)
                grow(child, path)
                path.discard(child_key)

    grow(root, {start})
    return root


def flatten(item: Item) -> list[Item]:
    """Every item of a tree in reading order (the root first)."""
    out = []
    stack = [item]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


# --- cycles ------------------------------------------------------------------------------


def cycles(edges: Iterable[Edge]) -> list[list[Key]]:
    """The strongly connected groups of nodes that form cycles (two or more nodes depending
    on each other in a ring, or one depending on itself), each sorted, largest first."""
    graph: dict[Key, list[Key]] = {}
    self_loops = set()
    for edge in edges:
        graph.setdefault(edge.source, []).append(edge.target)
        graph.setdefault(edge.target, [])
        if edge.source == edge.target:
            self_loops.add(edge.source)
    index: dict[Key, int] = {}
    low: dict[Key, int] = {}
    on_stack: set[Key] = set()
    stack: list[Key] = []
    groups: list[list[Key]] = []
    counter = 0
    for root in sorted(graph, key=_sort_key):
        if root in index:
            continue
        # Tarjan's algorithm without recursion: (node, position in its neighbour list).
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, i = work[-1]
            neighbours = graph[node]
            if i < len(neighbours):
                work[-1] = (node, i + 1)
                other = neighbours[i]
                if other not in index:
                    index[other] = low[other] = counter
                    counter += 1
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, 0))
                elif other in on_stack:
                    low[node] = min(low[node], index[other])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in self_loops:
                    groups.append(sorted(group, key=_sort_key))
    groups.sort(key=lambda g: (-len(g), [_sort_key(k) for k in g]))
    return groups


# --- the picture -------------------------------------------------------------------------


def node_id(key: Key) -> str:
    return f"{key[0]}-{key[1]}"


def picture(
    focus: Key,
    walks: Mapping[str, Walk],
    labels: Mapping[Key, str],
    urls: Mapping[Key, str] | None = None,
) -> dict[str, Any]:
    """Nodes and edges for the drawing, only among nodes in `labels` (those the person may
    see). Each node has a `level`: positive for what the focus depends on, negative for what
    depends on it, 0 for the focus."""
    urls = urls or {}
    level: dict[Key, int] = {}
    for direction, sign in ((NEEDED_BY, -1), (NEEDS, 1)):
        w = walks.get(direction)
        if w is None:
            continue
        for key, dist in w.distance.items():
            if key in labels:
                level[key] = sign * dist
    level[focus] = 0
    edges: dict[Edge, None] = {}
    for w in walks.values():
        for edge in w.edges:
            if edge.source in level and edge.target in level:
                edges[edge] = None
    groups = {k: i for i, group in enumerate(cycles(edges)) for k in group}
    nodes = [
        {
            "id": node_id(key),
            "kind": key[0],
            "label": labels.get(key, str(key[1])),
            "url": urls.get(key, ""),
            "level": lvl,
            "focus": key == focus,
        }
        for key, lvl in sorted(level.items(), key=lambda kv: (kv[1], _sort_key(kv[0])))
    ]
    return {
        "focus": node_id(focus),
        "nodes": nodes,
        "edges": [
            {
                "id": f"e{i}",
                "source": node_id(e.source),
                "target": node_id(e.target),
                "kind": e.kind,
                "cycle": e.source in groups and groups[e.source] == groups.get(e.target),
            }
            for i, e in enumerate(edges)
        ],
    }
