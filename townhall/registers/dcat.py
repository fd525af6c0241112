"""The data inventory as a DCAT-US catalog: the Project Open Data 1.1 `data.json` and the
DCAT-US 3.0 JSON-LD document, a checker for the rules their published schemas state, and
the reading of an existing `data.json` for import.

Plain Python, no Django: the inventory's rows arrive as dicts (`data_input.py` builds them).
The official schema files cannot be fetched here, so `problems` writes their rules out by
hand (required fields, formats, vocabularies); docs/registers.md says which.
"""

import datetime
import re
import urllib.parse
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

# The patterns of the official POD 1.1 JSON Schema (dataset-non-federal.json), word for word,
# so the checks below and the schema agree (a test compares them with the published files).
# The schema matches them as `re.search` does; so do we.
_DURATION = (
    r"P(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?"
)
# An ISO 8601 date or date-time; {a} and {b} are the numbers of its own groups that its
# back-references name, which shift when a group comes before it.
_DATE = (
    r"([\+-]?\d{4}(?!\d{2}\b))((-?)((0[1-9]|1[0-2])(\{a}([12]\d|0[1-9]|3[01]))?|"
    r"W([0-4]\d|5[0-2])(-?[1-7])?|(00[1-9]|0[1-9]\d|[12]\d{2}|3([0-5]\d|6[1-6])))"
    r"([T\s]((([01]\d|2[0-3])((:?)[0-5]\d)?|24\:?00)([\.,]\d+(?!:))?)?"
    r"(\{b}[0-5]\d([\.,]\d+)?)?([zZ]|([\+-])([01]\d|2[0-3]):?([0-5]\d)?)?)?)?"
)
_DATE_FIRST = _DATE.replace("{a}", "3").replace("{b}", "17")
_DATE_AFTER_REPEAT = _DATE.replace("{a}", "4").replace("{b}", "18")
_REPEAT = r"(R\d*\/)?"
ISSUED_PATTERN = rf"^{_DATE_FIRST}$"
MODIFIED_PATTERNS = (
    ISSUED_PATTERN,
    rf"^{_REPEAT}{_DURATION}$",
    rf"^{_REPEAT}{_DATE_AFTER_REPEAT}(\/){_DURATION}$",
)
TEMPORAL_PATTERNS = (
    rf"^{_DATE_FIRST}(\/){_DATE_FIRST}$",
    rf"^{_REPEAT}{_DATE_AFTER_REPEAT}(\/){_DURATION}$",
    rf"^{_REPEAT}{_DURATION}\/{_DATE_AFTER_REPEAT}$",
)
FREQUENCY_PATTERN = rf"^R\/{_DURATION}$"
MEDIA_TYPE_PATTERN = r"^[-\w]+/[-\w]+(\.[-\w]+)*([+][-\w]+)?$"
MAILTO_PATTERN = r"^mailto:[\w\_\~\!\$\&\'\(\)\*\+\,\;\=\:.-]+@[\w.-]+\.[\w.-]+?$"

MEDIA_TYPE_RE = re.compile(MEDIA_TYPE_PATTERN)
MAILTO_RE = re.compile(MAILTO_PATTERN)
# The schema's "uri" format: an absolute RFC 3986 URI (a scheme, then only the characters
# a URI may hold, a % only as an escape), not a web address with spaces or accents.
URI_RE = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$"
)


def _any(patterns: Iterable[str], value: Any) -> bool:
    return isinstance(value, str) and any(re.search(p, value) for p in patterns)


def is_modified(value: Any) -> bool:
    """POD's `modified`: an ISO 8601 date or date-time, a duration (repeating or not), or a
    date with a duration; a calendar date in it must exist (no 31 February), one rule the
    schema's pattern cannot state."""
    return _any(MODIFIED_PATTERNS, value) and _real_date(value)


def is_issued(value: Any) -> bool:
    """POD's `issued`: an ISO 8601 date or date-time (no duration), a day that exists."""
    return _any((ISSUED_PATTERN,), value) and _real_date(value)


