"""Guess which column of a file holds which field, from the headings people actually use.

Plain Python (no Django). A guess only proposes; the person confirms or edits it, and can
save it under a name for next month's file.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

# Headings seen in city and county inventories, by the field they usually mean.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "owner_department": (
        "dept",
        "department",
        "owning department",
        "owner department",
        "owning dept",
        "agency",
        "division",
        "owner",
        "department code",
        "dept code",
    ),
    "vendor": ("vendor", "vendor name", "supplier", "company", "manufacturer", "publisher"),
    "manufacturer": ("manufacturer", "make", "mfr", "brand", "oem"),
    "end_of_support": (
        "eos",
        "end of support",
        "end of life",
        "eol",
        "support ends",
        "end of support date",
        "eos date",
        "eol date",
    ),
    "end_of_sale": ("eosl", "end of sale", "end of sale date"),
    "end_of_security_fixes": ("end of security fixes", "security support ends"),
    "general_availability": ("ga", "general availability", "release date"),
    "asset_tag": ("asset tag", "asset", "serial", "serial number", "serial no", "tag", "s n"),
    "external_id": ("external id", "id", "asset id", "record id", "external identifier"),
    "model_number": ("model", "model number", "model no", "model #"),
    "product_version": ("version", "product version", "release"),
    "email": ("email", "e mail", "email address", "mail"),
    "code": ("code", "dept code", "department code", "abbreviation", "short name"),
    "number": ("contract number", "contract no", "contract #", "number", "po", "po number"),
    "title": ("contract title", "title", "contract", "description", "job title", "position"),
    "start": ("start", "start date", "begins", "effective date", "term start"),
    "end": ("end", "end date", "expires", "expiration", "expiration date", "term end"),
    "annual_cost": ("annual cost", "cost per year", "yearly cost", "annual amount"),
    "total_value": ("total value", "contract value", "total", "amount"),
    "auto_renew": ("auto renew", "auto renews", "automatic renewal", "renews"),
    "install_date": ("install date", "installed", "in service date", "purchase date"),
    "location": ("location", "site", "building", "data center"),
    "quantity": ("quantity", "qty", "count", "units"),
    "replacement_cost": ("replacement cost", "cost to replace"),
    "business_owner": ("business owner", "owner name", "product owner"),
    "technical_owner": ("technical owner", "tech owner", "it owner", "admin"),
    "hosting": ("hosting", "hosted", "deployment", "hosting model"),
    "lifecycle": ("lifecycle", "status", "life cycle", "stage"),
    "criticality": ("criticality", "tier", "criticality tier", "priority"),
    "users": ("users", "user count", "number of users", "seats"),
    "go_live": ("go live", "go live date", "implemented", "implementation date"),
    "holds_cjis": ("cjis",),
    "holds_hipaa": ("hipaa", "phi"),
    "holds_pci": ("pci", "card data"),
    "holds_pii": ("pii", "personal data"),
    "notes": ("notes", "comments", "remarks", "note"),
    "purpose": ("purpose", "description", "what it does"),
    "cost_license": ("license cost", "licence cost", "annual license", "licensing"),
    "cost_support": ("support cost", "maintenance cost", "annual maintenance"),
    "cost_hosting": ("hosting cost",),
    "cost_staff": ("staff cost",),
    "is_it_staff": ("it staff", "is it staff", "it"),
    "parent": ("parent", "parent department", "part of", "reports to"),
    "aliases": ("aliases", "alias", "also known as", "aka", "other names"),
    "website": ("website", "web site", "url", "web"),
    "address": ("address", "street address"),
    "from": ("from", "what depends", "source", "depends", "dependent"),
    "to": ("to", "on what", "depends on", "target", "requires"),
    # impact analyses and recovery capabilities
    "system": ("system", "system name", "application", "application name", "app", "app name"),
    "component": (
        "component",
        "component name",
        "server",
        "server name",
        "hostname",
        "host name",
        "host",
        "asset name",
        "device",
    ),
    "mission_essential": ("mission essential", "mission critical", "essential", "mef"),
    "essential_function": (
        "essential function",
        "essential function type",
        "function type",
        "mef type",
        "fema category",
        "continuity category",
    ),
    "mtd_hours": (
        "mtd",
        "mtd hours",
        "mtd hrs",
        "mtd h",
        "maximum tolerable downtime",
        "max tolerable downtime",
        "max downtime",
    ),
    "rto_hours": (
        "rto",
        "rto hours",
        "rto hrs",
        "rto h",
        "recovery time objective",
        "own rto",
        "target recovery time",
    ),
    "rpo_hours": ("rpo", "rpo hours", "rpo hrs", "rpo h", "recovery point objective"),
    "peak_periods": ("peak periods", "peak period", "peak times", "busy periods", "peak"),
    "minimum_staff": (
        "minimum staff",
        "min staff",
        "minimum staffing",
        "staff needed",
        "staff required",
    ),
    "alternate_locations": (
        "alternate locations",
        "alternate location",
        "alternate sites",
        "alternate site",
        "relocation site",
    ),
    "manual_workarounds": (
        "manual workarounds",
        "manual workaround",
        "workarounds",
        "workaround",
        "manual procedures",
    ),
    "vital_records": ("vital records", "essential records", "critical records"),
    "reviewed_on": ("reviewed on", "reviewed", "last reviewed", "review date", "date reviewed"),
    "backup_frequency_hours": (
        "backup frequency",
        "backup frequency hours",
        "backup every",
        "backup every hours",
        "backup interval",
        "backup interval hours",
        "hours between backups",
        "backups every",
    ),
    "restore_hours": (
        "restore time",
        "restore hours",
        "restore time hours",
        "time to restore",
        "restore duration",
    ),
    "last_restore_test": (
        "last restore test",
        "last restore test date",
        "last successful restore test",
        "restore tested",
        "restore test date",
        "last tested",
    ),
    "recovery_site": ("recovery site", "dr site", "failover site", "backup site", "alternate site"),
    "procedure_link": (
        "procedure",
        "procedure link",
        "procedure url",
        "recovery procedure",
        "runbook",
        "runbook link",
        "runbook url",
        "dr procedure",
    ),
}


def normalize(heading: str) -> str:
    """Lowercase words without punctuation: "Owning Dept." -> "owning dept"."""
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", heading.lower()).split())


def guess(
    headers: Sequence[str],
    fields: Mapping[str, str],
    extra: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, str]:
    """{heading: field name, or "" for a column to ignore}.

    `fields` maps field name -> canonical heading; `extra` adds spellings for one kind of
    record (for systems, "App" means the name). Each field takes at most one column; the
    strongest match wins: the canonical heading, the field's name, the kind's spellings,
    then the common ones."""
    by_label = {normalize(label): name for name, label in fields.items()}
    by_name = {normalize(name): name for name in fields}
    spellings = {f: {normalize(s) for s in words} for f, words in (extra or {}).items()}
    result: dict[str, str] = {h: "" for h in headers}
    taken: set[str] = set()
    passes: list[Callable[[str], str | None]] = [
        by_label.get,
        by_name.get,
        lambda n: next(
            (f for f, words in spellings.items() if n in words and f not in taken), None
        ),
        lambda n: _synonym(n, fields, taken),
    ]
    for attempt in passes:
        for heading in headers:
            if result[heading] or not heading.strip():
                continue
            field = attempt(normalize(heading))
            if field and field in fields and field not in taken:
                result[heading] = field
                taken.add(field)
    return result


def _synonym(heading: str, fields: Mapping[str, str], taken: set[str]) -> str | None:
    for field, spellings in SYNONYMS.items():
        if field in fields and field not in taken and heading in spellings:
            return field
    return None


def clean(
    proposed: Mapping[str, str], headers: Sequence[str], fields: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Check a mapping from a person or a file: known headings and fields, each field once.

    Returns the mapping for every heading and the problems found."""
    problems: list[str] = []
    result = {h: "" for h in headers}
    used: dict[str, str] = {}
    lowered = {h.lower(): h for h in headers}
    for heading, field in proposed.items():
        actual = heading if heading in result else lowered.get(str(heading).lower())
        if actual is None:
            problems.append(f"The mapping names a column {heading!r} the file does not have.")
            continue
        if not field:
            continue
        if field not in fields:
            problems.append(f"{field!r} (for column {heading!r}) is not a field you can import.")
            continue
        if field in used:
            problems.append(f"Both {used[field]!r} and {heading!r} are mapped to {field}.")
            continue
        used[field] = heading
        result[actual] = field
    return result, problems
