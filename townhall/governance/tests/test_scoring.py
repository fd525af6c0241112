"""The board's arithmetic (governance/scoring.py, no database): weighted totals on any
scale, flags for disagreement, who is furthest from the mean, and ranking with ties."""

from decimal import Decimal

import pytest

from townhall.governance import scoring

THREE = [(1, "Residents", 2.0), (2, "Savings", 1.0), (3, "Risk", 1.0)]


def test_totals_run_from_zero_to_a_hundred_on_a_one_to_five_scale():
    scale = (1, 5)
    assert scoring.weighted_total(THREE, {"a": {1: 5, 2: 5, 3: 5}}, scale) == 100.0
    assert scoring.weighted_total(THREE, {"a": {1: 1, 2: 1, 3: 1}}, scale) == 0.0
    assert scoring.weighted_total(THREE, {"a": {1: 3, 2: 3, 3: 3}}, scale) == 50.0


def test_weights_are_shares_of_the_total_weight():
    # Residents weighs half: top marks there and bottom marks elsewhere make 50.
    assert scoring.weighted_total(THREE, {"a": {1: 5, 2: 1, 3: 1}}, (1, 5)) == 50.0
    # Savings weighs a quarter.
    assert scoring.weighted_total(THREE, {"a": {1: 1, 2: 5, 3: 1}}, (1, 5)) == 25.0


def test_the_same_judgement_gives_the_same_total_on_any_scale():
    low = scoring.weighted_total(THREE, {"a": {1: 4, 2: 2, 3: 3}}, (1, 5))
    high = scoring.weighted_total(THREE, {"a": {1: 7, 2: 3, 3: 5}}, (1, 9))
    zero = scoring.weighted_total(THREE, {"a": {1: 15, 2: 5, 3: 10}}, (0, 20))
    assert low == high == zero == 56.2


def test_the_mean_of_members_is_weighted():
    ballots = {"a": {1: 5, 2: 1, 3: 3}, "b": {1: 3, 2: 3, 3: 3}}
    # means 4, 2, 3 → (0.5·0.75 + 0.25·0.25 + 0.25·0.5) · 100
    assert scoring.weighted_total(THREE, ballots, (1, 5)) == 56.2


def test_decimal_weights_from_the_database_are_accepted():
    criteria = [(1, "A", Decimal("15.00")), (2, "B", Decimal("5.00"))]
    assert scoring.weighted_total(criteria, {"a": {1: 5, 2: 1}}, (1, 5)) == 75.0


def test_unscored_criteria_leave_the_total_and_no_scores_give_none():
    assert scoring.weighted_total(THREE, {"a": {1: 5}}, (1, 5)) == 100.0
    result = scoring.consensus(THREE, {}, (1, 5))
    assert result.total is None
    assert [c.mean for c in result.criteria] == [None, None, None]
    assert result.flagged == []


def test_an_empty_scale_is_refused():
    with pytest.raises(ValueError, match="above the lowest"):
        scoring.consensus(THREE, {"a": {1: 3}}, (3, 3))


def test_mean_spread_and_flag_per_criterion():
    ballots = {"a": {1: 1, 2: 3, 3: 4}, "b": {1: 3, 2: 3, 3: 5}, "c": {1: 2, 2: 4, 3: 5}}
    result = scoring.consensus(THREE, ballots, (1, 5))
    residents, savings, risk = result.criteria
    assert residents.mean == 2 and residents.spread == 2 and residents.flagged
    assert (residents.lowest, residents.highest) == (1, 3)
    assert savings.spread == 1 and not savings.flagged
    assert risk.spread == 1 and not risk.flagged
    assert [c.name for c in result.flagged] == ["Residents"]
    assert result.members == ["a", "b", "c"]
    assert residents.scores == {"a": 1, "b": 3, "c": 2}


@pytest.mark.parametrize(
    ("scale", "smallest_flagged"), [((1, 5), 2), ((1, 10), 4), ((0, 10), 4), ((1, 16), 6)]
)
def test_flags_start_at_four_tenths_of_the_scale(scale, smallest_flagged):
    criteria = [(1, "A", 1.0)]
    low = scale[0]
    flagged = scoring.consensus(criteria, {"a": {1: low}, "b": {1: low + smallest_flagged}}, scale)
    calm = scoring.consensus(criteria, {"a": {1: low}, "b": {1: low + smallest_flagged - 1}}, scale)
    assert flagged.criteria[0].flagged
    assert not calm.criteria[0].flagged
    assert scoring.flag_spread(scale) == smallest_flagged


def test_one_ballot_is_never_flagged():
    result = scoring.consensus([(1, "A", 1.0)], {"a": {1: 5}}, (1, 5))
    assert result.criteria[0].spread == 0 and not result.criteria[0].flagged


def test_the_member_furthest_from_the_mean_diverges_most():
    result = scoring.consensus([(1, "A", 1.0)], {"a": {1: 2}, "b": {1: 2}, "c": {1: 5}}, (1, 5))
    view = result.criteria[0]
    assert view.outlier == "c" and view.outliers == ["c"]
    assert view.deviation == pytest.approx(1.414, abs=0.001)


def _apart(scores: list[int]) -> list[str]:
    ballots = {f"m{k}": {1: v} for k, v in enumerate(scores, 1)}
    return scoring.consensus([(1, "A", 1.0)], ballots, (1, 5)).criteria[0].outliers


def test_two_members_who_disagree_are_not_both_named():
    # Equally far from the mean: naming both says nothing about who to hear first.
    result = scoring.consensus([(1, "A", 1.0)], {"a": {1: 1}, "b": {1: 5}}, (1, 5))
    view = result.criteria[0]
    assert view.flagged
    assert view.outliers == [] and view.outlier is None
    assert view.divided


@pytest.mark.parametrize(
    "scores",
    [
        [1, 1, 5, 5],  # two camps of equal size
        [1, 3, 5],  # spread evenly around the mean
        [1, 1, 3, 5, 5],  # four of five equally far
        [2, 4, 2, 4, 2, 4],
    ],
)
def test_nobody_is_singled_out_when_the_board_is_divided(scores):
    assert _apart(scores) == []


@pytest.mark.parametrize(
    ("scores", "named"),
    [
        ([1, 3, 3, 3], ["m1"]),
        ([5, 5, 5, 1, 1], ["m4", "m5"]),  # a minority of two, equally far
        ([1, 5, 3, 3], ["m1", "m2"]),  # half the board, at both ends, the rest at the mean
        ([1, 1, 5], ["m3"]),
    ],
)
def test_members_standing_apart_are_named_even_when_tied(scores, named):
    assert _apart(scores) == named


def test_nobody_diverges_when_all_agree():
    result = scoring.consensus([(1, "A", 1.0)], {"a": {1: 4}, "b": {1: 4}}, (1, 5))
    view = result.criteria[0]
    assert view.outlier is None and view.outliers == []
    assert not view.divided


def test_rank_shares_places_on_ties_and_skips_the_next():
    ranks = scoring.rank({1: 80.0, 2: 90.0, 3: 80.0, 4: None, 5: 70.0, 6: 90.0})
    assert ranks == {2: 1, 6: 1, 1: 3, 3: 3, 5: 5}


def test_rank_of_nothing_is_empty():
    assert scoring.rank({}) == {}
    assert scoring.rank({1: None}) == {}
