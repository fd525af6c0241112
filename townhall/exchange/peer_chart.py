"""One metric against its cohort as SVG, drawn on the server for the page and the PDF alike:
the middle half of the cohort (first to third quartile) as a hatched band, its median as a
thick line, our value as a black diamond labelled "Us". Shapes and words carry the meaning,
not colour, so it reads in grey-scale print. The figures sit in a table beside it (the
templates). Pure Python: every text written out is escaped here."""

from html import escape

from townhall.exchange.comparison import Placement, show

WIDTH = 460
HEIGHT = 100
LEFT = 16
RIGHT = WIDTH - 16
BAND_Y = 30
BAND_H = 26
AXIS_Y = BAND_Y + BAND_H + 22


def _scale(p: Placement) -> tuple[float, float]:
    """The stretch of the metric's scale the chart shows: the quartiles and our value with a
    margin, kept within the metric's bounds."""
    stat = p.statistic
    assert stat is not None
    points = [stat.q1, stat.median, stat.q3] + ([p.value] if p.value is not None else [])
    low, high = min(points), max(points)
    margin = max((high - low) * 0.15, (p.metric.highest - p.metric.lowest) * 0.02)
    low = max(p.metric.lowest, low - margin)
    high = min(p.metric.highest, high + margin)
    if high <= low:
        high = low + 1
    return low, high


def svg(p: Placement, chart_id: str) -> str:
    """The chart as SVG markup, or "" when the metric has no figures to draw."""
    stat = p.statistic
    if stat is None or p.value is None:
        return ""
    low, high = _scale(p)
    unit = p.metric.unit

    def x(value: float) -> float:
        return round(LEFT + (RIGHT - LEFT) * (value - low) / (high - low), 1)

    ident = escape(chart_id)
    title = (
        f"{p.metric.label}: us {show(p.value, unit)}; middle half of {stat.members} peers "
        f"({stat.label}) {show(stat.q1, unit)} to {show(stat.q3, unit)}, "
        f"median {show(stat.median, unit)}; "
        f"{p.position_label.lower()}"
    )
    us = x(p.value)
    anchor = "start" if us < (LEFT + RIGHT) / 2 else "end"
    label_x = us + 9 if anchor == "start" else us - 9
    parts = [
        f'<svg role="img" aria-labelledby="{ident}-title" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#e6e6e6"></rect>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#a9aeb1" stroke-width="2"></line>'
        "</pattern></defs>",
        f'<line x1="{LEFT}" y1="{AXIS_Y}" x2="{RIGHT}" y2="{AXIS_Y}" stroke="#1b1b1b"></line>',
        f'<text x="{LEFT}" y="{AXIS_Y + 14}" font-size="12" fill="#1b1b1b">'
        f"{escape(show(low, unit))}</text>",
        f'<text x="{RIGHT}" y="{AXIS_Y + 14}" font-size="12" text-anchor="end" fill="#1b1b1b">'
        f"{escape(show(high, unit))}</text>",
        f'<rect x="{x(stat.q1)}" y="{BAND_Y}" width="{max(x(stat.q3) - x(stat.q1), 1)}" '
        f'height="{BAND_H}" fill="url(#{ident}-hatch)" stroke="#1b1b1b"></rect>',
        f'<line x1="{x(stat.median)}" y1="{BAND_Y - 4}" x2="{x(stat.median)}" '
        f'y2="{BAND_Y + BAND_H + 4}" stroke="#1b1b1b" stroke-width="4"></line>',
        f'<text x="{x(stat.median)}" y="{BAND_Y - 8}" font-size="12" text-anchor="middle" '
        f'fill="#1b1b1b">median {escape(show(stat.median, unit))}</text>',
        f'<path d="M{us} {BAND_Y + BAND_H / 2 - 9} l9 9 l-9 9 l-9 -9 z" fill="#1b1b1b" '
        'stroke="#ffffff" stroke-width="1.5"></path>',
        f'<text x="{label_x}" y="{BAND_Y + BAND_H + 13}" font-size="12" font-weight="bold" '
        f'text-anchor="{anchor}" fill="#1b1b1b">Us {escape(show(p.value, unit))}</text>',
        "</svg>",
    ]
    return "".join(parts)
