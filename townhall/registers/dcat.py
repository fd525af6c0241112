"""The data inventory as a DCAT-US catalog: the Project Open Data 1.1 `data.json` and the
DCAT-US 3.0 JSON-LD document, a checker for the rules their published schemas state, and
the reading of an existing `data.json` for import.

Plain Python, no Django: the inventory's rows arrive as dicts (`data_input.py` builds them).
The official schema files cannot be fetched here, so `problems` writes their rules out by
hand (required fields, formats, vocabularies); docs/registers.md says which.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
POD_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
POD_DESCRIBED_BY = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
DCAT_US3_CONTEXT = "https://resources.data.gov/schemas/dcat-us/v3.0/context.jsonld"
DCAT_US3_SCHEMA = "https://resources.data.gov/schemas/dcat-us/v3.0/"

ACCESS_LEVELS = ("public", "restricted public", "non-public")
# The frequencies people pick, as POD's ISO 8601 repeating durations (value, label).
FREQUENCIES = (
    ("R/PT1S", "Continuously"),
    ("R/PT1H", "Hourly"),
    ("R/P1D", "Daily"),
    ("R/P1W", "Weekly"),
    ("R/P2W", "Every two weeks"),
    ("R/P1M", "Monthly"),
    ("R/P3M", "Quarterly"),
    ("R/P6M", "Twice a year"),
    ("R/P1Y", "Yearly"),
    ("R/P2Y", "Every two years"),
    ("irregular", "Irregularly"),
)
# The same frequencies in the Dublin Core frequency vocabulary DCAT 3 documents use.
DC_FREQUENCY = {
    "R/PT1S": "continuous",
    "R/PT1H": "hourly",
    "R/P1D": "daily",
    "R/P1W": "weekly",
    "R/P2W": "biweekly",
    "R/P1M": "monthly",
    "R/P3M": "quarterly",
    "R/P6M": "semiannual",
    "R/P1Y": "annual",
    "R/P2Y": "biennial",
    "irregular": "irregular",
}

_DURATION = (
    r"P(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?"
)
_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_DATETIME = _DATE + r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
DURATION_RE = re.compile(rf"^{_DURATION}$")
REPEATING_RE = re.compile(rf"^R\d*/{_DURATION}$")
DATE_TIME_RE = re.compile(rf"^{_DATETIME}$")
# An interval: start/end, start/duration or duration/end (R/ repeats allowed in POD).
INTERVAL_RE = re.compile(
    rf"^(?:R\d*/)?(?:{_DATETIME}/{_DATETIME}|{_DATETIME}/{_DURATION}|{_DURATION}/{_DATETIME})$"
)
MEDIA_TYPE_RE = re.compile(r"^[-\w]+/[-\w]+(?:\.[-\w]+)*(?:[+][-\w]+)?$")
MAILTO_RE = re.compile(r"^mailto:[\w_~!$&'()*+,;=:.-]+@[\w.-]+\.[\w.-]+$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def is_modified(value: str) -> bool:
    """POD's `modified`: an ISO 8601 date or date-time, a duration, or a repeating one."""
    return bool(
        DATE_TIME_RE.match(value)
        or DURATION_RE.match(value)
        or REPEATING_RE.match(value)
        or INTERVAL_RE.match(value)
    ) and _real_date(value)


def _real_date(value: str) -> bool:
    """A calendar date within `value` exists (no 31 February)."""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return True
    try:
        datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return False
    return True


def is_frequency(value: str) -> bool:
    return value == "irregular" or bool(REPEATING_RE.match(value))


def is_temporal(value: str) -> bool:
    return bool(INTERVAL_RE.match(value))


def is_url(value: Any) -> bool:
    return isinstance(value, str) and bool(URL_RE.match(value))


def split_words(text: str) -> list[str]:
    """Comma-separated words as a list, blanks dropped."""
    return [w.strip() for w in (text or "").split(",") if w.strip()]


# --- building --------------------------------------------------------------------------


def _pod_distribution(d: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "dcat:Distribution"}
    for key, name in (
        ("title", "title"),
        ("description", "description"),
        ("download_url", "downloadURL"),
        ("access_url", "accessURL"),
        ("media_type", "mediaType"),
        ("format", "format"),
    ):
        if d.get(key):
            out[name] = d[key]
    return out


