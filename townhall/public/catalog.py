"""The public data catalog: `data.json` (Project Open Data 1.1) and `data.jsonld`
(DCAT-US 3.0), built by `registers/dcat.py` from the published fields of the public
datasets only, read through `publishing`.

The schema requires some fields of every dataset (`kinds.CATALOG_REQUIRED`). Rather than
fill one in from a field the administrator kept inside, the catalog is offered only while
all of them are published; until then both addresses answer "not found" and the choosing
page says which are missing. A dataset whose required value is empty (no contact e-mail of
its own: a steward's address is never used here) is left out of the catalog."""

from typing import Any

from townhall.public import kinds, publishing
from townhall.public.publishing import Published
from townhall.registers import dcat

TITLE = "Data catalog"
# Required in the rows `dcat` builds from; an empty one leaves the dataset out.
_NEEDED = ("identifier", "title", "description", "keywords", "publisher", "contact_email")


def published_datasets() -> Published | None:
    """The published dataset kind, or None while it is not published."""
    kind = next(k for k in kinds.KINDS if k.key == "dataset")
    return publishing.published_kind(kind.slug)


def missing(pub: Published | None) -> list[str]:
    """The required fields not published (all of them while the kind is not)."""
    chosen = {f.name for f in pub.fields} if pub else set()
    return [name for name in kinds.CATALOG_REQUIRED if name not in chosen]


def _row(row: dict[str, Any]) -> dict[str, Any]:
    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value)

    modified = row.get("modified") or row["updated"]
    issued = row.get("issued")
    return {
        "identifier": text("identifier"),
        "title": text("title"),
        "description": text("description"),
        "keywords": dcat.split_words(text("keywords")),
        "themes": dcat.split_words(text("themes")),
        "modified": modified.isoformat()[:10],
        "publisher": text("publisher"),
        "contact_name": text("contact_name") or text("publisher"),
        "contact_email": text("contact_email"),
        "access_level": "public",
        "license": text("license"),
        "spatial": text("spatial"),
        "temporal": text("temporal"),
        "issued": issued.isoformat() if issued else "",
        "accrual_periodicity": text("accrual_periodicity"),
        "landing_page": text("landing_page"),
        "distributions": [],
    }


def rows() -> list[dict[str, Any]] | None:
    """The catalog's datasets as rows for `dcat`, or None while the catalog is not offered."""
    pub = published_datasets()
    if pub is None or missing(pub):
        return None
    built = [_row(r) for r in publishing.stored_rows(pub)]
    return [r for r in built if all(r[name] for name in _NEEDED)]


def pod(found: list[dict[str, Any]]) -> dict[str, Any]:
    return dcat.pod_catalog(found)


def dcat_us3(found: list[dict[str, Any]], base: str) -> dict[str, Any]:
    return dcat.dcat_us3_catalog(found, base, TITLE)
