"""Matching the estate's systems and components to the two public feeds: CISA's Known
Exploited Vulnerabilities (KEV, by vendor and product) and endoflife.date (by product and
version → release cycle).

Names are compared after normalising them (`tokens`): case, accents and punctuation do not
count ("PAN-OS" and "pan os" are the same words; "Inc." and "Inc" too); a vendor name also
loses a trailing corporate suffix ("Microsoft Corporation" → "microsoft", "Fortinet, Inc." →
"fortinet"). A name in brackets is kept as a second name when it spells the initials of the
words before it ("Hewlett Packard Enterprise (HPE)" → also "hpe"); other bracketed words
("(fictional)", "(Quillfeather)") are dropped.

The rules, in the order they are tried — each match carries the reason text that says which:

Vendor. An estate item's vendor (a system's vendor and that vendor's other spellings; a
component's manufacturer) is looked up among the KEV vendors: exactly after normalising;
through the alias table (kind "vendor": estate name → KEV vendor); through a handful of
built-in aliases (`BUILTIN_VENDOR_ALIASES`); else without trailing generic words on both sides
("Cisco Systems" → "cisco", "Juniper Networks" → "juniper"). A product whose first words are
a KEV vendor names that vendor too ("Microsoft Exchange Server", "Basalt Server OS"), and an
alias of kind "product" may name the vendor. A KEV entry never matches an item of another
vendor.

KEV product. Within the vendor, a KEV entry matches when one of its product names appears,
as whole consecutive words, in the item's product ("Exchange Server" in "Exchange Server 2019";
"Windows" in "Windows Server 2022"), or equals it with spaces and punctuation ignored ("PANOS"
= "PAN-OS"). A KEV product listing several ("iOS, iPadOS, and macOS") is split at commas,
slashes and "and"; the vendor's name at its start is ignored. An alias of kind "product" adds
its KEV product as a second name for the item. KEV publishes no affected versions, so the
version plays no part here: a match says the product has a known exploited flaw to check.

Generic KEV entries ("Multiple Products", "Multiple Routers", "Various"): they would match
every product of the vendor, so they match only (1) an item whose alias names that KEV
product explicitly, or (2) an item whose own product (or model) is named, as whole words,
in the entry's name or description ("DIR-859" in "D-Link DIR-859 routers contain…"), and
that name is specific (`distinctive`: not "Router", "Secure" or "Web Server").

End of life. The item's product is found on endoflife.date through the alias table's
endoflife.date product, else by the product's key or label ("Windows Server" = key
"windows-server"; "Microsoft SQL Server" = label of "mssqlserver"), also with the vendor's
name in front of the product or without it. Its version then picks the release cycle with the
longest matching prefix, compared part by part ("2019.3.1" → cycle "2019.3" over "2019";
"7" never matches "70"; "2012 R2" = "2012-r2"). A product name ending in a version ("Windows
Server 2019") gives that version when the item's own version fits no cycle. Build numbers are
not translated ("10.0.17763" is not Windows Server "2019"): record the version as the vendor
names its releases, or name the cycle in the version field.

What matched nothing is listed (`Unmatched`) with why, grouped by vendor and product without
the version words that end it ("NET-123" and "NET-456" are "NET", which is also what one alias
for all of them names), so someone can add an alias.

Fast enough for a county's estate: the KEV feed is indexed by normalised vendor and by each
product name's first word, endoflife.date products by name and their cycles by version parts;
each distinct vendor and product of the estate is matched once however many items share it,
and each distinct version of it only looks up its cycle (`bench/exposure_matching.py`).
"""

import datetime
import functools
import heapq
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

