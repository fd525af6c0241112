"""The replacement forecast on a small estate whose figures are worked out by hand."""

from datetime import date

import pytest

from townhall.foundation.forecast import (
    NONE_GIVEN,
    CostTable,
    ForecastError,
    Item,
    UnitCost,
    fiscal_year,
    forecast,
)

TODAY = date(2026, 8, 15)  # fiscal year 2027 with a July start
TABLE = CostTable(
    by_model={"C9300": UnitCost(5000, 200)},
    by_kind={"switch": UnitCost(3000, 100), "server": UnitCost(8000)},
)


def estate() -> list[Item]:
    return [
        # FY2027, the model's price: 2 x 5,000
        Item("a", "switch", date(2027, 3, 1), "C9300", "IT", ("911",), quantity=2),
        # 1 July opens FY2028; unknown model, so the kind's price, inflated one year
        Item("b", "switch", date(2027, 7, 1), "other", "Police", ("911", "Records")),
        # end of life in FY2025: past due, counted in the first year; funded
        Item("c", "server", date(2025, 1, 1), department="IT", funded_by="P-1"),
        # nobody has priced printers
        Item("d", "printer", date(2028, 6, 30), department="Police", services=("Records",)),
        Item("e", "server", None),
        Item("f", "server", date(2035, 1, 1)),
        # its own price wins over the kind's; FY2030 is three years of inflation
        Item("g", "server", date(2029, 12, 31), unit_capital=1000, unit_operating=-50),
    ]


def test_fiscal_year_is_named_by_the_year_it_ends():
    assert fiscal_year(date(2026, 6, 30), 7) == 2026
    assert fiscal_year(date(2026, 7, 1), 7) == 2027
    assert fiscal_year(date(2026, 12, 31), 1) == 2026
    assert fiscal_year(date(2026, 9, 30), 10) == 2026
    assert fiscal_year(date(2026, 10, 1), 10) == 2027


def test_years_costs_inflation_and_fallback():
    result = forecast(estate(), today=TODAY, costs=TABLE, inflation=0.10, horizon=5)
    assert [y.year for y in result.years] == [2027, 2028, 2029, 2030, 2031]
    first, second = result.year(2027), result.year(2028)
    assert first.due == ["a", "c"]
    assert first.past_due == ["c"]
    assert first.totals.capital == pytest.approx(18000)
    assert first.totals.operating == pytest.approx(400)
    assert first.totals.quantity == 3
    assert second.due == ["b", "d"]
    assert second.totals.capital == pytest.approx(3300)
    assert second.totals.operating == pytest.approx(110)
    g = result.year(2030)
    assert g.totals.capital == pytest.approx(1331)
    assert g.totals.operating == pytest.approx(-66.55)
    assert result.year(2029).totals.items == 0
    assert result.without_date == ["e"]
    assert result.after_horizon == 1
    with pytest.raises(KeyError, match="fiscal year 2026 is outside"):
        result.year(2026)


def test_funded_items_are_covered():
    first = forecast(estate(), today=TODAY, costs=TABLE, inflation=0.10).year(2027)
    assert first.totals.covered_capital == pytest.approx(8000)
    assert first.totals.uncovered_capital == pytest.approx(10000)
    assert first.by_department["IT"].covered_capital == pytest.approx(8000)
    assert first.by_service[NONE_GIVEN].covered_capital == pytest.approx(8000)
    assert first.by_service["911"].covered_capital == 0


def test_an_item_under_two_services_counts_once_in_totals():
    second = forecast(estate(), today=TODAY, costs=TABLE, inflation=0.10).year(2028)
    assert second.by_service["911"].capital == pytest.approx(3300)
    assert second.by_service["Records"].capital == pytest.approx(3300)
    assert second.by_service["Records"].items == 2  # b and the unpriced printer
    assert second.totals.items == 2
    assert second.by_department["Police"].capital == pytest.approx(3300)


def test_items_without_cost_are_named_not_zeroed():
    result = forecast(estate(), today=TODAY, costs=TABLE, inflation=0.10)
    second = result.year(2028)
    assert second.without_cost == ["d"]
    assert second.totals.without_cost == 1
    assert second.by_service["Records"].without_cost == 1
    assert second.by_service["911"].without_cost == 0
    assert result.without_cost == ["d"]


def test_operating_changes_keep_running_with_inflation():
    result = forecast(estate(), today=TODAY, costs=TABLE, inflation=0.10)
    running = [y.totals.running_operating for y in result.years]
    # 400; 400 x 1.1 + 110; 550 x 1.1; 605 x 1.1 - 66.55; x 1.1
    assert running == pytest.approx([400, 550, 605, 598.95, 658.845])
    assert result.year(2029).by_department["IT"].running_operating == pytest.approx(484)
    assert result.year(2028).by_service["Records"].running_operating == pytest.approx(110)


def test_january_fiscal_year_moves_the_boundaries():
    result = forecast(estate(), today=TODAY, costs=TABLE, horizon=5, start_month=1)
    assert result.first_year == 2026
    assert result.year(2026).due == ["c"]  # past due
    assert result.year(2027).due == ["a", "b"]
    assert result.year(2028).due == ["d"]


@pytest.mark.parametrize(
    ("items", "options", "message"),
    [
        ([Item("x", "server", None, unit_capital=-1)], {}, "item x: unit_capital -1"),
        ([Item("x", "server", None, quantity=0)], {}, "item x: quantity 0"),
        ([Item("x", "s", None), Item("x", "s", None)], {}, "item x: the id appears twice"),
        ([], {"horizon": 4}, "horizon: 4 years"),
        ([], {"horizon": 11}, "horizon: 11 years"),
        ([], {"start_month": 13}, "start_month: 13"),
        ([], {"inflation": 3.0}, "inflation: 3.0"),
        ([], {"costs": CostTable(by_kind={"pc": UnitCost(-5)})}, "kind 'pc': capital -5"),
    ],
)
def test_bad_input_is_refused_naming_where(items, options, message):
    with pytest.raises(ForecastError, match=message):
        forecast(items, today=TODAY, **options)


def test_a_department_or_service_shows_only_where_it_has_items_or_a_running_cost():
    """x (IT, Web) has no operating change; y (Police, 911) adds 100 a year from FY2027; z
    (Police, 911) is due in FY2028. IT and Web have nothing to show after FY2027: no row.
    Police and 911 keep a row in FY2029-FY2031 with no item: their running operating
    change (110 in FY2028, then 121, 133.1, 146.41) is still a cost."""
    items = [
        Item("x", "server", date(2027, 3, 1), department="IT", services=("Web",), unit_capital=1),
        Item("y", "switch", date(2027, 3, 1), department="Police", services=("911",)),
        Item("z", "server", date(2028, 3, 1), department="Police", services=("911",)),
    ]
    result = forecast(items, today=TODAY, costs=TABLE, inflation=0.10)
    assert [set(y.by_department) for y in result.years] == [{"IT", "Police"}] + [{"Police"}] * 4
    assert [set(y.by_service) for y in result.years] == [{"Web", "911"}] + [{"911"}] * 4
    police = [y.by_department["Police"] for y in result.years]
    assert [t.items for t in police] == [1, 1, 0, 0, 0]
    assert [t.running_operating for t in police] == pytest.approx([100, 110, 121, 133.1, 146.41])
    assert result.year(2029).by_service["911"].running_operating == pytest.approx(121)
