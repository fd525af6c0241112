"""The pure dependency-graph code: walks, trees, cycles, limits. No database."""

import pytest

from townhall.estate import graph as g
from townhall.estate.graph import NEEDED_BY, NEEDS, Edge


def s(n: int) -> g.Key:
    return ("system", n)


class Store:
    """Edges in memory, answering like the database: one call per level."""

    def __init__(self, pairs, kind="runs_on"):
        self.edges = [p if isinstance(p, Edge) else Edge(s(p[0]), s(p[1]), kind) for p in pairs]
        self.calls = []

    def fetch(self, direction):
        def answer(nodes, limit):
            self.calls.append(list(nodes))
            wanted = set(nodes)
            return [e for e in self.edges if g.near(e, direction) in wanted][:limit]

        return answer

    def walk(self, start, direction=NEEDS, **kw):
        kw.setdefault("max_depth", 10)
        kw.setdefault("max_nodes", 300)
        return g.walk(start, self.fetch(direction), direction, **kw)

    def tree(self, start, direction=NEEDS, max_depth=10, **kw):
        w = self.walk(start, direction, max_depth=max_depth, **kw)
        return g.tree(start, w.edges, direction, max_depth=max_depth, more=w.more), w


def chain(n):
    return Store([(i, i + 1) for i in range(1, n)])


def lines(item, indent=0):
    """A tree as text, for comparing whole shapes."""
    out = []
    for child in item.children:
        mark = f" [{child.ref}]" if child.ref else ""
        more = " [more]" if child.more else ""
        out.append(f"{'  ' * indent}{child.key[1]}{mark}{more}")
        out += lines(child, indent + 1)
    return out


# --- walks ---------------------------------------------------------------------------------


def test_chain_walks_one_fetch_per_level():
    store = chain(5)
    w = store.walk(s(1))
    assert w.distance == {s(i): i - 1 for i in range(1, 6)}
    assert w.levels == [[s(1)], [s(2)], [s(3)], [s(4)], [s(5)]]
    assert w.depth == 4
    # four levels with something, a fifth that finds nothing
    assert w.queries == len(store.calls) == 5
    assert w.hidden_levels == 0 and not w.capped


def test_chain_upstream():
    store = chain(5)
    w = store.walk(s(5), NEEDED_BY)
    assert w.distance == {s(5): 0, s(4): 1, s(3): 2, s(2): 3, s(1): 4}
    assert all(e in store.edges for e in w.edges)


def test_depth_limit_counts_levels_beyond():
    store = chain(50)
    w = store.walk(s(1), max_depth=3)
    assert w.depth == 3
    assert len(w.distance) == 4
    assert w.hidden_levels == 20  # look_beyond=20 by default: "at least 20 more"
    assert not w.hidden_levels_exact
    assert w.more == {s(4)}
    w = store.walk(s(1), max_depth=3, look_beyond=100)
    assert w.hidden_levels == 46 and w.hidden_levels_exact
    assert w.queries == 3 + 47  # the last look finds nothing


def test_depth_limit_exact_when_short():
    w = chain(6).walk(s(1), max_depth=3)
    assert (w.hidden_levels, w.hidden_levels_exact) == (2, True)


def layers(width, levels):
    """`levels` levels of `width` systems, each depending on every system of the next."""
    return Store(
        [
            (level * 100 + i, (level + 1) * 100 + j)
            for level in range(levels)
            for i in range(width)
            for j in range(width)
        ]
    )


def test_look_beyond_reads_a_bounded_number_of_edges():
    """Past the depth limit the walk only counts levels: it stops reading once it has read
    `max_look_edges` edges and says "at least", however many levels lie below."""
    store = layers(10, 12)
    w = store.walk(s(0), max_depth=1, max_look_edges=150)
    assert len(w.distance) == 11
    # the first level beyond (100 edges) in full, then 51 of the next 100: it counts
    assert (w.hidden_levels, w.hidden_levels_exact) == (2, False)
    assert w.queries == 3
    assert w.more == {s(100 + i) for i in range(10)}
    w = store.walk(s(0), max_depth=1, max_look_edges=10_000)
    assert (w.hidden_levels, w.hidden_levels_exact) == (11, True)


def test_fan_out_is_one_fetch_per_level():
    for n in (10, 100):
        store = Store([(0, i) for i in range(1, n + 1)])
        w = store.walk(s(0), max_depth=1)
        assert len(w.distance) == n + 1
        assert w.queries == 2  # the level, then one look beyond that finds nothing


def test_node_cap():
    store = Store([(0, i) for i in range(1, 1001)])
    w = store.walk(s(0), max_nodes=300)
    assert len(w.distance) == 300
    assert w.capped and s(0) in w.more
    assert w.queries == 1


def test_edge_cap():
    store = Store([(0, i) for i in range(1, 101)])
    w = store.walk(s(0), max_nodes=300, max_edges=50)
    assert w.capped and len(w.edges) == 50 and len(w.distance) == 51
    assert store.calls and len(store.calls) == 1


def test_unknown_direction():
    with pytest.raises(ValueError):
        g.walk(s(1), lambda nodes, limit: [], "sideways", max_depth=1, max_nodes=1)


# --- trees ---------------------------------------------------------------------------------


