"""Charts drawn on the server as SVG (template `core/_bar_chart.html`), so they work the
same in pages, PDFs and screen readers; every chart has its figures in a table beside it.
No Django imports: geometry only."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    """One bar to draw: its label, value, the value as shown and an optional limit."""

    label: str
    value: float | Decimal | int
    text: str
    limit: float | Decimal | int | None = None
    limit_text: str = ""
    # The limit is a target to reach (a score of 5), not a ceiling (a budget): the bar is
    # then flagged when it falls short of it instead of when it goes over.
    target: bool = False


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as shown beside the bar
    limit_text: str
    y: int
    width: int
    text_y: int
    value_x: int
    limit_x: int | None  # where the limit marker stands, if the bar has a limit
    over: bool  # flagged: above its ceiling, or below its target
    flag: str = ""  # how the flag reads: "over", "below target"


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(
    items: Sequence[Item],
    *,
    width: int = 520,
    label_width: int = 150,
    bar_height: int = 22,
    gap: int = 10,
    value_room: int = 110,
) -> Chart:
    """Horizontal bars in SVG user units, one per item.

    The scale is set so the largest value or limit fills the room between the labels and
    the space kept for the text; a limit is drawn as a marker across its bar."""
    largest = max(
        [float(i.value) for i in items] + [float(i.limit) for i in items if i.limit],
        default=0.0,
    )
    room = max(1, width - label_width - value_room)

    def scaled(value: float | Decimal | int) -> int:
        return round(room * float(value) / largest) if largest else 0

    bars = []
    for n, item in enumerate(items):
        y = gap + n * (bar_height + gap)
        w = scaled(item.value)
        if item.value and w < 2:
            w = 2  # a non-zero value stays visible
        limit_w = scaled(item.limit) if item.limit is not None else None
        bars.append(
            Bar(
                label=item.label,
                text=item.text,
                limit_text=item.limit_text,
                y=y,
                width=w,
                text_y=y + bar_height // 2 + 5,
                value_x=label_width + max(w, limit_w or 0) + 6,
                limit_x=label_width + limit_w if limit_w is not None else None,
                over=_flagged(item),
                flag="below target" if item.target else "over",
            )
        )
    return Chart(
        bars=bars,
        width=width,
        height=gap + len(items) * (bar_height + gap),
        label_width=label_width,
        bar_height=bar_height,
    )


def _flagged(item: Item) -> bool:
    if item.limit is None:
        return False
    return item.value < item.limit if item.target else item.value > item.limit
