"""Redundancy groups in the continuity analysis: small graphs worked out by hand. No database.

A group ("G") is an item whose dependencies are its members, any one of which is enough."""

from townhall.continuity import analysis as a
from townhall.continuity.analysis import Graph, Item


def svc(name: str, restore: float | None = 0, **kw) -> Item:
    return Item("service", name, name=name, restore_hours=restore, **kw)


def comp(name: str, restore: float | None = None, **kw) -> Item:
    return Item("component", name, name=name, restore_hours=restore, **kw)


def group(name: str) -> Item:
    return Item("group", name, name=name, restore_hours=0, any_of=True)


def graph(items: list[Item], *pairs: str) -> Graph:
    """Edges written "A>B": A needs B."""
    keys = {i.id: i.key for i in items}
    return Graph(items, [(keys[x], keys[y]) for x, y in (p.split(">") for p in pairs)])


def stops(g: Graph) -> dict[str, list[str]]:
    """Each single point of failure and the names of what its loss stops."""
    return {
        p.key[1]: sorted(k[1] for k in p.stops) for p in a.single_points_of_failure(g, limit=None)
    }


def web(*extra: str, lb: float = 1, web1: float = 4, web2: float = 2) -> Graph:
    """S (essential) needs G = any of WEB1, WEB2; both web servers need the load balancer."""
    items = [
        svc("S", mission_essential=True),
        group("G"),
        comp("WEB1", web1),
        comp("WEB2", web2),
        comp("LB", lb),
    ]
    return graph(items, "S>G", "G>WEB1", "G>WEB2", "WEB1>LB", "WEB2>LB", *extra)


def test_losing_one_member_does_not_stop_the_group_but_what_all_need_does():
    g = web()
    # WEB1 or WEB2 alone: S runs on the other. LB: both web servers stop, so S does.
    assert stops(g) == {"LB": ["S"]}
    assert a.loss_counts(g) == {("component", "LB"): 1}


def test_both_members_gone_is_the_only_way_through_members():
    # With each web server on its own switch, nothing but losing both stops S.
    items = [
        svc("S", mission_essential=True),
        group("G"),
        comp("WEB1", 1),
        comp("WEB2", 1),
        comp("SW1", 1),
        comp("SW2", 1),
    ]
    g = graph(items, "S>G", "G>WEB1", "G>WEB2", "WEB1>SW1", "WEB2>SW2")
    assert stops(g) == {}


def test_recovery_through_a_group_is_its_fastest_member_with_its_own_chain():
    # WEB1: 4 + LB 1 = 5; WEB2: 2 + 1 = 3. S waits for WEB2's chain only.
    g = web()
    times = a.recovery_times(g)
    assert times.hours(("service", "S")) == 3
    assert times.chain(("service", "S")) == (
        ("service", "S"),
        ("group", "G"),
        ("component", "WEB2"),
        ("component", "LB"),
    )
    assert times.hours(("group", "G")) == 3
    assert not times.at_least(("service", "S"))


def test_a_member_with_a_longer_chain_is_not_the_fastest():
    # WEB2 restores faster (2 h) but needs a slow database (10 h): WEB1 (4 + 1) wins.
    items = [*web().items, comp("DB", 10)]
    keys = {i.id: i.key for i in items}
    edges = [
        ("S", "G"),
        ("G", "WEB1"),
        ("G", "WEB2"),
        ("WEB1", "LB"),
        ("WEB2", "LB"),
        ("WEB2", "DB"),
    ]
    g = Graph(items, [(keys[x], keys[y]) for x, y in edges])
    assert a.recovery_times(g).hours(("service", "S")) == 5


def test_an_unknown_fastest_member_makes_the_time_a_lower_bound():
    items = [svc("S"), group("G"), comp("A", None), comp("B", 3)]
    g = graph(items, "S>G", "G>A", "G>B")
    times = a.recovery_times(g)
    assert times.hours(("service", "S")) == 0
    assert times.at_least(("service", "S"))
    assert times.unknown(("service", "S")) == (("component", "A"),)
    # An exact member as fast as an unknown one: the time is exact.
    items = [svc("S"), group("G"), comp("A", None), comp("B", 0)]
    g = graph(items, "S>G", "G>A", "G>B")
    assert not a.recovery_times(g).at_least(("service", "S"))


