"""Importing an existing `data.json` into the data inventory: every dataset or none.

Datasets are matched on their identifier: a known one is updated (its distributions
replaced by the file's), a new one is created. Every change goes through the write path
(`services.create_many`, `update_rows`, `delete_many`) inside one transaction, so a refused
dataset leaves the inventory as it was, and the error names the dataset's index in the
file and the field. A catalog may hold thousands of datasets, so the import runs as a
background job (`registers/tasks.py`) that reports its progress as it writes."""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from townhall.core import services
from townhall.org.models import Department
from townhall.registers import dcat
from townhall.registers.models import Dataset, Distribution

MAX_BYTES = 5 * 1024 * 1024
# Records written between two progress reports.
CHUNK = 500
# Problems a refused catalog's message lists before it says how many more there are.
SHOWN_PROBLEMS = 20

Progress = Callable[[int, str], None]

# The inventory's field names as the data.json calls them, for error messages.
POD_NAMES = {
    "title": "title",
    "identifier": "identifier",
    "description": "description",
    "keywords": "keyword",
    "themes": "theme",
    "owner_department": "publisher",
    "contact_name": "contactPoint fn",
    "contact_email": "contactPoint hasEmail",
    "access_level": "accessLevel",
    "rights": "rights",
    "landing_page": "landingPage",
    "license": "license",
    "spatial": "spatial",
    "temporal": "temporal",
    "issued": "issued",
    "data_modified_on": "modified",
    "accrual_periodicity": "accrualPeriodicity",
    "download_url": "downloadURL",
    "access_url": "accessURL",
    "media_type": "mediaType",
    "format": "format",
}


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class Result:
    created: int
    updated: int
    distributions: int

    def text(self) -> str:
        """What the import did, as its job page says it."""
        return (
            f"Imported the catalog: {_count(self.created, 'dataset')} added, "
            f"{self.updated} updated, {_count(self.distributions, 'distribution')}."
        )


