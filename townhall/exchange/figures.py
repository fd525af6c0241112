"""The member's metric figures and what travels to the hub, in plain Python (no Django).

A figure is one metric's value worked out from this government's records, or None with
the reason it could not be: a metric is left out of what is sent rather than guessed. The
same module checks the hub's statistics before any of them is kept, so nothing outside the
documented shape (`protocol.py`) is ever stored.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from townhall.exchange import metrics

Number = int | float | Decimal


@dataclass(frozen=True)
class Source:
    """A record or list a figure came from, for the administrator to check it."""

    label: str
    url: str = ""


@dataclass(frozen=True)
class Figure:
    key: str
    value: float | None
    reason: str = ""  # why there is no value
    sources: tuple[Source, ...] = field(default_factory=tuple)

    @property
    def metric(self) -> metrics.Metric:
        return metrics.BY_KEY[self.key]


def missing(key: str, reason: str) -> Figure:
    return Figure(key, None, reason)


def percent(part: Number, whole: Number) -> float | None:
    """`part` as a share of `whole`, in percent to one decimal; None when `whole` is not
    above zero (a share of nothing is no figure)."""
    if whole <= 0:
        return None
    return round(min(100.0, max(0.0, 100 * float(part) / float(whole))), 1)


def per_thousand(part: Number, whole: Number) -> float | None:
    if whole <= 0:
        return None
    return round(1000 * float(part) / float(whole), 1)


def approved_values(figures: list[Figure]) -> dict[str, float]:
    """The values an administrator approves: each computed figure of the metric set, within
    its bounds; figures without a value are left out."""
    return {
        f.key: f.value
        for f in figures
        if f.value is not None and f.key in metrics.BY_KEY and not f.metric.problem(f.value)
    }


def submission(
    year: int, bands: dict[str, str], values: dict[str, float], version: str
) -> dict[str, object]:
    """The signed document the hub receives: the year, the metric set, the profile's bands
    and the approved values; nothing else."""
    return {"year": year, "metric_set_version": version, "profile": bands, "values": values}


STATISTIC_FIELDS = ("metric", "cohort", "cohort_label", "members", "q1", "median", "q3")


def _number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def statistic_rows(answer: object, year: int, version: str) -> tuple[list[dict], list[str]]:
    """The hub's statistics as rows to keep, and what is wrong with its answer (when
    anything is, keep none of them)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("statistics"), list):
        return [], ["the answer has no list of statistics"]
    problems = []
    if answer.get("year") != year:
        problems.append(f"the answer is for the year {answer.get('year')!r}, not {year}")
    if answer.get("metric_set_version") != version:
        problems.append(f"the answer is for metric set {answer.get('metric_set_version')!r}")
    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(answer["statistics"], start=1):
        where = f"statistic {number}"
        if not isinstance(row, dict) or set(row) != set(STATISTIC_FIELDS):
            problems.append(f"{where} does not have exactly {', '.join(STATISTIC_FIELDS)}")
            continue
        text_ok = all(
            isinstance(row[k], str) and 0 < len(row[k]) <= 200
            for k in ("metric", "cohort", "cohort_label")
        )
        members = row["members"]
        if not text_ok or row["metric"] not in metrics.VERSIONS.get(version, {}):
            problems.append(f"{where} names no metric of this set, or a bad cohort")
        elif isinstance(members, bool) or not isinstance(members, int) or members < 1:
            problems.append(f"{where}: members must be a whole number above zero")
        elif not all(_number(row[k]) for k in ("q1", "median", "q3")):
            problems.append(f"{where}: q1, median and q3 must be numbers")
        elif not row["q1"] <= row["median"] <= row["q3"]:
            problems.append(f"{where}: the quartiles are out of order")
        elif (row["metric"], row["cohort"]) in seen:
            problems.append(f"{where} repeats {row['metric']} for {row['cohort']}")
        else:
            seen.add((row["metric"], row["cohort"]))
            rows.append({k: row[k] for k in STATISTIC_FIELDS})
    return (rows, []) if not problems else ([], problems)
