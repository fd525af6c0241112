"""The project hours each governance skill pool has per fiscal year, worked out from the
positions in it: FTE × available hours × (1 − the share of time for operations).

A filled position counts for the whole year. A vacant one counts only from its planned
fill date, for the part of the fiscal year left after it; a vacancy nobody plans to fill
adds nothing, because hours nobody works cannot deliver projects. Plain Python, no
Django: `capacity_input.py` feeds it."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Seat:
    """One position as the count sees it."""

    position: int
    title: str
    pool: str
    fte: Decimal
    hours: int  # available hours a year for one FTE
    operations: Decimal  # share of time for operations, 0 to 1
    filled: bool
    fill_planned: datetime.date | None = None


@dataclass(frozen=True)
class Counted:
    """A seat's project hours in one fiscal year, and the share of the year it counted."""

    position: int
    title: str
    pool: str
    year: int
    share_of_year: Decimal
    hours: Decimal


def year_span(year: int, start_month: int) -> tuple[datetime.date, datetime.date]:
    """The first day of fiscal year `year` and the first day of the next. A fiscal year is
    named by the calendar year in which it ends (FY2027 from July 2026, start month 7)."""
    if not 1 <= start_month <= 12:
        raise ValueError(f"The fiscal year starts in a month from 1 to 12, not {start_month}.")
    first = year - 1 if start_month > 1 else year
    return datetime.date(first, start_month, 1), datetime.date(first + 1, start_month, 1)


def share_of_year(seat: Seat, year: int, start_month: int) -> Decimal:
    """The part of fiscal year `year` the seat's hours count for: all of it when filled,
    the days from the planned fill date on for a vacancy, none without one."""
    if seat.filled:
        return Decimal(1)
    if seat.fill_planned is None:
        return Decimal(0)
    start, stop = year_span(year, start_month)
    if seat.fill_planned <= start:
        return Decimal(1)
    if seat.fill_planned >= stop:
        return Decimal(0)
    return Decimal((stop - seat.fill_planned).days) / Decimal((stop - start).days)


def count(seats: list[Seat], years: list[int], start_month: int = 7) -> list[Counted]:
    """Each seat's project hours in each year it counts in (a share above zero)."""
    out = []
    for seat in seats:
        free = Decimal(1) - min(max(seat.operations, Decimal(0)), Decimal(1))
        for year in years:
            part = share_of_year(seat, year, start_month)
            if part <= 0:
                continue
            hours = seat.fte * Decimal(seat.hours) * free * part
            out.append(Counted(seat.position, seat.title, seat.pool, year, part, hours))
    return out


def pool_hours(
    seats: list[Seat], years: list[int], start_month: int = 7
) -> dict[str, dict[str, int]]:
    """{pool code: {"2027": whole hours}} for every pool a seat is in, every year given
    (zero where nothing counts), in the shape of a budget cycle's staff hours."""
    totals: defaultdict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for c in count(seats, years, start_month):
        totals[c.pool, c.year] += c.hours
    pools = sorted({s.pool for s in seats})
    return {
        pool: {
            str(year): int(totals[pool, year].quantize(Decimal(1), rounding=ROUND_HALF_UP))
            for year in years
        }
        for pool in pools
    }
