"""The 5×5 risk heat map: how many risks sit in each likelihood × impact cell, the band
each cell belongs to, and where to draw it as SVG.

Plain Python (no Django). The map must read without colour: every cell carries its count
and the name of its band in words, the legend names each band with its range of ratings,
and the page puts the same figures in a table beside the picture.

The band rule (documented here, shown in the legend): the rating is likelihood × impact,
from 1 to 25, and

    1–4    low          a risk we can live with and watch
    5–9    moderate     treat it in the normal course of work
    10–16  high         a named owner and a plan with a date
    20–25  very high    the leadership's attention now

No product of two numbers from 1 to 5 falls between 17 and 19, so the bands leave no gap.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

SIZE = 5
LIKELIHOOD = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT = {1: "Minimal", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: int  # lowest rating in the band
    high: int  # highest rating in the band
    fill: str  # cell colour
    ink: str  # text colour on that fill (at least 4.5:1 contrast)

    @property
    def range_text(self) -> str:
        return f"{self.low}–{self.high}"


BANDS: tuple[Band, ...] = (
    Band("low", "Low", 1, 4, "#b7e4b0", "#1b1b1b"),
    Band("moderate", "Moderate", 5, 9, "#fee685", "#1b1b1b"),
    Band("high", "High", 10, 16, "#f3a35c", "#1b1b1b"),
    Band("very_high", "Very high", 20, 25, "#a8071a", "#ffffff"),
)
BAND_BY_KEY = {b.key: b for b in BANDS}


def rating(likelihood: int, impact: int) -> int:
    """Likelihood × impact, each from 1 to 5."""
    if not (1 <= likelihood <= SIZE and 1 <= impact <= SIZE):
        raise ValueError(f"likelihood and impact run from 1 to {SIZE}")
    return likelihood * impact


def band(score: int) -> Band:
    """The band a rating from 1 to 25 falls in."""
    for b in BANDS:
        if b.low <= score <= b.high:
            return b
    raise ValueError(f"a rating runs from 1 to {SIZE * SIZE}, not {score}")


def cell_band(likelihood: int, impact: int) -> Band:
    return band(rating(likelihood, impact))


@dataclass(frozen=True)
class Grid:
    """Counts per (likelihood, impact); `unrated` counts the pairs with a value missing."""

    counts: dict[tuple[int, int], int]
    unrated: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, likelihood: int, impact: int) -> int:
        return self.counts.get((likelihood, impact), 0)

    def by_band(self) -> dict[str, int]:
        """How many rated pairs fall in each band, in band order (every band present)."""
        result = {b.key: 0 for b in BANDS}
        for (likelihood, impact), n in self.counts.items():
            result[cell_band(likelihood, impact).key] += n
        return result


def grid(pairs: Iterable[tuple[int | None, int | None]]) -> Grid:
    """Count (likelihood, impact) pairs into the 5×5 grid. A pair with either value missing
    is counted as unrated, not placed; a value outside 1–5 is an error."""
    counts: dict[tuple[int, int], int] = {}
    unrated = 0
    for likelihood, impact in pairs:
        if likelihood is None or impact is None:
            unrated += 1
            continue
        rating(likelihood, impact)  # refuses values outside the scale
        counts[(likelihood, impact)] = counts.get((likelihood, impact), 0) + 1
    return Grid(counts=counts, unrated=unrated)


# --- drawing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    count: int
    band: Band
    x: int
    y: int
    width: int
    height: int
    count_y: int  # baseline of the count
    band_y: int  # baseline of the band's name
    centre_x: int
    url: str  # where the cell links (empty when it holds no risk)
    label: str  # what a screen reader says for the cell


@dataclass(frozen=True)
class Tick:
    text: str
    x: int
    y: int


@dataclass(frozen=True)
class Swatch:
    band: Band
    x: int
    y: int
    size: int
    text_x: int
    text_y: int
    text: str


@dataclass(frozen=True)
class HeatMap:
    cells: list[Cell]
    rows: list[list[Cell]]  # likelihood 5 (top) down to 1, each impact 1 → 5
    likelihood_ticks: list[Tick]
    impact_ticks: list[Tick]
    legend: list[Swatch]
    width: int
    height: int
    grid_x: int
    grid_y: int
    grid_width: int
    grid_height: int
    likelihood_title_x: int
    likelihood_title_y: int
    impact_title_x: int
    impact_title_y: int

    @property
    def table(self) -> list[tuple[str, list[Cell]]]:
        """The rows of the table beside the map: (likelihood as words, its five cells)."""
        return [
            (tick.text, row) for tick, row in zip(self.likelihood_ticks, self.rows, strict=True)
        ]


def layout(
    counts: Grid,
    *,
    link: Callable[[int, int], str] | None = None,
    noun: str = "risk",
    cell_width: int = 78,
    cell_height: int = 56,
    label_width: int = 132,
    top: int = 8,
) -> HeatMap:
    """Geometry for the SVG heat map in user units: likelihood rises up the side (5 at the
    top), impact rises to the right, so the worst corner is top right.

    `link(likelihood, impact)` gives the address of the list of a cell's risks; cells with
    no risk get no link."""
    grid_x, grid_y = label_width, top
    cells: list[Cell] = []
    rows: list[list[Cell]] = []
    for r, likelihood in enumerate(range(SIZE, 0, -1)):
        row = []
        for c, impact in enumerate(range(1, SIZE + 1)):
            n = counts.count(likelihood, impact)
            b = cell_band(likelihood, impact)
            x = grid_x + c * cell_width
            y = grid_y + r * cell_height
            plural = noun if n == 1 else f"{noun}s"
            cell = Cell(
                likelihood=likelihood,
                impact=impact,
                count=n,
                band=b,
                x=x,
                y=y,
                width=cell_width,
                height=cell_height,
                count_y=y + cell_height // 2 + 2,
                band_y=y + cell_height - 9,
                centre_x=x + cell_width // 2,
                url=link(likelihood, impact) if (link and n) else "",
                label=(
                    f"{n} {plural} with likelihood {likelihood} ({LIKELIHOOD[likelihood]}) "
                    f"and impact {impact} ({IMPACT[impact]}): {b.label.lower()}"
                ),
            )
            row.append(cell)
            cells.append(cell)
        rows.append(row)
    grid_width, grid_height = SIZE * cell_width, SIZE * cell_height
    likelihood_ticks = [
        Tick(f"{likelihood} {LIKELIHOOD[likelihood]}", grid_x - 8, cell.count_y)
        for likelihood, cell in zip(range(SIZE, 0, -1), (row[0] for row in rows), strict=True)
    ]
    tick_y = grid_y + grid_height + 18
    impact_ticks = [
        Tick(f"{impact} {IMPACT[impact]}", grid_x + c * cell_width + cell_width // 2, tick_y)
        for c, impact in enumerate(range(1, SIZE + 1))
    ]
    impact_title_y = tick_y + 22
    legend_y = impact_title_y + 16
    swatch = 16
    legend = []
    step = grid_width // 2  # two bands a line, under the grid
    for k, b in enumerate(BANDS):
        x = grid_x + (k % 2) * step
        y = legend_y + (k // 2) * (swatch + 8)
        legend.append(
            Swatch(
                band=b,
                x=x,
                y=y,
                size=swatch,
                text_x=x + swatch + 6,
                text_y=y + swatch - 3,
                text=f"{b.label} ({b.range_text})",
            )
        )
    return HeatMap(
        cells=cells,
        rows=rows,
        likelihood_ticks=likelihood_ticks,
        impact_ticks=impact_ticks,
        legend=legend,
        width=grid_x + grid_width + 8,
        height=legend[-1].y + swatch + 8,
        grid_x=grid_x,
        grid_y=grid_y,
        grid_width=grid_width,
        grid_height=grid_height,
        likelihood_title_x=14,
        likelihood_title_y=grid_y + grid_height // 2,
        impact_title_x=grid_x + grid_width // 2,
        impact_title_y=impact_title_y,
    )


# --- contrast ---------------------------------------------------------------------------


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of a #rrggbb colour, as WCAG defines it."""
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)
