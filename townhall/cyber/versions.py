"""Is the installed version inside a CVE record's affected ranges? Pure Python, no Django.

A CVE JSON 5 record lists, per vendor and product, a default status and version entries:
an exact `version`, or a range from `version` below `lessThan` or up to `lessThanOrEqual`,
each with its status (affected, unaffected, unknown). A bound may end in `*`: "5.*" is the
whole 5 branch, and `lessThan: "*"` has no upper bound.

Versions are compared here by a small comparer rather than `packaging.version`: that
package is only a development dependency, and PEP 440 refuses many versions vendors write
("7.0.3-build1234", "2.4.58_1", "10.2.1 Update 3"). The rules:

- the numbers before the first suffix are compared as numbers, missing ones as zero
  ("10.2" == "10.2.0"); a leading "v" is dropped, "+build" metadata ignored;
- a suffix naming a pre-release (dev, alpha/a, beta/b, rc, pre, preview) sorts before the
  bare version, a suffix naming a later build (p, patch, post, r, sp, update, u, hotfix,
  build) after it, each ordered by its number;
- any other suffix, or two suffixes of different words, cannot be compared with another
  version of the same numbers: the answer is None (unknown), never a guess.

`classify(installed, entries, names)` gives the verdict for one installed version and the
record's entries: affected, not affected, or version unknown, with the reason in words.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from townhall.cyber.matching import tokens

AFFECTED, NOT_AFFECTED, UNKNOWN = "affected", "not_affected", "version_unknown"
STATUSES = ("affected", "unaffected", "unknown")  # a version entry's status, as in the record

_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)(.*)$")
_SUFFIX = re.compile(r"^[-._ ~]?([a-z]+)[-._ ]?(\d*)$")
PRE_WORDS = {"dev": 0, "alpha": 1, "a": 1, "beta": 2, "b": 2, "pre": 3, "preview": 3, "rc": 4}
POST_WORDS = {
    "p": "patch",
    "patch": "patch",
    "post": "post",
    "r": "r",
    "sp": "sp",
    "update": "update",
    "u": "update",
    "hotfix": "hotfix",
    "hf": "hotfix",
    "build": "build",
}
NO_LOWER_BOUND = frozenset({"", "0", "*", "unspecified", "n/a", "-", "all"})
# Version types whose values are not ordered versions at all.
UNORDERED_TYPES = frozenset({"git"})


@dataclass(frozen=True)
class Version:
    """A parsed version: its numbers and its suffix, as (rank, word, number).

    rank: -1 a pre-release, 0 none, 1 a later build, 2 a suffix we cannot order."""

    numbers: tuple[int, ...]
    suffix: tuple[int, str, int] = (0, "", 0)
    text: str = ""


def parse(text: str) -> Version | None:
    """The version, or None when it does not start with a number."""
    raw = (text or "").strip()
    found = _VERSION.match(raw.lower().split("+", 1)[0].strip())
    if not found:
        return None
    numbers = tuple(int(p) for p in found.group(1).split("."))
    rest = found.group(2).strip()
    if not rest:
        return Version(numbers, text=raw)
    suffix = _SUFFIX.match(rest)
    if suffix:
        word, number = suffix.group(1), int(suffix.group(2) or 0)
        if word in PRE_WORDS:
            return Version(numbers, (-1, str(PRE_WORDS[word]), number), raw)
        if word in POST_WORDS:
            return Version(numbers, (1, POST_WORDS[word], number), raw)
    return Version(numbers, (2, rest, 0), raw)


def _numbers_order(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    size = max(len(a), len(b))
    a, b = a + (0,) * (size - len(a)), b + (0,) * (size - len(b))
    return (a > b) - (a < b)


def compare(a: Version, b: Version) -> int | None:
    """-1, 0 or 1 as `a` is before, equal to or after `b`; None when it cannot be told."""
    order = _numbers_order(a.numbers, b.numbers)
    if order:
        # A suffix modifies its own numbers only: 10.2.1-anything is before 10.2.5. Unless
        # the difference lies only in a missing part ("10.2-x" against "10.2.1"), where an
        # unknown suffix might be a later build of 10.2 written another way.
        common = min(len(a.numbers), len(b.numbers))
        if a.numbers[:common] == b.numbers[:common] and 2 in (a.suffix[0], b.suffix[0]):
            return None
        return order
    if a.suffix == b.suffix:
        return 0
    if 2 in (a.suffix[0], b.suffix[0]):
        return None
    if a.suffix[0] != b.suffix[0]:
        return (a.suffix[0] > b.suffix[0]) - (a.suffix[0] < b.suffix[0])
    if a.suffix[1] != b.suffix[1]:
        if a.suffix[0] == -1:  # pre-release words have an order
            return (a.suffix[1] > b.suffix[1]) - (a.suffix[1] < b.suffix[1])
        return None  # "sp2" against "update 3": no order between them
    return (a.suffix[2] > b.suffix[2]) - (a.suffix[2] < b.suffix[2])


def _wildcard(text: str) -> tuple[int, ...] | None:
    """The numbers before a trailing `*` ("5.*" → (5,), "*" → ()), or None if no `*`."""
    text = text.strip()
    if not text.endswith("*"):
        return None
    head = text[:-1].rstrip(".")
    if not head:
        return ()
    version = parse(head)
    if version is None or version.suffix[0] != 0:
        return None
    return version.numbers


def _at_most_branch(installed: Version, branch: tuple[int, ...]) -> bool:
    """Whether `installed` is within or before the branch ("5.*" holds 5.0 to 5.99…)."""
    return _head(installed, len(branch)) <= branch


def _head(installed: Version, size: int) -> tuple[int, ...]:
    """The first `size` numbers of the version, missing ones as zero."""
    return (installed.numbers + (0,) * size)[:size]


# --- the record's entries ------------------------------------------------------------------


@dataclass(frozen=True)
class VersionEntry:
    """One entry of an `affected` item's `versions` list."""

    version: str
    status: str
    less_than: str = ""
    less_than_or_equal: str = ""
    version_type: str = ""

    def describe(self) -> str:
        """The entry in words: "affected from 10.0 below 10.2.5"."""
        word = {"affected": "affected", "unaffected": "not affected"}.get(
            self.status, "status unknown"
        )
        start = self.version.strip()
        low = "" if start in NO_LOWER_BOUND else f" from {start}"
        upper = (self.less_than or self.less_than_or_equal).strip()
        if upper == "*":
            return f"{word}{low} on" if low else f"{word} in every version"
        if upper.endswith("*"):
            return f"{word}{low} through {upper.rstrip('*').rstrip('.')}.x"
        if self.less_than:
            return f"{word}{low} below {self.less_than}"
        if self.less_than_or_equal:
            return f"{word}{low} up to {self.less_than_or_equal}"
        return f"{word} in {start}"