def parse(raw: bytes) -> Any:
    """The uploaded file as JSON, or a ValidationError saying what is wrong with it."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"The file is not JSON: {exc}.") from None


def _day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _message(prefix: str, error: ValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        parts = [
            f"{POD_NAMES.get(name, name)}: {' '.join(msgs)}"
            for name, msgs in error.message_dict.items()
        ]
    else:
        parts = error.messages
    return ValidationError(f"{prefix}: " + "; ".join(parts))


def _values(row: dict[str, Any], department: Department) -> dict[str, Any]:
    landing = row["landing_page"]
    if row["access_level"] == "public" and not landing:
        # A public dataset needs an address; the file's own distribution gives one.
        first: dict[str, Any] = next(iter(row["distributions"]), {})
        landing = first.get("access_url") or first.get("download_url") or ""
    frequencies = {v for v, _ in dcat.FREQUENCIES}
    return {
        "title": row["title"][:200],
        "identifier": row["identifier"],
        "description": row["description"],
        "keywords": ", ".join(row["keywords"]),
        "themes": ", ".join(row["themes"]),
        "owner_department": department,
        "contact_name": row["contact_name"][:200],
        "contact_email": row["contact_email"],
        "access_level": row["access_level"],
        "classification": (
            Dataset.Classification.PUBLIC
            if row["access_level"] != "non-public"
            else Dataset.Classification.INTERNAL
        ),
        "rights": row["rights"],
        "landing_page": landing,
        "license": row["license"],
        "spatial": row["spatial"][:200],
        "temporal": row["temporal"],
        "issued": _day(row["issued"]),
        "data_modified_on": _day(row["modified"]),
        "accrual_periodicity": (
            row["accrual_periodicity"] if row["accrual_periodicity"] in frequencies else ""
        ),
    }


def checked_rows(catalog: Any) -> list[dict[str, Any]]:
    """The catalog's datasets as inventory rows, or a ValidationError listing what breaks
    the POD 1.1 rules (each problem naming the dataset's index and field)."""
    rows, found = dcat.read_pod(catalog)
    if found:
        raise ValidationError(found)
    return rows


def work(rows: list[dict[str, Any]]) -> int:
    """How many records an import of `rows` writes: the progress bar's length."""
    return len(rows) + sum(len(row["distributions"]) for row in rows)


def summary(messages: list[str]) -> str:
    """A refused catalog's problems in one message short enough to read on a page."""
    shown = [m if m.endswith(".") else f"{m}." for m in messages[:SHOWN_PROBLEMS]]
    more = len(messages) - len(shown)
    if more > 0:
        shown.append(f"And {more} more problem{'' if more == 1 else 's'}.")
    return " ".join(shown)


def _quiet(done: int, message: str = "") -> None:
    """No one watches the progress of an import run in place."""


def import_catalog(
    user: Any,
    catalog: Any,
    default_department: Department | None,
    progress: Progress = _quiet,
) -> Result:
    """Create or update the inventory from a POD 1.1 catalog, all or nothing. Each
    dataset's publisher names its department; `default_department` takes the rest."""
    return import_rows(user, checked_rows(catalog), default_department, progress)


def import_rows(
    user: Any,
    rows: list[dict[str, Any]],
    default_department: Department | None,
    progress: Progress = _quiet,
) -> Result:
    """Write `checked_rows` to the inventory in one transaction, calling `progress` with
    the records written so far (datasets, then distributions) every `CHUNK` records."""
    by_name = {d.name.casefold(): d for d in Department.objects.all()}
    existing = Dataset.objects.in_bulk([r["identifier"] for r in rows], field_name="identifier")
    new: list[tuple[int, dict[str, Any]]] = []
    edits: list[tuple[int, Dataset, dict[str, Any]]] = []
    for index, row in enumerate(rows):
        department = by_name.get(row["publisher"].casefold(), default_department)
        if department is None:
            raise ValidationError(
                f"Dataset {index}: publisher: no department is named “{row['publisher']}”;"
                " choose a department for such datasets."
            )
        values = _values(row, department)
        current = existing.get(row["identifier"])
        if current is None:
            new.append((index, values))
        else:
            values.pop("identifier")
            values.pop("classification")  # the inventory's own judgment stands
            edits.append((index, current, values))
    written = 0
    with transaction.atomic():
        created: list[Any] = []
        for start in range(0, len(new), CHUNK):
            part = new[start : start + CHUNK]
            try:
                created += services.create_many(user, Dataset, [v for _, v in part])
            except services.RowInvalid as exc:
                raise _message(f"Dataset {part[exc.index][0]}", exc.error) from None
            written += len(part)
            progress(written, "Adding the new datasets.")
        for start in range(0, len(edits), CHUNK):
            chunk = edits[start : start + CHUNK]
            try:
                services.update_rows(user, [(obj, v) for _, obj, v in chunk])
            except services.RowInvalid as exc:
                raise _message(f"Dataset {chunk[exc.index][0]}", exc.error) from None
            written += len(chunk)
            progress(written, "Updating the datasets the inventory already holds.")
        services.delete_many(
            user, Distribution.objects.filter(dataset__in=[obj for _, obj, _ in edits])
        )
        targets = {rows[i]["identifier"]: obj for (i, _), obj in zip(new, created, strict=True)}
        targets.update({rows[i]["identifier"]: obj for i, obj, _ in edits})
        dists: list[dict[str, Any]] = []
        where: list[str] = []
        for index, row in enumerate(rows):
            for j, d in enumerate(row["distributions"]):
                dists.append(
                    {**d, "title": d["title"][:200], "dataset": targets[row["identifier"]]}
                )
                where.append(f"Dataset {index} distribution {j}")
        for start in range(0, len(dists), CHUNK):
            try:
                services.create_many(user, Distribution, dists[start : start + CHUNK])
            except services.RowInvalid as exc:
                raise _message(where[start + exc.index], exc.error) from None
            written += len(dists[start : start + CHUNK])
            progress(written, "Adding the distributions.")
    return Result(len(new), len(edits), len(dists))
