"""The priorities scorecard: one row per CIO priority with a status worked out from the
modules' figures. Pure Python; `scorecard_input.py` gathers the figures, this module
judges them, so the thresholds can be read, changed and tested on their own."""

from dataclasses import dataclass, field

from townhall.exchange.priorities import Priority

# Statuses, best first, with the words a leader reads.
STATUSES = {
    "on_track": "On track",
    "watch": "Needs watching",
    "at_risk": "At risk",
    "no_data": "No data yet",
}
TRENDS = {
    "better": "Improving",
    "worse": "Getting worse",
    "same": "No change",
    "new": "First reading",
}
RANK = {"on_track": 0, "watch": 1, "at_risk": 2}
# A trend compares with the reading about this many days before (or the oldest kept).
TREND_DAYS = 30


@dataclass(frozen=True)
class Threshold:
    """How one priority's headline value is judged. `higher_is_better`: a share of good
    things (on track at or above `on_track`, at risk below `at_risk`); otherwise a count or
    share of bad things (on track at or below `on_track`, at risk above `at_risk`)."""

    on_track: float
    at_risk: float
    higher_is_better: bool
    unit: str  # "%" for a share, "" for a count, "level" for the 1–7 scale
    measure: str  # what the value is, in words

    def words(self) -> str:
        """The thresholds in plain words, for the page."""

        def show(v: float) -> str:
            if self.unit == "%":
                return f"{v:g}%"
            if self.unit == "level":
                return f"level {v:g}"
            return f"{v:g}"

        if self.higher_is_better:
            return (
                f"{self.measure}: on track at {show(self.on_track)} or more, at risk below "
                f"{show(self.at_risk)}, needs watching between."
            )
        return (
            f"{self.measure}: on track at {show(self.on_track)} or fewer, at risk above "
            f"{show(self.at_risk)}, needs watching between."
        )


# The thresholds, one per priority, with why they sit where they do.
THRESHOLDS: dict[str, Threshold] = {
    # Anything past end of support is unpatched exposure; a handful is normal mid-cycle.
    "infrastructure_lifecycle": Threshold(
        0, 5, False, "", "Components in service past their end of support"
    ),
    # A system marked migrate or eliminate needs a funded way out; a few waiting is normal.
    "modernization": Threshold(
        2, 10, False, "", "Systems rated migrate or eliminate with no proposal to replace them"
    ),
    # The recommended minimum maturity is 5 on the 1–7 scale; below 4 is well short of it.
    "cyber_prevention": Threshold(
        5, 4, True, "level", "Average level of the latest completed assessment"
    ),
    # Insurers and the state ask for yearly training of everyone: 90% is the usual bar.
    "cyber_staffing": Threshold(90, 70, True, "%", "Staff with training completed this year"),
    # Funded requests should be decided by the board, not outside it.
    "governance": Threshold(90, 60, True, "%", "Requests decided that went through the board"),
    # Demand should not shrink sharply or double unplanned; judged as growth over last cycle.
    "portfolio_growth": Threshold(
        0, -25, True, "%", "Change in requests this cycle against the last"
    ),
    # Services whose foundation is weak: any is a risk to plan for, several a pattern.
    "infrastructure_investment": Threshold(
        0, 3, False, "", "Services on a weak or failing foundation"
    ),
    # Every service with a recovery time objective should be able to meet it.
    "continuity": Threshold(0, 2, False, "", "Services that would miss their recovery time"),
    # New merchants wait for triage; a long queue means spend goes unseen.
    "shadow_it": Threshold(5, 20, False, "", "Merchants not yet triaged"),
    # Some vacancy is turnover; many funded posts empty means the shape is not filled.
    "organization": Threshold(2, 6, False, "", "Funded positions vacant"),
    # A critical system only one person (or nobody) can run is lost with that person.
    "workforce": Threshold(
        0, 2, False, "", "Critical systems with fewer than two qualified people"
    ),
    # Datasets need an owner who reviews them on time.
    "data": Threshold(90, 60, True, "%", "Datasets with an owner and review current"),
    # An account without a government recovery route or overdue review can be lost.
    "social_media": Threshold(
        0, 2, False, "", "Accounts without a recovery person or overdue for review"
    ),
    # Pilots should end decided (scaled or stopped), not linger.
    "innovation": Threshold(50, 20, True, "%", "Pilots decided (scaled or stopped)"),
    # Surveillance reviews should be decided before the technology is used.
    "emerging_technology": Threshold(0, 3, False, "", "Surveillance reviews pending a decision"),
    # Interoperability links rated poor leave responders unable to talk.
    "emergency_communications": Threshold(
        0, 3, False, "", "Continuum assessments overdue for review"
    ),
    # Residents' input should be moderated within days, not pile up.
    "civic_engagement": Threshold(5, 20, False, "", "Residents' input awaiting moderation"),
}


def status_of(key: str, value: float | None) -> str:
    """The status of priority `key` for its headline `value`; `no_data` when None."""
    if value is None or key not in THRESHOLDS:
        return "no_data"
    t = THRESHOLDS[key]
    if t.higher_is_better:
        if value >= t.on_track:
            return "on_track"
        return "at_risk" if value < t.at_risk else "watch"
    if value <= t.on_track:
        return "on_track"
    return "at_risk" if value > t.at_risk else "watch"


def trend_of(
    key: str, status: str, value: float | None, then_status: str | None, then_value: float | None
) -> str:
    """Which way priority `key` moved since an earlier reading: by status first, by value
    when the status is the same; `new` without an earlier reading or without data."""
    if then_status is None or status == "no_data" or then_status == "no_data":
        return "new"
    if RANK[status] != RANK[then_status]:
        return "better" if RANK[status] < RANK[then_status] else "worse"
    if value is None or then_value is None or value == then_value:
        return "same"
    up = value > then_value
    return "better" if up == THRESHOLDS[key].higher_is_better else "worse"


@dataclass(frozen=True)
class Figure:
    """One number behind a row, in words, with the list of the records it counts."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class Row:
    """One priority on the scorecard: where it stands, why (`figure`, the number behind
    it in words), which way it moves, and where to act (`url`, `action`)."""

    priority: Priority
    status: str  # a key of STATUSES
    figure: str
    trend: str  # a key of TRENDS
    url: str
    action: str
    value: float | None = None
    figures: tuple[Figure, ...] = field(default=())

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def trend_label(self) -> str:
        return TRENDS[self.trend]

    @property
    def thresholds(self) -> str:
        t = THRESHOLDS.get(self.priority.key)
        return t.words() if t else ""
