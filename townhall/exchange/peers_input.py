"""The peer comparison's figures, read from the records: our latest submitted metrics for a
year, the cohort statistics fetched for it, and our profile's bands. `comparison.py` does
the comparing.

Who may read them is decided by role (`may_read`): the figures are aggregates, our own
metrics and cohort quartiles, never a peer's value nor the profile's sealed key, so the
administrators-only records are read here for their figures alone."""

from dataclasses import dataclass
from typing import Any

from django.db.models import F

from townhall.core import permissions
from townhall.exchange import bands, comparison, peer_chart
from townhall.exchange.metrics import METRIC_SET_VERSION, METRICS
from townhall.exchange.models import JurisdictionProfile, MetricSubmission, PeerStatistic
from townhall.exchange.priorities import PRIORITIES

# IT, administrators, the board and viewers read the comparison; liaisons do not.
READERS = ("admin", "it_manager", "staff", "board", "viewer")


def may_read(user: Any) -> bool:
    return permissions.has_one_of(user, READERS) and bool(getattr(user, "is_active", False))


@dataclass(frozen=True)
class Row:
    placement: comparison.Placement
    chart: str  # SVG markup, escaped (peer_chart.svg); "" without figures


@dataclass(frozen=True)
class Comparison:
    year: int | None
    years: list[int]
    profile_name: str
    cohort_labels: list[str]  # the cohorts compared with, most used first
    groups: list[tuple[str, list[Row]]]  # (priority label, its metrics' rows)

    @property
    def placements(self) -> list[comparison.Placement]:
        return [row.placement for _, rows in self.groups for row in rows]

    @property
    def behind(self) -> list[comparison.Placement]:
        return [p for p in self.placements if p.position == "behind"]


def years() -> list[int]:
    """The years with a submitted set of our metrics, newest first."""
    found = MetricSubmission.objects.filter(submitted_at__isnull=False).values_list(
        "year", flat=True
    )
    return sorted(set(found), reverse=True)


def _bands() -> tuple[str, dict[str, str] | None]:
    row = (
        JurisdictionProfile.objects.order_by("pk")
        .values("name", "kind", "population", "region", "operating_budget")
        .first()
    )
    if row is None:
        return "", None
    kind, population, region, budget = (
        row["kind"],
        row["population"],
        row["region"],
        row["operating_budget"],
    )
    return row["name"], bands.profile(kind, population, region, budget)


def compare(year: int | None = None) -> Comparison:
    """The comparison for `year` (None: the latest year we submitted)."""
    known = years()
    if year is None or year not in known:
        year = known[0] if known else None
    name, profile_bands = _bands()
    values: dict[str, float] = {}
    version = METRIC_SET_VERSION
    if year is not None:
        submission = (
            MetricSubmission.objects.filter(year=year, submitted_at__isnull=False)
            .order_by(F("submitted_at").desc())
            .values("values", "metric_set_version")
            .first()
        )
        if submission is not None:
            values = submission["values"] if isinstance(submission["values"], dict) else {}
            version = submission["metric_set_version"]
    stats = [
        comparison.Statistic(
            s["metric"], s["cohort"], s["cohort_label"], s["members"], s["q1"], s["median"], s["q3"]
        )
        for s in PeerStatistic.objects.filter(year=year or 0, metric_set_version=version).values(
            "metric", "cohort", "cohort_label", "members", "q1", "median", "q3"
        )
    ]
    placed = comparison.compare(METRICS, values, stats, profile_bands)
    by_priority: dict[str, list[Row]] = {}
    for p in placed:
        row = Row(p, peer_chart.svg(p, f"peer-{p.metric.key}"))
        by_priority.setdefault(p.metric.priority, []).append(row)
    groups = [(pr.label, by_priority[pr.key]) for pr in PRIORITIES if pr.key in by_priority]
    counts: dict[str, int] = {}
    for p in placed:
        if p.statistic is not None and p.compared:
            counts[p.statistic.label] = counts.get(p.statistic.label, 0) + 1
    labels = sorted(counts, key=lambda label: -counts[label])
    return Comparison(year, known, name, labels, groups)
