"""Recurring charges: which of one merchant's charges are a subscription, and what it costs.

Each department's charges are looked at on their own (two departments paying for the same
service are two subscriptions). A series is a chain of charges, each following the previous
after one period of its cadence (`CADENCES`: monthly 27–33 days, quarterly 85–95, yearly
350–380) or after two periods when one charge was missed (monthly and quarterly only), with
an amount within `tolerance` (10 %) of the previous one. A different amount continues the
series only when the next charge keeps it (a price change that holds); a lone charge of
another amount is noise and stays out. A series needs at least 3 charges (2 when yearly).

Where one department buys from a merchant so often that a charge of about the amount would
fall in a period's window by chance (a marketplace, an office-supply store: `busy`, at least
`BUSY` such charges expected per window), a chain of similar amounts shows nothing: there
only the same amount to the cent continues a series, as a subscription's price does.

The longest series is taken first, its charges set aside, and the next longest of the
charges left taken after it, so two plans billed by one merchant to one department come out
as two subscriptions. The charges are sorted once; each step of a series looks only at the
charges of its window and amount (`_Charges`), and a series is walked again only when one
taken before it used some of its charges, so a merchant charged thousands of times in one
department costs about as many steps as it has charges (`Effort` counts them). Each says its
cadence, its current amount (the median since the last price change), the last charge, the
next expected one (the last plus one period, by the calendar), the annual cost at the current
amount, and whether it has lapsed: no charge for more than `GRACE` days after the expected
date.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import math
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


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
# A window expecting this many charges of about an amount by chance is busy (see `busy`).
BUSY = 0.15
# The fewest days charges are taken to span when judging how busy a merchant is: a
# department's first few charges say little about how often it buys.
MIN_SPAN = 90


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


class _Charges:
    """One department's charges in date order, some set aside as series are taken.

    A step asks for the charges due a period after another at about its amount. They are
    found by amount band, then by date: the charges of each band (`tolerance` wide, on a
    logarithmic scale, so two amounts close enough are in the same band or the next) are kept
    in date order and bisected, so a step looks at the few charges of its window and its
    amount, however many the merchant has. `compared` counts the charges looked at."""

    def __init__(self, charges: list[Charge], tolerance: Decimal) -> None:
        self.charges = charges
        self.tolerance = tolerance
        self.days = [c.date.toordinal() for c in charges]
        self.alive = [True] * len(charges)
        self.compared = 0
        self.amounts = [c.amount for c in charges]
        self._width = -math.log(1 - float(tolerance)) if 0 < tolerance < 1 else 0.0
        # Each charge's band, worked out once: a step asks for it many times.
        self.band_of = [self._band(amount) for amount in self.amounts]
        self._bands: dict[int, tuple[list[int], list[int]]] = {}
        # The same, by exact amount, for busy merchants (`busy`).
        self._exact: dict[Decimal, tuple[list[int], list[int]]] = {}
        for i, amount in enumerate(self.amounts):
            for days, indexes in (
                self._bands.setdefault(self.band_of[i], ([], [])),
                self._exact.setdefault(amount, ([], [])),
            ):
                days.append(self.days[i])
                indexes.append(i)
        # `busy` by band and window width: the bands never change (taking a charge only
        # marks it), so each answer holds for the whole run.
        self._busy: dict[tuple[int, int], bool] = {}
        # Days the charges span: with the count of charges of about an amount, how many of
        # them one period's window holds by chance (`busy`).
        self._span = max(self.days[-1] - self.days[0] + 1, MIN_SPAN) if charges else MIN_SPAN
        self._continues: dict[tuple[int, str], bool] = {}
        # Per cadence, the charges followed a period later by one of about their amount (a
        # price change may start there), in date order; taking charges only shortens it.
        self._continuing: dict[str, tuple[list[int], list[int]]] = {}

    def _band(self, amount: Decimal) -> int:
        return math.floor(math.log(float(amount)) / self._width) if self._width else 0

    def busy(self, band: int, width: int) -> bool:
        """Whether charges of about the amounts of `band` are so many that one would fall in
        a window `width` days wide by chance (a marketplace or an office-supply store bought
        from every day): there a chain of them shows nothing, and only the same amount to
        the cent continues a series, as a subscription's price does."""
        if not self._width:
            return False
        known = self._busy.get((band, width))
        if known is None:
            near = sum(len(self._bands.get(b, ((), ()))[0]) for b in (band - 1, band, band + 1))
            # Three bands hold the amounts within the tolerance on either side (two bands
            # wide).
            expected = near * (2 / 3) * (width + 1) / self._span
            known = self._busy[(band, width)] = expected >= BUSY
        return known

    def take(self, indexes: Iterable[int]) -> None:
        for i in indexes:
            self.alive[i] = False
        self._continues.clear()

    def _window(self, last: int, cadence: Cadence, periods: int) -> tuple[int, int, float]:
        day = self.days[last]
        due = day + (cadence.low + cadence.high) * periods / 2
        return day + cadence.low * periods, day + cadence.high * periods, due

    def _nearest(
        self, days: list[int], indexes: list[int], low: int, high: int, due: float, ok: Any
    ) -> int | None:
        """Of the charges `indexes` (dated `days`, in order) within [low, high], the one
        nearest to `due` that is `ok` (the earlier on a tie): looked for from `due` outwards,
        so the search stops at the first that fits."""
        lo = bisect.bisect_left(days, low)
        hi = bisect.bisect_right(days, high, lo)
        right = bisect.bisect_left(days, due, lo, hi)
        left = right - 1
        while left >= lo or right < hi:
            self.compared += 1
            if right >= hi or (left >= lo and due - days[left] <= days[right] - due):
                if ok(indexes[left]):
                    found, day = indexes[left], days[left]
                    left -= 1
                    while left >= lo and days[left] == day:  # the earliest of that day
                        if ok(indexes[left]):
                            found = indexes[left]
                        left -= 1
                    return found
                left -= 1
            else:
                if ok(indexes[right]):
                    return indexes[right]
                right += 1
        return None

    def close_step(self, last: int, cadence: Cadence, periods: int, like: int) -> int | None:
        """The charge left `periods` periods after charge `last`, nearest to due, whose
        amount is close to charge `like`'s."""
        low, high, due = self._window(last, cadence, periods)
        amount = self.amounts[like]
        band = self.band_of[like]
        alive = self.alive
        if self.busy(band, high - low):
            days, indexes = self._exact[amount]
            return self._nearest(days, indexes, low, high, due, lambda j: j > last and alive[j])
        amounts, tolerance = self.amounts, self.tolerance

        def ok(j: int) -> bool:
            return j > last and alive[j] and _close(amounts[j], amount, tolerance)

        found = []
        for b in (band - 1, band, band + 1) if self._width else (band,):
            days, indexes = self._bands.get(b, ([], []))
            j = self._nearest(days, indexes, low, high, due, ok)
            if j is not None:
                found.append(j)
        return min(found, key=lambda j: (abs(self.days[j] - due), j), default=None)

    def continues(self, j: int, cadence: Cadence) -> bool:
        """Whether a charge of about charge `j`'s amount follows it a period later."""
        known = self._continues.get((j, cadence.name))
        if known is None:
            found = self.close_step(j, cadence, 1, j) is not None
            known = self._continues[(j, cadence.name)] = found
        return known

    def new_price(self, last: int, cadence: Cadence) -> int | None:
        """The charge a period after `last`, nearest to due, at an amount that the charge
        after it keeps: a price change that holds."""
        if cadence.name not in self._continuing:
            days: list[int] = []
            indexes: list[int] = []
            for i in range(len(self.charges)):
                if self.alive[i] and self.continues(i, cadence):
                    days.append(self.days[i])
                    indexes.append(i)
            self._continuing[cadence.name] = (days, indexes)
        days, indexes = self._continuing[cadence.name]
        low, high, due = self._window(last, cadence, 1)

        def ok(j: int) -> bool:
            return j > last and self.alive[j] and self.continues(j, cadence)

        return self._nearest(days, indexes, low, high, due, ok)


