"""Guess which column of a file holds which field, from the headings people actually use.

Plain Python (no Django). A guess only proposes; the person confirms or edits it, and can
save it under a name for next month's file.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

# Headings seen in city and county inventories for the fields every kind of record or
# several modules' kinds have. A module's own fields are spelled where it registers its
# kinds (`core.registry.register_column_spellings`), and passed in as `common`.
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
    "external_id": ("external id", "id", "asset id", "record id", "external identifier"),
    "email": ("email", "e mail", "email address", "mail"),
    "code": ("code", "dept code", "department code", "abbreviation", "short name"),
    "notes": ("notes", "comments", "remarks", "note"),
    "parent": ("parent", "parent department", "part of", "reports to"),
}


def normalize(heading: str) -> str:
    """Lowercase words without punctuation: "Owning Dept." -> "owning dept"."""
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", heading.lower()).split())


def guess(
    headers: Sequence[str],
    fields: Mapping[str, str],
    extra: Mapping[str, Iterable[str]] | None = None,
    common: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, str]:
    """{heading: field name, or "" for a column to ignore}.

    `fields` maps field name -> canonical heading; `extra` adds spellings for one kind of
    record (for systems, "App" means the name); `common` are the spellings shared by the
    kinds (`SYNONYMS` when not given; a module's kinds add the module's own, after them).
    Each field takes at most one column; the strongest match wins: the canonical heading,
    the field's name, the kind's spellings, then the common ones, in their order."""
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
        lambda n: _synonym(n, fields, taken, SYNONYMS if common is None else common),
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


def _synonym(
    heading: str,
    fields: Mapping[str, str],
    taken: set[str],
    common: Mapping[str, Iterable[str]],
) -> str | None:
    for field, spellings in common.items():
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