CORPORATE_SUFFIXES = frozenset(
    "inc incorporated corp corporation co company cos llc llp lp pllc ltd limited plc gmbh "
    "mbh ag kg sa sas sarl srl spa bv nv oy oyj ab as asa aps kk pty pte".split()
)
# Trailing words that a company's name may carry or not: tried only when the exact name fails.
GENERIC_VENDOR_WORDS = frozenset(
    "systems system software technologies technology tech networks network group holdings "
    "international solutions labs laboratories communications enterprises foundation "
    "america usa global".split()
)
# Well-known other names of KEV vendors (normalised estate name → normalised KEV vendor).
BUILTIN_VENDOR_ALIASES = {
    "vmware by broadcom": "vmware",
    "broadcom vmware": "vmware",
    "ms": "microsoft",
    "msft": "microsoft",
}
GENERIC_PRODUCT_FIRST = frozenset({"multiple", "various", "all", "several"})
GENERIC_PRODUCTS = frozenset({(), ("products",), ("product",), ("unknown",), ("n", "a")})
# Kinds of thing: a name made only of these ("Web Server", "Router") names no product.
GENERIC_NOUNS = frozenset(
    "router routers server servers switch switches firewall firewalls camera cameras device "
    "devices appliance appliances gateway gateways storage nas printer printers phone phones "
    "system systems software firmware os application app web portal hardware network modem "
    "controller access point ap vpn the and of for a an".split()
)
# Common words that, alone, do not name a product either ("Secure", "Manager").
COMMON_WORDS = frozenset(
    "secure security connect manager management client mobile cloud center centre edge "
    "enterprise core pro plus standard suite platform service services control remote "
    "desktop agent console studio office mail email file files data database monitor backup "
    "print update updates online api ui".split()
)
VERSION_WORD = re.compile(r"^(?:\d[0-9a-z]*|v\d+|r\d+|sp\d+|u\d+)$")
_PARENS = re.compile(r"\(([^()]*)\)")
_JOINED_DOTS = re.compile(r"(?<=[a-z])[.'’](?=[a-z]|\b)")
_WORDS = re.compile(r"[a-z0-9]+")
_LIST_SPLIT = re.compile(r"\s*(?:,|;|/|\band\b|&)\s*")
_VERSION_PARTS = re.compile(r"\d+|[a-z]+")

# End-of-life states of a matched release cycle.
ENDED, ENDING, SUPPORTED, UNKNOWN = "ended", "ending", "supported", "unknown"
EXPOSED = frozenset({ENDED, ENDING})


# --- normalising names -------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def _plain(text: str) -> str:
    if not (text or "").isascii():  # accents off: "Société" → "societe"
        text = unicodedata.normalize("NFKD", text or "")
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _JOINED_DOTS.sub("", text.lower().replace("&", " and "))


@functools.lru_cache(maxsize=1 << 16)
def tokens(text: str) -> tuple[str, ...]:
    """The words of a name, lower case, without punctuation or bracketed parts."""
    return tuple(_WORDS.findall(_PARENS.sub(" ", _plain(text))))


@functools.lru_cache(maxsize=1 << 16)
def names(text: str) -> tuple[tuple[str, ...], ...]:
    """The name's words, then, for a bracketed abbreviation that spells the initials of the
    words just before it, the name with the abbreviation in their place: "Cisco Adaptive
    Security Appliance (ASA)" → [cisco adaptive security appliance], [cisco asa]."""
    plain = _plain(text)
    result = [tuple(_WORDS.findall(_PARENS.sub(" ", plain)))]
    for found in _PARENS.finditer(plain):
        words = _WORDS.findall(found.group(1))
        if len(words) != 1 or len(words[0]) < 2:
            continue
        abbr, size = words[0], len(words[0])
        before = _WORDS.findall(_PARENS.sub(" ", plain[: found.start()]))
        after = _WORDS.findall(_PARENS.sub(" ", plain[found.end() :]))
        if size <= len(before) and "".join(w[0] for w in before[-size:]) == abbr:
            variant = (*before[:-size], abbr, *after)
            if variant not in result:
                result.append(variant)
    return tuple(result)


def strip_suffixes(words: tuple[str, ...]) -> tuple[str, ...]:
    """Without a leading "the" and trailing corporate suffixes (keeping at least one word)."""
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in CORPORATE_SUFFIXES:
        words = words[:-1]
    return words


def vendor_key(text: str) -> str:
    """A vendor's name for comparison: "Microsoft Corporation" → "microsoft"."""
    return " ".join(strip_suffixes(tokens(text)))


