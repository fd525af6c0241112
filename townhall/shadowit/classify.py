"""Is a merchant technology? Software or cloud service, IT hardware, telecom, or not.

Tried in this order, the first that answers wins, and every answer says why in a sentence:

1. a person's rule (`Rule`: plain data, matching on the merchant key, words the descriptor
   contains, a regular expression, a merchant category code, or several of these at once);
2. for a marketplace charge (Amazon Marketplace, and Amazon's own store: cities buy office
   supplies and IT hardware alike there), the merchant category code if any, else "unknown":
   a marketplace sells everything, so its name alone says nothing;
3. the reference list of vendors (`townhall.shadowit.vendors`), by domain or name;
4. the merchant category code (`reference/mcc.csv`);
5. words in the name (`KEYWORDS`): a guess, with a lower confidence. Words of ordinary trade
   (café, hotel, fuel, "hardware" as in a tools store) win over technical words
   (``CLOUD 9 CAFE`` is not a cloud service). Weak words (`WEAK`: FIBER, MOBILE, DATA …)
   name crafts, trailers and shredders as often as technology: alone they leave the merchant
   "unknown" with a low confidence, and count only with a telling word, a web address or a
   word that makes them technical (`CONFIRMS`: COMPUTER REPAIR, WEB DESIGN);
6. otherwise "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from townhall.shadowit import vendors
from townhall.shadowit.descriptors import Merchant, parse

CATEGORIES = ("software", "hardware", "telecom", "not_technology", "unknown")
TECHNOLOGY = frozenset({"software", "hardware", "telecom"})
LABELS = {
    "software": "a software or cloud service",
    "hardware": "IT hardware",
    "telecom": "telecom",
    "not_technology": "not technology",
    "unknown": "unknown",
}

# Whole words of a merchant's name, and the category they suggest.
KEYWORDS: dict[str, str] = {
    **dict.fromkeys(
        "SOFTWARE SAAS CLOUD HOSTING HOST WEBHOST DOMAINS SERVERS DATA ANALYTICS CYBER "
        "SECURITY APP APPS DIGITAL TECH TECHNOLOGIES TECHNOLOGY SYSTEMS IO AI DEV".split(),
        "software",
    ),
    **dict.fromkeys(
        "COMPUTER COMPUTERS ELECTRONICS PRINTER PRINTERS LAPTOP LAPTOPS TONER NETWORKS "
        "NETWORKING".split(),
        "hardware",
    ),
    **dict.fromkeys(
        "WIRELESS TELECOM TELECOMMUNICATIONS CELLULAR MOBILE FIBER BROADBAND TELEPHONE "
        "PHONE COMMUNICATIONS COMM SATELLITE WIFI".split(),
        "telecom",
    ),
    "NET": "software",
    "WEB": "software",
}
# Words that name crafts, trailers and shredders as often as technology (FIBER ARTS SUPPLY,
# MOBILE MINI, DATA SHREDDING): alone they leave a merchant unknown. A telling word above, a
# web address, or a word below beside them (COMPUTER REPAIR, WEB DESIGN) makes them count.
WEAK = frozenset("MOBILE FIBER DIGITAL CLOUD TECH DATA NET WEB COMPUTER".split())
CONFIRMS: dict[str, frozenset[str]] = {
    word: frozenset(companions.split())
    for word, companions in {
        "COMPUTER": "REPAIR SOLUTIONS SUPPORT CONSULTING",
        "DATA": "CENTER PROCESSING RECOVERY BACKUP SOLUTIONS",
        "WEB": "DESIGN DESIGNS DEVELOPMENT SOLUTIONS",
        "TECH": "SOLUTIONS SUPPORT CONSULTING",
        "DIGITAL": "SOLUTIONS",
        "CLOUD": "SOLUTIONS SERVICES",
        "FIBER": "OPTIC OPTICS",
        "MOBILE": "",
        "NET": "",
    }.items()
}
# Words of trades that are not technology (`vendors.ORDINARY`) win over the words above.
ORDINARY = vendors.ORDINARY


@dataclass(frozen=True)
class Classification:
    category: str
    confidence: float
    why: str
    vendor: str | None = None
    source: str = "none"

    @property
    def is_technology(self) -> bool:
        return self.category in TECHNOLOGY


@dataclass(frozen=True)
class Rule:
    """A person's rule: when every condition given holds, the merchant is `category`."""

    name: str
    category: str
    key: str | None = None
    contains: str | None = None
    regex: str | None = None
    mcc: str | None = None

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"rule {self.name!r}: unknown category {self.category!r}")
        if not any((self.key, self.contains, self.regex, self.mcc)):
            raise ValueError(
                f"rule {self.name!r} matches nothing: give a key, words, "
                "a pattern or a merchant category code"
            )
        if self.regex:
            try:
                _compiled(self.regex)
            except re.error as e:
                raise ValueError(f"rule {self.name!r}: the pattern is not valid ({e})") from e

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Rule:
        """A rule from plain data (a row of a table, a JSON object)."""
        return cls(
            name=str(data.get("name") or "unnamed rule"),
            category=str(data.get("category") or ""),
            key=data.get("key") or None,
            contains=data.get("contains") or None,
            regex=data.get("regex") or None,
            mcc=_mcc(data.get("mcc")),
        )

    def matches(self, merchant: Merchant, mcc: str | None) -> bool:
        if self.key is not None and self.key.lower() not in (merchant.key, _vendor_key(merchant)):
            return False
        if self.contains is not None:
            needle = self.contains.upper()
            if needle not in merchant.raw.upper() and needle.lower() not in merchant.key:
                return False
        if self.regex is not None and not _compiled(self.regex).search(merchant.raw):
            return False
        return self.mcc is None or _mcc(self.mcc) == mcc

    def describe(self) -> str:
        parts = []
        if self.key:
            parts.append(f"the merchant is '{self.key}'")
        if self.contains:
            parts.append(f"the descriptor contains '{self.contains}'")
        if self.regex:
            parts.append(f"the descriptor matches the pattern '{self.regex}'")
        if self.mcc:
            parts.append(f"the merchant category code is {self.mcc}")
        return " and ".join(parts)


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _vendor_key(merchant: Merchant) -> str | None:
    match = vendors.lookup(merchant)
    return match.vendor.key if match else None


