"""The capacity count on its own: filled positions, planned fills, operations shares."""

import datetime
from decimal import Decimal

import pytest

from townhall.people import capacity


def seat(pk=1, pool="apps", fte="1", hours=1720, ops="0.6", filled=True, fill=None):
    return capacity.Seat(pk, f"P{pk}", pool, Decimal(fte), hours, Decimal(ops), filled, fill)


def test_a_filled_position_gives_its_free_hours_every_year():
    hours = capacity.pool_hours([seat()], [2027, 2028])
    assert hours == {"apps": {"2027": 688, "2028": 688}}  # 1720 × 0.4


def test_fte_hours_and_share_multiply_and_pools_add_up():
    seats = [
        seat(1, fte="0.5", hours=1800, ops="0.5"),  # 450
        seat(2, ops="0"),  # 1720
        seat(3, pool="infra", ops="1"),  # all operations: 0
    ]
    assert capacity.pool_hours(seats, [2027]) == {"apps": {"2027": 2170}, "infra": {"2027": 0}}


def test_a_vacancy_counts_from_its_planned_fill_date_only():
    # FY2027 runs from 1 July 2026 to 30 June 2027 (365 days).
    seats = [
        seat(1, filled=False),  # nobody plans to fill it
        seat(2, filled=False, fill=datetime.date(2027, 1, 1)),  # 181 of 365 days of FY2027
        seat(3, filled=False, fill=datetime.date(2028, 7, 1)),  # after FY2028
    ]
    hours = capacity.pool_hours(seats, [2027, 2028])
    assert hours == {"apps": {"2027": round(688 * 181 / 365), "2028": 688}}
    counted = capacity.count(seats, [2027, 2028])
    assert {(c.position, c.year) for c in counted} == {(2, 2027), (2, 2028)}


def test_fiscal_years_follow_the_start_month():
    assert capacity.year_span(2027, 7) == (datetime.date(2026, 7, 1), datetime.date(2027, 7, 1))
    assert capacity.year_span(2027, 1) == (datetime.date(2027, 1, 1), datetime.date(2028, 1, 1))
    late = seat(filled=False, fill=datetime.date(2027, 7, 1))
    assert capacity.pool_hours([late], [2027], start_month=1) == {
        "apps": {"2027": round(688 * 184 / 365)}
    }
    with pytest.raises(ValueError):
        capacity.year_span(2027, 13)


def test_no_seats_no_pools():
    assert capacity.pool_hours([], [2027]) == {}
