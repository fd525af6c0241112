"""The hub's release rules (`cohorts.py`), and the attacks they are there to defeat."""

import itertools

from townhall.exchange import cohorts

COUNTY_MID = {
    "kind": "county",
    "population_band": "pop_100k_250k",
    "region": "south",
    "budget_band": "budget_50m_250m",
}


def member(**changes: str) -> dict[str, str]:
    return {**COUNTY_MID, **changes}


def by_key(cells: list[cohorts.Cell]) -> dict[str, cohorts.Cell]:
    return {c.cohort: c for c in cells}


def test_a_cohort_of_four_is_withheld_and_of_five_released():
    four = by_key(cohorts.release([(member(), v) for v in (10, 20, 30, 40)]))
    assert all(c.suppressed and c.median is None and c.members == 0 for c in four.values())
    five = by_key(cohorts.release([(member(), v) for v in (10, 20, 30, 40, 50)]))
    assert five["all"].members == 5 and not five["all"].suppressed


def test_a_quartile_of_five_is_none_of_the_members_values():
    values = [12.0, 19.0, 33.0, 41.0, 58.0]
    cell = by_key(cohorts.release([(member(), v) for v in values]))["all"]
    for figure in (cell.q1, cell.median, cell.q3):
        assert figure not in values
    assert cell.q1 < cell.median < cell.q3


def test_differencing_a_cohort_and_its_sub_cohort_one_member_apart_finds_it_withheld():
    # Six counties, five of them in the 100k–250k band: "counties" minus "counties of
    # 100k–250k" would be the sixth county alone.
    rows = [(member(), v) for v in (10, 20, 30, 40, 50)]
    rows.append((member(population_band="pop_250k_500k"), 99))
    cells = by_key(cohorts.release(rows))
    counties, band = cells["kind=county"], cells["kind=county|population_band=pop_100k_250k"]
    assert not counties.suppressed
    assert band.suppressed and band.median is None
    # Every released pair where one contains the other is 0 or at least 5 members apart.
    shown = [c for c in cells.values() if not c.suppressed]
    for a, b in itertools.permutations(shown, 2):
        if cohorts._contains(cohorts._fixed(a.cohort), cohorts._fixed(b.cohort)):
            assert a.members - b.members == 0 or a.members - b.members >= 5


def test_a_partition_with_one_small_cell_cannot_be_worked_out_from_the_total():
    # Regions of all members: 7 south, 6 west, 6 midwest, 2 northeast (withheld).
    rows = [(member(region="south"), i) for i in range(7)]
    rows += [(member(region="west", kind="city"), i) for i in range(6)]
    rows += [(member(region="midwest", kind="city"), i) for i in range(6)]
    rows += [(member(region="northeast", kind="city"), i) for i in range(2)]
    cells = by_key(cohorts.release(rows))
    regions = {k: c for k, c in cells.items() if k.startswith("region=")}
    assert not cells["all"].suppressed
    hidden = [k for k, c in regions.items() if c.suppressed]
    assert "region=northeast" in hidden and len(hidden) >= 2
    # From the total and the released regions, the withheld ones' size is known only as a
    # sum of two or more cohorts, never one.
    shown = sum(c.members for c in regions.values() if not c.suppressed)
    assert cells["all"].members - shown >= 5


def test_four_members_of_five_cannot_solve_the_fifths_value():
    """The attacker holds four of five members of a cohort, places two values far below and
    two far above, and reads the released quartiles. The fifth's value enters each figure
    with weight one third and each figure is rounded, so a whole range of values gives
    exactly what was released: the attacker cannot tell which one is the fifth's."""
    mine = [1.0, 2.0, 98.0, 99.0]
    secret = 47.3

    def released(fifth: float) -> tuple:
        cell = by_key(cohorts.release([(member(), v) for v in [*mine, fifth]]))["all"]
        return cell.q1, cell.median, cell.q3

    seen = released(secret)
    assert secret not in seen
    fits = [v / 100 for v in range(4500, 5000) if released(v / 100) == seen]
    assert secret in fits
    assert len(fits) >= 10 and max(fits) - min(fits) >= 0.1


def test_with_a_budget_the_figures_carry_opendp_noise_within_the_range():
    from townhall.exchange import privacy
    from townhall.exchange.metrics import METRICS

    assert privacy.Budget(epsilon=1.0, metrics=len(METRICS)).releases == len(METRICS) * 6 * 3
    # A budget large enough that the noise (scale 10 points) seldom reaches the range's ends.
    budget = privacy.Budget(epsilon=10.0 * len(METRICS) * 6 * 3, metrics=len(METRICS))
    assert privacy.scale(METRICS[-1], budget) == 10
    metric = METRICS[-1]  # a percentage
    noisy = privacy.noise_for(metric, budget)
    draws = [noisy(50.0) for _ in range(20)]
    assert all(0 <= d <= 100 for d in draws) and len(set(draws)) > 1
    # The attack above, now against noisy figures: the same data gives different figures.
    rows = [(member(), v) for v in [1.0, 2.0, 47.3, 98.0, 99.0]]
    seen = set()
    for _ in range(5):
        cell = by_key(cohorts.release(rows, noise=noisy))["all"]
        seen.add((cell.q1, cell.median, cell.q3))
    assert len(seen) > 1


def test_an_unchanged_cohort_keeps_its_noisy_figures_so_they_cannot_be_averaged():
    """Recomputing after another cohort changed must not draw fresh noise for this one:
    an observer who saw many draws of the same figure could average the noise away."""
    calls = []

    def noisy(value: float) -> float:
        calls.append(value)
        return value + len(calls)  # a different draw every time

    rows = [(member(), v) for v in [1.0, 2.0, 47.3, 98.0, 99.0]]
    first = by_key(cohorts.release(rows, noise=noisy))
    again = by_key(cohorts.release(list(reversed(rows)), noise=noisy, kept=first))
    assert again["all"] == first["all"] and len(calls) == 3 * len(first)
    # A changed value is a new release, drawn afresh; so is a change of the rules in force.
    changed = by_key(cohorts.release([*rows[:4], (member(), 60.0)], noise=noisy, kept=first))
    assert changed["all"].median != first["all"].median
    assert changed["all"].inputs != first["all"].inputs
    salted = by_key(cohorts.release(rows, noise=noisy, kept=first, salt="epsilon=2"))
    assert salted["all"].inputs != first["all"].inputs and salted["all"] != first["all"]
