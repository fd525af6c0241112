"""What reaches end of life in each coming fiscal year, and what replacing it will cost.

Pure Python (no Django), so the pages, the CLI and the tests share one computation and
the large demo estate (100,000 components) is forecast well within two seconds. The caller
works out each item's end-of-life date (vendor end of support, or install date plus
expected life); this module places it in a fiscal year, prices it from the item's own unit
costs or the city's unit-cost table (by model, falling back to kind), inflates the price to
that year, and totals it by department and by service, with what governance already funds
shown as covered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

MIN_HORIZON, MAX_HORIZON = 5, 10
# Key of the group holding items that name no department, or sit under no service.
NONE_GIVEN = ""
# A running operating change smaller than this is none (what remains of +x and -x).
HALF_CENT = 0.005


class ForecastError(ValueError):
    """Input the forecast cannot use; the message names the item, field and reason."""


@dataclass(frozen=True)
class UnitCost:
    """What replacing one unit costs, in today's (the first fiscal year's) dollars."""

    capital: float
    operating: float = 0.0  # change in yearly operating cost once replaced; may be negative


@dataclass(frozen=True)
class CostTable:
    """The city's unit costs: a model's own entry wins over its kind's."""

    by_model: Mapping[str, UnitCost] = field(default_factory=dict)
    by_kind: Mapping[str, UnitCost] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """One inventory line to replace: a component, or several identical ones (`quantity`).

    `unit_capital` and `unit_operating`, when given, are this item's own prices and win
    over the table. `funded_by` is the governance proposal that already pays for it.
    """

    id: str
    kind: str
    end_of_life: date | None
    model: str = ""
    department: str = NONE_GIVEN
    services: tuple[str, ...] = ()
    quantity: int = 1
    unit_capital: float | None = None
    unit_operating: float | None = None
    funded_by: str | None = None


@dataclass
class Totals:
    """Money and counts for one year, or one department or service within a year."""

    items: int = 0
    quantity: int = 0
    capital: float = 0.0
    operating: float = 0.0  # yearly operating change of what is replaced this year
    covered_capital: float = 0.0
    covered_operating: float = 0.0
    without_cost: int = 0  # items counted here whose cost nobody has set
    running_operating: float = 0.0  # all operating changes from the first year to this one

    @property
    def uncovered_capital(self) -> float:
        return self.capital - self.covered_capital

    @property
    def uncovered_operating(self) -> float:
        return self.operating - self.covered_operating

    def _add(self, quantity: int, capital: float, operating: float, covered: bool) -> None:
        self.items += 1
        self.quantity += quantity
        self.capital += capital
        self.operating += operating
        if covered:
            self.covered_capital += capital
            self.covered_operating += operating


@dataclass
class YearForecast:
    """One fiscal year: what is due, its cost, and the same split by department and service.

    In the first year, `past_due` names the items whose end of life had already passed:
    they are due now. An item under two services is counted once in `totals` and shown
    under each service.
    """

    year: int
    totals: Totals = field(default_factory=Totals)
    by_department: dict[str, Totals] = field(default_factory=dict)
    by_service: dict[str, Totals] = field(default_factory=dict)
    due: list[str] = field(default_factory=list)
    past_due: list[str] = field(default_factory=list)
    without_cost: list[str] = field(default_factory=list)
    inflation_factor: float = 1.0


@dataclass
class Forecast:
    years: list[YearForecast]
    first_year: int
    inflation: float
    without_date: list[str] = field(default_factory=list)  # no end of life known
    after_horizon: int = 0  # items due after the last year
    without_cost: list[str] = field(default_factory=list)  # every year's, in one list

    def year(self, year: int) -> YearForecast:
        if not self.first_year <= year < self.first_year + len(self.years):
            raise KeyError(f"fiscal year {year} is outside the forecast")
        return self.years[year - self.first_year]


def fiscal_year(day: date, start_month: int = 7) -> int:
    """The fiscal year a day falls in, named by the calendar year in which it ends.

    With a July start (most U.S. cities), 1 July 2026 opens fiscal year 2027; with a
    January start the fiscal year is the calendar year.
    """
    return day.year + 1 if start_month > 1 and day.month >= start_month else day.year