def _real_date(value: str) -> bool:
    """Every calendar date (YYYY-MM-DD) within `value` exists."""
    for match in re.finditer(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)", value):
        try:
            datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            return False
    return True


def is_frequency(value: Any) -> bool:
    """POD's `accrualPeriodicity`: irregular, or R/ and a duration (no repeat count)."""
    return value == "irregular" or _any((FREQUENCY_PATTERN,), value)


def is_temporal(value: Any) -> bool:
    """POD's `temporal`: start/end, start/duration or duration/end (the last two may repeat)."""
    return _any(TEMPORAL_PATTERNS, value) and _real_date(value)


def is_url(value: Any) -> bool:
    """An absolute URI, as the schema's "uri" format asks."""
    return isinstance(value, str) and bool(URI_RE.match(value))


def as_uri(address: str) -> str:
    """A web address as a URI: a host in other scripts in its IDNA form, other characters
    outside ASCII (and spaces) %-escaped, as the schema's "uri" format asks; the same
    characters Django's `iri_to_uri` keeps are kept."""
    parts = urllib.parse.urlsplit(address.strip())
    netloc = parts.netloc
    if not netloc.isascii():
        user, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = urllib.parse.quote(host, safe="")
        netloc = f"{urllib.parse.quote(user, safe=':%')}{at}{host}{colon}{port}"
    safe = "/#%[]=:;$&()+,!?*@'~"
    return urllib.parse.urlunsplit(
        (
            parts.scheme,
            netloc,
            urllib.parse.quote(parts.path, safe=safe),
            urllib.parse.quote(parts.query, safe=safe),
            urllib.parse.quote(parts.fragment, safe=safe),
        )
    )


def split_words(text: str) -> list[str]:
    """Comma-separated words as a list, blanks dropped."""
    return [w.strip() for w in (text or "").split(",") if w.strip()]


# --- building --------------------------------------------------------------------------


def _unique(words: Iterable[str]) -> list[str]:
    """The words in order, blanks and repeats dropped (the schema wants themes unique)."""
    return list(dict.fromkeys(w.strip() for w in words if w and w.strip()))


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
            out[name] = as_uri(d[key]) if key.endswith("_url") else d[key]
    return out


def pod_dataset(row: Mapping[str, Any]) -> dict[str, Any]:
    """One inventory row as a POD 1.1 dataset: the fields the schema requires always, the
    others when set and valid (an address as a URI, a blank or repeated word left out)."""
    contact: dict[str, Any] = {"@type": "vcard:Contact", "fn": row["contact_name"]}
    if row.get("contact_email"):
        contact["hasEmail"] = f"mailto:{row['contact_email']}"
    out: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": row["title"],
        "description": row["description"],
        "publisher": {"@type": "org:Organization", "name": row["publisher"]},
        "contactPoint": contact,
        "identifier": row["identifier"],
        "accessLevel": row["access_level"],
    }
    keywords = [k.strip() for k in row.get("keywords") or () if k and k.strip()]
    if keywords:
        out["keyword"] = keywords
    checked = (
        ("modified", "modified", is_modified),
        ("issued", "issued", is_issued),
        ("temporal", "temporal", is_temporal),
        ("accrual_periodicity", "accrualPeriodicity", is_frequency),
    )
    for key, name, valid in checked:
        if row.get(key) and valid(row[key]):
            out[name] = row[key]
    for key, name in (("rights", "rights"), ("spatial", "spatial")):
        if row.get(key):
            out[name] = row[key]
    for key, name in (("license", "license"), ("landing_page", "landingPage")):
        if row.get(key):
            out[name] = as_uri(row[key])
    themes = _unique(row.get("themes") or ())
    if themes:
        out["theme"] = themes
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
    if not isinstance(value, str) or not value:
        out.append(f"{where}: {key} is required (text).")
    elif limit and len(value) > limit:
        out.append(f"{where}: {key} is longer than {limit} characters.")