def _mcc(value: object) -> str | None:
    """Four digits, or None: ``"5734"``, ``5734`` and ``" 742"`` → ``"5734"``, ``"0742"``."""
    if value is None:
        return None
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not (text.isascii() and text.isdecimal()) or len(text) > 4:
        return None
    return text.zfill(4)


def as_rules(rules: Iterable[Rule | Mapping[str, Any]]) -> tuple[Rule, ...]:
    """Rules given as `Rule` or plain mappings, as `Rule`."""
    return tuple(r if isinstance(r, Rule) else Rule.from_mapping(r) for r in rules)


def classify(
    merchant: Merchant,
    mcc: str | None = None,
    rules: Iterable[Rule | Mapping[str, Any]] = (),
) -> Classification:
    """The category of `merchant`, how sure, and why (see the module's docstring)."""
    code = _mcc(mcc)
    for rule in as_rules(rules):
        if rule.matches(merchant, code):
            return Classification(
                rule.category,
                1.0,
                f"{merchant.name} is {LABELS[rule.category]} by the rule '{rule.name}': "
                f"{rule.describe()}.",
                source="rule",
            )
    return _classify_builtin(merchant, code)


@lru_cache(maxsize=65536)
def _classify_builtin(merchant: Merchant, code: str | None) -> Classification:
    known = vendors.mcc_codes().get(code) if code else None
    if merchant.marketplace:
        if known is not None:
            return Classification(
                known.category,
                known.confidence,
                f"{merchant.name} sells everything, office supplies and IT hardware alike; "
                f"the charge's merchant category code "
                f"{code} ({known.description.lower()}) indicates {LABELS[known.category]}.",
                source="mcc",
            )
        return Classification(
            "unknown",
            0.0,
            f"{merchant.name} sells everything, office supplies and IT hardware alike, and the "
            "charge has no merchant category code we know: what was bought cannot be told from "
            "the statement.",
            source="marketplace",
        )
    match = vendors.lookup(merchant)
    if match is not None:
        vendor = match.vendor
        if vendor.category == "not_technology":
            why = (
                f"{vendor.name} (recognised by {match.how}) is on the reference list as "
                "a merchant that is not technology."
            )
        else:
            why = (
                f"{vendor.name} is on the reference list of technology vendors as "
                f"{LABELS[vendor.category]}; it was recognised by {match.how}."
            )
        if known is not None and known.category != vendor.category:
            why += (
                f" Its merchant category code {code} ({known.description.lower()}) "
                "suggests otherwise; the reference list wins."
            )
        return Classification(vendor.category, 0.95, why, vendor=vendor.key, source="vendor")

    if known is not None:
        why = (
            f"Merchant category code {code} ({known.description.lower()}) indicates "
            f"{LABELS[known.category]}."
        )
        return Classification(known.category, known.confidence, why, source="mcc")

    words = set(merchant.key.upper().split())
    ordinary = sorted(words & ORDINARY)
    if ordinary:
        return Classification(
            "not_technology",
            0.5,
            f"The merchant's name contains '{ordinary[0].lower()}', a word of ordinary "
            "trade, so it is taken as not technology; this is a guess from the name alone.",
            source="keyword",
        )
    if merchant.domain:
        words.add(merchant.domain.rsplit(".", 1)[-1].upper())
    hits = [w for w in sorted(words) if w in KEYWORDS]
    strong = [w for w in hits if w not in WEAK]
    if strong:
        category = KEYWORDS[strong[0]]
        return Classification(
            category,
            0.5,
            f"The merchant's name contains '{strong[0].lower()}', which usually means "
            f"{LABELS[category]}; this is a guess from the name alone.",
            source="keyword",
        )
    if hits:
        return _weak(merchant, hits)
    return Classification(
        "unknown",
        0.0,
        f"Nothing identifies {merchant.name}: it is not on the reference list, the charge has "
        "no merchant category code we know, and its name has no telling word. A rule can "
        "classify it.",
    )


