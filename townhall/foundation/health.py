"""The health of each item and of each service's foundation, in plain Python.

Every reason an item is weak is a `Factor` of its own, in plain words with the figure
behind it, so a reader sees why and never a single opaque number. An item's band is its
worst factor's severity ("critical", "warning", "watch"), or "sound" when it has none: no
weighting, no sum. A service's band is the worst band among the items it stands on, and its
items are listed weakest first, each with the chain of dependencies (service, system,
component, through redundancy groups) that makes it matter to that service.

The factors and what makes each severe, on the day assessed:

- support: past its vendor's end of support (critical), ends within 12 months (warning),
  support status unknown (watch);
- age: older than its expected service life (warning), in the last year of it (watch): a
  component from its install date, a system from its go-live date;
- kev: known-exploited vulnerabilities on the version installed (critical);
- incidents: 2 or more in the last 365 days (warning), 1 (watch);
- restore: a recovery capability whose restore was never tested, or not within 365 days
  (warning);
- redundancy: its loss alone stops a mission-essential service (critical);
- owner: no named technical owner (watch): a system's own; a component has none of its own
  and inherits those of the systems that depend on it (directly, or through redundancy
  groups and other components), so it is marked when none of them names one.
"""

from __future__ import annotations

import datetime
import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

from townhall.foundation import life

Key = tuple[str, Hashable]  # ("system", 12), as in the estate graph

CRITICAL, WARNING, WATCH, SOUND = "critical", "warning", "watch", "sound"
BANDS = (CRITICAL, WARNING, WATCH, SOUND)  # worst first
RANK = {band: position for position, band in enumerate(BANDS)}
SUPPORT_MONTHS = 12
RESTORE_DAYS = 365
ITEM_KINDS = ("system", "component")  # what has a health of its own; the rest is passed through


@dataclass(frozen=True)
class ItemFacts:
    """What is known of one system or component. `support_state` is the estate's
    ("unknown", "no_end_date", "dated"); `life_years` its expected service life (its own,
    else its kind's); `kev_affected` open known-exploited vulnerabilities on the version
    installed; `incidents` those in the last 365 days; `has_capability` whether a recovery
    capability is recorded and `restore_tested` its last restore test; `stops` how many
    mission-essential services its loss alone stops, `stops_named` some of them;
    `owner_known` whether a technical owner is named (None: nothing to say), and
    `owner_inherited` True when that is read from the systems above it (components)."""

    key: Key
    name: str
    end_of_support: datetime.date | None = None
    support_state: str = "unknown"
    install_date: datetime.date | None = None
    life_years: int | None = None
    kev_affected: int = 0
    incidents: int = 0
    has_capability: bool = False
    restore_tested: datetime.date | None = None
    stops: int = 0
    stops_named: tuple[str, ...] = ()
    owner_known: bool | None = None
    owner_inherited: bool = False


@dataclass(frozen=True, slots=True)
class Factor:
    """One reason an item is weak: `code` (see the table above), the sentence a leader
    reads, its severity and the figure behind it."""

    code: str
    text: str
    severity: str
    figure: str


@dataclass(frozen=True, slots=True)
class ItemHealth:
    key: Key
    name: str
    factors: tuple[Factor, ...]

    @property
    def band(self) -> str:
        """The worst factor's severity; "sound" without any."""
        return self.factors[0].severity if self.factors else SOUND

    def count(self, severity: str) -> int:
        return sum(1 for f in self.factors if f.severity == severity)


def _weakness_number(health: ItemHealth) -> int:
    """Sort key, weakest first, as one number: band, then more critical, warning and watch
    factors (an item has far fewer than 100 of each)."""
    number = RANK[health.band] * 1_000_000
    for f in health.factors:
        number -= 100 ** (2 - RANK[f.severity])
    return number


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


