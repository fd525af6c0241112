"""Reading CISA's Known Exploited Vulnerabilities (KEV) catalog into plain records.

The catalog is one JSON object: `title`, `catalogVersion`, `dateReleased`, `count` and
`vulnerabilities`, a list of entries with `cveID`, `vendorProject`, `product`,
`vulnerabilityName`, `dateAdded`, `shortDescription`, `requiredAction`, `dueDate`,
`knownRansomwareCampaignUse` ("Known" or "Unknown"), `notes` and `cwes`.

Real files are not always tidy, so reading is forgiving where the meaning is still clear:
text is trimmed, missing optional fields are empty, a date may carry a time
("2024-01-31T00:00:00Z"), a yes/no where a date belongs counts as no date. What cannot be
understood is named:

- the whole file (not JSON, not UTF-8, no `vulnerabilities` list) raises `FeedError`, and
  nothing should be imported from it;
- one entry that cannot be used (no CVE identifier, no vendor or product, not an object) is
  left out and reported as a `Problem`, and the other entries are kept;
- a field that cannot be read in an otherwise good entry (a date such as "soon") is left
  empty and reported, and the entry is kept.

`FeedError`, `Problem`, `read_json` and `to_date` are shared with `eol.py`.
"""

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

CVE_ID = re.compile(r"^CVE-\d{4}-\d{4,20}$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
# Limits of the fields that store the values; longer text is cut, not refused.
LIMITS = {"vendor": 200, "product": 200, "name": 300}
YES = {"known", "yes", "true", "y", "1"}
NO = {"unknown", "no", "false", "n", "0", ""}


class FeedError(ValueError):
    """The file as a whole cannot be read as this feed; nothing in it should be imported."""


@dataclass(frozen=True)
class Problem:
    """Something in one entry that could not be used: where, which field, and why."""

    where: str
    field: str
    reason: str
    skipped: bool = False  # the entry was left out (else only this field was left empty)

    def __str__(self) -> str:
        place = f"{self.where}, field “{self.field}”" if self.field else self.where
        tail = " The entry was left out." if self.skipped else ""
        return f"{place}: {self.reason}{tail}"


@dataclass(frozen=True)
class KevEntry:
    """One catalog entry, trimmed and typed."""

    cve_id: str
    vendor: str
    product: str
    name: str = ""
    short_description: str = ""
    required_action: str = ""
    date_added: datetime.date | None = None
    due_date: datetime.date | None = None
    ransomware: bool = False
    notes: str = ""
    cwes: tuple[str, ...] = ()


@dataclass
class KevCatalog:
    """The catalog's own facts, its usable entries and what could not be used."""

    title: str = ""
    version: str = ""
    released: datetime.datetime | None = None
    stated_count: int | None = None
    entries: list[KevEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- shared with eol.py ------------------------------------------------------------------


def read_json(data: bytes | str | Any) -> Any:
    """The JSON document in `data` (bytes or text; an already-parsed object is returned as
    it is). Decimal numbers stay exact (Decimal), so a cycle written 3.10 stays "3.10"."""
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FeedError(
                f"The file is not UTF-8 text (unreadable byte at position {exc.start})."
            ) from None
    if not isinstance(data, str):
        return data
    if not data.strip():
        raise FeedError("The file is empty.")
    try:
        return json.loads(data, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FeedError(
            f"The file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise FeedError("The file is not valid JSON: it is nested too deeply.") from None


@dataclass(frozen=True)
class DateValue:
    """A date field as feeds write it: a date, a yes/no standing for one, or nothing."""

    date: datetime.date | None = None
    flag: bool | None = None  # given as true/false instead of a date
    problem: str = ""


def to_date(value: Any) -> DateValue:
    """Read "2024-01-31", "2024-01-31T00:00:00Z", true/false (also as text), or nothing."""
    if value is None:
        return DateValue()
    if isinstance(value, bool):
        return DateValue(flag=value)
    if not isinstance(value, str):
        return DateValue(problem=f"{_shown(value)} is not a date (use YYYY-MM-DD).")
    text = value.strip()
    if text.lower() in ("", "null", "none", "n/a"):
        return DateValue()
    if text.lower() in ("true", "false"):
        return DateValue(flag=text.lower() == "true")
    found = ISO_DATE.match(text)
    if found:
        try:
            return DateValue(date=datetime.date(*(int(g) for g in found.groups())))
        except ValueError:
            return DateValue(problem=f"“{text}” is not a real date.")
    return DateValue(problem=f"“{text[:40]}” is not a date (use YYYY-MM-DD).")


def to_datetime(value: Any) -> datetime.datetime | None:
    """A release moment such as "2024-05-01T14:00:23.123Z"; a bare date is midnight UTC.
    Without a time zone, UTC. None when it cannot be read (the moment is informative only)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        moment = datetime.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        day = to_date(text).date
        if day is None:
            return None
        moment = datetime.datetime(day.year, day.month, day.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def to_text(value: Any) -> str | None:
    """Trimmed text; numbers written as text; None for what is not text (a list, an object)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return " ".join(value.split()) if "\n" not in value else value.strip()
    if isinstance(value, int | Decimal | float):
        return str(value)
    return None


def _shown(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "…"


# --- the catalog ---------------------------------------------------------------------------


def parse(data: bytes | str | Any) -> KevCatalog:
    """The catalog in `data` (the file's bytes, its text, or the parsed JSON)."""
    doc = read_json(data)
    if not isinstance(doc, Mapping):
        raise FeedError(
            "This is not a Known Exploited Vulnerabilities catalog: the file should hold one "
            f"JSON object with a “vulnerabilities” list, not {_kind(doc)}."
        )
    items = doc.get("vulnerabilities")
    if not isinstance(items, list):
        found = "has no “vulnerabilities” list" if items is None else "has “vulnerabilities”"
        found += "" if items is None else f" as {_kind(items)}, not a list"
        raise FeedError(f"This is not a Known Exploited Vulnerabilities catalog: the file {found}.")
    catalog = KevCatalog(
        title=to_text(doc.get("title")) or "",
        version=(to_text(doc.get("catalogVersion")) or "")[:60],
        released=to_datetime(doc.get("dateReleased")),
    )
    count = doc.get("count")
    if isinstance(count, int) and not isinstance(count, bool):
        catalog.stated_count = count
        if count != len(items):
            catalog.problems.append(
                Problem(
                    "The catalog",
                    "count",
                    f"it says it holds {count} entries but the file has {len(items)}.",
                )
            )
    seen: dict[str, int] = {}
    for number, item in enumerate(items, 1):
        entry = _entry(number, item, catalog.problems)
        if entry is None:
            continue
        if entry.cve_id in seen:
            catalog.problems.append(
                Problem(
                    f"Entry {number} ({entry.cve_id})",
                    "cveID",
                    f"the same CVE is already entry {seen[entry.cve_id]}; the first is kept.",
                    skipped=True,
                )
            )
            continue
        seen[entry.cve_id] = number
        catalog.entries.append(entry)
    return catalog


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "null"
    return "a number" if isinstance(value, int | float | Decimal) else type(value).__name__


def _entry(number: int, item: Any, problems: list[Problem]) -> KevEntry | None:
    where = f"Entry {number}"
    if not isinstance(item, Mapping):
        problems.append(Problem(where, "", f"it is {_kind(item)}, not an object.", skipped=True))
        return None
    raw_id = to_text(item.get("cveID")) or ""
    cve = raw_id.upper().replace(" ", "")
    if not CVE_ID.match(cve):
        reason = "it is missing." if not raw_id else f"“{raw_id[:40]}” is not a CVE identifier."
        problems.append(Problem(where, "cveID", reason, skipped=True))
        return None
    where = f"Entry {number} ({cve})"
    texts: dict[str, str] = {}
    for key, name in (
        ("vendorProject", "vendor"),
        ("product", "product"),
        ("vulnerabilityName", "name"),
        ("shortDescription", "short_description"),
        ("requiredAction", "required_action"),
        ("notes", "notes"),
    ):
        value = to_text(item.get(key))
        if value is None:
            problems.append(Problem(where, key, f"{_kind(item.get(key))} is not text."))
            value = ""
        texts[name] = value[: LIMITS[name]].strip() if name in LIMITS else value
    for key, name in (("vendorProject", "vendor"), ("product", "product")):
        if not texts[name]:
            problems.append(Problem(where, key, "it is missing or empty.", skipped=True))
            return None
    dates: dict[str, datetime.date | None] = {}
    for key, name in (("dateAdded", "date_added"), ("dueDate", "due_date")):
        read = to_date(item.get(key))
        if read.problem:
            problems.append(Problem(where, key, read.problem))
        dates[name] = read.date
    return KevEntry(
        cve_id=cve,
        vendor=texts["vendor"],
        product=texts["product"],
        name=texts["name"],
        short_description=texts["short_description"],
        required_action=texts["required_action"],
        notes=texts["notes"],
        date_added=dates["date_added"],
        due_date=dates["due_date"],
        ransomware=_ransomware(item.get("knownRansomwareCampaignUse"), where, problems),
        cwes=_cwes(item.get("cwes"), where, problems),
    )


def _ransomware(value: Any, where: str, problems: list[Problem]) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = (to_text(value) or "").strip().lower()
    if text in YES:
        return True
    if text not in NO:
        problems.append(
            Problem(
                where,
                "knownRansomwareCampaignUse",
                f"{_shown(value)} is neither “Known” nor “Unknown”; taken as not known.",
            )
        )
    return False


def _cwes(value: Any, where: str, problems: list[Problem]) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    if not isinstance(value, list):
        problems.append(Problem(where, "cwes", f"{_kind(value)} is not a list of CWE names."))
        return ()
    result: list[str] = []
    for part in value:
        text = to_text(part)
        if text and text.strip() and text.strip() not in result:
            result.append(text.strip()[:30])
    return tuple(result)
