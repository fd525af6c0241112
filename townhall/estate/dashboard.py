"""Date horizons, notice deadlines and bar-chart geometry for the estate dashboard.

Plain Python with no Django imports, so the arithmetic is tested on its own.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

HORIZON_MONTHS = (12, 24, 36)
NOTICE_WINDOW_DAYS = 90


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier); the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class Window:
    """A span of days for end-of-support counts: `after` (included) to `before` (excluded);
    None leaves that side open. The keys match the list pages' filters."""

    key: str
    label: str
    after: datetime.date | None
    before: datetime.date


def support_windows(today: datetime.date, months: Sequence[int] = HORIZON_MONTHS) -> list[Window]:
    """Already past (before today), then from today to within each number of months."""
    result = [Window("past", "Already out of support", None, today)]
    for n in months:
        result.append(
            Window(f"{n}m", f"Support ends within {n} months", today, add_months(today, n))
        )
    return result


def notice_window(
    today: datetime.date, days: int = NOTICE_WINDOW_DAYS
) -> tuple[datetime.date, datetime.date]:
    """First and last day (both included) of the window for upcoming notice deadlines."""
    return today, today + datetime.timedelta(days=days)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(
    items: Sequence[tuple[str, int]],
    *,
    width: int = 480,
    label_width: int = 170,
    bar_height: int = 22,
    gap: int = 8,
    value_room: int = 56,
) -> Chart:
    """Horizontal bar geometry in SVG user units: one bar per (label, value), scaled so the
    largest value fills the space between the labels and the room kept for the number."""
    largest = max((v for _, v in items), default=0)
    room = max(1, width - label_width - value_room)
    bars = []
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_height + gap)
        w = round(room * value / largest) if largest else 0
        if value and w < 2:
            w = 2  # a non-zero value stays visible
        bars.append(
            Bar(
                label=label,
                value=value,
                y=y,
                width=w,
                text_y=y + bar_height // 2 + 5,
                value_x=label_width + w + 6,
            )
        )
    height = gap + len(items) * (bar_height + gap)
    return Chart(
        bars=bars, width=width, height=height, label_width=label_width, bar_height=bar_height
    )
