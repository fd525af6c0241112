"""The recruiting figures (recruiting.py), on plain values."""

import datetime
from decimal import Decimal

from townhall.people import recruiting as r

D = datetime.date


def opening(n: int, **kw) -> r.Opening:
    values = {"title": f"Req {n}", "kind": "regular", "stage": "posted", "team_id": 1}
    values.update(kw)
    values.setdefault("opened_on", D(2026, 1, 1))
    return r.Opening(id=n, **values)


def test_time_to_fill_counts_only_filled_requisitions_since_a_day():
    openings = [
        opening(1, stage="filled", filled_on=D(2026, 3, 2)),  # 60 days
        opening(2, stage="filled", filled_on=D(2026, 5, 1)),  # 120 days
        opening(3, stage="filled", filled_on=D(2026, 1, 31)),  # 30 days
        opening(4, stage="posted"),
        opening(5, stage="cancelled"),
    ]
    assert r.time_to_fill(openings) == r.FillTime(3, 60.0, 120)
    assert r.time_to_fill(openings, since=D(2026, 3, 1)) == r.FillTime(2, 90.0, 120)
    assert r.time_to_fill(openings, kind="internship") == r.FillTime(0, None, None)
    by_team = r.time_to_fill_by_team([*openings, opening(6, team_id=2)])
    assert by_team[1].filled == 3 and by_team[2].filled == 0


def test_vacancies_leave_out_unfunded_positions_and_sum_the_organization():
    today = D(2026, 6, 1)
    seats = [
        r.Seat(1, team_id=1, funded=True, vacant_since=None),
        r.Seat(2, team_id=1, funded=True, vacant_since=D(2026, 4, 2)),  # 60 days
        r.Seat(3, team_id=1, funded=False, vacant_since=D(2025, 1, 1)),  # unfunded: left out
        r.Seat(4, team_id=2, funded=True, vacant_since=D(2026, 5, 22)),  # 10 days
    ]
    found = r.vacancies(seats, today)
    assert found[1] == r.Vacancy(1, funded=2, vacant=1, longest_vacant_days=60)
    assert found[1].rate == 0.5
    assert found[2].rate == 1.0
    assert found[None] == r.Vacancy(None, funded=3, vacant=2, longest_vacant_days=60)
    assert list(found) == [1, 2, None]
    assert r.vacancies([], today)[None].rate is None


def test_declined_reasons_most_common_first_since_a_day():
    declines = [
        (D(2026, 2, 1), "pay"),
        (D(2026, 3, 1), "remote"),
        (D(2026, 4, 1), "pay"),
        (D(2025, 1, 1), "slow"),
    ]
    assert r.declined_reasons(declines) == [("pay", 2), ("remote", 1), ("slow", 1)]
    assert r.declined_reasons(declines, since=D(2026, 1, 1)) == [("pay", 2), ("remote", 1)]


def test_pipelines_count_openings_by_stage_and_the_funnel():
    openings = [
        opening(1, kind="internship", stage="filled", openings=4, applicants=40, interviewed=12),
        opening(2, kind="internship", stage="posted", openings=2, applicants=9),
        opening(3, kind="apprenticeship", stage="approved", openings=3),
        opening(4, kind="regular", stage="filled", applicants=100),
    ]
    intern, apprentice = r.pipelines(openings)
    assert intern.kind == "internship"
    assert intern.openings_by_stage == {"filled": 4, "posted": 2}
    assert (intern.applicants, intern.interviewed, intern.hired) == (49, 12, 4)
    assert apprentice.openings_by_stage == {"approved": 3} and apprentice.hired == 0


def test_pay_against_the_market():
    comparison = r.compare_pay(Decimal(100000), [Decimal(80000), Decimal(90000), Decimal(85000)])
    assert comparison.city_median == Decimal(85000) and comparison.people == 3
    assert comparison.gap_share == -0.15
    assert r.compare_pay(Decimal(100000), []).gap_share is None


def test_a_year_before_is_the_same_day_or_the_last_of_february():
    assert r.a_year_before(D(2026, 12, 7)) == D(2025, 12, 7)
    assert r.a_year_before(D(2028, 2, 29)) == D(2027, 2, 28)


def test_open_requisitions_grouped_by_stage_in_hiring_order_oldest_first():
    openings = [
        opening(1, stage="interviewing"),
        opening(2, stage="posted", opened_on=D(2026, 3, 1)),
        opening(3, stage="posted", opened_on=D(2025, 8, 1)),
        opening(4, stage="filled", filled_on=D(2026, 2, 1)),
        opening(5, stage="cancelled"),
        opening(6, stage="requested"),
    ]
    groups = r.open_by_stage(openings)
    assert [stage for stage, _ in groups] == ["requested", "posted", "interviewing"]
    assert [o.id for o in groups[1][1]] == [3, 2]
    assert r.open_by_stage([]) == []


def test_pay_against_market_takes_each_rates_median_and_leaves_unknown_pay_out():
    found = r.pay_against_market(
        [(1, Decimal(100000)), (2, Decimal(80000)), (3, Decimal(50000))],
        [
            (1, Decimal(90000)),
            (1, Decimal(80000)),
            (1, Decimal(94000)),
            (2, None),
            (2, Decimal(88000)),
            (9, Decimal(1)),  # a rate not asked about
        ],
    )
    assert set(found) == {1, 2, 3}
    assert found[1].city_median == Decimal(90000) and found[1].people == 3
    assert round(found[1].gap_share, 2) == -0.10
    assert found[2].people == 1 and found[2].gap_share == 0.1
    assert found[3].city_median is None and found[3].gap_share is None