@functools.lru_cache(maxsize=1 << 16)
def vendor_keys(text: str) -> tuple[str, ...]:
    """The vendor's name and its bracketed abbreviation, each normalised."""
    result: list[str] = []
    for words in names(text):
        key = " ".join(strip_suffixes(words))
        if key and key not in result:
            result.append(key)
    return tuple(result)


def reduced_key(key: str) -> str:
    """A vendor key without trailing generic words: "cisco systems" → "cisco"."""
    words = key.split()
    while len(words) > 1 and words[-1] in GENERIC_VENDOR_WORDS:
        words.pop()
    return " ".join(words)


@functools.lru_cache(maxsize=1 << 16)
def split_version(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A product's words and the version words that end it: (windows server)(2012 r2)."""
    end = len(words)
    while end > 1 and VERSION_WORD.match(words[end - 1]):
        end -= 1
    return words[:end], words[end:]


@functools.lru_cache(maxsize=1 << 16)
def version_parts(text: str) -> tuple[str, ...]:
    """A version as comparable parts: "v7.2.05" → (7, 2, 5); "2012-R2" → (2012, r, 2)."""
    parts = _VERSION_PARTS.findall(text.lower() if text.isascii() else _plain(text))
    if len(parts) > 1 and parts[0] == "v" and parts[1].isdigit():
        parts = parts[1:]
    return tuple(str(int(p)) if p.isdigit() else p for p in parts)


def is_generic_product(words: tuple[str, ...]) -> bool:
    return words in GENERIC_PRODUCTS or words[0] in GENERIC_PRODUCT_FIRST


# --- inputs and outputs ------------------------------------------------------------------


# Read-only members, so that frozen dataclasses (kev.KevEntry, eol.EolRelease) match.
class KevLike(Protocol):
    @property
    def cve_id(self) -> str: ...
    @property
    def vendor(self) -> str: ...
    @property
    def product(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def short_description(self) -> str: ...
    @property
    def ransomware(self) -> bool: ...
    @property
    def due_date(self) -> datetime.date | None: ...


class ReleaseLike(Protocol):
    @property
    def product(self) -> str: ...
    @property
    def cycle(self) -> str: ...
    @property
    def end_of_life(self) -> datetime.date | None: ...
    @property
    def end_of_life_flag(self) -> bool | None: ...


@dataclass(frozen=True)
class Alias:
    """A row of the alias table: `estate_name` (a vendor or a product as written in the
    estate) means `feed_vendor`/`feed_product` in KEV and `eol_product` on endoflife.date."""

    kind: str  # "vendor" or "product"
    estate_name: str
    feed_vendor: str = ""
    feed_product: str = ""
    eol_product: str = ""


@dataclass(frozen=True)
class Item:
    """One thing in the estate to match: a system's product, a component's OS or firmware,
    or a component's model. `ref` identifies it to the caller; `what` names the field."""

    ref: Any
    vendor: str
    product: str
    version: str = ""
    vendor_aliases: tuple[str, ...] = ()
    what: str = "product"


class Match(NamedTuple):
    """One item matched to one KEV entry (kind "kev") or one release cycle ("eol")."""

    ref: Any
    kind: str
    record: Any  # the KEV entry or the release given to the matcher
    reason: str
    state: str = ""  # for "eol": ENDED, ENDING, SUPPORTED or UNKNOWN
    item: Any = None  # the Item matched


@dataclass
class Outcome:
    """What one (vendor, product, version) matched, shared by every item that has it."""

    kev: Sequence[tuple[Any, str]] = ()  # (entry, reason); shared: do not change it
    eol: tuple[Any, str, str] | None = None  # (release, reason, state)
    kev_vendor: str = ""  # the KEV vendor found for the item, if any
    eol_product: str = ""  # the endoflife.date product found, if any
    version_tried: str = ""


@dataclass(frozen=True)
class Unmatched:
    """Estate items that matched nothing, grouped by vendor, product (without the version
    words that end it: "NET-123" and "NET-456" are "NET", which is also what an alias for
    them names) and reason, with the versions seen and how many items — so someone can add
    an alias."""

    vendor: str
    product: str
    versions: tuple[str, ...]  # the versions seen, sorted (at most `VERSIONS_SHOWN`)
    what: str
    count: int
    reason: str  # "unknown", "vendor_only", "no_version" or "no_cycle"
    explanation: str
    eol_product: str = ""
    refs: tuple[Any, ...] = ()  # the first few items
    more_versions: int = 0  # versions seen beyond those listed


@dataclass
class Result:
    pairs: list[tuple[Item, Outcome]]
    unmatched: list[Unmatched]

    def matches(self) -> Iterator[Match]:
        """Every match, item by item. A component's OS and its model are two items with one
        `ref`, so the same record may come twice for a ref: callers keep the first."""
        for item, outcome in self.pairs:
            for entry, reason in outcome.kev:
                yield Match(item.ref, "kev", entry, reason, "", item)
            if outcome.eol:
                release, reason, state = outcome.eol
                yield Match(item.ref, "eol", release, reason, state, item)


def priority(match: Match) -> tuple:
    """Order of attention: used in ransomware first, then the earliest due date (the KEV
    remediation date, or the end of life), then the CVE or release."""
    record = match.record
    if match.kind == "kev":
        due = getattr(record, "due_date", None)
        return (not record.ransomware, due or datetime.date.max, record.cve_id)
    due = getattr(record, "end_of_life", None)
    return (True, due or datetime.date.max, f"{record.product} {record.cycle}")


def eol_state(release: ReleaseLike, today: datetime.date, horizon_days: int) -> str:
    """Ended, ending within the horizon, still supported, or unknown (no date, no flag)."""
    if release.end_of_life:
        if release.end_of_life <= today:
            return ENDED
        if release.end_of_life <= today + datetime.timedelta(days=horizon_days):
            return ENDING
        return SUPPORTED
    if release.end_of_life_flag is True:
        return ENDED
    if release.end_of_life_flag is False:
        return SUPPORTED
    return UNKNOWN


# --- the indexes -------------------------------------------------------------------------


@dataclass
class _Vendor:
    key: str
    label: str
    entries: list = field(default_factory=list)
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict)
    squashed: dict[str, list[int]] = field(default_factory=dict)
    generic: list[int] = field(default_factory=list)
    generic_key: dict[int, tuple[str, ...]] = field(default_factory=dict)
    text: dict[int, tuple[str, ...]] = field(default_factory=dict)  # generic: name + description


@dataclass
class _Product:
    key: str
    label: str
    cycles: dict[tuple[str, ...], Any] = field(default_factory=dict)


def _parts_of_product(
    product: str, vendor_words: set[tuple[str, ...]]
) -> tuple[list[tuple[str, ...]], tuple[str, ...] | None]:
    """A KEV product's names (the list split, the vendor's name at the start dropped, with
    abbreviations) — or, for a generic product, its words as the second value."""
    words = tokens(product)
    for vw in sorted(vendor_words, key=len, reverse=True):
        if vw and words[: len(vw)] == vw and len(words) > len(vw):
            words = words[len(vw) :]
            break
    if is_generic_product(words):
        return [], words
    parts: list[tuple[str, ...]] = []
    for piece in _LIST_SPLIT.split(_plain(product)):
        for variant in names(piece):
            for vw in sorted(vendor_words, key=len, reverse=True):
                if vw and variant[: len(vw)] == vw and len(variant) > len(vw):
                    variant = variant[len(vw) :]
                    break
            if variant and not is_generic_product(variant) and variant not in parts:
                parts.append(variant)
    return parts, None


class Matcher:
    """Built once from the feeds and the alias table, then asked about estate items.

    `kev`: entries with `cve_id`, `vendor`, `product`, `name`, `short_description`,
    `ransomware`, `due_date` (`kev.KevEntry` or anything shaped so). `releases`: cycles with
    `product`, `cycle`, `end_of_life`, `end_of_life_flag` (`eol.EolRelease` or alike).
    `labels`: endoflife.date product key → its name as the site writes it. `horizon_days`:
    how soon an end of life counts as "ending"."""

    def __init__(
        self,
        kev: Iterable[KevLike] = (),
        releases: Iterable[ReleaseLike] = (),
        aliases: Iterable[Alias] = (),
        *,
        labels: dict[str, str] | None = None,
        today: datetime.date | None = None,
        horizon_days: int = 180,
        builtin_aliases: bool = True,
    ) -> None:
        self.today = today or datetime.date.today()
        self.horizon_days = horizon_days
        self._vendors: dict[str, _Vendor] = {}
        self._reduced: dict[str, list[str]] = defaultdict(list)
        self._vendor_prefixes: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        self._index_kev(kev)
        self._products: dict[str, _Product] = {}
        self._product_names: dict[str, str] = {}
        self._index_releases(releases, labels or {})
        self._vendor_aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._product_aliases: dict[str, Alias] = {}
        self._index_aliases(aliases, builtin_aliases)
        self._cache: dict[tuple, Outcome] = {}
        self._product_cache: dict[tuple, tuple] = {}
        self._vendor_cache: dict[tuple, tuple] = {}
        self._vendor_words_cache: dict[tuple, tuple] = {}

    # indexes

    def _index_kev(self, kev: Iterable[KevLike]) -> None:
        for entry in kev:
            keys = vendor_keys(entry.vendor)
            if not keys:
                continue
            bucket = next((self._vendors[k] for k in keys if k in self._vendors), None)
            if bucket is None:
                bucket = _Vendor(key=keys[0], label=entry.vendor.strip())
            for k in keys:
                if k not in self._vendors:
                    self._vendors[k] = bucket
                    self._reduced[reduced_key(k)].append(k)
                    self._vendor_prefixes[k.split()[0]].append(tuple(k.split()))
            index = len(bucket.entries)
            bucket.entries.append(entry)
            vendor_words = {tuple(k.split()) for k in keys} | {tokens(entry.vendor)}
            parts, generic = _parts_of_product(entry.product, vendor_words)
            if generic is not None:
                bucket.generic.append(index)
                bucket.generic_key[index] = generic
                bucket.text[index] = tokens(f"{entry.name} {entry.short_description}")
                continue
            for part in parts:
                bucket.by_first.setdefault(part[0], []).append((part, index))
                bucket.squashed.setdefault("".join(part), []).append(index)

    def _index_releases(self, releases: Iterable[ReleaseLike], labels: dict[str, str]) -> None:
        for release in releases:
            product = self._products.get(release.product)
            if product is None:
                label = labels.get(release.product, "") or release.product
                product = self._products[release.product] = _Product(release.product, label)
                for text in (release.product.replace("-", " "), label):
                    for words in names(text):
                        if words:  # compared without spaces: "PAN-OS" = "panos"
                            self._product_names.setdefault("".join(words), release.product)
            parts = version_parts(release.cycle)
            if parts:
                product.cycles.setdefault(parts, release)

    def _index_aliases(self, aliases: Iterable[Alias], builtin: bool) -> None:
        if builtin:
            for estate, feed in BUILTIN_VENDOR_ALIASES.items():
                self._vendor_aliases[estate].append((feed, "a built-in alias"))
        for alias in aliases:
            if alias.kind == "vendor":
                target = vendor_key(alias.feed_vendor)
                for key in vendor_keys(alias.estate_name):
                    if target:
                        self._vendor_aliases[key].insert(0, (target, "the alias table"))
            else:
                words = tokens(alias.estate_name)
                if words:
                    self._product_aliases[" ".join(words)] = alias

    # lookups

    def vendor_label(self, key: str) -> str:
        bucket = self._vendors.get(key)
        return bucket.label if bucket else key

    def _named_vendors(self, vendor: str, others: tuple[str, ...]) -> tuple:
        """The KEV vendors the estate's vendor names stand for, each with how it was found
        (the first way found): the names themselves, the alias tables, then the names
        without trailing generic words. Cached per names."""
        cached = self._vendor_cache.get((vendor, others))
        if cached is not None:
            return cached
        found: dict[str, tuple[_Vendor, str]] = {}

        def add(key: str, how: str) -> bool:
            bucket = self._vendors.get(key)
            if bucket is None:
                return False
            found.setdefault(bucket.key, (bucket, how))
            return True

        for name in (vendor, *others):
            if not name or not name.strip():
                continue
            shown = f"vendor “{name.strip()}”"
            hit = False
            for key in vendor_keys(name):
                hit = add(key, shown) or hit
                for target, source in self._vendor_aliases.get(key, ()):
                    how = f"{shown} via {source} → “{self.vendor_label(target)}”"
                    hit = add(target, how) or hit
            if not hit:
                for key in vendor_keys(name):
                    for target in self._reduced.get(reduced_key(key), ()):
                        add(target, f"{shown} taken as “{self.vendor_label(target)}”")
        result = self._vendor_cache[(vendor, others)] = tuple(found.values())
        return result

    def _find_vendors(
        self, item: Item, alias: Alias | None, words: tuple[str, ...]
    ) -> tuple[tuple[_Vendor, str], ...]:
        """The item's KEV vendors: those its vendor names stand for, the vendor its alias
        names, and a vendor named by the product's first words."""
        named = self._named_vendors(item.vendor, item.vendor_aliases)
        extra: list[tuple[str, str]] = []
        if alias and alias.feed_vendor:
            extra.append(
                (
                    vendor_key(alias.feed_vendor),
                    f"{item.what} “{item.product.strip()}” via the alias table → vendor "
                    f"“{alias.feed_vendor.strip()}”",
                )
            )
        for prefix in self._vendor_prefixes.get(words[0], ()) if words else ():
            if len(words) > len(prefix) and words[: len(prefix)] == prefix:
                key = " ".join(prefix)
                extra.append((key, f"vendor “{self.vendor_label(key)}” named in the {item.what}"))
        if not extra:
            return named
        found = {bucket.key: (bucket, how) for bucket, how in named}
        for key, how in extra:
            bucket = self._vendors.get(key)
            if bucket is not None:
                found.setdefault(bucket.key, (bucket, how))
        return tuple(found.values())

    def _product_alias(self, words: tuple[str, ...]) -> Alias | None:
        if not words or not self._product_aliases:
            return None
        alias = self._product_aliases.get(" ".join(words))
        if alias is None:
            base, _ = split_version(words)
            alias = self._product_aliases.get(" ".join(base))
        return alias

    def outcome(self, item: Item) -> Outcome:
        """What the item's (vendor, product, version) matches; cached per combination, and
        what does not depend on the version cached per (vendor, product)."""
        key = (item.vendor, item.vendor_aliases, item.product, item.version, item.what)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._outcome(item)
        return found

    def _outcome(self, item: Item) -> Outcome:
        key = (item.vendor, item.vendor_aliases, item.product, item.what)
        facts = self._product_cache.get(key)
        if facts is None:
            words = tokens(item.product)
            alias = self._product_alias(words)
            kev, kev_vendor = self._match_kev(item, alias, words) if words else ((), "")
            facts = self._product_cache[key] = (
                kev,
                kev_vendor,
                *self._find_product(item, alias, words),
            )
        kev, kev_vendor, product, how, tail = facts
        result = Outcome(kev=kev, kev_vendor=kev_vendor)
        if product is not None:
            self._match_cycle(item, product, how, tail, result)
        return result

    def _match_kev(
        self, item: Item, alias: Alias | None, words: tuple[str, ...]
    ) -> tuple[list[tuple[Any, str]], str]:
        """The KEV entries the item's product matches, with the reasons, and the first KEV
        vendor found for it (whether or not any entry matched)."""
        vendors = self._find_vendors(item, alias, words)
        if not vendors:
            return [], ""
        variants = [words]
        alias_words: tuple[str, ...] = ()
        if alias and alias.feed_product:
            alias_words = tokens(alias.feed_product)
            if alias_words and alias_words != words:
                variants.append(alias_words)
        base, _ = split_version(words)
        matched: list[tuple[Any, str]] = []
        seen: set[int] = set()
        shown = item.product.strip()
        for bucket, how in vendors:
            found: list[tuple[int, str]] = []
            for variant in variants:
                via = (
                    f" via the alias table → “{alias.feed_product.strip()}”"
                    if alias and variant is not words
                    else ""
                )
                for i, word in enumerate(variant):
                    for part, index in bucket.by_first.get(word, ()):
                        if variant[i : i + len(part)] == part:
                            found.append((index, via))
                for squashed in {"".join(variant), "".join(base)}:
                    for index in bucket.squashed.get(squashed, ()):
                        found.append((index, via))
            for index in bucket.generic:
                entry = bucket.entries[index]
                if alias_words and alias_words == bucket.generic_key[index]:
                    found.append((index, f" via the alias table → “{entry.product.strip()}”"))
                elif _named_in(words, bucket.text[index]):
                    found.append((index, " named in the entry's description"))
            for index, via in found:
                entry = bucket.entries[index]
                if id(entry) in seen:
                    continue
                seen.add(id(entry))
                reason = (
                    f"{how} + {item.what} “{shown}”{via} matches KEV "
                    f"“{entry.vendor.strip()} {entry.product.strip()}”"
                )
                matched.append((entry, reason))
        return matched, vendors[0][0].label

    def _vendor_words(self, item: Item) -> tuple[tuple[str, ...], ...]:
        key = (item.vendor, item.vendor_aliases)
        found = self._vendor_words_cache.get(key)
        if found is None:
            words: list[tuple[str, ...]] = []
            for name in (item.vendor, *item.vendor_aliases):
                for variant in (tokens(name), strip_suffixes(tokens(name))):
                    if variant and variant not in words:
                        words.append(variant)
            found = self._vendor_words_cache[key] = tuple(words)
        return found

    def _find_product(
        self, item: Item, alias: Alias | None, words: tuple[str, ...]
    ) -> tuple[_Product | None, str, tuple[str, ...]]:
        """The endoflife.date product, how it was found, and a version the name ends with."""
        if alias and alias.eol_product:
            product = self._products.get(alias.eol_product.strip().lower())
            if product:
                shown = (item.product or item.vendor).strip()
                _, tail = split_version(words) if words else ((), ())
                return product, f"“{shown}” via the alias table → “{product.key}”", tail
        if not words or not self._product_names:
            return None, "", ()
        base, tail = split_version(words)
        candidates = [(words, ()), (base, tail)]
        for vw in self._vendor_words(item):
            candidates += [((*vw, *words), ()), ((*vw, *base), tail)]
            if words[: len(vw)] == vw and len(base) > len(vw):
                candidates += [(words[len(vw) :], ()), (base[len(vw) :], tail)]
        names = self._product_names
        for candidate, rest in candidates:
            key = names.get("".join(candidate))
            if key:
                product = self._products[key]
                how = f"{item.what} “{item.product.strip()}” is endoflife.date “{product.key}”"
                return product, how, rest
        return None, "", ()

    def _match_cycle(
        self, item: Item, product: _Product, how: str, tail: tuple[str, ...], result: Outcome
    ) -> None:
        result.eol_product = product.key
        tries = [(item.version.strip(), "version")] if item.version.strip() else []
        if tail:
            tries.append((" ".join(tail), "version in the name"))
        for text, source in tries:
            result.version_tried = result.version_tried or text
            release, _ = self._cycle(product, version_parts(text))
            if release is not None:
                state = eol_state(release, self.today, self.horizon_days)
                reason = f"{how}, {source} “{text}” → cycle “{release.cycle}”"
                result.eol = (release, reason, state)
                return

    @staticmethod
    def _cycle(product: _Product, parts: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
        """The cycle whose parts are the longest prefix of the version's parts."""
        for size in range(len(parts), 0, -1):
            release = product.cycles.get(parts[:size])
            if release is not None:
                return release, parts[:size]
        return None, ()

    # the whole estate

    def run(self, items: Iterable[Item], *, sample: int = 5) -> Result:
        """Match every item; group the items that matched nothing (see `Unmatched`)."""
        pairs: list[tuple[Item, Outcome]] = []
        groups: dict[tuple, dict[str, Any]] = {}
        reasons: dict[int, tuple[str, str]] = {}
        for item in items:
            outcome = self.outcome(item)
            pairs.append((item, outcome))
            if outcome.kev or outcome.eol:
                continue
            found = reasons.get(id(outcome))
            if found is None:
                found = reasons[id(outcome)] = explain(outcome)
            product, tail = split_product(item.product)
            key = (item.vendor.strip(), product, item.what, found[0])
            group = groups.get(key)
            if group is None:
                group = groups[key] = {"outcome": outcome, "refs": [], "versions": set()}
            group["refs"].append(item.ref)
            version = item.version.strip() or tail
            if version:
                group["versions"].add(version)
        unmatched = []
        for (vendor, product, what, reason), group in groups.items():
            seen = group["versions"]
            versions = heapq.nsmallest(VERSIONS_SHOWN, seen, key=_version_order)
            outcome = group["outcome"]
            unmatched.append(
                Unmatched(
                    vendor=vendor,
                    product=product,
                    versions=tuple(versions),
                    what=what,
                    count=len(group["refs"]),
                    reason=reason,
                    explanation=explain(outcome, versions)[1],
                    eol_product=outcome.eol_product,
                    refs=tuple(group["refs"][:sample]),
                    more_versions=len(seen) - len(versions),
                )
            )
        unmatched.sort(key=lambda u: (-u.count, u.vendor.lower(), u.product.lower(), u.reason))
        return Result(pairs, unmatched)


VERSIONS_SHOWN = 8
_TRAILING_VERSION = re.compile(r"(?:[\s_/-]+(?:v?\d[\w.]*|r\d+|sp\d+))+\s*$", re.IGNORECASE)


@functools.lru_cache(maxsize=1 << 16)
def split_product(text: str) -> tuple[str, str]:
    """A product as written, without the version words that end it, and those words:
    "Windows Server 2012 R2" → ("Windows Server", "2012 R2"); "NET-123" → ("NET", "123")."""
    text = " ".join(text.split())
    found = _TRAILING_VERSION.search(text)
    if not found or found.start() == 0:
        return text, ""
    return text[: found.start()], found.group(0).strip(" -_/")


def _version_order(text: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in version_parts(text))


def distinctive(words: tuple[str, ...]) -> bool:
    """Whether a product name is specific enough to look for in a description: one word
    that is not a common word or a kind of thing, or several words not all kinds of thing
    ("Connect Secure" yes; "Secure", "Web Server" no)."""
    if len(words) == 1:
        word = words[0]
        return len(word) >= 3 and word not in GENERIC_NOUNS and word not in COMMON_WORDS
    return bool(words) and not all(w in GENERIC_NOUNS or len(w) < 2 for w in words)


def _named_in(words: tuple[str, ...], text: tuple[str, ...]) -> bool:
    """Whether a distinctive product name appears as whole consecutive words in a text."""
    if not distinctive(words):
        return False
    size = len(words)
    first = words[0]
    return any(
        text[i] == first and text[i : i + size] == words for i in range(len(text) - size + 1)
    )


def explain(outcome: Outcome, versions: Sequence[str] = ()) -> tuple[str, str]:
    """Why an item matched nothing, in words someone can act on."""
    if outcome.eol_product and not outcome.version_tried:
        return "no_version", (
            f"endoflife.date knows this product as “{outcome.eol_product}”, but no version "
            "is recorded: add the version to find its release cycle."
        )
    if outcome.eol_product:
        shown = ", ".join(f"“{v}”" for v in versions[:3]) or f"“{outcome.version_tried}”"
        more = " and others" if len(versions) > 3 else ""
        return "no_cycle", (
            f"endoflife.date knows this product as “{outcome.eol_product}”, but version "
            f"{shown}{more} fit{'s' if len(versions) <= 1 else ''} none of its release cycles."
        )
    if outcome.kev_vendor:
        return "vendor_only", (
            f"The KEV catalog lists the vendor “{outcome.kev_vendor}” but none of its products "
            "matched, and endoflife.date does not know the product. Often nothing is wrong; "
            "add an alias if the product has another name in the catalog."
        )
    return "unknown", (
        "Neither feed knows this vendor or product: add an alias if they go by another name."
    )


def match_all(
    items: Sequence[Item],
    kev: Iterable[KevLike] = (),
    releases: Iterable[ReleaseLike] = (),
    aliases: Iterable[Alias] = (),
    **options: Any,
) -> Result:
    """Build a matcher and run it over the items in one call."""
    return Matcher(kev, releases, aliases, **options).run(items)