def test_chain_tree():
    root, _ = chain(4).tree(s(1))
    assert lines(root) == ["2", "  3", "    4"]
    assert [i.depth for i in g.flatten(root)] == [0, 1, 2, 3]


def test_diamond_lists_the_shared_node_once():
    #   1 → 2 → 4 → 5,  1 → 3 → 4
    store = Store([(1, 2), (1, 3), (2, 4), (3, 4), (4, 5)])
    root, _ = store.tree(s(1))
    assert lines(root) == ["2", "  4", "    5", "3", "  4 [seen_above]"]


def test_shorter_path_later_is_listed_there():
    # 1 → 2 → 3 → 4, and 1 → 9 → 4: 4 is two steps away, through 9 (listed after 2).
    store = Store([(1, 2), (2, 3), (3, 4), (1, 9), (9, 4)])
    root, _ = store.tree(s(1))
    assert lines(root) == ["2", "  3", "    4 [seen_below]", "9", "  4"]


def test_cycle_of_two():
    store = Store([(1, 2), (2, 1)])
    root, w = store.tree(s(1))
    assert lines(root) == ["2", "  1 [cycle]"]
    assert g.cycles(w.edges) == [[s(1), s(2)]]


def test_cycle_of_three_not_through_the_start():
    store = Store([(0, 1), (1, 2), (2, 3), (3, 1)])
    root, w = store.tree(s(0))
    assert lines(root) == ["1", "  2", "    3", "      1 [cycle]"]
    assert g.cycles(w.edges) == [[s(1), s(2), s(3)]]
    up, _ = store.tree(s(1), NEEDED_BY)
    assert lines(up) == ["0", "3", "  2", "    1 [cycle]"]


def test_self_cycle():
    store = Store([(1, 1), (1, 2)])
    root, w = store.tree(s(1))
    assert lines(root) == ["1 [cycle]", "2"]
    assert g.cycles(w.edges) == [[s(1)]]


def test_big_cycle_terminates():
    store = Store([(i, (i + 1) % 500) for i in range(500)])
    root, w = store.tree(s(0), max_depth=1000, max_nodes=1000)
    assert len(w.distance) == 500
    assert g.flatten(root)[-1].ref == g.CYCLE
    assert g.cycles(w.edges) == [sorted((s(i) for i in range(500)), key=g._sort_key)]


def test_no_cycles():
    assert g.cycles(chain(5).edges) == []
    assert g.cycles([]) == []


def test_depth_limit_marks_the_edge_of_the_tree():
    root, w = chain(10).tree(s(1), max_depth=2)
    assert lines(root) == ["2", "  3 [more]"]
    assert w.hidden_levels == 7


def test_cycle_closing_at_the_depth_limit_is_kept():
    store = Store([(1, 2), (2, 1)])
    w = store.walk(s(1), max_depth=1)
    assert Edge(s(2), s(1), "runs_on") in w.edges
    assert w.hidden_levels == 0
    root = g.tree(s(1), w.edges, NEEDS, max_depth=1, more=w.more)
    assert lines(root) == ["2"]  # going back to 1 is the cycle, not more levels


def test_node_cap_marks_truncated_parent():
    store = Store([(0, i) for i in range(1, 20)])
    root, w = store.tree(s(0), max_nodes=5)
    assert len(root.children) == 4
    assert root.more


def test_kinds_of_dependency_are_kept():
    store = Store(
        [Edge(s(1), ("component", 7), "runs_on"), Edge(s(1), ("system", 2), "integrates_with")]
    )
    root, _ = store.tree(s(1))
    assert [(c.key, c.edge.kind) for c in root.children] == [
        (("component", 7), "runs_on"),
        (("system", 2), "integrates_with"),
    ]


def test_tree_sort_key():
    store = Store([(1, 3), (1, 2)])
    w = store.walk(s(1))
    names = {s(2): "Zeta", s(3): "Alpha"}
    root = g.tree(s(1), w.edges, NEEDS, max_depth=5, sort_key=lambda k: names[k])
    assert [c.key for c in root.children] == [s(3), s(2)]


# --- the picture ---------------------------------------------------------------------------


def test_picture_levels_and_visibility():
    store = Store([(1, 2), (2, 3), (0, 1), (2, 1)])
    walks = {
        NEEDS: store.walk(s(1), NEEDS),
        NEEDED_BY: store.walk(s(1), NEEDED_BY),
    }
    labels = {s(0): "Zero", s(1): "One", s(2): "Two"}  # 3 is not visible
    data = g.picture(s(1), walks, labels, {s(2): "/two/"})
    levels = {n["id"]: n["level"] for n in data["nodes"]}
    assert levels == {"system-0": -1, "system-1": 0, "system-2": 1}
    assert data["focus"] == "system-1"
    assert [n["focus"] for n in data["nodes"] if n["id"] == "system-1"] == [True]
    assert {(e["source"], e["target"], e["cycle"]) for e in data["edges"]} == {
        ("system-1", "system-2", True),
        ("system-2", "system-1", True),
        ("system-0", "system-1", False),
    }
    assert [n["url"] for n in data["nodes"] if n["id"] == "system-2"] == ["/two/"]


def test_graph_module_is_pure_python():
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(g.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name.split(".")[0] in ("django", "townhall") for name in imported)
