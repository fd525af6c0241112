"""Recruiting figures in plain Python: how long hiring takes, how many funded positions
stand empty in each team, why candidates turn offers down, where the internship and
apprenticeship pipelines stand, and how the city's pay compares with the market.

Fed by `recruiting_input.py`; the recruiting page and the workforce brief read the same
figures, so a number a leader sees in the brief is the one on the page."""

import datetime
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

FILLED = "filled"
CANCELLED = "cancelled"
# The stages a requisition passes through, in order (the model's choices, as plain words).
STAGES = ("requested", "approved", "posted", "interviewing", "offer", FILLED, CANCELLED)
PIPELINE_KINDS = ("internship", "apprenticeship")


@dataclass(frozen=True)
class Opening:
    """What the figures need of one requisition."""

    id: int
    title: str
    kind: str
    stage: str
    team_id: int | None
    opened_on: datetime.date
    filled_on: datetime.date | None = None
    openings: int = 1
    applicants: int | None = None
    interviewed: int | None = None
    position_id: int | None = None

    @property
    def open(self) -> bool:
        return self.stage not in (FILLED, CANCELLED)


@dataclass(frozen=True)
class Seat:
    """What the vacancy figures need of one position."""

    id: int
    team_id: int
    funded: bool
    vacant_since: datetime.date | None  # None: filled


@dataclass(frozen=True)
class FillTime:
    """Days from opening a requisition to filling it, over the requisitions filled."""

    filled: int
    median_days: float | None
    longest_days: int | None


@dataclass(frozen=True)
class Vacancy:
    """A team's funded positions and how many of them are empty."""

    team_id: int | None
    funded: int
    vacant: int
    longest_vacant_days: int | None

    @property
    def rate(self) -> float | None:
        return self.vacant / self.funded if self.funded else None


@dataclass
class Pipeline:
    """An internship or apprenticeship programme: its openings by stage and its funnel."""

    kind: str
    openings_by_stage: dict[str, int] = field(default_factory=dict)
    applicants: int = 0
    interviewed: int = 0
    hired: int = 0


@dataclass(frozen=True)
class PayComparison:
    """The city's pay for one kind of job against what the market pays for it."""

    market_pay: Decimal
    people: int
    city_median: Decimal | None

    @property
    def gap_share(self) -> float | None:
        """How far below (negative) or above the market the city's median pay is, as a share."""
        if self.city_median is None:
            return None
        return float((self.city_median - self.market_pay) / self.market_pay)


def days_to_fill(opened_on: datetime.date, filled_on: datetime.date) -> int:
    return (filled_on - opened_on).days


def time_to_fill(
    openings: Iterable[Opening], since: datetime.date | None = None, kind: str | None = None
) -> FillTime:
    """Over the requisitions filled on or after `since` (of `kind`, if given)."""
    days = [
        days_to_fill(o.opened_on, o.filled_on)
        for o in openings
        if o.stage == FILLED
        and o.filled_on is not None
        and (since is None or o.filled_on >= since)
        and (kind is None or o.kind == kind)
    ]
    if not days:
        return FillTime(0, None, None)
    return FillTime(len(days), float(statistics.median(days)), max(days))


def time_to_fill_by_team(
    openings: Iterable[Opening], since: datetime.date | None = None
) -> dict[int | None, FillTime]:
    by_team: dict[int | None, list[Opening]] = {}
    for o in openings:
        by_team.setdefault(o.team_id, []).append(o)
    return {team: time_to_fill(group, since) for team, group in by_team.items()}


def vacancies(seats: Iterable[Seat], today: datetime.date) -> dict[int | None, Vacancy]:
    """Each team's funded positions and vacancies, and the whole organization's under None.
    Unfunded positions are left out: an empty position with no money is not a vacancy to
    fill."""
    funded: Counter[int | None] = Counter()
    vacant: Counter[int | None] = Counter()
    longest: dict[int | None, int] = {}
    for seat in seats:
        if not seat.funded:
            continue
        for key in (seat.team_id, None):
            funded[key] += 1
            if seat.vacant_since is not None:
                vacant[key] += 1
                days = max(0, (today - seat.vacant_since).days)
                longest[key] = max(longest.get(key, 0), days)
    return {
        key: Vacancy(key, funded[key], vacant[key], longest.get(key))
        for key in [*sorted(k for k in funded if k is not None), None]
        if funded[key] or key is None
    }


def declined_reasons(
    declines: Iterable[tuple[datetime.date, str]], since: datetime.date | None = None
) -> list[tuple[str, int]]:
    """(reason, times given), the most common first, for offers declined on or after
    `since`; ties in the order of the reason's code, so the list is stable."""
    counts = Counter(reason for day, reason in declines if since is None or day >= since)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def pipelines(openings: Iterable[Opening]) -> list[Pipeline]:
    """The internship and apprenticeship programmes, one pipeline per kind."""
    found = {kind: Pipeline(kind) for kind in PIPELINE_KINDS}
    for o in openings:
        pipe = found.get(o.kind)
        if pipe is None:
            continue
        pipe.openings_by_stage[o.stage] = pipe.openings_by_stage.get(o.stage, 0) + o.openings
        pipe.applicants += o.applicants or 0
        pipe.interviewed += o.interviewed or 0
        if o.stage == FILLED:
            pipe.hired += o.openings
    return [found[kind] for kind in PIPELINE_KINDS]


def compare_pay(market_pay: Decimal, city_pays: Iterable[Decimal]) -> PayComparison:
    pays = sorted(p for p in city_pays if p is not None)
    median = Decimal(statistics.median(pays)) if pays else None
    return PayComparison(market_pay, len(pays), median)


# --- for the recruiting page ----------------------------------------------------------------

OPEN_STAGES = tuple(s for s in STAGES if s not in (FILLED, CANCELLED))


def a_year_before(today: datetime.date) -> datetime.date:
    """The same day a year earlier (28 February for 29 February): the start of "the last
    12 months" the page's figures cover."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def open_by_stage(openings: Iterable[Opening]) -> list[tuple[str, list[Opening]]]:
    """The requisitions still open (neither filled nor cancelled), grouped by stage in the
    order hiring goes through them, oldest first in each; stages with none are left out."""
    groups: dict[str, list[Opening]] = {stage: [] for stage in OPEN_STAGES}
    for o in openings:
        if o.stage in groups:
            groups[o.stage].append(o)
    return [
        (stage, sorted(found, key=lambda o: (o.opened_on, o.id)))
        for stage, found in groups.items()
        if found
    ]


def pay_against_market(
    rates: Iterable[tuple[int, Decimal]], pays: Iterable[tuple[int, Decimal | None]]
) -> dict[int, PayComparison]:
    """Each market rate (id, market pay) against the pay of the people in the positions
    linked to it, given as (rate id, annual pay); pay not recorded is left out, and a rate
    nobody's pay is known for has no city median."""
    by_rate: dict[int, list[Decimal]] = {}
    for rate_id, pay in pays:
        if pay is not None:
            by_rate.setdefault(rate_id, []).append(pay)
    return {rate_id: compare_pay(market, by_rate.get(rate_id, [])) for rate_id, market in rates}
