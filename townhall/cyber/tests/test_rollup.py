"""Roll-ups worked out by hand: means of applicable scored leaves per category and function,
counts, gaps, the list below target, the comparison with last time and implied levels."""

from decimal import Decimal as D

from townhall.cyber import rollup as r
from townhall.cyber.rollup import Mark, Node


def tree() -> list[Node]:
    """F1 ─ C1 (S1 S2 S3), C2 (S4 S5);  F2 ─ C3 (S6), C4 (no subcategories)."""
    return [
        Node("F1", None, "function", False, "Function one"),
        Node("C1", "F1", "category", False, "Category one"),
        Node("S1", "C1", "subcategory", True, "Leaf one"),
        Node("S2", "C1", "subcategory", True, "Leaf two"),
        Node("S3", "C1", "subcategory", True, "Leaf three"),
        Node("C2", "F1", "category", False),
        Node("S4", "C2", "subcategory", True),
        Node("S5", "C2", "subcategory", True),
        Node("F2", None, "function", False),
        Node("C3", "F2", "category", False),
        Node("S6", "C3", "subcategory", True),
        Node("C4", "F2", "category", False),
    ]


MARKS = {
    "S1": Mark(3),
    "S2": Mark(4),
    "S3": Mark(None, not_applicable=True),
    "S4": Mark(6),
    "S5": Mark(5),
    "S6": Mark(None),  # notes saved, no level: not scored
    "ELSEWHERE": Mark(1),  # not a leaf of this tree: ignored
}


def test_categories_functions_and_overall():
    result = r.roll_up(tree(), MARKS, target=5)
    c1, c2, c3, c4 = (result.nodes[i] for i in ("C1", "C2", "C3", "C4"))
    # C1: (3 + 4) / 2; S3 is not applicable, so it leaves the mean but is counted.
    assert (c1.mean, c1.scored, c1.not_applicable, c1.unscored) == (D("3.5"), 2, 1, 0)
    assert (c1.gap, c1.below, c1.total, c1.answered) == (D("1.5"), True, 3, 3)
    # C2: (6 + 5) / 2 = 5.5, above target: no gap.
    assert (c2.mean, c2.gap, c2.below) == (D("5.5"), D("0.0"), False)
    # C3: its only leaf has no level: no mean, one unscored.
    assert (c3.mean, c3.gap, c3.below, c3.unscored) == (None, None, False, 1)
    # C4: nothing below it at all.
    assert (c4.mean, c4.total) == (None, 0)
    # F1: the mean of its four scored leaves (3+4+6+5)/4 = 4.5, not the mean of 3.5 and 5.5
    # (which happens to be the same here; see the next test for a case where it is not).
    f1, f2 = result.functions
    assert (f1.identifier, f1.mean, f1.gap, f1.below, f1.scored) == (
        "F1",
        D("4.5"),
        D("0.5"),
        True,
        4,
    )
    assert (f2.identifier, f2.mean, f2.unscored, f2.total) == ("F2", None, 1, 1)
    o = result.overall
    assert (o.mean, o.scored, o.not_applicable, o.unscored, o.total) == (D("4.5"), 4, 1, 1, 6)
    assert [c.identifier for c in result.children("F1")] == ["C1", "C2"]
    assert [c.identifier for c in result.of_level("category")] == ["C1", "C2", "C3", "C4"]
    assert result.function_of == {
        "S1": "F1",
        "S2": "F1",
        "S3": "F1",
        "S4": "F1",
        "S5": "F1",
        "S6": "F2",
    }


def test_function_mean_weighs_every_leaf_the_same():
    marks = {"S1": Mark(1), "S2": Mark(1), "S3": Mark(1), "S4": Mark(7)}
    f1 = r.roll_up(tree(), marks).nodes["F1"]
    # (1 + 1 + 1 + 7) / 4 = 2.5; the mean of category means would have been (1 + 7) / 2 = 4.
    assert f1.mean == D("2.5")


def test_below_target_sorted_by_gap_then_tree_order():
    marks = {"S1": Mark(4), "S2": Mark(2), "S4": Mark(4), "S5": Mark(5), "S6": Mark(1)}
    below = r.roll_up(tree(), marks, target=5).below_target
    assert [(g.identifier, g.level, g.gap, g.function) for g in below] == [
        ("S6", 1, 4, "F2"),
        ("S2", 2, 3, "F1"),
        ("S1", 4, 1, "F1"),  # S1 before S4: same gap, earlier in the tree
        ("S4", 4, 1, "F1"),
    ]
    assert below[1].title == "Leaf two"


def test_a_different_target():
    result = r.roll_up(tree(), MARKS, target=3)
    assert result.nodes["C1"].below is False
    assert result.nodes["C1"].gap == D("0.0")
    assert result.below_target == []