def _optional(d: Mapping[str, Any], key: str) -> bool:
    """Whether `key` is absent or null, as the schema allows for most optional fields."""
    return d.get(key) is None


def _words(value: Any, unique: bool = False) -> bool:
    """A list of at least one non-empty word (each once, when `unique`)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(w, str) and w for w in value)
        and (not unique or len(set(value)) == len(value))
    )


def _organization(value: Any) -> bool:
    """A publisher: an object with a name, its parent organization (if any) one too."""
    if not isinstance(value, Mapping) or not isinstance(value.get("name"), str):
        return False
    if not value["name"] or value.get("@type", "org:Organization") != "org:Organization":
        return False
    return "subOrganizationOf" not in value or _organization(value["subOrganizationOf"])


def _dataset_problems(ds: Any, where: str) -> list[str]:
    """What in one dataset breaks the POD 1.1 (non-federal) schema's rules."""
    out: list[str] = []
    if not isinstance(ds, Mapping):
        return [f"{where}: a dataset is an object."]
    if ds.get("@type", "dcat:Dataset") != "dcat:Dataset":
        out.append(f"{where}: @type must be dcat:Dataset.")
    for key in ("title", "description", "identifier"):
        _text(ds, key, where, out)
    if "keyword" in ds and not _words(ds["keyword"]):
        out.append(f"{where}: keyword must be a list of at least one word.")
    if "modified" in ds and not is_modified(ds["modified"]):
        out.append(
            f"{where}: modified must be an ISO 8601 date, date-time or duration"
            " (or a date with a duration)."
        )
    if not _organization(ds.get("publisher")):
        out.append(f"{where}: publisher is required, with a name.")
    contact = ds.get("contactPoint")
    if not isinstance(contact, Mapping):
        out.append(f"{where}: contactPoint is required, with fn.")
    else:
        if contact.get("@type", "vcard:Contact") != "vcard:Contact":
            out.append(f"{where}: contactPoint @type must be vcard:Contact.")
        _text(contact, "fn", f"{where} contactPoint", out)
        email = contact.get("hasEmail")
        if "hasEmail" in contact and not (isinstance(email, str) and MAILTO_RE.search(email)):
            out.append(f"{where}: contactPoint hasEmail must be a mailto: address.")
    if ds.get("accessLevel") not in ACCESS_LEVELS:
        out.append(f"{where}: accessLevel must be one of {', '.join(ACCESS_LEVELS)}.")
    if not _optional(ds, "rights"):
        _text(ds, "rights", where, out, limit=255)
    for key in ("license", "landingPage", "describedBy", "conformsTo"):
        if not _optional(ds, key) and not is_url(ds[key]):
            out.append(f"{where}: {key} must be an address (a URI such as https://…).")
    if not _optional(ds, "describedByType") and not (
        isinstance(ds["describedByType"], str) and MEDIA_TYPE_RE.search(ds["describedByType"])
    ):
        out.append(f"{where}: describedByType must be a media type (type/subtype).")
    if not _optional(ds, "accrualPeriodicity") and not is_frequency(ds["accrualPeriodicity"]):
        out.append(f"{where}: accrualPeriodicity must be irregular or R/ and a duration.")
    if not _optional(ds, "temporal") and not is_temporal(ds["temporal"]):
        out.append(f"{where}: temporal must be an ISO 8601 interval (start/end).")
    if not _optional(ds, "issued") and not is_issued(ds["issued"]):
        out.append(f"{where}: issued must be an ISO 8601 date or date-time.")
    for key in ("spatial", "systemOfRecords"):
        if not _optional(ds, key):
            _text(ds, key, where, out)
    if "isPartOf" in ds:
        _text(ds, "isPartOf", where, out)
    if not _optional(ds, "theme") and not _words(ds["theme"], unique=True):
        out.append(f"{where}: theme must be a list of words, each once.")
    if not _optional(ds, "references") and not (
        isinstance(ds["references"], list)
        and ds["references"]
        and all(is_url(r) for r in ds["references"])
        and len(set(ds["references"])) == len(ds["references"])
    ):
        out.append(f"{where}: references must be a list of addresses, each once.")
    if not _optional(ds, "dataQuality") and not isinstance(ds["dataQuality"], bool):
        out.append(f"{where}: dataQuality must be true or false.")
    if not _optional(ds, "distribution"):
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
    if dist.get("@type", "dcat:Distribution") != "dcat:Distribution":
        out.append(f"{where}: @type must be dcat:Distribution.")
    if "downloadURL" in dist and not is_url(dist["downloadURL"]):
        out.append(f"{where}: downloadURL must be an address (a URI such as https://…).")
    for key in ("accessURL", "conformsTo", "describedBy"):
        if not _optional(dist, key) and not is_url(dist[key]):
            out.append(f"{where}: {key} must be an address (a URI such as https://…).")
    if "downloadURL" in dist and not isinstance(dist.get("mediaType"), str):
        out.append(f"{where}: mediaType is required with a downloadURL.")
    for key in ("mediaType", "describedByType"):
        if not _optional(dist, key) and not (
            isinstance(dist[key], str) and MEDIA_TYPE_RE.search(dist[key])
        ):
            out.append(f"{where}: {key} must be a media type (type/subtype).")
    for key in ("title", "description", "format"):
        if not _optional(dist, key):
            _text(dist, key, where, out)
    return out


