"""Recurring charges: which of one merchant's charges are a subscription, and what it costs.

Each department's charges are looked at on their own (two departments paying for the same
service are two subscriptions). A series is a chain of charges, each following the previous
after one period of its cadence (`CADENCES`: monthly 27–33 days, quarterly 85–95, yearly
350–380) or after two periods when one charge was missed (monthly and quarterly only), with
an amount within `tolerance` (10 %) of the previous one. A different amount continues the
series only when the next charge keeps it (a price change that holds); a lone charge of
another amount is noise and stays out. A series needs at least 3 charges (2 when yearly).

The longest series is taken first, its charges set aside, and the search repeated, so two
plans billed by one merchant to one department come out as two subscriptions. Each says its
cadence, its current amount (the median since the last price change), the last charge, the
next expected one (the last plus one period, by the calendar), the annual cost at the current
amount, and whether it has lapsed: no charge for more than `GRACE` days after the expected
date.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Charge:
    date: datetime.date
    amount: Decimal
    department: str = ""


@dataclass(frozen=True)
class Cadence:
    name: str
    low: int
    high: int
    months: int
    per_year: int
    minimum: int
    grace: int
    skip: bool


CADENCES = (
    Cadence("monthly", 27, 33, 1, 12, 3, 15, True),
    Cadence("quarterly", 85, 95, 3, 4, 3, 45, True),
    Cadence("yearly", 350, 380, 12, 1, 2, 60, False),
)
GRACE = {c.name: c.grace for c in CADENCES}


@dataclass(frozen=True)
class Subscription:
    department: str
    cadence: str
    typical_amount: Decimal
    first_charge: datetime.date
    last_charge: datetime.date
    next_expected: datetime.date
    annual_cost: Decimal
    charges: tuple[Charge, ...]
    missed: int
    price_changes: tuple[tuple[datetime.date, Decimal, Decimal], ...]
    lapsed: bool
    why: str


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, the day of the month kept where the month has it."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def _close(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


Steps = dict[tuple[int, str, int], list[int]]


def _steps(
    charges: list[Charge], last: int, cadence: Cadence, periods: int, memo: Steps | None = None
) -> list[int]:
    """Indexes of the charges `periods` periods after charge `last`, nearest to due first.
    `memo` keeps the answers for one list of charges: a merchant charged every day asks the
    same question of each charge many times over."""
    if memo is not None:
        known = memo.get((last, cadence.name, periods))
        if known is None:
            known = memo[(last, cadence.name, periods)] = _steps(charges, last, cadence, periods)
        return known
    low, high = cadence.low * periods, cadence.high * periods
    due = (cadence.low + cadence.high) * periods / 2
    found = []
    for j in range(last + 1, len(charges)):
        gap = (charges[j].date - charges[last].date).days
        if gap > high:
            break
        if gap >= low:
            found.append(j)
    return sorted(found, key=lambda j: abs((charges[j].date - charges[last].date).days - due))


def _chain(
    charges: list[Charge],
    start: int,
    cadence: Cadence,
    tolerance: Decimal,
    memo: Steps | None = None,
) -> tuple[list[int], int]:
    chain, missed = [start], 0
    while True:
        last = chain[-1]
        amount = charges[last].amount
        step = None
        one = _steps(charges, last, cadence, 1, memo)
        step = next((j for j in one if _close(charges[j].amount, amount, tolerance)), None)
        if step is None:
            # A new price continues the series only if the charge after it keeps it.
            for j in one:
                after = _steps(charges, j, cadence, 1, memo)
                if any(_close(charges[k].amount, charges[j].amount, tolerance) for k in after):
                    step = j
                    break
        if step is None and cadence.skip:
            two = _steps(charges, last, cadence, 2, memo)
            step = next((j for j in two if _close(charges[j].amount, amount, tolerance)), None)
            if step is not None:
                missed += 1
        if step is None:
            return chain, missed
        chain.append(step)


def _series(
    department: str,
    charges: list[Charge],
    chain: list[int],
    missed: int,
    cadence: Cadence,
    today: datetime.date,
    tolerance: Decimal,
) -> Subscription:
    series = [charges[i] for i in chain]
    changes = []
    segment_start = 0
    for i in range(1, len(series)):
        if not _close(series[i].amount, series[i - 1].amount, tolerance):
            changes.append((series[i].date, series[i - 1].amount, series[i].amount))
            segment_start = i
    current = [c.amount for c in series[segment_start:]]
    typical = Decimal(statistics.median(current)).quantize(Decimal("0.01"))
    last = series[-1].date
    next_expected = add_months(last, cadence.months)
    lapsed = (today - next_expected).days > cadence.grace
    annual = typical * cadence.per_year
    why = (
        f"Charged {cadence.name} {len(series)} times from {series[0].date.isoformat()} to "
        f"{last.isoformat()}, lately {typical:,.2f}"
    )
    if changes:
        day, before, after = changes[-1]
        why += f" (it was {before:,.2f} until {day.isoformat()}, then {after:,.2f})"
    why += "."
    if missed:
        why += f" {missed} expected charge{'s were' if missed > 1 else ' was'} missing."
    if lapsed:
        why += (
            f" The next charge was expected about {next_expected.isoformat()} and has not "
            "come: it has probably been cancelled."
        )
    else:
        why += f" Next charge expected about {next_expected.isoformat()}."
    return Subscription(
        department=department,
        cadence=cadence.name,
        typical_amount=typical,
        first_charge=series[0].date,
        last_charge=last,
        next_expected=next_expected,
        annual_cost=annual,
        charges=tuple(series),
        missed=missed,
        price_changes=tuple(changes),
        lapsed=lapsed,
        why=why,
    )


def detect(
    charges: Iterable[Charge],
    today: datetime.date,
    tolerance: Decimal = Decimal("0.10"),
) -> list[Subscription]:
    """The recurring series among one merchant's charges, per department, longest first."""
    departments: dict[str, list[Charge]] = {}
    for charge in charges:
        if charge.amount > 0:
            departments.setdefault(charge.department, []).append(charge)
    found: list[Subscription] = []
    for department in sorted(departments):
        remaining = sorted(departments[department], key=lambda c: (c.date, c.amount))
        while len(remaining) >= 2:
            best: tuple[list[int], int, Cadence] | None = None
            memo: Steps = {}  # for this list of the remaining charges
            for cadence in CADENCES:
                seen: set[int] = set()
                for start in range(len(remaining)):
                    if start in seen:
                        continue  # it would only give the tail of a chain already seen
                    chain, missed = _chain(remaining, start, cadence, tolerance, memo)
                    seen.update(chain)
                    if len(chain) < cadence.minimum:
                        continue
                    if best is None or len(chain) > len(best[0]):
                        best = (chain, missed, cadence)
            if best is None:
                break
            chain, missed, cadence = best
            found.append(_series(department, remaining, chain, missed, cadence, today, tolerance))
            taken = set(chain)
            remaining = [c for i, c in enumerate(remaining) if i not in taken]
    return found
