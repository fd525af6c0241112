"""The federal AI use case inventory's CSV column layout, kept as data in
`reference/ai_inventory_columns.csv` (our key, the heading the federal file prints, our
field, other headings seen for it). Plain Python (no Django): the importer reads its
headings as spellings of our fields, and the inventory export writes them, in this order.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LAYOUT = Path(__file__).parent / "reference" / "ai_inventory_columns.csv"


@dataclass(frozen=True)
class InventoryColumn:
    """One column of the federal inventory file and the field it holds."""

    key: str
    heading: str
    field: str
    also_accepted: tuple[str, ...]


@cache
def columns() -> tuple[InventoryColumn, ...]:
    """The inventory's columns in the federal file's order."""
    with LAYOUT.open(newline="", encoding="utf-8") as handle:
        return tuple(
            InventoryColumn(
                key=row["key"],
                heading=row["heading"],
                field=row["field"],
                also_accepted=tuple(w for w in row["also_accepted"].split("|") if w),
            )
            for row in csv.DictReader(handle)
        )


def fields() -> tuple[str, ...]:
    """Our fields, in the inventory's column order."""
    return tuple(c.field for c in columns())


def headings() -> list[str]:
    """The headings the inventory export writes."""
    return [c.heading for c in columns()]


def spellings() -> dict[str, tuple[str, ...]]:
    """field -> every heading the importer takes for it: the published one first."""
    return {c.field: (c.heading, *c.also_accepted) for c in columns()}
