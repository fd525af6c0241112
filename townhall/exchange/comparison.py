"""Where this government stands against its peers, metric by metric: which cohort to compare
with, where our value falls against the cohort's quartiles, and the gap to its median in
words a council reads. Pure Python; `peers_input.py` reads the records.

The hub releases only a cohort's size and quartiles, never a peer's own value, so nothing
here can name or show one."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from townhall.exchange import bands
from townhall.exchange.metrics import Metric

POSITIONS = {
    "ahead": "Ahead of most peers",
    "middle": "In the middle half",
    "behind": "Behind most peers",
    "no_value": "No value of ours",
    "no_statistics": "No peer statistics",
}
UNIT_WORDS = {"score": "points", "percent": "percentage points", "per_1000": "per 1,000"}


@dataclass(frozen=True)
class Statistic:
    """One released cohort's figures for one metric."""

    metric: str
    cohort: str
    label: str
    members: int
    q1: float
    median: float
    q3: float


@dataclass(frozen=True)
class Placement:
    """One metric compared: our value (None: we have none), the cohort chosen (None: no
    statistics), our position (a key of POSITIONS) and the words that say it."""

    metric: Metric
    value: float | None
    statistic: Statistic | None
    position: str
    gap: str  # "0.8 points below the median of 14 peers (counties, …)"; "" without figures

    @property
    def position_label(self) -> str:
        return POSITIONS[self.position]

    @property
    def value_text(self) -> str:
        return "" if self.value is None else show(self.value, self.metric.unit)

    @property
    def quartile_texts(self) -> tuple[str, str, str]:
        """The cohort's first quartile, median and third quartile as a reader sees them."""
        s = self.statistic
        if s is None:
            return ("", "", "")
        unit = self.metric.unit
        return (show(s.q1, unit), show(s.median, unit), show(s.q3, unit))

    @property
    def compared(self) -> bool:
        return self.position in ("ahead", "middle", "behind")

    @property
    def sentence(self) -> str:
        """The whole finding in one sentence."""
        if self.position == "no_value":
            return f"{self.metric.label}: we have not submitted a value for this year."
        if self.position == "no_statistics":
            return f"{self.metric.label}: the hub has released no peer statistics yet."
        return f"{self.metric.label}: {self.position_label.lower()}, {self.gap}."


def show(value: float, unit: str) -> str:
    """A value as a reader sees it: "4.2", "12.5%", "8.1 per 1,000"."""
    if unit == "percent":
        return f"{value:,.1f}%"
    if unit == "per_1000":
        return f"{value:,.1f} per 1,000"
    return f"{value:,.1f}"


def preferred_cohorts(profile_bands: Mapping[str, str]) -> list[str]:
    """The cohorts we belong to, in the order we would rather be compared with them: kind and
    population band, then kind alone, then the rest as `bands.cohorts_of` ranks them (budget
    band, region, population band, everyone). A council asks first how it compares with
    governments of its own kind."""
    keys = bands.cohorts_of(dict(profile_bands))
    kind = bands.cohort_key({"kind": profile_bands["kind"]})
    return keys[:1] + [kind] + [k for k in keys[1:] if k != kind]


def choose(statistics: Iterable[Statistic], profile_bands: Mapping[str, str]) -> Statistic | None:
    """The most specific released cohort for one metric that contains us (None: none is)."""
    by_cohort = {s.cohort: s for s in statistics}
    for key in preferred_cohorts(profile_bands):
        if key in by_cohort:
            return by_cohort[key]
    return None


def position(value: float, stat: Statistic, higher_is_better: bool) -> str:
    """Ahead: better than the better quartile; behind: worse than the worse one."""
    better, worse = (stat.q3, stat.q1) if higher_is_better else (stat.q1, stat.q3)
    if (value > better) if higher_is_better else (value < better):
        return "ahead"
    if (value < worse) if higher_is_better else (value > worse):
        return "behind"
    return "middle"


def gap_words(value: float, stat: Statistic, unit: str) -> str:
    """The distance to the median in the metric's unit, and whose median."""
    whose = f"the median of {stat.members:,} peers ({stat.label})"
    diff = round(value - stat.median, 1)
    if diff == 0:
        return f"at {whose}"
    side = "above" if diff > 0 else "below"
    return f"{abs(diff):,.1f} {UNIT_WORDS.get(unit, '')} {side} {whose}".replace("  ", " ")


def compare(
    metrics: Iterable[Metric],
    values: Mapping[str, float],
    statistics: Iterable[Statistic],
    profile_bands: Mapping[str, str] | None,
) -> list[Placement]:
    """Every metric placed against its cohort, in the order of `metrics`. Without a profile
    there is no cohort we are known to belong to, so nothing is compared."""
    by_metric: dict[str, list[Statistic]] = {}
    for given in statistics:
        by_metric.setdefault(given.metric, []).append(given)
    placed = []
    for metric in metrics:
        raw = values.get(metric.key)
        value = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
        stat = choose(by_metric.get(metric.key, []), profile_bands) if profile_bands else None
        if value is None:
            placed.append(Placement(metric, None, stat, "no_value", ""))
        elif stat is None:
            placed.append(Placement(metric, value, None, "no_statistics", ""))
        else:
            where = position(value, stat, metric.higher_is_better)
            placed.append(
                Placement(metric, value, stat, where, gap_words(value, stat, metric.unit))
            )
    return placed


def _metrics(count: int) -> str:
    return f"{count} metric" if count == 1 else f"{count} metrics"


def summary(placements: list[Placement]) -> list[str]:
    """The council's summary: how many metrics stand where, then each one behind."""
    counted = [p for p in placements if p.compared]
    if not counted:
        return ["No metric can be compared with peers yet for this year."]
    count = {key: sum(p.position == key for p in counted) for key in ("ahead", "middle", "behind")}
    lines = [
        f"Of {_metrics(len(counted))} compared with peers, we are ahead of most peers on "
        f"{count['ahead']}, in the middle half on {count['middle']} and behind most peers on "
        f"{count['behind']}."
    ]
    lines += [p.sentence for p in counted if p.position == "behind"]
    missing = len(placements) - len(counted)
    if missing:
        lines.append(
            f"{_metrics(missing)} could not be compared: we have no value or no peer figures."
        )
    return lines
