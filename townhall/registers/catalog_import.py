"""Importing an existing `data.json` into the data inventory: every dataset or none.

Datasets are matched on their identifier: a known one is updated (its distributions
replaced by the file's), a new one is created. Every change goes through the write path
(`services.create_many`, `update_rows`, `delete_many`) inside one transaction, so a refused
dataset leaves the inventory as it was, and the error names the dataset's index in the
file and the field."""

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from townhall.core import services
from townhall.org.models import Department
from townhall.registers import dcat
from townhall.registers.models import Dataset, Distribution

MAX_BYTES = 5 * 1024 * 1024

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


@dataclass
class Result:
    created: int
    updated: int
    distributions: int


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


def import_catalog(user: Any, catalog: Any, default_department: Department | None) -> Result:
    """Create or update the inventory from a POD 1.1 catalog, all or nothing. Each
    dataset's publisher names its department; `default_department` takes the rest."""
    rows, found = dcat.read_pod(catalog)
    if found:
        raise ValidationError(found)
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
    with transaction.atomic():
        try:
            created = services.create_many(user, Dataset, [v for _, v in new])
        except services.RowInvalid as exc:
            raise _message(f"Dataset {new[exc.index][0]}", exc.error) from None
        try:
            services.update_rows(user, [(obj, v) for _, obj, v in edits])
        except services.RowInvalid as exc:
            raise _message(f"Dataset {edits[exc.index][0]}", exc.error) from None
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
        try:
            services.create_many(user, Distribution, dists)
        except services.RowInvalid as exc:
            raise _message(where[exc.index], exc.error) from None
    return Result(len(new), len(edits), len(dists))