def test_rto_gap_and_recovery_order_through_a_group():
    items = [
        svc("S", rto_hours=2.5, mission_essential=True),
        group("G"),
        comp("WEB1", 4),
        comp("WEB2", 2),
        comp("LB", 1),
    ]
    g = graph(items, "S>G", "G>WEB1", "G>WEB2", "WEB1>LB", "WEB2>LB")
    gaps = a.rto_gaps(g)
    assert [(x.key[1], x.recovery_hours) for x in gaps] == [("S", 3)]
    order = a.recovery_order(g)
    assert order.tier[("component", "LB")] == 0
    assert order.tier[("group", "G")] == 2  # after its first member (tier 1)
    assert order.tier[("service", "S")] == 3


def test_a_member_shared_by_two_groups():
    # S1 needs G1 = {A, B}; S2 needs G2 = {B, C}. No single loss stops either service.
    items = [
        svc("S1", mission_essential=True),
        svc("S2", mission_essential=True),
        group("G1"),
        group("G2"),
        comp("A", 5),
        comp("B", 1),
        comp("C", 3),
    ]
    g = graph(items, "S1>G1", "S2>G2", "G1>A", "G1>B", "G2>B", "G2>C")
    assert stops(g) == {}
    times = a.recovery_times(g)
    assert times.hours(("service", "S1")) == 1
    assert times.hours(("service", "S2")) == 1


def test_a_group_of_groups_and_a_member_needing_the_other():
    # G = {A, B}, B needs A: losing A stops B too, so it stops the group and S.
    items = [svc("S", mission_essential=True), group("G"), comp("A", 1), comp("B", 1)]
    g = graph(items, "S>G", "G>A", "G>B", "B>A")
    assert stops(g) == {"A": ["S"]}
    # An outer group whose members are two groups sharing X: losing X stops everything.
    items = [
        svc("S", mission_essential=True),
        group("OUT"),
        group("G1"),
        group("G2"),
        comp("A", 1),
        comp("B", 1),
        comp("C", 1),
        comp("D", 1),
        comp("X", 1),
    ]
    pairs = ["S>OUT", "OUT>G1", "OUT>G2", "G1>A", "G1>B", "G2>C", "G2>D"]
    pairs += ["A>X", "B>X", "C>X", "D>X"]
    g = graph(items, *pairs)
    assert stops(g) == {"X": ["S"]}


def test_a_diamond_through_a_group():
    # S needs G = {A, B} and also needs C directly; A and B both need C too.
    items = [
        svc("S", mission_essential=True),
        group("G"),
        comp("A", 2),
        comp("B", 3),
        comp("C", 1),
    ]
    g = graph(items, "S>G", "S>C", "G>A", "G>B", "A>C", "B>C")
    assert stops(g) == {"C": ["S"]}
    assert a.recovery_times(g).hours(("service", "S")) == 3  # A 2 + C 1


def test_a_group_in_a_cycle():
    # A needs G = {A2, B}; A2 needs A (a pair that needs each other); B stands alone.
    # The cycle {A, G, A2} recovers together; G is met by A2 inside it, so B is not waited
    # for, and losing B stops nothing.
    items = [
        svc("S", mission_essential=True),
        comp("A", 2),
        group("G"),
        comp("A2", 3),
        comp("B", 9),
    ]
    g = graph(items, "S>A", "A>G", "G>A2", "G>B", "A2>A")
    times = a.recovery_times(g)
    assert times.hours(("service", "S")) == 3
    assert "B" not in stops(g)
    assert stops(g)["A"] == ["S"]
    assert [c.members for c in a.recovery_order(g).cycles] == [
        (("component", "A"), ("group", "G"), ("component", "A2"))
    ]


def test_a_group_is_never_listed_as_a_single_point_itself():
    g = web()
    assert ("group", "G") not in a.loss_counts(g)
    assert all(p.key[0] != "group" for p in a.single_points_of_failure(g, limit=None))


def test_a_group_whose_members_are_one_unit_counts_as_needing_it():
    # Both members need each other: they are one unit, so losing either stops S.
    items = [svc("S", mission_essential=True), group("G"), comp("A", 1), comp("B", 2)]
    g = graph(items, "S>G", "G>A", "G>B", "A>B", "B>A")
    assert stops(g) == {"A": ["S"], "B": ["S"]}
    assert a.recovery_times(g).hours(("service", "S")) == 2


def test_a_service_is_not_its_own_single_point_through_a_group():
    # S is essential and is a member of the group it needs: it stops nothing but itself.
    items = [svc("S", mission_essential=True), group("G"), comp("A", 1)]
    g = graph(items, "S>G", "G>A", "G>S")
    assert "S" not in stops(g)