def problems(catalog: Any) -> list[str]:
    """What in a POD 1.1 catalog breaks the official (non-federal) schema's rules, checked
    here without the schema files, plus a dataset identifier used twice ([] when none)."""
    if not isinstance(catalog, Mapping):
        return ["The catalog must be a JSON object."]
    out: list[str] = []
    if catalog.get("conformsTo") != POD_SCHEMA:
        out.append(f"Catalog: conformsTo must be {POD_SCHEMA}.")
    if "@type" in catalog and catalog["@type"] != "dcat:Catalog":
        out.append("Catalog: @type must be dcat:Catalog.")
    if "@type" in catalog and "@context" not in catalog:
        out.append("Catalog: @context is required with @type.")
    for key in ("@context", "@id", "describedBy"):
        if key in catalog and not is_url(catalog[key]):
            out.append(f"Catalog: {key} must be an address (a URI such as https://…).")
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


def _str(d: Mapping[str, Any], key: str) -> str:
    """An optional text field as text: "" when absent or null."""
    value = d.get(key)
    return value.strip() if isinstance(value, str) else ""


def read_pod(catalog: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """An existing `data.json` as inventory rows (the keys `pod_dataset` takes), and the
    problems that stop its import, each naming the dataset's index and field. Optional
    fields absent or null are read as empty; what the inventory itself requires (keywords,
    a contact e-mail for a dataset in the catalog) its own rules ask for."""
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
                "keywords": _unique(ds.get("keyword") or ()),
                "modified": _str(ds, "modified"),
                "publisher": ds["publisher"]["name"].strip(),
                "contact_name": contact["fn"].strip(),
                "contact_email": _str(contact, "hasEmail").removeprefix("mailto:"),
                "access_level": ds["accessLevel"],
                "license": _str(ds, "license"),
                "rights": _str(ds, "rights"),
                "spatial": _str(ds, "spatial"),
                "temporal": _str(ds, "temporal"),
                "issued": _str(ds, "issued"),
                "accrual_periodicity": _str(ds, "accrualPeriodicity"),
                "landing_page": _str(ds, "landingPage"),
                "themes": _unique(ds.get("theme") or ()),
                "distributions": [
                    {
                        "title": _str(d, "title"),
                        "description": _str(d, "description"),
                        "download_url": _str(d, "downloadURL"),
                        "access_url": _str(d, "accessURL"),
                        "media_type": _str(d, "mediaType"),
                        "format": _str(d, "format"),
                    }
                    for d in ds.get("distribution") or []
                ],
            }
        )
    return rows, []