class _Days:
    """The boundaries of one day's assessment, worked out once for many items, and the
    factors already made that day: a factor is immutable and depends only on its figures
    (an end date, an install date and life, a count), which many items share, so each is
    made once and shared."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.soon = life.add_months(today, SUPPORT_MONTHS)
        self.restore_by = today - datetime.timedelta(days=RESTORE_DAYS)
        self._installed: dict[int, tuple[datetime.date, datetime.date]] = {}
        self.bounds = self._installed
        self.support: dict[datetime.date, Any] = {}  # Factor, or None for no factor
        self.age: dict[tuple[datetime.date, int], Factor | None] = {}
        self.restore: dict[datetime.date | None, Any] = {}
        self.kev: dict[int, Factor] = {}
        self.incidents: dict[int, Factor] = {}
        self.redundancy: dict[tuple[int, tuple[str, ...]], Factor] = {}

    def installed(self, years: int) -> tuple[datetime.date, datetime.date]:
        """Install dates on or before which an item of `years` expected life is past it,
        and on or before which it is in its last year."""
        found = self._installed.get(years)
        if found is None:
            found = self._installed[years] = (
                life.add_years(self.today, -years),
                life.add_years(self.today, 1 - years),
            )
        return found


def _support(item: ItemFacts, days: _Days) -> Factor | None:
    end = item.end_of_support
    if end is None:
        return _SUPPORT_UNKNOWN if item.support_state == "unknown" else None
    if end > days.soon:
        return None
    if end < days.today:
        return Factor(
            "support",
            f"Past its vendor's end of support since {end.isoformat()}: no security fixes.",
            CRITICAL,
            f"{_plural((days.today - end).days, 'day')} past",
        )
    return Factor(
        "support",
        f"Its vendor's support ends on {end.isoformat()}, within a year.",
        WARNING,
        f"{_plural((end - days.today).days, 'day')} left",
    )


def _age(item: ItemFacts, days: _Days) -> Factor | None:
    installed, years = item.install_date, item.life_years
    if installed is None or not years:
        return None
    past, last_year = days.installed(years)
    if installed > last_year:
        return None
    figure = f"{(days.today - installed).days / 365.25:.1f} of {years} years"
    if installed <= past:
        return Factor(
            "age",
            f"Older than its expected service life of {_plural(years, 'year')}.",
            WARNING,
            figure,
        )
    return Factor("age", "In the last year of its expected service life.", WATCH, figure)


def _restore(item: ItemFacts, days: _Days) -> Factor | None:
    tested = item.restore_tested
    if tested is None:
        return Factor("restore", "Its restore has never been tested.", WARNING, "never")
    if tested < days.restore_by:
        return Factor(
            "restore",
            f"Its restore was last tested on {tested.isoformat()}, over a year ago.",
            WARNING,
            f"{_plural((days.today - tested).days, 'day')} ago",
        )
    return None


def _redundancy(item: ItemFacts) -> Factor:
    named = ", ".join(item.stops_named)
    more = item.stops - len(item.stops_named)
    if named and more > 0:
        named += f" and {more} more"
    return Factor(
        "redundancy",
        "No redundancy: its loss alone stops "
        + (
            f"{named} (mission-essential)."
            if named
            else f"{_plural(item.stops, 'mission-essential service')}."
        ),
        CRITICAL,
        _plural(item.stops, "mission-essential service"),
    )


def _owner(item: ItemFacts) -> Factor:
    if item.owner_inherited:
        return Factor(
            "owner",
            "No technical owner is named: none of the systems that depend on it names one.",
            WATCH,
            "none",
        )
    return Factor("owner", "No technical owner is named.", WATCH, "none")


def _kev(count: int) -> Factor:
    return Factor(
        "kev",
        "Known-exploited vulnerabilities affect the version installed.",
        CRITICAL,
        _plural(count, "vulnerability", "vulnerabilities"),
    )


def _incidents(count: int) -> Factor:
    return Factor(
        "incidents",
        f"Involved in {_plural(count, 'cyber incident')} in the last year.",
        WARNING if count >= 2 else WATCH,
        _plural(count, "incident"),
    )


_UNSEEN: Any = object()  # not worked out yet (None: worked out, no factor)
_SUPPORT_UNKNOWN = Factor("support", "Nobody has recorded its vendor support.", WATCH, "unknown")
_OWNER = {
    inherited: _owner(ItemFacts(("", 0), "", owner_inherited=inherited))
    for inherited in (True, False)
}


def _assess(item: ItemFacts, days: _Days) -> ItemHealth:
    found = []
    end = item.end_of_support
    if end is not None:  # the factor depends on the date alone
        factor = days.support.get(end, _UNSEEN)
        if factor is _UNSEEN:
            factor = days.support[end] = _support(item, days)
        if factor is not None:
            found.append(factor)
    elif item.support_state == "unknown":
        found.append(_SUPPORT_UNKNOWN)
    installed, years = item.install_date, item.life_years
    if installed is not None and years:
        bounds = days.bounds.get(years) or days.installed(years)
        if installed <= bounds[1]:  # in the last year of its life, or past it
            aged = (installed, years)
            factor = days.age.get(aged)
            if factor is None:
                factor = days.age[aged] = _age(item, days)
            found.append(factor)
    count = item.kev_affected
    if count:
        factor = days.kev.get(count)
        if factor is None:
            factor = days.kev[count] = _kev(count)
        found.append(factor)
    count = item.incidents
    if count:
        factor = days.incidents.get(count)
        if factor is None:
            factor = days.incidents[count] = _incidents(count)
        found.append(factor)
    if item.has_capability:
        tested = item.restore_tested
        factor = days.restore.get(tested, _UNSEEN)
        if factor is _UNSEEN:
            factor = days.restore[tested] = _restore(item, days)
        if factor is not None:
            found.append(factor)
    if item.stops:
        stopped = (item.stops, item.stops_named)
        factor = days.redundancy.get(stopped)
        if factor is None:
            factor = days.redundancy[stopped] = _redundancy(item)
        found.append(factor)
    if item.owner_known is False:
        found.append(_OWNER[item.owner_inherited])
    if len(found) > 1:
        found.sort(key=_severity_rank)
    return ItemHealth(item.key, item.name, tuple(found))


def _severity_rank(f: Factor) -> int:
    return RANK[f.severity]


def assess(item: ItemFacts, today: datetime.date) -> ItemHealth:
    """Every factor weakening `item` on `today`, worst first."""
    return _assess(item, _Days(today))


def assess_all(items: Iterable[ItemFacts], today: datetime.date) -> dict[Key, ItemHealth]:
    days = _Days(today)
    return {item.key: _assess(item, days) for item in items}


def band_counts(healths: Iterable[ItemHealth]) -> dict[str, int]:
    """How many items are in each band, worst first."""
    counts = dict.fromkeys(BANDS, 0)
    for h in healths:
        counts[h.band] += 1
    return counts


# --- services ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeakItem:
    """An item under a service and the chain from the service down to it."""

    health: ItemHealth
    chain: tuple[Key, ...]


@dataclass(frozen=True)
class ServiceHealth:
    """A service's foundation: its band (the worst of its items'), how many items it stands
    on and how many are in each band, and its weak items, weakest first (at most the
    `limit` asked, `weak_count` says how many in all)."""

    key: Key
    name: str
    band: str
    items_under: int
    counts: dict[str, int]
    weak_count: int
    weakest: tuple[WeakItem, ...] = field(default=())

    def order(self) -> tuple:
        """Sort key, weakest service first: band, then more critical, warning, watch items."""
        return (
            RANK[self.band],
            *(-self.counts[b] for b in BANDS[:-1]),
            self.name,
            str(self.key),
        )


def services_health(
    services: Iterable[tuple[Key, str]],
    edges: Iterable[tuple[Key, Key]],
    healths: Mapping[Key, ItemHealth],
    *,
    limit: int | None = 20,
) -> list[ServiceHealth]:
    """Each service's foundation, weakest service first. `edges` are (dependant,
    dependency) pairs, a redundancy group needing its members; everything a service needs,
    directly or not, is under it, and the chain kept is the shortest one from the service.
    Items equally weak come nearest to the service first."""
    # Every node numbered once, in order of first sight (a service's own number if it has
    # no edge), and its dependencies as lists of numbers.
    index: dict[Key, int] = {}
    number = index.setdefault  # a new key takes the next number
    ends = [number(end, len(index)) for edge in edges for end in edge]  # flat: few objects
    listed = [(number(key, len(index)), key, name) for key, name in services]
    # A node with no dependency (most components) shares one empty tuple.
    succ: list[Any] = [()] * len(index)
    for i, j in zip(ends[::2], ends[1::2], strict=True):
        found = succ[i]
        if found:
            found.append(j)
        else:
            succ[i] = [j]
    keys = list(index)
    # Each node's health and band once, by index (None: a service, a group or an item not
    # assessed), and the weakest-first sort key of each weak one as one number.
    node_health = list(map(healths.get, keys))
    sound = RANK[SOUND]
    rank = [sound + 1 if h is None else RANK[h.band] for h in node_health]
    rank_of = rank.__getitem__
    order = [0 if h is None or not h.factors else _weakness_number(h) for h in node_health]
    # Who reached each node first, for the walk from the service numbered `seen[n]`.
    seen = [-1] * len(keys)
    parent = [-1] * len(keys)

    out = []
    for walk, (start, key, name) in enumerate(listed):
        seen[start] = walk
        # Breadth first: `reached` grows while it is read, so it is also the queue, and
        # holds each node in the order first seen (nearest to the service first).
        reached: list[int] = []
        add = reached.append
        for d in succ[start]:
            if seen[d] != walk:
                seen[d] = walk
                parent[d] = start
                add(d)
        for n in reached:
            for d in succ[n]:
                if seen[d] != walk:
                    seen[d] = walk
                    parent[d] = n
                    add(d)
        ranks = list(map(rank_of, reached))
        counts = [ranks.count(r) for r in range(sound + 2)]
        weak = list(compress(reached, map(sound.__gt__, ranks)))
        if limit is None:
            shown = sorted(weak, key=order.__getitem__)
        else:
            shown = heapq.nsmallest(limit, weak, key=order.__getitem__)
        items = []
        for d in shown:
            chain = [keys[d]]
            n = d
            while n != start:
                n = parent[n]
                chain.append(keys[n])
            items.append(WeakItem(node_health[d], tuple(reversed(chain))))  # type: ignore[arg-type]
        by_band = dict(zip(BANDS, counts, strict=False))
        band = next((b for b in BANDS if by_band[b]), SOUND)
        under = sum(counts[: sound + 1])
        out.append(ServiceHealth(key, name, band, under, by_band, len(weak), tuple(items)))
    out.sort(key=ServiceHealth.order)
    return out


def factor_counts(healths: Iterable[ItemHealth]) -> dict[tuple[str, str], int]:
    """How many items have each reason at each severity, e.g. ("support", "critical")."""
    counts: dict[tuple[str, str], int] = {}
    for h in healths:
        for f in h.factors:
            counts[(f.code, f.severity)] = counts.get((f.code, f.severity), 0) + 1
    return counts


def under(start: Key, edges: Iterable[tuple[Key, Key]]) -> set[Key]:
    """Everything `start` needs, directly or not (itself left out unless in a cycle)."""
    succ: dict[Key, list[Key]] = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
    found: set[Key] = set()
    stack = [start]
    while stack:
        for d in succ.get(stack.pop(), ()):
            if d not in found:
                found.add(d)
                stack.append(d)
    return found


def inherited_owners(
    edges: Iterable[tuple[Key, Key]], systems: Mapping[int, bool]
) -> dict[int, bool]:
    """Whether each component reached from a system names a technical owner by inheritance:
    True when a system that depends on it (directly, or through redundancy groups and other
    components, never past another system) names one; False when systems depend on it and
    none does. `systems` maps each system in service to whether it names its owner. A
    component no system depends on is left out: it has nothing to inherit. One walk down
    from all owning systems at once, one from the others: each edge is followed at most
    twice, whatever the size of the estate."""
    succ: defaultdict[Key, list[Key]] = defaultdict(list)
    for a, b in edges:
        if b[0] != "system":
            succ[a].append(b)
    nothing: list[Key] = []
    found: dict[int, bool] = {}
    for owned in (True, False):
        stack: list[Key] = [("system", pk) for pk, has in systems.items() if has is owned]
        seen: set[Key] = set(stack)
        while stack:
            for d in succ.get(stack.pop(), nothing):
                if d not in seen:
                    seen.add(d)
                    stack.append(d)
                    if d[0] == "component" and isinstance(d[1], int) and d[1] not in found:
                        found[d[1]] = owned
    return found
