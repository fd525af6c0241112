"""The priorities scorecard: one row per CIO priority with a status worked out from the
modules' figures. Pure Python; `scorecard_input.py` gathers the figures."""

from dataclasses import dataclass

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

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def trend_label(self) -> str:
        return TRENDS[self.trend]
