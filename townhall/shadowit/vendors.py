"""The reference data kept in the repository: technology vendors and merchant category codes.

`reference/technology_vendors.csv` lists vendors local governments commonly buy technology
from, one a row: `key`, display `name`, `category` (software — software or cloud service —,
hardware, telecom; a few well-known merchants whose descriptors look technical but are not,
such as advertising on Facebook, are listed as not_technology), known `domains` and
descriptor `aliases` (both separated by ``;``), `strict`: "y" when the vendor's
one-word names are ordinary words — Box, Slack, Dell — so they match only exactly, never as
the start of a longer name (its longer aliases still do), or the list of those of its
one-word aliases that are (T-Mobile's ``SPRINT``: not ``SPRINT CAR WASH``), and `kind`:
what the tool does in a few plain words ("video meetings", "e-signature"), empty for a
vendor whose products span many kinds; merchants of one kind bought by several departments
are candidates to consolidate.
`reference/mcc.csv` lists merchant category codes with our own short description, the
category they indicate and how far that can be trusted.
`reference/ignored_applications.csv` names the applications of the sign-in exports that
are the sign-in system's own plumbing (the portal people land on, the second-factor app):
everyone signs in to them, so they are neither a tool to triage nor anyone's use of one.

A merchant is found by its domain (or a parent domain), by its key equal to an alias's key
(or equal with spaces ignored), by its key starting, as whole words, with an alias of
several words and eight letters or more (``zoom video comm san``) or of one word and four
letters or more unless the vendor is strict (``cisco meraki``), by its key being a
truncated alias of eight letters or more (``microsoft azur``), or by its key being a
vendor's web address with the dot dropped (``bestbuycom``). A name that starts with a
vendor's but goes on with a place or a trade (``VERIZON CENTER PARKING``, ``T-MOBILE PARK``)
is a venue or a shop named after the vendor, not the vendor.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from townhall.shadowit.descriptors import Merchant, compact, normalize

REFERENCE = Path(__file__).resolve().parent / "reference"
CATEGORIES = ("software", "hardware", "telecom", "not_technology")

# Words of trades that are not technology (cafe, hotel, fuel; "hardware" as a tools store).
ORDINARY = frozenset(
    "CAFE COFFEE GRILL RESTAURANT PIZZA BAKERY DELI BAR PUB HOTEL INN MOTEL SUITES FUEL GAS "
    "OIL AUTO AUTOMOTIVE TIRE TIRES HARDWARE LUMBER FEED FARM GARDEN NURSERY FLORIST "
    "PHARMACY DRUG MEDICAL DENTAL CLINIC HOSPITAL SALON SPA FITNESS PARKING TAXI AIRLINES "
    "AIRLINE TRAVEL UNIFORM UNIFORMS JANITORIAL PLUMBING ELECTRIC ROOFING CATERING "
    "GROCERY MARKET LIQUOR FOODS BURGER TACO WINGS CHURCH SCHOOL MUSEUM ZOO STORAGE "
    "CONCESSIONS STADIUM ARENA BALLPARK AMPHITHEATER AMPHITHEATRE TICKETS WASH PRINTING HOME "
    "GUILD".split()
)
# After a vendor's name, these make it a venue or a shop named after the vendor. Trade words
# that also end real vendors' names (Schneider Electric, a hardware line) are left out.
# AUTO as in AUTO PAY.
_NOT_THE_VENDOR = ORDINARY - {
    "HARDWARE",
    "ELECTRIC",
    "MARKET",
    "STORAGE",
    "TRAVEL",
    "SCHOOL",
    "AUTO",
}
# ... and these only right after it: VERIZON CENTER is an arena, MICROSOFT ... CENTER may not be.
_VENUE = frozenset("CENTER CENTRE PARK ARENA STADIUM AMPHITHEATER THEATER THEATRE".split())


@dataclass(frozen=True)
class Vendor:
    key: str
    name: str
    category: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    # One-word names (as normalised keys) that match only exactly.
    strict: frozenset[str]
    # What the tool does, in a few plain words; "" when its products span many kinds.
    kind: str = ""


@dataclass(frozen=True)
class MccCode:
    code: str
    description: str
    category: str
    confidence: float


@dataclass(frozen=True)
class Match:
    vendor: Vendor
    how: str


class Reference:
    """The vendors indexed by domain, alias key and alias key without spaces."""

    def __init__(self, vendors: list[Vendor]) -> None:
        self.vendors = {v.key: v for v in vendors}
        self.by_domain: dict[str, Vendor] = {}
        self.by_key: dict[str, Vendor] = {}
        self.by_compact: dict[str, Vendor] = {}
        self.prefixes: list[tuple[str, Vendor]] = []
        # Aliases of eight letters or more by their first eight, for keys cut short; and
        # the same without spaces, for one-word keys run together (``zoomvideoc``).
        self.truncatable: dict[str, list[tuple[str, Vendor]]] = {}
        self.truncatable_compact: dict[str, list[tuple[str, Vendor]]] = {}
        for vendor in vendors:
            for domain in vendor.domains:
                self.by_domain.setdefault(domain, vendor)
            for alias in (vendor.name, *vendor.aliases):
                key = normalize(alias).key
                self.by_key.setdefault(key, vendor)
                self.by_compact.setdefault(compact(key), vendor)
                words = key.split()
                if (len(words) > 1 and len(key) >= 8) or (
                    len(words) == 1 and len(key) >= 4 and key not in vendor.strict
                ):
                    self.prefixes.append((key + " ", vendor))
                if len(key) >= 8:
                    self.truncatable.setdefault(key[:8], []).append((key, vendor))
                squeezed = compact(key)
                if len(squeezed) >= 8 and squeezed != key:
                    self.truncatable_compact.setdefault(squeezed[:8], []).append((key, vendor))
        # Longest first, so "google cloud platform" wins over "google cloud".
        self.prefixes.sort(key=lambda p: -len(p[0]))

    @lru_cache(maxsize=65536)  # noqa: B019 (one Reference lives as long as the process)
    def lookup_key(self, key: str) -> Match | None:
        vendor = self.by_key.get(key) or self.by_compact.get(compact(key))
        if vendor is not None:
            return Match(vendor, f"its name '{key}', a known spelling")
        squeezed = compact(key)
        if len(squeezed) > 7 and squeezed.endswith("com"):
            vendor = self.by_compact.get(squeezed[:-3])
            if vendor is not None:
                return Match(vendor, f"its name '{key}', its web address without the dot")
        for prefix, vendor in self.prefixes:
            if key.startswith(prefix):
                rest = key[len(prefix) :].upper().split()
                if vendor.category != "not_technology" and (
                    rest[0] in _VENUE or not _NOT_THE_VENDOR.isdisjoint(rest)
                ):
                    break  # VERIZON CENTER PARKING: named after the vendor, not the vendor
                return Match(vendor, f"its name, which starts with '{prefix.strip()}'")
        if len(key) >= 8:
            for alias, vendor in self.truncatable.get(key[:8], ()):
                if alias.startswith(key) and alias != key:
                    return Match(vendor, f"its name '{key}', which is '{alias}' cut short")
            if " " not in key:
                for alias, vendor in self.truncatable_compact.get(key[:8], ()):
                    if compact(alias).startswith(key):
                        return Match(vendor, f"its name '{key}', which is '{alias}' cut short")
        return None

    def lookup(self, merchant: Merchant) -> Match | None:
        if merchant.domain:
            parts = merchant.domain.split(".")
            for i in range(len(parts) - 1):
                vendor = self.by_domain.get(".".join(parts[i:]))
                if vendor is not None:
                    return Match(vendor, f"its domain {merchant.domain}")
        return self.lookup_key(merchant.key)


def _strict(value: str, name: str, aliases: str) -> frozenset[str]:
    """The one-word names that match only exactly: all of them ("y"), or those listed."""
    value = value.strip()
    if value.lower() == "y":
        names = [name, *_split(aliases)]
    else:
        names = list(_split(value))
    return frozenset(normalize(n).key for n in names if " " not in normalize(n).key)


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


@lru_cache(maxsize=1)
def reference() -> Reference:
    """The reference vendors, read once."""
    with (REFERENCE / "technology_vendors.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    vendors = [
        Vendor(
            key=row["key"],
            name=row["name"],
            category=row["category"],
            domains=tuple(d.lower() for d in _split(row["domains"])),
            aliases=_split(row["aliases"]),
            strict=_strict(row["strict"], row["name"], row["aliases"]),
            kind=row.get("kind", "").strip(),
        )
        for row in rows
    ]
    return Reference(vendors)


@lru_cache(maxsize=1)
def mcc_codes() -> dict[str, MccCode]:
    """The merchant category codes we know, by their four digits."""
    with (REFERENCE / "mcc.csv").open(newline="", encoding="utf-8") as f:
        return {
            row["mcc"]: MccCode(
                row["mcc"], row["description"], row["category"], float(row["confidence"])
            )
            for row in csv.DictReader(f)
        }


@lru_cache(maxsize=1)
def ignored_applications() -> frozenset[str]:
    """The sign-in system's own applications, in lower case: left out of the sign-ins."""
    with (REFERENCE / "ignored_applications.csv").open(newline="", encoding="utf-8") as f:
        return frozenset(row["application"].strip().lower() for row in csv.DictReader(f))


def lookup_key(key: str) -> Vendor | None:
    """The reference vendor a merchant key names, or None."""
    match = reference().lookup_key(key)
    return match.vendor if match else None


def lookup(merchant: Merchant) -> Match | None:
    """The reference vendor a merchant is, and how it was recognised, or None."""
    return reference().lookup(merchant)
