"""Technology skills worked out from the estate, in plain Python (no Django): every product
and platform the government runs — a system's product (or, without one, its vendor), a
component's operating system or firmware (or, without one, its manufacturer) — becomes one
skill, linked to the systems and components that use it. "Esri ArcGIS" on three systems is
one skill, however it is capitalised or spaced. Fed by `technology_input.py`."""

import re
from collections import Counter
from dataclasses import dataclass, field

PREFIX = "TECH-"
MAX_CODE = 100
MAX_NAME = 200
_VERSION_TAIL = re.compile(r"\s+v?\d+(\.\d+)*[a-z]?$", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    """One system or component as the derivation reads it."""

    kind: str  # "system" or "component"
    pk: int
    product: str = ""  # a system's product; a component's OS or firmware
    maker: str = ""  # a system's vendor; a component's manufacturer


@dataclass
class Technology:
    code: str
    name: str
    systems: list[int] = field(default_factory=list)
    components: list[int] = field(default_factory=list)


def _clean(text: str) -> str:
    text = " ".join((text or "").split())
    return _VERSION_TAIL.sub("", text).strip()


def key(name: str) -> str:
    """The code of the skill a product name makes: case, spacing and punctuation, and a
    trailing version number, do not make two skills."""
    slug = re.sub(r"[^a-z0-9]+", "-", _clean(name).casefold()).strip("-")
    return (PREFIX + slug.upper())[:MAX_CODE] if slug else ""


def derive(items: list[Item]) -> list[Technology]:
    """One technology per product or platform named in `items`, by code, each with the
    systems and components using it (in the order read), named by its most common
    spelling (the first of equals)."""
    found: dict[str, Technology] = {}
    spellings: dict[str, Counter[str]] = {}
    for item in items:
        name = _clean(item.product) or _clean(item.maker)
        code = key(name)
        if not code:
            continue
        tech = found.setdefault(code, Technology(code=code, name=name[:MAX_NAME]))
        spellings.setdefault(code, Counter())[name[:MAX_NAME]] += 1
        bucket = tech.systems if item.kind == "system" else tech.components
        if item.pk not in bucket:
            bucket.append(item.pk)
    for code, tech in found.items():
        tech.name = spellings[code].most_common(1)[0][0]
    return sorted(found.values(), key=lambda t: t.code)
