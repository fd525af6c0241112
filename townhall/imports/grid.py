"""An impact grid ({category: {point: 1–5}}) as ordinary spreadsheet columns, one per cell.

Plain Python (no Django): cities keep their impact analyses in sheets headed "Finance 24
hours", "Finance - 24h" or "finance_24h"; each cell is read here as a rating or a reason,
and the cells of a row are merged into the grid the record already has.
"""

import re
from collections.abc import Sequence
from typing import Any

from townhall.imports import values
from townhall.imports.values import ValueProblem

Cell = tuple[str, str]  # (category, escalation point)

# Other words people use for a category, beyond its key and its label.
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "public_safety": ("safety", "life safety", "health and safety"),
    "finance": ("financial", "fiscal"),
    "legal": ("legal", "regulatory", "legal regulatory", "compliance"),
    "residents": (
        "residents",
        "resident service",
        "resident services",
        "services to residents",
        "customer service",
    ),
    "reputation": ("reputational", "public trust"),
}
JOINS = ("{c} {p}", "{c} after {p}", "{c} at {p}", "{c} impact {p}", "impact {c} {p}", "{p} {c}")
_POINT = re.compile(r"^(\d+)\s*([hdw])$")
READ_REMEMBERED = 1000


def _point_words(key: str, label: str) -> set[str]:
    """ "24h" -> 24h, 24 h, 24 hr, 24 hrs, 24 hours, 1 day, 1d, ... (hours, days or weeks)."""
    words = {key, label}
    match = _POINT.match(key)
    if not match:
        return words
    number, unit = int(match[1]), match[2]
    hours = {"h": number, "d": number * 24, "w": number * 168}[unit]
    for suffix in ("h", " h", "hr", " hr", "hrs", " hrs", " hour", " hours"):
        words.add(f"{hours}{suffix}")
    if hours % 24 == 0:
        days = hours // 24
        words |= {f"{days}d", f"{days} d", f"{days} day", f"{days} days"}
    if hours % 168 == 0:
        weeks = hours // 168
        words |= {f"{weeks}w", f"{weeks} w", f"{weeks}wk", f"{weeks} wk", f"{weeks} week"}
        words |= {f"{weeks} weeks"} | ({"week", "one week"} if weeks == 1 else set())
    return words


class Grid:
    """The cells of one JSON grid field as import columns named "<field>.<category>.<point>",
    headed "<category label> <point label>" ("Finance 24 hours")."""

    def __init__(
        self,
        field: str,
        categories: Sequence[tuple[str, str]],
        points: Sequence[tuple[str, str]],
        levels: Sequence[tuple[int, str]],
    ) -> None:
        self.field = field
        self.categories = [key for key, _ in categories]
        self.points = [key for key, _ in points]
        self.cells: dict[str, Cell] = {}
        self._headings: dict[str, str] = {}
        self._spellings: dict[str, tuple[str, ...]] = {}
        for category, category_label in categories:
            category_words = {category.replace("_", " "), category_label.lower()}
            category_words |= set(CATEGORY_WORDS.get(category, ()))
            for point, point_label in points:
                name = f"{field}.{category}.{point}"
                self.cells[name] = (category, point)
                self._headings[name] = f"{category_label} {point_label}"
                self._spellings[name] = tuple(
                    sorted(
                        join.format(c=c, p=p)
                        for c in category_words
                        for p in _point_words(point, point_label)
                        for join in JOINS
                    )
                )
        self.lowest, self.highest = min(n for n, _ in levels), max(n for n, _ in levels)
        self._words: dict[str, int] = {}
        for number, label in levels:  # "3 – moderate": "moderate" and "3moderate"
            word = re.sub(r"[^a-z]+", "", label.lower())
            self._words[word] = number
            self._words[f"{number}{word}"] = number
        self._read: dict[str, int] = {}  # cells already read, by their text

    def headings(self) -> dict[str, str]:
        """Column name -> heading, categories in order, each with its points in order."""
        return dict(self._headings)

    def spellings(self) -> dict[str, tuple[str, ...]]:
        """Column name -> other headings that mean it ("finance 24h", "finance - 1 day")."""
        return dict(self._spellings)

    def rating(self, raw: Any) -> int | None:
        """A cell as a rating; None when blank (not assessed). 3, 3.0, "3", "3 – moderate"
        and "moderate" all read as 3."""
        if values.is_blank(raw):
            return None
        if type(raw) is str and raw in self._read:  # a few values, down every column
            return self._read[raw]
        text = values.text(raw)
        number = None
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            number = int(raw) if float(raw).is_integer() else None
        elif re.fullmatch(r"\d+(\.0+)?", text):
            number = int(text.split(".")[0])
        else:
            number = self._words.get(re.sub(r"[^a-z0-9]+", "", text.lower()))
        if number is None or not self.lowest <= number <= self.highest:
            raise ValueProblem(
                f"{text!r} is not a rating: write a whole number from {self.lowest} to "
                f"{self.highest}, or leave the cell blank if it is not assessed"
            )
        if type(raw) is str and len(self._read) < READ_REMEMBERED:
            self._read[raw] = number
        return number

    def merged(self, current: Any, cells: dict[Cell, int | None]) -> dict[str, dict[str, int]]:
        """The grid `current` becomes with the row's cells: a rating sets its cell, a blank
        clears it, and cells the file has no column for keep what they had."""
        grid: dict[str, dict[str, Any]] = {}
        if isinstance(current, dict):
            grid = {k: dict(v) if isinstance(v, dict) else v for k, v in current.items()}
        for (category, point), rating in cells.items():
            ratings = grid.get(category)
            if rating is None:
                if isinstance(ratings, dict):
                    ratings.pop(point, None)
            elif isinstance(ratings, dict):
                ratings[point] = rating
            else:
                grid[category] = {point: rating}
        return self._ordered(grid)

    def _ordered(self, grid: dict[str, Any]) -> dict[str, Any]:
        """Categories and points in the grid's order (unknown keys last, for the model's
        validation to name); categories with no rating left are dropped."""
        rank = {key: i for i, key in enumerate(self.categories)}
        point_rank = {key: i for i, key in enumerate(self.points)}
        result: dict[str, Any] = {}
        for category in sorted(grid, key=lambda k: (rank.get(k, len(rank)), str(k))):
            ratings = grid[category]
            if isinstance(ratings, dict):
                if not ratings:
                    continue
                order = sorted(ratings, key=lambda k: (point_rank.get(k, len(point_rank)), str(k)))
                ratings = {point: ratings[point] for point in order}
            result[category] = ratings
        return result

    def cell(self, grid: Any, name: str) -> Any:
        """The rating in the cell a column holds, or None."""
        category, point = self.cells[name]
        ratings = grid.get(category) if isinstance(grid, dict) else None
        return ratings.get(point) if isinstance(ratings, dict) else None


class Cells(dict):
    """The grid cells one row's columns give, {(category, point): rating or None}; merged
    with the record's grid once the importer knows which record the row is about."""
