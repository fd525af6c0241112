"""The health of each item and of each service's foundation, in plain Python.

Every reason an item is weak is a `Factor` of its own, in plain words with the figure
behind it, so a reader sees why and never a single opaque number. An item's band is its
worst factor's severity ("critical", "warning", "watch"), or "sound" when it has none: no
weighting, no sum. A service's band is the worst band among the items it stands on, and its
items are listed weakest first, each with the chain of dependencies (service, system,
component, through redundancy groups) that makes it matter to that service.

The factors and what makes each severe (today is the day assessed):

| code | critical | warning | watch |
|---|---|---|---|
| support | past its vendor's end of support | support ends within 12 months | support status unknown |
| age | | older than its expected service life | in the last year of it |
| kev | open known-exploited vulnerabilities on the installed version | | |
| incidents | | 2 or more incidents in the last 365 days | 1 incident |
| restore | | restore never tested, or not within 365 days | |
| redundancy | its loss alone stops a mission-essential service | | |
| owner | | | no named technical owner (systems) |
"""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

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
    `owner_known` None where the record has no technical owner to name (components)."""

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


@dataclass(frozen=True)
class Factor:
    """One reason an item is weak: `code` (see the table above), the sentence a leader
    reads, its severity and the figure behind it."""

    code: str
    text: str
    severity: str
    figure: str


@dataclass(frozen=True)
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


def weakness(health: ItemHealth) -> tuple:
    """Sort key, weakest first: band, then more critical, warning and watch factors."""
    by = [0, 0, 0]
    for f in health.factors:
        by[RANK[f.severity]] -= 1
    return (RANK[health.band], *by, health.name, str(health.key))


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _support(item: ItemFacts, today: datetime.date) -> Factor | None:
    end = item.end_of_support
    if end is not None:
        when = life.past_or_within(end, today, SUPPORT_MONTHS)
        if when == "past":
            days = (today - end).days
            return Factor(
                "support",
                f"Past its vendor's end of support since {end.isoformat()}: no security fixes.",
                CRITICAL,
                f"{_plural(days, 'day')} past",
            )
        if when == "soon":
            days = (end - today).days
            return Factor(
                "support",
                f"Its vendor's support ends on {end.isoformat()}, within a year.",
                WARNING,
                f"{_plural(days, 'day')} left",
            )
        return None
    if item.support_state == "unknown":
        return Factor("support", "Nobody has recorded its vendor support.", WATCH, "unknown")
    return None


def _age(item: ItemFacts, today: datetime.date) -> Factor | None:
    known = life.expected_life(today=today, install_date=item.install_date, own_years=item.life_years)
    if known.age_years is None or not known.life_years:
        return None
    figure = f"{known.age_years:.1f} of {known.life_years} years"
    if known.age_years >= known.life_years:
        return Factor(
            "age",
            f"Older than its expected service life of {_plural(known.life_years, 'year')}.",
            WARNING,
            figure,
        )
    if known.age_years >= known.life_years - 1:
        return Factor("age", "In the last year of its expected service life.", WATCH, figure)
    return None


def _restore(item: ItemFacts, today: datetime.date) -> Factor | None:
    if not item.has_capability:
        return None
    tested = item.restore_tested
    if tested is None:
        return Factor("restore", "Its restore has never been tested.", WARNING, "never")
    days = (today - tested).days
    if days > RESTORE_DAYS:
        return Factor(
            "restore",
            f"Its restore was last tested on {tested.isoformat()}, over a year ago.",
            WARNING,
            f"{_plural(days, 'day')} ago",
        )
    return None


def assess(item: ItemFacts, today: datetime.date) -> ItemHealth:
    """Every factor weakening `item` on `today`, worst first."""
    found = [_support(item, today), _age(item, today)]
    if item.kev_affected:
        found.append(
            Factor(
                "kev",
                "Known-exploited vulnerabilities affect the version installed.",
                CRITICAL,
                _plural(item.kev_affected, "vulnerability", "vulnerabilities"),
            )
        )
    if item.incidents:
        found.append(
            Factor(
                "incidents",
                f"Involved in {_plural(item.incidents, 'cyber incident')} in the last year.",
                WARNING if item.incidents >= 2 else WATCH,
                _plural(item.incidents, "incident"),
            )
        )
    found.append(_restore(item, today))
    if item.stops:
        named = ", ".join(item.stops_named)
        more = item.stops - len(item.stops_named)
        if named and more > 0:
            named += f" and {more} more"
        found.append(
            Factor(
                "redundancy",
                "No redundancy: its loss alone stops "
                + (named if named else _plural(item.stops, "mission-essential service"))
                + ("." if not named else " (mission-essential)."),
                CRITICAL,
                _plural(item.stops, "mission-essential service"),
            )
        )
    if item.owner_known is False:
        found.append(Factor("owner", "No technical owner is named.", WATCH, "none"))
    factors = sorted((f for f in found if f is not None), key=lambda f: RANK[f.severity])
    return ItemHealth(item.key, item.name, tuple(factors))


def assess_all(items: Iterable[ItemFacts], today: datetime.date) -> dict[Key, ItemHealth]:
    return {item.key: assess(item, today) for item in items}


def band_counts(healths: Iterable[ItemHealth]) -> dict[str, int]:
    """How many items are in each band, worst first."""
    counts = dict.fromkeys(BANDS, 0)
    for h in healths:
        counts[h.band] += 1
    return counts


# --- services ------------------------------------------------------------------------------


@dataclass(frozen=True)
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
    directly or not, is under it, and the chain kept is the shortest one from the service."""
    index: dict[Key, int] = {}
    keys: list[Key] = []

    def at(key: Key) -> int:
        n = index.get(key)
        if n is None:
            n = index[key] = len(keys)
            keys.append(key)
        return n

    succ: list[list[int]] = []
    for a, b in edges:
        i, j = at(a), at(b)
        while len(succ) < len(keys):
            succ.append([])
        succ[i].append(j)
    listed = [(at(key), key, name) for key, name in services]
    while len(succ) < len(keys):
        succ.append([])
    # Each node's health once, by index (None: a service, a group or an item not assessed).
    node_health = [healths.get(k) for k in keys]
    rank = [None if h is None else RANK[h.band] for h in node_health]

    out = []
    for start, key, name in listed:
        parent = {start: -1}
        queue = deque([start])
        weak: list[int] = []
        counts = dict.fromkeys(BANDS, 0)
        under = 0
        while queue:
            n = queue.popleft()
            for d in succ[n]:
                if d in parent:
                    continue
                parent[d] = n
                queue.append(d)
                r = rank[d]
                if r is None:
                    continue
                under += 1
                counts[BANDS[r]] += 1
                if r != RANK[SOUND]:
                    weak.append(d)
        weak.sort(key=lambda d: weakness(node_health[d]))  # type: ignore[arg-type]
        shown = weak if limit is None else weak[:limit]
        items = []
        for d in shown:
            chain = []
            n = d
            while n != -1:
                chain.append(keys[n])
                n = parent[n]
            items.append(WeakItem(node_health[d], tuple(reversed(chain))))  # type: ignore[arg-type]
        band = next((b for b in BANDS if counts[b]), SOUND)
        out.append(ServiceHealth(key, name, band, under, counts, len(weak), tuple(items)))
    out.sort(key=ServiceHealth.order)
    return out
