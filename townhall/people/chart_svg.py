"""The organization chart's teams drawn as a tree in SVG, in plain Python (no Django): one
row per team, indented under the unit it is part of and joined to it by a line, with its
filled and vacant positions as a bar. The nested lists beside it say the same in words, so
the drawing is an image with a title and a summary for screen readers. At most `MAX_ROWS`
teams are drawn (the lists hold all of them)."""

from dataclasses import dataclass
from html import escape

MAX_ROWS = 80
ROW = 30
INDENT = 28
LABEL = 300
BAR = 160
UNIT = 12  # width of one position in the bar, shrunk when a team has many


@dataclass(frozen=True)
class Row:
    depth: int
    name: str
    filled: int
    vacant: int
    parent: int | None  # the index of the parent's row, if drawn


def svg(rows: list[Row], title: str, summary: str) -> str:
    shown = rows[:MAX_ROWS]
    depth = max((r.depth for r in shown), default=0)
    width = depth * INDENT + LABEL + BAR + 70
    height = max(1, len(shown)) * ROW + 10
    most = max((r.filled + r.vacant for r in shown), default=1) or 1
    unit = min(UNIT, BAR / most)
    parts = [
        f'<svg role="img" aria-labelledby="people-tree-title people-tree-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'focusable="false" class="th-org-tree">',
        f'<title id="people-tree-title">{escape(title)}</title>',
        f'<desc id="people-tree-desc">{escape(summary)}</desc>',
    ]
    for i, row in enumerate(shown):
        x = 8 + row.depth * INDENT
        y = 10 + i * ROW + ROW // 2
        if row.parent is not None and row.parent < i:
            px = 8 + shown[row.parent].depth * INDENT + 6
            py = 10 + row.parent * ROW + ROW // 2 + 6
            parts.append(
                f'<path d="M{px} {py} V{y} H{x - 2}" fill="none" '
                'stroke="#71767a" stroke-width="1.5"/>'
            )
        parts.append(f'<circle cx="{x + 4}" cy="{y}" r="4" fill="#1b1b1b"/>')
        name = row.name if len(row.name) <= 40 else row.name[:39] + "…"
        parts.append(
            f'<text x="{x + 14}" y="{y + 5}" font-size="14" fill="#1b1b1b">{escape(name)}</text>'
        )
        bx = depth * INDENT + LABEL
        filled_w, vacant_w = row.filled * unit, row.vacant * unit
        if filled_w:
            parts.append(
                f'<rect x="{bx}" y="{y - 8}" width="{filled_w:.1f}" height="16" fill="#005ea2"/>'
            )
        if vacant_w:
            parts.append(
                f'<rect x="{bx + filled_w:.1f}" y="{y - 8}" width="{vacant_w:.1f}" height="16" '
                f'fill="#ffffff" stroke="#b50909" stroke-width="2" stroke-dasharray="4 2"/>'
            )
        label = f"{row.filled} filled" + (f", {row.vacant} vacant" if row.vacant else "")
        parts.append(
            f'<text x="{bx + filled_w + vacant_w + 6:.1f}" y="{y + 5}" font-size="12" '
            f'fill="#1b1b1b">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
