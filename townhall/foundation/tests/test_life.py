"""Expected end of life and age against life, worked by hand (no database)."""

import datetime

from townhall.foundation import life

D = datetime.date
TODAY = D(2026, 6, 1)


def test_the_vendor_end_of_support_comes_before_the_service_life():
    found = life.expected_life(
        today=TODAY, end_of_support=D(2027, 1, 31), install_date=D(2020, 6, 1), kind_years=5
    )
    assert (found.end, found.basis) == (D(2027, 1, 31), "support")
    assert found.life_years == 5 and found.age_years == 6.0


def test_without_a_vendor_date_the_install_date_plus_the_kinds_life_gives_the_end():
    found = life.expected_life(today=TODAY, install_date=D(2022, 3, 15), kind_years=7)
    assert (found.end, found.basis) == (D(2029, 3, 15), "life")


def test_the_items_own_life_overrides_its_kinds():
    found = life.expected_life(today=TODAY, install_date=D(2022, 3, 15), own_years=3, kind_years=7)
    assert found.end == D(2025, 3, 15) and found.life_years == 3
    assert life.life_years(None, 7) == 7 and life.life_years(0, 7) == 7


def test_without_install_date_or_life_the_end_is_unknown_not_guessed():
    assert life.expected_life(today=TODAY, kind_years=5).basis == "unknown"
    no_life = life.expected_life(today=TODAY, install_date=D(2020, 1, 1))
    assert (no_life.end, no_life.basis, no_life.life_years) == (None, "unknown", None)
    assert no_life.used_share is None


def test_age_against_life():
    found = life.expected_life(today=D(2024, 6, 1), install_date=D(2022, 6, 1), kind_years=4)
    assert found.age_years == 2.0 and found.used_share == 0.5
    future = life.expected_life(today=TODAY, install_date=D(2027, 1, 1), kind_years=4)
    assert future.age_years == 0.0


def test_29_february_and_month_ends():
    assert life.add_years(D(2024, 2, 29), 5) == D(2029, 2, 28)
    assert life.add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert life.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert life.add_months(D(2026, 6, 1), 12) == D(2027, 6, 1)
    assert life.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_past_or_within_the_horizon():
    assert life.past_or_within(D(2026, 5, 31), TODAY) == "past"
    assert life.past_or_within(TODAY, TODAY) == "soon"
    assert life.past_or_within(D(2027, 6, 1), TODAY) == "soon"
    assert life.past_or_within(D(2027, 6, 2), TODAY) is None
    assert life.past_or_within(None, TODAY) is None


def test_every_kind_of_component_has_a_default_life():
    from townhall.estate.models import Component

    assert set(life.DEFAULT_YEARS) == set(Component.Kind.values)
    assert life.DEFAULT_YEARS["network_device"] > life.DEFAULT_YEARS["server"]
    assert life.DEFAULT_YEARS["endpoint_fleet"] < life.DEFAULT_YEARS["server"]
