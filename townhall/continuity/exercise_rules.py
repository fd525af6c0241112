"""What an exercise's measured recovery times say, in plain words: whether a service came
back within its recovery time objective (RTO) and by how much, how the measurement
compares with what the recorded restore times predict, how a service's tests trend from
one exercise to the next, and whether a follow-up action is overdue.

Pure Python, no Django: the exercise pages feed it numbers (int, float or Decimal hours)
and dates. Times are compared with a small tolerance, as in `analysis`, so 0.1 + 0.2 h
meets an RTO of 0.3 h.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

Hours = float | int | Decimal
TOL = 1e-9

MET = "met"
MISSED = "missed"
NO_RTO = "no_rto"
UNCONFIRMED = "unconfirmed"  # met on paper, but some restore times are unknown


def hours_text(value: Hours | None) -> str:
    """4 -> "4 h", 2.5 -> "2.5 h", 1234.5 -> "1,234.5 h", None -> "—"."""
    if value is None:
        return "—"
    return f"{float(value):,.2f}".rstrip("0").rstrip(".") + " h"


@dataclass(frozen=True)
class Verdict:
    """A measured recovery time against the RTO."""

    status: str  # MET, MISSED or NO_RTO
    margin: float | None  # hours to spare (met) or too many (missed); None without an RTO
    short: str  # "Missed by 6 h"
    sentence: str  # the same for a leader, in full

    @property
    def met(self) -> bool | None:
        return None if self.status in (NO_RTO, UNCONFIRMED) else self.status == MET


def verdict(measured: Hours, rto: Hours | None) -> Verdict:
    """Whether a service measured back in `measured` hours met an RTO of `rto` hours."""
    back = f"Came back in {hours_text(measured)}"
    if rto is None:
        return Verdict(
            NO_RTO,
            None,
            "No RTO set",
            f"{back}; no recovery time objective is set, so there is nothing to judge it by.",
        )
    m, r = float(measured), float(rto)
    goal = f"the objective is {hours_text(rto)}"
    if m > r + TOL:
        late = m - r
        return Verdict(
            MISSED,
            late,
            f"Missed by {hours_text(late)}",
            f"{back}; {goal}, so it missed by {hours_text(late)}.",
        )
    spare = max(0.0, r - m)
    if spare <= TOL:
        return Verdict(MET, 0.0, "Met, no time to spare", f"{back}; {goal}: met, only just.")
    return Verdict(
        MET,
        spare,
        f"Met with {hours_text(spare)} to spare",
        f"{back}; {goal}, so it met it with {hours_text(spare)} to spare.",
    )


def rto_check(computed: Hours, at_least: bool, rto: Hours | None) -> Verdict:
    """Whether a service can come back within its RTO, going by the effective recovery
    time the analysis computes (`at_least`: a lower bound, some restore times unknown)."""
    predicted = f"{'at least ' if at_least else ''}{hours_text(computed)}"
    back = f"Going by the recorded restore times, it can be back in {predicted}"
    if rto is None:
        return Verdict(NO_RTO, None, "No RTO set", f"{back}; no recovery time objective is set.")
    c, r = float(computed), float(rto)
    goal = f"the objective is {hours_text(rto)}"
    if c > r + TOL:
        late = c - r
        more = " or more" if at_least else ""
        return Verdict(
            MISSED,
            late,
            f"Cannot meet its RTO: {hours_text(late)}{more} too slow",
            f"{back}; {goal}, so it would be {hours_text(late)}{more} late.",
        )
    if at_least:
        return Verdict(
            UNCONFIRMED,
            None,
            "Not confirmed",
            f"{back}; {goal}. Some restore times are not recorded, so whether it can "
            "meet it is not known yet.",
        )
    spare = max(0.0, r - c)
    return Verdict(
        MET,
        spare,
        f"Can meet its RTO with {hours_text(spare)} to spare"
        if spare > TOL
        else "Can meet its RTO, only just",
        f"{back}; {goal}, so it can meet it.",
    )


@dataclass(frozen=True)
class Prediction:
    """A measured recovery time against the effective recovery time the analysis computes
    from the recorded restore times of everything the service depends on."""

    status: str  # "as_predicted", "slower", "faster" or "unknown"
    difference: float | None  # hours between the two; None when unknown
    sentence: str


def against_computed(measured: Hours, computed: Hours | None, at_least: bool) -> Prediction:
    """Compare a measurement with the computed effective recovery time. `at_least`: some
    restore times below the service are unknown, so `computed` is only a lower bound."""
    if computed is None:
        return Prediction(
            "unknown",
            None,
            "There is no computed recovery time to compare with (the service is not in the "
            "estate you can see).",
        )
    m, c = float(measured), float(computed)
    predicted = f"{'at least ' if at_least else ''}{hours_text(computed)}"
    if m > c + TOL:
        more = m - c
        if at_least:
            return Prediction(
                "slower",
                more,
                f"The recorded restore times add up to {predicted}; some are missing, so "
                f"record them to see where the other {hours_text(more)} went.",
            )
        return Prediction(
            "slower",
            more,
            f"It took {hours_text(more)} longer than the recorded restore times predict "
            f"({predicted}): those times look optimistic.",
        )
    if m < c - TOL:
        less = c - m
        return Prediction(
            "faster",
            less,
            f"It came back {hours_text(less)} sooner than the recorded restore times predict "
            f"({predicted}): either those times are cautious or not everything was restored.",
        )
    if at_least:
        return Prediction(
            "as_predicted",
            0.0,
            f"As far as the recorded restore times go ({predicted}); some are missing.",
        )
    return Prediction("as_predicted", 0.0, f"As the recorded restore times predict ({predicted}).")


@dataclass(frozen=True)
class Trend:
    """How the latest test of a service compares with the one before."""

    status: str  # "first", "faster", "slower" or "same"
    change: float | None  # hours faster (positive) or slower (negative) than before
    text: str


def trend(measured: Sequence[Hours]) -> Trend:
    """The trend of a service's measured times, oldest first."""
    if len(measured) < 2:
        return Trend("first", None, "First test")
    before, latest = float(measured[-2]), float(measured[-1])
    tests = f"{len(measured)} tests"
    if latest < before - TOL:
        return Trend(
            "faster",
            before - latest,
            f"{hours_text(before - latest)} faster than the test before ({tests})",
        )
    if latest > before + TOL:
        return Trend(
            "slower",
            before - latest,
            f"{hours_text(latest - before)} slower than the test before ({tests})",
        )
    return Trend("same", 0.0, f"Same as the test before ({tests})")


def days_overdue(due_on: datetime.date | None, done: bool, today: datetime.date) -> int:
    """Days a follow-up action is past its due date; 0 when it is done, has no due date or
    is not yet due (it is overdue from the day after it was due)."""
    if done or due_on is None or due_on >= today:
        return 0
    return (today - due_on).days