def _chain(
    charges: _Charges, start: int, cadence: Cadence, tolerance: Decimal
) -> tuple[list[int], int]:
    """The series that starts at charge `start`, each charge the next one due at about the
    previous one's amount, and how many charges it bridged over."""
    chain, missed = [start], 0
    while True:
        last = chain[-1]
        step = charges.close_step(last, cadence, 1, last)
        if step is None:
            # A new price continues the series only if the charge after it keeps it.
            step = charges.new_price(last, cadence)
        if step is None and cadence.skip:
            step = charges.close_step(last, cadence, 2, last)
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


@dataclass
class Effort:
    """The work `detect` did: how many charges it looked at. Grows with the charges (times
    the few in one period's window), not with their square."""

    compared: int = 0


def detect(
    charges: Iterable[Charge],
    today: datetime.date,
    tolerance: Decimal = Decimal("0.10"),
    effort: Effort | None = None,
) -> list[Subscription]:
    """The recurring series among one merchant's charges, per department, longest first."""
    departments: dict[str, list[Charge]] = {}
    for charge in charges:
        if charge.amount > 0:
            departments.setdefault(charge.department, []).append(charge)
    found: list[Subscription] = []
    for department in sorted(departments):
        ordered = sorted(departments[department], key=lambda c: (c.date, c.amount))
        left = _Charges(ordered, tolerance)
        for chain, missed, cadence in _longest_first(left, tolerance):
            found.append(_series(department, ordered, chain, missed, cadence, today, tolerance))
        if effort is not None:
            effort.compared += left.compared
    return found


def _longest_first(left: _Charges, tolerance: Decimal) -> Iterator[tuple[list[int], int, Cadence]]:
    """The series among the charges, the longest first, each one's charges set aside before
    the next is chosen (two plans of one department are two series).

    Every chain is walked once, from each charge not already inside a chain of its cadence,
    and kept in a heap by length (then cadence and first charge, as a search from the start
    would meet them). The longest is taken if none of its charges went to a series taken
    since it was walked; otherwise it is walked again over the charges left and put back,
    and so are the chains from the charges it no longer reaches. A series taken changes only
    the chains that met it, so the work stays near the number of charges."""
    heap: list[tuple[int, int, int, int, list[int], int]] = []
    taken_count = 0  # how many series were taken: a chain walked before is checked again

    def push(cadence_index: int, start: int) -> list[int]:
        cadence = CADENCES[cadence_index]
        chain, missed = _chain(left, start, cadence, tolerance)
        if len(chain) >= cadence.minimum:
            heapq.heappush(heap, (-len(chain), cadence_index, start, taken_count, chain, missed))
        return chain

    for index in range(len(CADENCES)):
        seen: set[int] = set()
        for start in range(len(left.charges)):
            if start not in seen:  # else it would only give the tail of a chain already seen
                seen.update(push(index, start))
    while heap:
        _, index, start, walked, chain, missed = heapq.heappop(heap)
        if walked == taken_count:
            yield chain, missed, CADENCES[index]
            left.take(chain)
            taken_count += 1
            continue
        if not left.alive[start]:
            continue
        again = push(index, start)
        kept = set(again)
        for i in chain:
            if i not in kept and left.alive[i]:
                push(index, i)