def forecast(
    items: Iterable[Item],
    *,
    today: date,
    costs: CostTable | None = None,
    inflation: float = 0.0,
    horizon: int = 5,
    start_month: int = 7,
) -> Forecast:
    """The replacement forecast for `horizon` fiscal years from the one `today` falls in.

    Prices are in today's dollars and grow by `inflation` a year: a cost in the third
    year is multiplied by (1 + inflation) ** 2.
    """
    _check_settings(inflation, horizon, start_month)
    costs = costs or CostTable()
    _check_table(costs)
    first = fiscal_year(today, start_month)
    last = first + horizon - 1
    factors = [(1.0 + inflation) ** k for k in range(horizon)]
    years = [YearForecast(first + k, inflation_factor=factors[k]) for k in range(horizon)]
    result = Forecast(years, first, inflation)
    by_model, by_kind = costs.by_model, costs.by_kind
    seen: set[str] = set()
    for item in items:
        _check_item(item, seen)
        if item.end_of_life is None:
            result.without_date.append(item.id)
            continue
        # fiscal_year inlined: this loop runs once per component of the estate
        eol = item.end_of_life
        due = eol.year + 1 if start_month > 1 and eol.month >= start_month else eol.year
        if due > last:
            result.after_horizon += 1
            continue
        here = years[due - first] if due >= first else years[0]
        if due < first:
            here.past_due.append(item.id)
        here.due.append(item.id)
        capital, operating = item.unit_capital, item.unit_operating
        if capital is None:
            entry = by_model.get(item.model) if item.model else None
            entry = entry or by_kind.get(item.kind)
            if entry is not None:
                capital = entry.capital
                operating = entry.operating if operating is None else operating
        known = capital is not None
        if not known:
            here.without_cost.append(item.id)
            result.without_cost.append(item.id)
        factor = here.inflation_factor * item.quantity
        cap = (capital or 0.0) * factor
        op = (operating or 0.0) * factor
        covered = item.funded_by is not None
        groups = [here.totals, _group(here.by_department, item.department)]
        groups += [_group(here.by_service, s) for s in set(item.services) or (NONE_GIVEN,)]
        for totals in groups:
            totals._add(item.quantity, cap, op, covered)
            if not known:
                totals.without_cost += 1
    _run_operating(years, inflation)
    return result


def _group(groups: dict[str, Totals], key: str) -> Totals:
    totals = groups.get(key)
    if totals is None:
        totals = groups[key] = Totals()
    return totals


def _run_operating(years: list[YearForecast], inflation: float) -> None:
    """Each year's operating change keeps costing in every later year, inflated. A department
    or service with nothing due in a year shows there only while that running change is a
    cost (not zero): a row of zeros would say nothing."""
    totals: Totals | None = None
    departments: dict[str, float] = {}
    services: dict[str, float] = {}
    for year in years:
        before = 0.0 if totals is None else totals.running_operating
        year.totals.running_operating = before * (1.0 + inflation) + year.totals.operating
        totals = year.totals
        for groups, running in ((year.by_department, departments), (year.by_service, services)):
            for key in running:
                running[key] *= 1.0 + inflation
            for key, group in groups.items():
                running[key] = running.get(key, 0.0) + group.operating
            for key, amount in running.items():
                if key in groups or abs(amount) >= HALF_CENT:
                    _group(groups, key).running_operating = amount


def _check_settings(inflation: float, horizon: int, start_month: int) -> None:
    if not MIN_HORIZON <= horizon <= MAX_HORIZON:
        raise ForecastError(
            f"horizon: {horizon} years; a forecast covers {MIN_HORIZON} to {MAX_HORIZON} years"
        )
    if not 1 <= start_month <= 12:
        raise ForecastError(f"start_month: {start_month} is not a month (1 to 12)")
    if not -0.5 < inflation < 1.0:
        raise ForecastError(
            f"inflation: {inflation} is a yearly rate as a fraction (0.03 for 3 %), "
            "between -0.5 and 1"
        )


def _check_item(item: Item, seen: set[str]) -> None:
    if item.id in seen:
        raise ForecastError(f"item {item.id}: the id appears twice")
    seen.add(item.id)
    if not isinstance(item.quantity, int) or item.quantity < 1:
        raise ForecastError(
            f"item {item.id}: quantity {item.quantity!r} must be a whole number of 1 or more"
        )
    capital, operating = item.unit_capital, item.unit_operating
    if capital is not None and not capital >= 0:  # also refuses NaN
        raise ForecastError(f"item {item.id}: unit_capital {capital} must not be negative")
    if operating is not None and not math.isfinite(operating):
        raise ForecastError(f"item {item.id}: unit_operating {operating} is not a number")


def _check_table(costs: CostTable) -> None:
    for where, entries in (("model", costs.by_model), ("kind", costs.by_kind)):
        for key, entry in entries.items():
            if not entry.capital >= 0:
                raise ForecastError(
                    f"unit cost of {where} {key!r}: capital {entry.capital} must not be negative"
                )
            if not math.isfinite(entry.operating):
                raise ForecastError(
                    f"unit cost of {where} {key!r}: operating {entry.operating} is not a number"
                )