@dataclass(frozen=True)
class AffectedEntry:
    """One `affected` item: a vendor's product, its default status and version entries."""

    vendor: str
    product: str
    default_status: str = "unknown"
    versions: tuple[VersionEntry, ...] = ()
    source: str = ""  # "CNA" or the ADP's short name


@dataclass(frozen=True)
class Verdict:
    status: str  # AFFECTED, NOT_AFFECTED or UNKNOWN
    reason: str


def contains(entry: VersionEntry, installed: Version) -> bool | None:
    """Whether the entry covers the installed version; None when it cannot be told."""
    if entry.version_type.strip().lower() in UNORDERED_TYPES:
        return None
    upper = entry.less_than or entry.less_than_or_equal
    start = entry.version.strip()
    if not upper:  # an exact version, or a branch "10.2.*"
        branch = _wildcard(start)
        if branch is not None:
            return _head(installed, len(branch)) == branch
        exact = parse(start)
        return None if exact is None else _equal(compare(installed, exact))
    if start not in NO_LOWER_BOUND:
        low = parse(start)
        if low is None:
            return None
        order = compare(installed, low)
        if order is None:
            return None
        if order < 0:
            return False
    branch = _wildcard(upper)
    if branch is not None:
        return _at_most_branch(installed, branch)
    high = parse(upper)
    if high is None:
        return None
    order = compare(installed, high)
    if order is None:
        return None
    return order < 0 if entry.less_than else order <= 0


