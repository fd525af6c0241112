"""The continuity analysis on small graphs worked out by hand, plus a few large shapes and a
cross-check against slow, obviously right definitions on random graphs. No database."""

import gc
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from townhall.continuity import analysis as a
from townhall.continuity.analysis import Graph, Item

ROOT = Path(__file__).resolve().parents[3]


def svc(name: str, restore: float | None = None, **kw) -> Item:
    return Item("service", name, name=name, restore_hours=restore, **kw)


def sys_(name: str, restore: float | None = None, **kw) -> Item:
    return Item("system", name, name=name, restore_hours=restore, **kw)


def comp(name: str, restore: float | None = None, **kw) -> Item:
    return Item("component", name, name=name, restore_hours=restore, **kw)


def graph(items: list[Item], *pairs: str) -> Graph:
    """Edges written "A>B": A needs B."""
    keys = {i.id: i.key for i in items}
    return Graph(items, [(keys[x], keys[y]) for x, y in (p.split(">") for p in pairs)])


def names(keys) -> list:
    return [k[1] for k in keys]


def hours(g: Graph) -> dict[str, float]:
    return {k[1]: h for k, h in a.recovery_times(g).as_dict().items()}


def tiers(g: Graph) -> list[list[str]]:
    return [names(t) for t in a.recovery_order(g).tiers]


# --- effective recovery times and order -----------------------------------------------------


def test_chain():
    # S(1) -> A(2) -> B(3) -> C(4): each adds its own time to the one below.
    g = graph([svc("S", 1), sys_("A", 2), comp("B", 3), comp("C", 4)], "S>A", "A>B", "B>C")
    assert hours(g) == {"S": 10, "A": 9, "B": 7, "C": 4}
    times = a.recovery_times(g)
    assert names(times.chain(("service", "S"))) == ["S", "A", "B", "C"]
    assert names(times.chain(("component", "C"))) == ["C"]
    assert not times.at_least(("service", "S"))
    assert tiers(g) == [["C"], ["B"], ["A"], ["S"]]
    assert a.recovery_order(g).cycles == ()
    assert g.cycles() == ()


def test_diamond_counts_the_shared_dependency_once():
    # S(1) needs A(2) and B(5), both need D(3). Branches recover in parallel:
    # D = 3, A = 2 + 3 = 5, B = 5 + 3 = 8, S = 1 + max(5, 8) = 9 (not 1 + 5 + 8 or 1+2+5+3+3).
    g = graph(
        [svc("S", 1), sys_("A", 2), sys_("B", 5), comp("D", 3)],
        "S>A",
        "S>B",
        "A>D",
        "B>D",
    )
    assert hours(g) == {"S": 9, "A": 5, "B": 8, "D": 3}
    assert names(a.recovery_times(g).chain(("service", "S"))) == ["S", "B", "D"]
    assert tiers(g) == [["D"], ["A", "B"], ["S"]]


def test_wide_diamond_where_the_shared_part_is_slow():
    # S(0) needs A(1) and B(1); both need D(10). S = 0 + 1 + 10 = 11, once.
    g = graph([svc("S", 0), sys_("A", 1), sys_("B", 1), comp("D", 10)], "S>A", "S>B", "A>D", "B>D")
    assert hours(g)["S"] == 11
    assert names(a.recovery_times(g).chain(("service", "S"))) == ["S", "A", "D"]  # first of ties


def test_cycle_of_two_with_a_dependant():
    # X(1) -> A(2) <-> B(5) -> C(3). A and B recover together, as one unit taking
    # max(2, 5) = 5: A = B = 5 + 3 = 8, X = 1 + 8 = 9.
    g = graph([svc("X", 1), sys_("A", 2), sys_("B", 5), comp("C", 3)], "X>A", "A>B", "B>A", "B>C")
    assert hours(g) == {"X": 9, "A": 8, "B": 8, "C": 3}
    times = a.recovery_times(g)
    assert names(times.chain(("service", "X"))) == ["X", "A", "B", "C"]
    assert names(times.chain(("system", "A"))) == ["A", "B", "C"]
    assert names(times.chain(("system", "B"))) == ["B", "C"]
    (cycle,) = g.cycles()
    assert names(cycle.members) == ["A", "B"]
    assert cycle.restore_hours == 5 and not cycle.at_least
    order = a.recovery_order(g)
    assert tiers(g) == [["C"], ["A", "B"], ["X"]]
    assert order.tier[("system", "A")] == order.tier[("system", "B")] == 1
    assert order.cycles == (cycle,)


