"""The leader's decisions due, as sentences: pure Python, gathered by `decisions.py`."""

import datetime
from dataclasses import dataclass

PER_SOURCE = 8  # items read from each kind of record
SHOWN = 25  # items shown on the home page


@dataclass(frozen=True)
class Decision:
    """One thing waiting for a decision: a sentence, the day it falls due, where to act,
    whether that day has passed, and what kind of record it comes from."""

    text: str
    due: datetime.date
    url: str
    overdue: bool
    kind: str


def soonest(items: list[Decision], shown: int = SHOWN) -> tuple[list[Decision], int]:
    """The first `shown` items, soonest (most overdue) first, and how many more there are."""
    ordered = sorted(items, key=lambda d: (d.due, d.kind, d.text))
    return ordered[:shown], max(0, len(ordered) - shown)


def when(due: datetime.date, today: datetime.date) -> str:
    """How far off a day is, in words: "today", "in 3 days", "5 days ago"."""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"