def _equal(order: int | None) -> bool | None:
    return None if order is None else order == 0


def _verdict_of(entry: AffectedEntry, installed: Version, shown: str) -> Verdict:
    """One product entry's verdict: the most specific matching version entry (an exact
    version over a range), affected over not affected at the same level; else the
    entry's default status."""
    found: list[tuple[int, VersionEntry]] = []
    unsure: list[VersionEntry] = []
    for v in entry.versions:
        inside = contains(v, installed)
        if inside is None:
            unsure.append(v)
        elif inside:
            exact = not (v.less_than or v.less_than_or_equal or "*" in v.version)
            found.append((1 if exact else 0, v))
    if found:
        found.sort(key=lambda f: (-f[0], f[1].status != "affected"))
        best = found[0][1]
        status = {"affected": AFFECTED, "unaffected": NOT_AFFECTED}.get(best.status, UNKNOWN)
        return Verdict(status, f"installed {shown}; {best.describe()}")
    if unsure:
        return Verdict(
            UNKNOWN, f"installed {shown} cannot be compared with “{unsure[0].describe()}”"
        )
    ranges = "; ".join(v.describe() for v in entry.versions[:3]) or "no versions listed"
    default = entry.default_status
    if default == "affected":
        return Verdict(
            AFFECTED, f"installed {shown}; all versions affected unless listed ({ranges})"
        )
    if default == "unaffected":
        return Verdict(
            NOT_AFFECTED, f"installed {shown}; not among the affected versions ({ranges})"
        )
    return Verdict(
        UNKNOWN,
        f"installed {shown} is outside the listed versions ({ranges}), and the "
        "record does not say whether others are affected",
    )


def _same_product(entry: AffectedEntry, names: Iterable[str]) -> bool:
    words = set(tokens(entry.product))
    if not words:
        return False
    for name in names:
        other = set(tokens(name))
        if other and (words <= other or other <= words):
            return True
    return False


def relevant(entries: Sequence[AffectedEntry], names: Iterable[str]) -> list[AffectedEntry]:
    """The entries about this product: those whose product name shares its words with one
    of `names` (the catalog's product, the estate's); all entries when they name a single
    product; none otherwise."""
    names = [n for n in names if n]
    chosen = [e for e in entries if _same_product(e, names)]
    if chosen:
        return chosen
    if len({" ".join(tokens(e.product)) for e in entries}) == 1:
        return list(entries)
    return []


def classify(
    installed: str, entries: Sequence[AffectedEntry], names: Iterable[str] = ()
) -> Verdict:
    """Whether `installed` is affected, by the record's entries for this product.

    Several entries (the CNA's and an ADP's) may speak of the product: any that says
    affected wins; else any that says not affected; else unknown."""
    installed = (installed or "").strip()
    if not installed:
        return Verdict(UNKNOWN, "no installed version recorded")
    if not entries:
        return Verdict(UNKNOWN, f"installed {installed}; no affected-version data for this CVE")
    version = parse(installed)
    if version is None:
        return Verdict(UNKNOWN, f"installed “{installed}” is not a version that can be compared")
    chosen = relevant(entries, names)
    if not chosen:
        return Verdict(UNKNOWN, f"installed {installed}; the CVE record lists other products only")
    verdicts = [_verdict_of(e, version, installed) for e in chosen]
    for status in (AFFECTED, NOT_AFFECTED):
        for verdict in verdicts:
            if verdict.status == status:
                return verdict
    return verdicts[0]