def test_cycle_of_three_goes_round_to_its_slowest_member():
    # A(1) -> B(2) -> C(4) -> A, A -> D(3); S(1) needs A, T(2) needs B.
    # The cycle takes max(1, 2, 4) = 4: A = B = C = 4 + 3 = 7, S = 8, T = 9.
    g = graph(
        [svc("S", 1), svc("T", 2), sys_("A", 1), sys_("B", 2), sys_("C", 4), comp("D", 3)],
        "S>A",
        "T>B",
        "A>B",
        "B>C",
        "C>A",
        "A>D",
    )
    assert hours(g) == {"S": 8, "T": 9, "A": 7, "B": 7, "C": 7, "D": 3}
    times = a.recovery_times(g)
    # Round the cycle to C, which sets its time, then on through A, where it leaves.
    assert names(times.chain(("service", "S"))) == ["S", "A", "B", "C", "A", "D"]
    assert names(times.chain(("service", "T"))) == ["T", "B", "C", "A", "D"]
    (cycle,) = g.cycles()
    assert names(cycle.members) == ["A", "B", "C"] and cycle.restore_hours == 4
    assert tiers(g) == [["D"], ["A", "B", "C"], ["S", "T"]]


def test_self_loop_is_a_cycle_of_one_and_is_not_looped_on():
    g = graph([sys_("A", 3), comp("B", 2)], "A>A", "A>B")
    assert hours(g) == {"A": 5, "B": 2}
    (cycle,) = g.cycles()
    assert names(cycle.members) == ["A"]
    assert tiers(g) == [["B"], ["A"]]
    assert names(a.recovery_times(g).chain(("system", "A"))) == ["A", "B"]
    assert names(g.dependencies(("system", "A"))) == ["A", "B"]


def test_two_cycles_in_a_row_and_cycles_listed_largest_first():
    # P <-> Q (1, 1) needs R -> S -> T -> R (2, 6, 1), which needs U(4).
    g = graph(
        [sys_(n, h) for n, h in [("P", 1), ("Q", 1), ("R", 2), ("S", 6), ("T", 1), ("U", 4)]],
        "P>Q",
        "Q>P",
        "Q>R",
        "R>S",
        "S>T",
        "T>R",
        "T>U",
    )
    assert hours(g) == {"P": 11, "Q": 11, "R": 10, "S": 10, "T": 10, "U": 4}
    assert [names(c.members) for c in g.cycles()] == [["R", "S", "T"], ["P", "Q"]]
    assert names(a.recovery_times(g).chain(("system", "P"))) == ["P", "Q", "R", "S", "T", "U"]
    assert tiers(g) == [["U"], ["R", "S", "T"], ["P", "Q"]]


def test_unknown_restore_times_give_a_lower_bound_and_are_named():
    # S(1) -> A(?) -> B(2); S -> C(5). A counts as 0: A = 2 (at least), S = 1 + max(2, 5) = 6,
    # also at least: A, off the critical chain, might be slower than C.
    g = graph([svc("S", 1), sys_("A"), comp("B", 2), comp("C", 5)], "S>A", "A>B", "S>C")
    times = a.recovery_times(g)
    assert hours(g) == {"S": 6, "A": 2, "B": 2, "C": 5}
    s = times.get(("service", "S"))
    assert (s.hours, s.at_least, names(s.chain), names(s.unknown)) == (6, True, ["S", "C"], ["A"])
    assert times.at_least(("system", "A")) and names(times.unknown(("system", "A"))) == ["A"]
    assert not times.at_least(("component", "C")) and times.unknown(("component", "C")) == ()
    assert not times.at_least(("component", "B"))


