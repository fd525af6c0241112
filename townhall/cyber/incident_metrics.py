"""How fast incidents are found, contained and recovered from, year by year; and the
timeline of one incident.

Plain Python (no Django). Give datetimes already in local time: an incident belongs to the
year in which it was detected, as the people who handled it would say.

Three measures, each in hours:

- time to detect: from when it began (when that is known) to when it was detected;
- time to contain: from detection to containment;
- time to recover: from detection to recovery.

An incident missing the later time of a measure is left out of that measure's median and
mean (and counted as still open when it has no recovery time); a pair of times in the
wrong order is a data error and is left out too.
"""

import datetime
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# (key, label, start stage, end stage)
MEASURES: tuple[tuple[str, str, str, str], ...] = (
    ("detect", "Time to detect", "began", "detected"),
    ("contain", "Time to contain", "detected", "contained"),
    ("recover", "Time to recover", "detected", "recovered"),
)
DAYS_FROM_HOURS = 48  # from this many hours on, a duration reads better in days


@dataclass(frozen=True)
class Times:
    """One incident's stage times and severity."""

    detected: datetime.datetime
    began: datetime.datetime | None = None
    contained: datetime.datetime | None = None
    eradicated: datetime.datetime | None = None
    recovered: datetime.datetime | None = None
    severity: str = ""


def hours(start: datetime.datetime | None, end: datetime.datetime | None) -> float | None:
    """Hours from `start` to `end`; None when either is missing or they are out of order."""
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 3600


def duration_text(value: float | None) -> str:
    """ "5.5 hours", "1 hour", "3.2 days": hours below two days, days from then on."""
    if value is None:
        return "—"
    if value >= DAYS_FROM_HOURS:
        days = round(value / 24, 1)
        return f"{days:g} day{'' if days == 1 else 's'}"
    shown = round(value, 1)
    return f"{shown:g} hour{'' if shown == 1 else 's'}"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    count: int  # incidents with both times of the measure
    median: float | None  # hours
    mean: float | None  # hours

    @property
    def median_text(self) -> str:
        return duration_text(self.median)

    @property
    def mean_text(self) -> str:
        return duration_text(self.mean)


def measure(key: str, label: str, values: Iterable[float | None]) -> Measure:
    known = [v for v in values if v is not None]
    return Measure(
        key=key,
        label=label,
        count=len(known),
        median=statistics.median(known) if known else None,
        mean=statistics.fmean(known) if known else None,
    )


@dataclass(frozen=True)
class Group:
    """The figures of a set of incidents (one year, or one severity within a year)."""

    incidents: int
    open: int  # no recovery time yet
    not_contained: int  # no containment time yet
    measures: dict[str, Measure]

    @property
    def detect(self) -> Measure:
        return self.measures["detect"]

    @property
    def contain(self) -> Measure:
        return self.measures["contain"]

    @property
    def recover(self) -> Measure:
        return self.measures["recover"]


def group(incidents: Sequence[Times]) -> Group:
    measures = {
        key: measure(key, label, (hours(getattr(t, start), getattr(t, end)) for t in incidents))
        for key, label, start, end in MEASURES
    }
    return Group(
        incidents=len(incidents),
        open=sum(1 for t in incidents if t.recovered is None),
        not_contained=sum(1 for t in incidents if t.contained is None),
        measures=measures,
    )


@dataclass(frozen=True)
class Year:
    year: int
    all: Group
    by_severity: list[tuple[str, Group]] = field(default_factory=list)


def by_year(incidents: Iterable[Times], severities: Sequence[str] = ()) -> list[Year]:
    """Figures per year of detection, oldest year first. `by_severity` follows the order of
    `severities` (those with no incident that year are left out), then any others by name."""
    years: dict[int, list[Times]] = {}
    for t in incidents:
        years.setdefault(t.detected.year, []).append(t)
    result = []
    for year in sorted(years):
        items = years[year]
        found = {t.severity for t in items}
        order = [s for s in severities if s in found] + sorted(found - set(severities))
        result.append(
            Year(
                year=year,
                all=group(items),
                by_severity=[(s, group([t for t in items if t.severity == s])) for s in order],
            )
        )
    return result


# --- one incident's timeline ------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    kind: str  # "stage" or "report"
    key: str  # the stage or recipient key
    label: str
    at: datetime.datetime
    after_detection: float | None  # hours; negative when before detection
    after_text: str


def _after(hours_value: float) -> str:
    if hours_value == 0:
        return "at detection"
    text = duration_text(abs(hours_value))
    return f"{text} after detection" if hours_value > 0 else f"{text} before detection"


def timeline(
    detected: datetime.datetime,
    stages: Sequence[tuple[str, str, datetime.datetime | None]],
    reports: Sequence[tuple[str, str, datetime.datetime | None]],
) -> list[Event]:
    """The stages and reports that happened, in time order, each with how long after (or,
    for when it began, before) detection. Stages come before reports at the same instant,
    and each keeps the order given among its kind. Missing times are left out."""
    events: list[tuple[datetime.datetime, int, int, Event]] = []
    for rank, (kind, items) in enumerate((("stage", stages), ("report", reports))):
        for n, (key, label, at) in enumerate(items):
            if at is None:
                continue
            delta = (at - detected).total_seconds() / 3600
            event = Event(kind, key, label, at, delta, _after(delta))
            events.append((at, rank, n, event))
    events.sort(key=lambda e: e[:3])
    return [e[3] for e in events]