def test_rounding_is_half_up_to_one_place():
    assert r.mean_of([3, 3, 3, 4]) == D("3.3")  # 3.25: half up (half-even would give 3.2)
    assert r.mean_of([1, 2, 2]) == D("1.7")  # 1.666…
    assert r.mean_of([4, 4, 5]) == D("4.3")  # 4.333…
    assert r.mean_of([]) is None
    assert r.round1(D("2.35")) == D("2.4")
    assert r.round1(D("2.349")) == D("2.3")


def test_a_mean_shown_as_five_is_not_below_target():
    # 19 fives and one four: 99 / 20 = 4.95, shown as 5.0 — so not below, no gap.
    nodes = [Node("F", None, "function", False)] + [
        Node(f"L{n}", "F", "subcategory", True) for n in range(20)
    ]
    marks = {f"L{n}": Mark(5) for n in range(19)} | {"L19": Mark(4)}
    f = r.roll_up(nodes, marks, target=5).nodes["F"]
    assert (f.mean, f.below, f.gap) == (D("5.0"), False, D("0.0"))


def test_nothing_scored_at_all():
    result = r.roll_up(tree(), {})
    assert result.overall.mean is None
    assert (result.overall.unscored, result.overall.scored) == (6, 0)
    assert result.below_target == []


def test_broken_trees_do_not_hang():
    nodes = [
        Node("A", "B", "category", False),
        Node("B", "A", "category", False),  # a loop
        Node("L1", "A", "subcategory", True),
        Node("L2", "GONE", "subcategory", True),  # a parent not in the tree
    ]
    result = r.roll_up(nodes, {"L1": Mark(2), "L2": Mark(6)})
    assert result.nodes["A"].mean == D("2.0")
    assert result.nodes["B"].mean == D("2.0")
    assert result.overall.mean == D("4.0")
    assert result.function_of["L2"] is None


def test_comparison_with_last_time():
    now = r.roll_up(
        tree() + [Node("F3", None, "function", False), Node("S7", "F3", "subcategory", True)],
        {"S1": Mark(4), "S2": Mark(4), "S4": Mark(5), "S5": Mark(5), "S7": Mark(3)},
    )
    before = r.roll_up(
        tree(), {"S1": Mark(3), "S2": Mark(3), "S4": Mark(6), "S5": Mark(6), "S6": Mark(2)}
    )
    rows = {c.identifier: c for c in r.compare(now, before)}
    assert (rows["C1"].before, rows["C1"].after, rows["C1"].delta) == (D("3.0"), D("4.0"), D("1.0"))
    assert rows["C1"].status == r.IMPROVED and rows["C1"].label == "Improved"
    assert (rows["C2"].delta, rows["C2"].status) == (D("-1.0"), r.DECLINED)
    assert (rows["F1"].before, rows["F1"].after, rows["F1"].status) == (D("4.5"), D("4.5"), r.SAME)
    assert (rows["C3"].delta, rows["C3"].status) == (None, r.NOT_SCORED)
    assert rows["C4"].status == r.NEITHER
    assert (rows["F3"].before, rows["F3"].after, rows["F3"].status) == (None, D("3.0"), r.NEW)
    # overall: before (3+3+6+6+2)/5 = 4.0; now (4+4+5+5+3)/5 = 4.2
    assert (rows[""].before, rows[""].after, rows[""].delta) == (D("4.0"), D("4.2"), D("0.2"))
    assert list(rows)[-1] == ""  # overall comes last, the tree's order before it
    assert [c.identifier for c in r.compare(now, None)][:2] == ["F1", "C1"]
    assert {c.status for c in r.compare(now, None)} <= {r.NEW, r.NEITHER}


def test_change_of_single_levels():
    assert r.change(3, 5) == (D("2.0"), r.IMPROVED)
    assert r.change(None, None) == (None, r.NEITHER)


def test_implied_levels_take_the_weakest_mapped_source():
    mappings = [
        ("A.1", "B.1", "equivalent"),
        ("A.2", "B.1", "subset"),
        ("A.3", "B.2", "related"),  # A.3 not applicable: implies nothing
        ("A.4", "B.3", "related"),  # A.4 unscored
        ("A.5", "B.4", "related"),  # A.5 has no mark at all
    ]
    marks = {
        "A.1": Mark(6),
        "A.2": Mark(4),
        "A.3": Mark(None, not_applicable=True),
        "A.4": Mark(None),
    }
    implied = r.implied_levels(mappings, marks)
    assert list(implied) == ["B.1"]
    assert implied["B.1"].level == 4
    assert implied["B.1"].sources == (("A.1", 6, "equivalent"), ("A.2", 4, "subset"))


def test_depth_first_reading_order():
    pairs = [("F1", None), ("F2", None), ("C1", "F1"), ("C2", "F2"), ("S1", "C1"), ("S2", "C1")]
    assert r.depth_first(pairs) == ["F1", "C1", "S1", "S2", "F2", "C2"]
    # A missing parent makes a root; a loop is kept at the end.
    assert r.depth_first([("A", "B"), ("B", "A"), ("X", "GONE"), ("Y", "X")]) == [
        "X",
        "Y",
        "A",
        "B",
    ]