def test_unknown_member_makes_a_cycle_at_least():
    g = graph([svc("S", 1), sys_("A"), sys_("B", 2)], "S>A", "A>B", "B>A")
    (cycle,) = g.cycles()
    assert cycle.at_least and cycle.restore_hours == 2
    times = a.recovery_times(g)
    assert times.hours(("service", "S")) == 3 and times.at_least(("service", "S"))
    assert names(times.unknown(("service", "S"))) == ["A"]


# --- RTO and RPO -----------------------------------------------------------------------------


def test_rto_gaps_largest_first_with_chains():
    items = [
        svc("S", 1, rto_hours=4),  # 1 + 2 + 3 = 6: gap 2
        svc("T", 1, rto_hours=8),  # 1 + 3 = 4: fine
        svc("U", 1, rto_hours=3),  # 1 + ? : met only if Q is quick
        svc("W", 1, rto_hours=1),  # 1 + max(?, 3) = 4, at least: gap 3 or more
        sys_("A", 2),
        comp("B", 3),
        comp("Q"),
    ]
    g = graph(items, "S>A", "A>B", "T>B", "U>Q", "W>Q", "W>B")
    gaps = a.rto_gaps(g)
    assert [(names([x.key])[0], x.gap_hours, x.at_least) for x in gaps] == [
        ("W", 3, True),
        ("S", 2, False),
    ]
    assert names(gaps[1].chain) == ["S", "A", "B"]
    assert (gaps[1].rto_hours, gaps[1].recovery_hours) == (4, 6)
    assert names(a.rto_unconfirmed(g)) == ["U"]


def test_rto_met_exactly_despite_float_sums():
    g = graph([svc("S", 0.1, rto_hours=0.3), comp("A", 0.2)], "S>A")
    assert a.rto_gaps(g) == []


def test_rto_inversion_hidden_behind_an_item_without_rto():
    # Service (4 h) -> system (no RTO) -> database (24 h).
    g = graph([svc("S", rto_hours=4), sys_("X"), comp("DB", rto_hours=24)], "S>X", "X>DB")
    (inv,) = a.rto_inversions(g)
    assert (inv.dependant[1], inv.dependant_rto_hours) == ("S", 4)
    assert (inv.dependency[1], inv.dependency_rto_hours) == ("DB", 24)
    assert names(inv.chain) == ["S", "X", "DB"] and inv.excess_hours == 20


def test_rto_inversions_name_the_tightest_dependant():
    # S (4) -> X -> DB (24); T (2) -> DB; DB -> SAN (8); U (48) -> SAN.
    # DB: the tightest above is T's 2 -> excess 22. SAN: DB's own 24 is looser than the 2 that
    # comes down through DB, so T again -> excess 6. DB -> SAN itself is no inversion.
    g = graph(
        [
            svc("S", rto_hours=4),
            svc("T", rto_hours=2),
            svc("U", rto_hours=48),
            sys_("X"),
            comp("DB", rto_hours=24),
            comp("SAN", rto_hours=8),
        ],
        "S>X",
        "X>DB",
        "T>DB",
        "DB>SAN",
        "U>SAN",
    )
    found = [
        (i.dependant[1], i.dependency[1], i.excess_hours, names(i.chain))
        for i in a.rto_inversions(g)
    ]
    assert found == [("T", "DB", 22, ["T", "DB"]), ("T", "SAN", 6, ["T", "DB", "SAN"])]


def test_equal_rtos_and_loose_dependants_are_not_inversions():
    g = graph([svc("S", rto_hours=4), sys_("A", rto_hours=4), comp("B", rto_hours=1)], "S>A", "A>B")
    assert a.rto_inversions(g) == []


def test_rto_inversion_inside_a_cycle_and_none_for_a_self_loop():
    # A (4) <-> B (24): B is needed by A. C (8) needs only itself.
    g = graph(
        [sys_("A", rto_hours=4), sys_("B", rto_hours=24), sys_("C", rto_hours=8)],
        "A>B",
        "B>A",
        "C>C",
    )
    (inv,) = a.rto_inversions(g)
    assert (inv.dependant[1], inv.dependency[1], names(inv.chain)) == ("A", "B", ["A", "B"])