def _weak(merchant: Merchant, hits: list[str]) -> Classification:
    """Only weak words in the name: a guess when something agrees, else unknown."""
    # The key's words, not the descriptor's: one merchant's spellings get one answer.
    said = set(merchant.key.upper().split())
    for word in hits:
        beside = sorted(said & CONFIRMS[word])
        if beside or merchant.domain:
            category = KEYWORDS[word]
            because = f"'{beside[0].lower()}' beside it" if beside else "its web address"
            return Classification(
                category,
                0.4,
                f"The merchant's name contains '{word.lower()}' and {because}, which together "
                f"usually mean {LABELS[category]}; this is a guess from the name alone.",
                source="keyword",
            )
    word = hits[0].lower()
    return Classification(
        "unknown",
        0.2,
        f"The merchant's name contains '{word}', which alone is weak evidence: ordinary shops "
        "use such words too (a fiber arts store, a mobile home park, a data shredding "
        "service), and nothing else agrees: no merchant category code we know, no other "
        "telling word. A rule can classify it.",
        source="keyword",
    )


Answer = tuple[Merchant, Classification]


class Classifier:
    """Classifies many charges with one set of rules, remembering each descriptor and code.

    A year of card data repeats a few thousand descriptors hundreds of thousands of times;
    this keeps one answer per (descriptor, code) so a repeat costs a dictionary look-up.
    """

    def __init__(self, rules: Iterable[Rule | Mapping[str, Any]] = ()) -> None:
        self.rules = as_rules(rules)
        self._seen: dict[str | None, tuple[str | None, dict[str, Answer]]] = {}
        self._by_merchant: dict[tuple[object, ...], Classification] = {}
        self._size = 0

    def __call__(self, descriptor: str, mcc: str | None = None) -> Answer:
        by_code = self._seen.get(mcc)
        if by_code is None:
            by_code = self._seen[mcc] = (_mcc(mcc), {})
        code, answers = by_code
        found = answers.get(descriptor)
        if found is None:
            merchant = parse(descriptor)
            if self.rules:
                found = (merchant, classify(merchant, code, self.rules))
            else:
                # Many descriptors (each marketplace order's) are one merchant.
                same = (merchant.key, merchant.name, merchant.domain, merchant.marketplace, code)
                result = self._by_merchant.get(same)
                if result is None:
                    result = self._by_merchant[same] = _classify_builtin(merchant, code)
                found = (merchant, result)
            if self._size < 1_000_000:
                answers[descriptor] = found
                self._size += 1
        return found
