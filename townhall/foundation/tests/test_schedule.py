"""The replacement schedule on small estates whose optimum is worked out by hand."""

import itertools
import random

import pytest

from townhall.foundation.schedule import (
    OPTIMAL,
    Problem,
    ScheduleError,
    Unit,
    check,
    outcome,
    riskiest_first,
    solve,
)

YEARS = [2027, 2028, 2029]


def caps(amount: float, years: list[int] = YEARS) -> dict[int, float]:
    return dict.fromkeys(years, amount)


def test_caps_force_a_choice_and_the_optimum_is_found():
    # One replacement fits each year. Years past due if replaced in 2027/2028/2029/never:
    # A (due 2027, weight 1): 0/1/2/3; B (due 2027, weight 2): 0/2/4/6;
    # C (due 2028, weight 1.5): 0/0/1.5/3. Every order of the three: B, C, A costs
    # 0 + 0 + 2 = 2; the next best (B, A, C) costs 1 + 1.5 = 2.5.
    units = [Unit("A", 100, 2027), Unit("B", 100, 2027, weight=2), Unit("C", 100, 2028, 1.5)]
    result = solve(Problem(units, YEARS, caps(100)))
    assert result.status == OPTIMAL
    assert result.plan.years == {"B": 2027, "C": 2028, "A": 2029}
    assert result.plan.total_risk == pytest.approx(2)
    assert result.plan.risk == pytest.approx({2027: 1, 2028: 1, 2029: 0})
    assert result.plan.spend == pytest.approx({2027: 100, 2028: 100, 2029: 100})
    assert result.plan.within_caps
    assert result.gap == pytest.approx(0, abs=1e-9)
    assert result.bound == pytest.approx(2)


def test_the_two_comparisons():
    units = [Unit("A", 100, 2027), Unit("B", 100, 2027, weight=2), Unit("C", 100, 2028, 1.5)]
    result = solve(Problem(units, YEARS, caps(100)))
    due = result.when_due
    assert due.years == {"A": 2027, "B": 2027, "C": 2028}
    assert due.spend == pytest.approx({2027: 200, 2028: 100, 2029: 0})
    assert due.over_caps == pytest.approx({2027: 100})
    assert not due.within_caps
    assert due.total_risk == 0
    assert "breaks the caps in 2027 (by 100)" in result.summary
    deferred = result.defer_all
    assert deferred.total_risk == pytest.approx(3 + 6 + 3)
    assert deferred.spend == {2027: 0, 2028: 0, 2029: 0}
    assert deferred.risk == pytest.approx({2027: 3, 2028: 4.5, 2029: 4.5})


def test_the_optimizer_beats_riskiest_first():
    # One year, cap 100, each unit's risk if deferred is its weight. Riskiest per dollar
    # first takes X (2 / 60) and then neither Y nor Z fits: risk 3. Y and Z together fill
    # the cap exactly and leave only X: risk 2.
    units = [Unit("X", 60, 2027, weight=2), Unit("Y", 50, 2027, 1.5), Unit("Z", 50, 2027, 1.5)]
    problem = Problem(units, [2027], {2027: 100})
    by_hand = riskiest_first(problem)
    assert by_hand.years == {"X": 2027, "Y": None, "Z": None}
    assert by_hand.total_risk == pytest.approx(3)
    result = solve(problem)
    assert result.plan.years == {"X": None, "Y": 2027, "Z": 2027}
    assert result.plan.total_risk == pytest.approx(2)


def test_the_mission_essential_unit_goes_first():
    units = [Unit("parks wifi", 80, 2027), Unit("911 radio", 80, 2027, weight=5)]
    result = solve(Problem(units, [2027, 2028], caps(100, [2027, 2028])))
    assert result.plan.years == {"parks wifi": 2028, "911 radio": 2027}
    assert result.plan.total_risk == pytest.approx(1)


def test_prerequisites_are_replaced_the_same_year_or_before():
    # Alone, the servers (due 2027) and storage (due 2028) fit in their due years. But the
    # servers need the new storage first, and both in 2027 exceed the cap: the storage
    # goes early (2027) and the servers a year late, for 3; deferring the servers costs 6.
    units = [Unit("storage", 60, 2028), Unit("servers", 60, 2027, 3, ("storage",))]
    result = solve(Problem(units, [2027, 2028], caps(100, [2027, 2028])))
    assert result.plan.years == {"storage": 2027, "servers": 2028}
    assert result.plan.total_risk == pytest.approx(3)
    assert result.when_due.years == {"storage": 2027, "servers": 2027}
    assert result.when_due.over_caps == pytest.approx({2027: 20})


def test_a_prerequisite_due_after_the_horizon_is_brought_in():
    units = [
        Unit("core switch", 10, 2035),
        Unit("access switches", 10, 2027, prerequisites=("core switch",)),
        Unit("spare", 10, 2035),
    ]
    result = solve(Problem(units, [2027, 2028], caps(100, [2027, 2028])))
    assert result.plan.years["access switches"] == 2027
    assert result.plan.years["core switch"] == 2027
    assert result.plan.years["spare"] is None
    assert result.beyond_horizon == ["spare"]