def test_rto_inversion_chain_through_a_cycle():
    # S (2) -> P <-> Q -> DB (12): the chain goes through the cycle to where it leaves.
    g = graph(
        [svc("S", rto_hours=2), sys_("P"), sys_("Q"), comp("DB", rto_hours=12)],
        "S>P",
        "P>Q",
        "Q>P",
        "Q>DB",
    )
    (inv,) = a.rto_inversions(g)
    assert names(inv.chain) == ["S", "P", "Q", "DB"]


def test_rpo_gaps_name_the_worst_data_store():
    items = [
        svc("S", rpo_target_hours=1),  # APP needs DB (4) and FILES (24): gap 23 from FILES
        svc("T", rpo_target_hours=48),  # same stores, looser target: fine
        svc("V", rpo_target_hours=0.5),  # DB only: gap 3.5
        svc("W", rpo_target_hours=1),  # needs nothing with an achievable RPO
        svc("X", rpo_target_hours=1, rpo_achievable_hours=4),  # its own backups: gap 3
        sys_("APP"),
        sys_("APP2"),
        comp("DB", rpo_achievable_hours=4),
        comp("FILES", rpo_achievable_hours=24),
    ]
    g = graph(items, "S>APP", "T>APP", "APP>DB", "APP>FILES", "V>DB", "W>APP2")
    gaps = a.rpo_gaps(g)
    assert [(x.key[1], x.data_store[1], x.gap_hours, names(x.chain)) for x in gaps] == [
        ("S", "FILES", 23, ["S", "APP", "FILES"]),
        ("V", "DB", 3.5, ["V", "DB"]),
        ("X", "X", 3, ["X"]),
    ]


def test_rpo_gap_through_a_cycle():
    g = graph(
        [svc("S", rpo_target_hours=1), sys_("A"), sys_("B"), comp("DB", rpo_achievable_hours=6)],
        "S>A",
        "A>B",
        "B>A",
        "B>DB",
    )
    (gap,) = a.rpo_gaps(g)
    assert names(gap.chain) == ["S", "A", "B", "DB"] and gap.rpo_achievable_hours == 6


# --- single points of failure ----------------------------------------------------------------


def spof_graph() -> Graph:
    # Mission-essential S1, S2, S3; N is not. SAN stops S1 and S2 (through DB1) and S3: 3.
    # DB1 stops S1, S2: 2. NET stops S3 only (N does not count). APP4 stops nothing.
    return graph(
        [
            svc("S1", mission_essential=True),
            svc("S2", mission_essential=True),
            svc("S3", mission_essential=True),
            svc("N"),
            sys_("APP1"),
            sys_("APP2"),
            sys_("APP3"),
            sys_("APP4"),
            comp("DB1"),
            comp("SAN"),
            comp("NET"),
        ],
        "S1>APP1",
        "S2>APP2",
        "S3>APP3",
        "N>APP4",
        "APP1>DB1",
        "APP2>DB1",
        "DB1>SAN",
        "APP3>SAN",
        "APP4>NET",
        "S3>NET",
    )


def test_single_points_of_failure_ranked():
    g = spof_graph()
    ranked = [(p.key[1], p.count, names(p.stops)) for p in a.single_points_of_failure(g)]
    assert ranked[:2] == [("SAN", 3, ["S1", "S2", "S3"]), ("DB1", 2, ["S1", "S2"])]
    # Then the ones stopping one, in the order given; no service is listed for itself.
    assert ranked[2:] == [
        ("APP1", 1, ["S1"]),
        ("APP2", 1, ["S2"]),
        ("APP3", 1, ["S3"]),
        ("NET", 1, ["S3"]),
    ]
    components = a.single_points_of_failure(g, kinds={"component"}, limit=2)
    assert [(p.key[1], p.count) for p in components] == [("SAN", 3), ("DB1", 2)]
    counts = {k[1]: n for k, n in a.loss_counts(g).items()}
    assert counts == {"SAN": 3, "DB1": 2, "NET": 1} | {n: 1 for n in ["APP1", "APP2", "APP3"]}