def pod_dataset(row: Mapping[str, Any]) -> dict[str, Any]:
    """One inventory row as a POD 1.1 dataset: required fields always, others when set."""
    out: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": row["title"],
        "description": row["description"],
        "keyword": list(row["keywords"]),
        "modified": row["modified"],
        "publisher": {"@type": "org:Organization", "name": row["publisher"]},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": row["contact_name"],
            "hasEmail": f"mailto:{row['contact_email']}",
        },
        "identifier": row["identifier"],
        "accessLevel": row["access_level"],
    }
    optional = (
        ("license", "license"),
        ("rights", "rights"),
        ("spatial", "spatial"),
        ("temporal", "temporal"),
        ("issued", "issued"),
        ("accrual_periodicity", "accrualPeriodicity"),
        ("landing_page", "landingPage"),
    )
    for key, name in optional:
        if row.get(key):
            out[name] = row[key]
    if row.get("themes"):
        out["theme"] = list(row["themes"])
    if row.get("distributions"):
        out["distribution"] = [_pod_distribution(d) for d in row["distributions"]]
    return out


def pod_catalog(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The POD 1.1 `data.json` catalog of `rows`."""
    return {
        "@context": POD_CONTEXT,
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": POD_DESCRIBED_BY,
        "dataset": [pod_dataset(r) for r in rows],
    }


def _dcat3_dataset(row: Mapping[str, Any], base: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@id": f"{base}#{row['identifier']}",
        "@type": "Dataset",
        "identifier": row["identifier"],
        "title": row["title"],
        "description": row["description"],
        "keyword": list(row["keywords"]),
        "modified": row["modified"],
        "publisher": {"@type": "Organization", "name": row["publisher"]},
        "contactPoint": [
            {
                "@type": "Kind",
                "fn": row["contact_name"],
                "hasEmail": f"mailto:{row['contact_email']}",
            }
        ],
        "accessRights": {"@type": "RightsStatement", "label": row["access_level"]},
    }
    if row.get("rights"):
        out["rights"] = {"@type": "RightsStatement", "label": row["rights"]}
    if row.get("license"):
        out["license"] = {"@id": row["license"]}
    if row.get("landing_page"):
        out["landingPage"] = {"@id": row["landing_page"]}
    if row.get("accrual_periodicity") in DC_FREQUENCY:
        word = DC_FREQUENCY[row["accrual_periodicity"]]
        out["accrualPeriodicity"] = {"@id": f"http://purl.org/cld/freq/{word}"}
    if row.get("issued"):
        out["issued"] = row["issued"]
    if row.get("spatial"):
        out["spatial"] = {"@type": "Location", "prefLabel": row["spatial"]}
    if row.get("temporal") and "/" in row["temporal"]:
        span = re.sub(r"^R\d*/", "", row["temporal"])
        start, _, end = span.partition("/")
        out["temporal"] = {"@type": "PeriodOfTime", "startDate": start, "endDate": end}
    if row.get("themes"):
        out["theme"] = list(row["themes"])
    if row.get("distributions"):
        out["distribution"] = [
            {
                "@type": "Distribution",
                **{
                    name: ({"@id": d[key]} if key.endswith("_url") else d[key])
                    for key, name in (
                        ("title", "title"),
                        ("description", "description"),
                        ("download_url", "downloadURL"),
                        ("access_url", "accessURL"),
                        ("media_type", "mediaType"),
                        ("format", "format"),
                    )
                    if d.get(key)
                },
            }
            for d in row["distributions"]
        ]
    return out


def dcat_us3_catalog(rows: Iterable[Mapping[str, Any]], base: str, title: str) -> dict[str, Any]:
    """The DCAT-US 3.0 JSON-LD catalog of `rows`; `base` is the catalog's own address."""
    return {
        "@context": DCAT_US3_CONTEXT,
        "@id": base,
        "@type": "Catalog",
        "conformsTo": {"@id": DCAT_US3_SCHEMA},
        "title": title,
        "dataset": [_dcat3_dataset(r, base) for r in rows],
    }


# --- checking ---------------------------------------------------------------------------


def _text(d: Mapping[str, Any], key: str, where: str, out: list[str], limit: int = 0) -> None:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        out.append(f"{where}: {key} is required (text).")
    elif limit and len(value) > limit:
        out.append(f"{where}: {key} is longer than {limit} characters.")


def _dataset_problems(ds: Any, where: str) -> list[str]:
    out: list[str] = []
    if not isinstance(ds, Mapping):
        return [f"{where}: a dataset is an object."]
    for key in ("title", "description", "identifier"):
        _text(ds, key, where, out)
    keyword = ds.get("keyword")
    if (
        not isinstance(keyword, list)
        or not keyword
        or not all(isinstance(k, str) and k.strip() for k in keyword)
    ):
        out.append(f"{where}: keyword is required (a list of at least one word).")
    modified = ds.get("modified")
    if not isinstance(modified, str) or not is_modified(modified):
        out.append(f"{where}: modified must be an ISO 8601 date, date-time or duration.")
    publisher = ds.get("publisher")
    if (
        not isinstance(publisher, Mapping)
        or not isinstance(publisher.get("name"), str)
        or not (publisher.get("name") or "").strip()
    ):
        out.append(f"{where}: publisher is required, with a name.")
    contact = ds.get("contactPoint")
    if not isinstance(contact, Mapping):
        out.append(f"{where}: contactPoint is required, with fn and hasEmail.")
    else:
        _text(contact, "fn", f"{where} contactPoint", out)
        email = contact.get("hasEmail")
        if not isinstance(email, str) or not MAILTO_RE.match(email):
            out.append(f"{where}: contactPoint hasEmail must be a mailto: address.")
    level = ds.get("accessLevel")
    if level not in ACCESS_LEVELS:
        out.append(f"{where}: accessLevel must be one of {', '.join(ACCESS_LEVELS)}.")
    elif level != "public":
        _text(ds, "rights", f"{where} ({level})", out, limit=255)
    if "rights" in ds and level == "public":
        _text(ds, "rights", where, out, limit=255)
    for key in ("license", "landingPage", "describedBy", "conformsTo", "systemOfRecords"):
        if key in ds and not is_url(ds[key]):
            out.append(f"{where}: {key} must be an http(s) address.")
    if "accrualPeriodicity" in ds and not (
        isinstance(ds["accrualPeriodicity"], str) and is_frequency(ds["accrualPeriodicity"])
    ):
        out.append(f"{where}: accrualPeriodicity must be irregular or an R/ repeating duration.")
    if "temporal" in ds and not (isinstance(ds["temporal"], str) and is_temporal(ds["temporal"])):
        out.append(f"{where}: temporal must be an ISO 8601 interval (start/end).")
    if "issued" in ds and not (isinstance(ds["issued"], str) and is_modified(ds["issued"])):
        out.append(f"{where}: issued must be an ISO 8601 date or date-time.")
    if "theme" in ds and not (
        isinstance(ds["theme"], list) and all(isinstance(t, str) for t in ds["theme"])
    ):
        out.append(f"{where}: theme must be a list of words.")
    if "distribution" in ds:
        if not isinstance(ds["distribution"], list):
            out.append(f"{where}: distribution must be a list.")
        else:
            for j, dist in enumerate(ds["distribution"]):
                out.extend(_distribution_problems(dist, f"{where} distribution {j}"))
    return out


def _distribution_problems(dist: Any, where: str) -> list[str]:
    if not isinstance(dist, Mapping):
        return [f"{where}: a distribution is an object."]
    out: list[str] = []
    for key in ("downloadURL", "accessURL", "conformsTo", "describedBy"):
        if key in dist and not is_url(dist[key]):
            out.append(f"{where}: {key} must be an http(s) address.")
    if "downloadURL" in dist and "mediaType" not in dist:
        out.append(f"{where}: mediaType is required with a downloadURL.")
    for key in ("mediaType", "describedByType"):
        if key in dist and not (isinstance(dist[key], str) and MEDIA_TYPE_RE.match(dist[key])):
            out.append(f"{where}: {key} must be a media type (type/subtype).")
    return out


def problems(catalog: Any) -> list[str]:
    """What in a POD 1.1 catalog breaks the published schema's rules ([] when none)."""
    if not isinstance(catalog, Mapping):
        return ["The catalog must be a JSON object."]
    out: list[str] = []
    if catalog.get("conformsTo") != POD_SCHEMA:
        out.append(f"Catalog: conformsTo must be {POD_SCHEMA}.")
    if "@type" in catalog and catalog["@type"] != "dcat:Catalog":
        out.append("Catalog: @type must be dcat:Catalog.")
    if "describedBy" in catalog and not is_url(catalog["describedBy"]):
        out.append("Catalog: describedBy must be an http(s) address.")
    datasets = catalog.get("dataset")
    if not isinstance(datasets, list):
        return [*out, "Catalog: dataset is required (a list)."]
    seen: set[str] = set()
    for i, ds in enumerate(datasets):
        out.extend(_dataset_problems(ds, f"Dataset {i}"))
        ident = ds.get("identifier") if isinstance(ds, Mapping) else None
        if isinstance(ident, str):
            if ident in seen:
                out.append(f"Dataset {i}: identifier {ident} is used twice.")
            seen.add(ident)
    return out


def dcat_us3_problems(doc: Any) -> list[str]:
    """What in a DCAT-US 3.0 JSON-LD catalog breaks the rules we know its schema states."""
    if not isinstance(doc, Mapping):
        return ["The catalog must be a JSON object."]
    out: list[str] = []
    if not doc.get("@context"):
        out.append("Catalog: @context is required.")
    if doc.get("@type") != "Catalog":
        out.append("Catalog: @type must be Catalog.")
    datasets = doc.get("dataset")
    if not isinstance(datasets, list):
        return [*out, "Catalog: dataset is required (a list)."]
    for i, ds in enumerate(datasets):
        where = f"Dataset {i}"
        if not isinstance(ds, Mapping):
            out.append(f"{where}: a dataset is an object.")
            continue
        if ds.get("@type") != "Dataset":
            out.append(f"{where}: @type must be Dataset.")
        for key in ("title", "description", "identifier"):
            _text(ds, key, where, out)
        publisher = ds.get("publisher")
        if not isinstance(publisher, Mapping) or not publisher.get("name"):
            out.append(f"{where}: publisher is required, with a name.")
        contacts = ds.get("contactPoint")
        if not isinstance(contacts, list) or not contacts:
            out.append(f"{where}: contactPoint is required.")
        else:
            for c in contacts:
                email = c.get("hasEmail") if isinstance(c, Mapping) else None
                if not isinstance(email, str) or not MAILTO_RE.match(email):
                    out.append(f"{where}: contactPoint hasEmail must be a mailto: address.")
        if "modified" in ds and not is_modified(str(ds["modified"])):
            out.append(f"{where}: modified must be an ISO 8601 date or date-time.")
        for j, dist in enumerate(ds.get("distribution") or []):
            media = dist.get("mediaType") if isinstance(dist, Mapping) else None
            if media is not None and not MEDIA_TYPE_RE.match(str(media)):
                out.append(f"{where} distribution {j}: mediaType must be type/subtype.")
            for key in ("downloadURL", "accessURL"):
                ref = dist.get(key) if isinstance(dist, Mapping) else None
                if ref is not None and not (isinstance(ref, Mapping) and is_url(ref.get("@id"))):
                    out.append(f"{where} distribution {j}: {key} must be an http(s) address.")
    return out


# --- reading ----------------------------------------------------------------------------


def read_pod(catalog: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """An existing `data.json` as inventory rows (the keys `pod_dataset` takes), and the
    problems that stop its import, each naming the dataset's index and field."""
    found = problems(catalog)
    if found:
        return [], found
    rows: list[dict[str, Any]] = []
    for ds in catalog["dataset"]:
        contact = ds["contactPoint"]
        rows.append(
            {
                "identifier": ds["identifier"].strip(),
                "title": ds["title"].strip(),
                "description": ds["description"].strip(),
                "keywords": [k.strip() for k in ds["keyword"]],
                "modified": ds["modified"],
                "publisher": ds["publisher"]["name"].strip(),
                "contact_name": contact["fn"].strip(),
                "contact_email": contact["hasEmail"].removeprefix("mailto:"),
                "access_level": ds["accessLevel"],
                "license": ds.get("license", ""),
                "rights": ds.get("rights", ""),
                "spatial": ds.get("spatial", "") if isinstance(ds.get("spatial"), str) else "",
                "temporal": ds.get("temporal", ""),
                "issued": ds.get("issued", ""),
                "accrual_periodicity": ds.get("accrualPeriodicity", ""),
                "landing_page": ds.get("landingPage", ""),
                "themes": list(ds.get("theme") or []),
                "distributions": [
                    {
                        "title": d.get("title", "") or "",
                        "description": d.get("description", "") or "",
                        "download_url": d.get("downloadURL", ""),
                        "access_url": d.get("accessURL", ""),
                        "media_type": d.get("mediaType", ""),
                        "format": d.get("format", "") or "",
                    }
                    for d in ds.get("distribution") or []
                ],
            }
        )
    return rows, []