def test_an_early_replacement_is_moved_to_its_due_year():
    result = solve(Problem([Unit("ups", 50, 2029)], YEARS, caps(100)))
    assert result.plan.years == {"ups": 2029}
    assert result.plan.total_risk == 0


def test_inflation_can_push_a_replacement_over_the_cap():
    # 95 fits 2027's cap of 100; a year later it costs 104.50 and fits no longer.
    units = [Unit("a", 95, 2027), Unit("b", 95, 2027, weight=2)]
    result = solve(Problem(units, [2027, 2028], caps(100, [2027, 2028]), inflation=0.10))
    assert result.plan.years == {"a": None, "b": 2027}
    assert result.plan.total_risk == pytest.approx(2)  # a: 2027 and 2028 past due


def test_a_unit_too_dear_for_any_year_is_named():
    result = solve(Problem([Unit("jail cameras", 500, 2027)], YEARS, caps(100)))
    assert result.never_fit == ["jail cameras"]
    assert result.plan.years == {"jail cameras": None}
    assert result.plan.total_risk == 3
    assert result.gap == 0


def test_outcome_of_a_hand_made_plan():
    problem = Problem([Unit("a", 100, 2026), Unit("b", 30, 2028)], YEARS, caps(100))
    made = outcome(problem, "mine", {"a": 2028, "b": 2028})
    # a was due before the horizon: past due in 2027 only, replaced in 2028
    assert made.total_risk == 1
    assert made.risk == {2027: 1, 2028: 0, 2029: 0}
    assert made.over_caps == pytest.approx({2028: 30})


@pytest.mark.parametrize(
    ("units", "years", "limits", "message"),
    [
        ([Unit("a", -5, 2027)], YEARS, caps(1), "unit a: cost -5 must not be negative"),
        ([Unit("a", 5, 2027, weight=-1)], YEARS, caps(1), "unit a: weight -1"),
        ([Unit("a", 5, 2027)], YEARS, {2027: 1, 2029: 1}, "caps: no capital cap for 2028"),
        ([Unit("a", 5, 2027)], YEARS, {**caps(1), 2028: -1}, "the cap for 2028"),
        ([Unit("a", 5, 2027)], [2027, 2029], caps(1), "not consecutive"),
        ([Unit("a", 5, 2027)], [], {}, "the horizon has no years"),
        ([Unit("a", 5, 2027), Unit("a", 5, 2028)], YEARS, caps(1), "unit a: the id appears"),
        ([Unit("a", 5, 2027, prerequisites=("z",))], YEARS, caps(1), "prerequisite z is not"),
        ([Unit("a", 5, 2027, prerequisites=("a",))], YEARS, caps(1), "its own prerequisite"),
        (
            [
                Unit("a", 5, 2027, prerequisites=("b",)),
                Unit("b", 5, 2027, prerequisites=("c",)),
                Unit("c", 5, 2027, prerequisites=("a",)),
            ],
            YEARS,
            caps(1),
            "cycle: a -> b -> c -> a",
        ),
    ],
)
def test_bad_input_is_refused_naming_where(units, years, limits, message):
    with pytest.raises(ScheduleError, match=message):
        check(Problem(units, years, limits))
    with pytest.raises(ScheduleError, match=message):
        solve(Problem(units, years, limits))


def brute_force(problem: Problem) -> float:
    """The least risk over every assignment of a year (or none) to each unit."""
    best = float("inf")
    choices = [*problem.years, None]
    for combo in itertools.product(choices, repeat=len(problem.units)):
        chosen = {u.id: y for u, y in zip(problem.units, combo, strict=True) if y is not None}
        by_id = {u.id: u for u in problem.units}
        if any(
            pre not in chosen or chosen[pre] > year
            for uid, year in chosen.items()
            for pre in by_id[uid].prerequisites
        ):
            continue
        made = outcome(problem, "any", chosen)
        if made.within_caps:
            best = min(best, made.total_risk)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_small_random_estates_match_brute_force(seed):
    rng = random.Random(seed)
    units = []
    for n in range(5):
        earlier = [u.id for u in units]
        needs = tuple(rng.sample(earlier, 1)) if earlier and rng.random() < 0.3 else ()
        units.append(
            Unit(
                f"u{n}",
                rng.choice([20, 40, 60, 90]),
                rng.choice([2026, 2027, 2028, 2030]),
                rng.choice([1, 1, 3]),
                needs,
            )
        )
    problem = Problem(units, [2027, 2028], {2027: rng.choice([60, 100]), 2028: 80})
    result = solve(problem)
    assert result.plan.within_caps
    for unit in units:
        year = result.plan.years[unit.id]
        for pre in unit.prerequisites:
            assert year is None or (result.plan.years[pre] or 9999) <= year
    assert result.plan.total_risk == pytest.approx(brute_force(problem))