def test_single_points_of_failure_in_a_cycle():
    # S (essential) <-> A: losing A stops S; B, below both, too; S is not one for itself.
    g = graph([svc("S", mission_essential=True), sys_("A"), comp("B")], "S>A", "A>S", "A>B")
    assert {k[1]: n for k, n in a.loss_counts(g).items()} == {"A": 1, "B": 1}


def test_a_service_is_never_a_single_point_of_failure_for_itself():
    # A mission-essential service nothing else needs stops only itself: not listed.
    alone = graph([svc("S", mission_essential=True), comp("A")], "S>A")
    assert [(p.key[1], p.stops) for p in a.single_points_of_failure(alone, limit=None)] == [
        ("A", (("service", "S"),))
    ]
    assert a.loss_counts(alone) == {("component", "A"): 1}
    # Two mission-essential services, one needing the other (and one needing itself): each
    # is counted for the other only.
    g = graph(
        [svc("S1", mission_essential=True), svc("S2", mission_essential=True), comp("A")],
        "S1>S2",
        "S2>S2",
        "S2>A",
    )
    points = {p.key[1]: [k[1] for k in p.stops] for p in a.single_points_of_failure(g)}
    assert points == {"A": ["S1", "S2"], "S2": ["S1"]}
    for point in a.single_points_of_failure(g, limit=None):
        assert point.key not in point.stops
    # In a cycle of two mission-essential services, each stops the other, not itself.
    cycle = graph(
        [svc("S1", mission_essential=True), svc("S2", mission_essential=True)], "S1>S2", "S2>S1"
    )
    points = {p.key[1]: [k[1] for k in p.stops] for p in a.single_points_of_failure(cycle)}
    assert points == {"S1": ["S2"], "S2": ["S1"]}


def test_no_mission_essential_items_no_single_points():
    g = graph([svc("S"), comp("A")], "S>A")
    assert a.single_points_of_failure(g) == [] and a.loss_counts(g) == {}


# --- everything at once, the edges of the input -----------------------------------------------


def test_analyze_bundles_every_answer():
    g = spof_graph()
    result = a.analyze(g.items, [(k, d) for k in g.keys for d in g.dependencies(k)])
    assert result.graph.edge_count == 10
    assert result.times.hours(("service", "S1")) == 0
    assert result.single_points[0].key == ("component", "SAN")
    assert len(result.order.tiers) == 4
    assert result.rto_gaps == result.rto_inversions == result.rpo_gaps == []


def test_empty_graph():
    result = a.analyze([], [])
    assert result.order.tiers == () and result.single_points == []
    assert result.times.as_dict() == {}


def test_duplicate_edges_change_nothing():
    g = graph([svc("S", 1), comp("A", 2)], "S>A", "S>A")
    assert hours(g) == {"S": 3, "A": 2} and tiers(g) == [["A"], ["S"]]
    assert g.dependencies(("service", "S")) == (("component", "A"),)


def test_decimal_hours_from_the_database_become_floats():
    g = graph([svc("S", Decimal("1.5"), rto_hours=Decimal("2")), comp("A", Decimal("1.25"))], "S>A")
    (gap,) = a.rto_gaps(g)
    assert gap.recovery_hours == 2.75 and gap.gap_hours == 0.75
    assert isinstance(gap.rto_hours, float)


def test_the_garbage_collector_is_left_as_it_was():
    assert gc.isenabled()
    graph([svc("S", 1)])
    assert gc.isenabled()
    gc.disable()
    try:
        graph([svc("S", 1)])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="given twice"):
        Graph([svc("S"), svc("S")], [])
    with pytest.raises(ValueError, match="unknown item"):
        Graph([svc("S")], [(("service", "S"), ("system", 9))])
    with pytest.raises(ValueError, match="0 or more"):
        Graph([svc("S", -1)], [])
    with pytest.raises(ValueError, match="0 or more"):
        Graph([svc("S", rto_hours=float("nan"))], [])
    g = Graph([svc("S")], [])
    assert ("service", "S") in g and ("service", "T") not in g
    with pytest.raises(KeyError):
        a.recovery_times(g).hours(("service", "T"))


# --- large shapes ----------------------------------------------------------------------------


def test_chain_of_200000_items_needs_no_recursion():
    n = 200_000
    items = [Item("component", i, restore_hours=1.0) for i in range(n)]
    items[n // 2] = Item("component", n // 2)  # unknown, halfway down
    g = Graph(items, [(("component", i), ("component", i + 1)) for i in range(n - 1)])
    times = a.recovery_times(g)
    assert times.hours(("component", 0)) == n - 1
    assert times.at_least(("component", 0)) and not times.at_least(("component", n // 2 + 1))
    assert times.unknown(("component", 0)) == (("component", n // 2),)
    assert len(times.chain(("component", 0))) == n
    order = a.recovery_order(g)
    assert len(order.tiers) == n and order.tier[("component", 0)] == n - 1


def test_ring_of_100000_items_is_one_cycle():
    n = 100_000
    items = [Item("system", i, restore_hours=float(i % 7)) for i in range(n)]
    items.append(Item("service", "S", restore_hours=1.0))
    edges = [(("system", i), ("system", (i + 1) % n)) for i in range(n)]
    edges.append((("service", "S"), ("system", 0)))
    g = Graph(items, edges)
    (cycle,) = g.cycles()
    assert len(cycle.members) == n and cycle.restore_hours == 6
    times = a.recovery_times(g)
    assert times.hours(("service", "S")) == 7
    assert names(times.chain(("service", "S"))) == ["S", 0, 1, 2, 3, 4, 5, 6]
    assert len(a.recovery_order(g).tiers) == 2


# --- against the definitions, on random graphs -----------------------------------------------


def reaches(n: int, edges: list[tuple[int, int]]) -> list[set[int]]:
    """What each node reaches through one or more edges, by repeated widening."""
    out = [{v for u, v in edges if u == x} for x in range(n)]
    changed = True
    while changed:
        changed = False
        for x in range(n):
            wider = out[x].union(*(out[y] for y in out[x]))
            if wider != out[x]:
                out[x], changed = wider, True
    return out


def check_path(g: Graph, path: tuple) -> None:
    for x, y in zip(path, path[1:], strict=False):
        assert y in g.dependencies(x), (x, y)


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_match_the_definitions(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 12)
    items = [
        Item(
            rng.choice(["service", "system", "component"]),
            i,
            restore_hours=rng.choice([None, 0, 1, 2, 3, 5, 8]),
            rto_hours=rng.choice([None, None, 1, 4, 8, 24]),
            rpo_target_hours=rng.choice([None, None, 1, 4]),
            rpo_achievable_hours=rng.choice([None, None, None, 2, 8]),
            mission_essential=rng.random() < 0.4,
        )
        for i in range(n)
    ]
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, 2 * n))]
    g = Graph(items, [(items[u].key, items[v].key) for u, v in edges])
    reach = reaches(n, edges)
    closure = [reach[x] | {x} for x in range(n)]  # what x depends on, itself included
    same = [{y for y in closure[x] if x in closure[y]} for x in range(n)]  # x's cycle
    restore = [i.restore_hours or 0 for i in items]
    key = [i.key for i in items]

    # Effective recovery time: the longest path over units, by repeated relaxation.
    unit_time = [max(restore[y] for y in same[x]) for x in range(n)]
    ert = list(unit_time)
    for _ in range(n + 1):
        for x in range(n):
            below = [ert[y] for y in reach[x] if y not in same[x]]
            ert[x] = unit_time[x] + max(below, default=0)
    times = a.recovery_times(g)
    for x in range(n):
        assert times.hours(key[x]) == ert[x]
        unknown = [y for y in sorted(closure[x]) if items[y].restore_hours is None]
        assert times.unknown(key[x]) == tuple(key[y] for y in unknown)
        assert times.at_least(key[x]) == bool(unknown)
        chain = times.chain(key[x])
        check_path(g, chain)
        units = []
        for k in chain:
            if not units or k[1] not in same[units[-1]]:
                units.append(k[1])
        assert sum(unit_time[u] for u in units) == ert[x]

    # Recovery order: the lowest tier above everything it needs outside its own cycle.
    order = a.recovery_order(g)
    tier = [0] * n
    for _ in range(n + 1):
        for x in range(n):
            tier[x] = max((tier[y] + 1 for y in reach[x] if y not in same[x]), default=0)
    assert [order.tier[key[x]] for x in range(n)] == tier
    cycles = {frozenset(same[x]) for x in range(n) if x in reach[x]}
    assert {frozenset(k[1] for k in c.members) for c in g.cycles()} == cycles

    # Single points of failure: the other essential items that depend on it.
    counts = a.loss_counts(g)
    for x in range(n):
        stopped = {y for y in range(n) if y != x and items[y].mission_essential and x in closure[y]}
        assert counts.get(key[x], 0) == len(stopped)

    # RTO inversions: the tightest RTO among the other items that depend on it.
    inversions = {i.dependency: i for i in a.rto_inversions(g)}
    for x in range(n):
        above = [
            items[y].rto_hours
            for y in range(n)
            if y != x and x in closure[y] and items[y].rto_hours is not None
        ]
        own = items[x].rto_hours
        if own is not None and above and own > min(above):
            inv = inversions.pop(key[x])
            assert inv.dependant_rto_hours == min(above)
            assert g.item(inv.dependant).rto_hours == min(above)
            assert inv.chain[0] == inv.dependant and inv.chain[-1] == key[x]
            check_path(g, inv.chain)
    assert inversions == {}

    # RPO gaps: the worst achievable RPO among what it depends on.
    gaps = {gap.key: gap for gap in a.rpo_gaps(g)}
    for x in range(n):
        stores = [items[y].rpo_achievable_hours for y in closure[x]]
        worst = max((s for s in stores if s is not None), default=None)
        target = items[x].rpo_target_hours
        if target is not None and worst is not None and worst > target:
            gap = gaps.pop(key[x])
            assert gap.rpo_achievable_hours == worst
            assert g.item(gap.data_store).rpo_achievable_hours == worst
            assert gap.chain[0] == key[x] and gap.chain[-1] == gap.data_store
            check_path(g, gap.chain)
    assert gaps == {}


def test_module_imports_no_django():
    code = (
        "import sys; import townhall.continuity.analysis; "
        "sys.exit(1 if any(m.split('.')[0] == 'django' for m in sys.modules) else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert done.returncode == 0


# --- everything an item needs ---------------------------------------------------------------


def test_needs_through_a_diamond_a_cycle_and_a_self_loop():
    """S needs A and B, both need C (a diamond); C and D need each other (a cycle) and D
    needs E, which needs itself; F needs nothing and is needed by nobody."""
    g = graph(
        [svc("S"), sys_("A"), sys_("B"), comp("C"), comp("D"), comp("E"), comp("F")],
        "S>A",
        "S>B",
        "A>C",
        "B>C",
        "C>D",
        "D>C",
        "D>E",
        "E>E",
    )
    assert sorted(names(g.needs(("service", "S")))) == ["A", "B", "C", "D", "E"]
    assert len(g.needs(("service", "S"))) == 5  # the shared C once
    assert sorted(names(g.needs(("component", "C")))) == ["D", "E"]  # its cycle, not itself
    assert names(g.needs(("component", "E"))) == []  # a self-loop is not a need
    assert names(g.needs(("component", "F"))) == []


def test_chain_inside_a_large_cycle_is_a_shortest_path_of_real_edges():
    """A ring of six components with a shortcut: S enters at C1, the slowest member is C4.
    C1>C2>C3>C4 takes three steps round the ring, the shortcut C1>C3 makes it two."""
    ring = [comp(f"C{n}", 1) for n in range(1, 7)]
    ring[3] = comp("C4", 9)
    pairs = [f"C{n}>C{n % 6 + 1}" for n in range(1, 7)] + ["C1>C3", "S>C1"]
    g = graph([svc("S"), *ring], *pairs)
    chain = a.recovery_times(g).chain(("service", "S"))
    assert names(chain) == ["S", "C1", "C3", "C4"]
    edges = {tuple(p.split(">")) for p in pairs}
    assert all((x[1], y[1]) in edges for x, y in zip(chain, chain[1:], strict=False))
