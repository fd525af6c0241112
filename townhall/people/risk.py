"""Key-person risk, in plain Python: who can run each system, component and service, how
many of them there are (the bus factor), which critical systems hang on fewer than two
people and which services stop with them, and how retirement eligibility thins the
people out over the next years.

The rules, written once here and in `docs/people.md`:

- A person is **qualified** for a system or component when their level is 3 (practitioner)
  or more in *every* skill linked to it. A system or component with no skill linked is
  **not known** (`None`), never zero: nobody has said what it takes to run it.
- A **service** needs what the systems and components it depends on need, through the
  dependency graph (other services and redundancy groups on the way included). Each of
  those can be run by different people, so the service's bus factor is its weakest link:
  the smallest bus factor among the items it needs whose skills are known. Its people are
  everyone qualified for at least one of them. With none of them known, it is not known.
- A **critical** system is one of criticality tier 1 or 2; it is **flagged** when fewer
  than two people are qualified for it, with each service that stops with it and the
  chain of dependencies from the service down to it.
- **Retirement**: a person whose retirement-eligible date falls on or before a horizon
  (1, 3 or 5 years from today) is counted out at that horizon. Eligibility is not a
  departure, so this is the risk a leader plans for, not a forecast.
"""

import datetime
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

Key = tuple[str, Hashable]

QUALIFIED_LEVEL = 3  # practitioner: runs it alone and handles its problems
ENOUGH = 2  # fewer qualified people than this is a key-person risk
CRITICAL_TIERS = (1, 2)
HORIZONS = (1, 3, 5)  # years ahead


@dataclass(frozen=True)
class Item:
    """A service, system, component or redundancy group of the estate."""

    kind: str  # "service", "system", "component" or "group"
    id: Hashable
    name: str = ""
    criticality: int | None = None  # systems: tier 1 (most critical) to 4
    mission_essential: bool = False  # services

    @property
    def key(self) -> Key:
        return (self.kind, self.id)

    @property
    def critical(self) -> bool:
        return self.kind == "system" and self.criticality in CRITICAL_TIERS


@dataclass(frozen=True)
class ItemRisk:
    """Who can run one item, now and as people become eligible to retire."""

    key: Key
    people: tuple[Hashable, ...] | None  # qualified people; None: not known
    bus_factor: int | None  # how many can run it; a service: its weakest link's
    later: dict[int, int | None]  # years ahead -> bus factor then
    weakest: Key | None = None  # a service: the item it needs with the fewest people

    @property
    def at_risk(self) -> bool:
        return self.bus_factor is not None and self.bus_factor < ENOUGH

    def drops_within(self) -> int | None:
        """The first horizon (years) at which an item with enough people today falls below
        two; None when it does not within the last horizon (or is already below)."""
        if self.bus_factor is None or self.at_risk:
            return None
        for years in sorted(self.later):
            count = self.later[years]
            if count is not None and count < ENOUGH:
                return years
        return None


@dataclass(frozen=True)
class Stop:
    """A service that stops when a system cannot be run: the chain from the service down
    to the system (service first, system last)."""

    service: Key
    chain: tuple[Key, ...]


@dataclass(frozen=True)
class Flag:
    """A critical system with fewer than two qualified people (or falling below two within
    a horizon), and the services it stops."""

    system: Key
    risk: ItemRisk
    stops: tuple[Stop, ...]


@dataclass
class KeyPersonRisk:
    """Everything the page, the panel and a brief read."""

    items: dict[Key, Item]
    risks: dict[Key, ItemRisk]
    flags: list[Flag]  # critical systems below two today
    coming: dict[int, list[Flag]]  # years -> critical systems first below two then
    unknown_critical: list[Key]  # critical systems with no skills recorded
    essential_at_risk: list[Key]  # mission-essential services whose weakest link is below two
    # flagged and coming critical systems -> the services they stop
    services_of: dict[Key, tuple[Stop, ...]] = field(default_factory=dict)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def qualified_people(
    skills: Iterable[Hashable], levels: Mapping[Hashable, Mapping[Hashable, int]]
) -> tuple[Hashable, ...] | None:
    """The people at level 3 or more in every one of `skills`; None when no skill is named.
    `levels` maps skill -> person -> level."""
    needed = list(dict.fromkeys(skills))
    if not needed:
        return None
    found: set[Hashable] | None = None
    for skill in needed:
        able = {p for p, level in levels.get(skill, {}).items() if level >= QUALIFIED_LEVEL}
        found = able if found is None else found & able
        if not found:
            return ()
    return tuple(sorted(found or (), key=str))


def _count_at(
    people: tuple[Hashable, ...] | None,
    retiring: Mapping[Hashable, datetime.date | None],
    day: datetime.date,
) -> int | None:
    if people is None:
        return None
    return sum(1 for p in people if not eligible_by(retiring.get(p), day))


def eligible_by(eligible: datetime.date | None, day: datetime.date) -> bool:
    """True when a person is eligible to retire on or before `day` (unrecorded: never)."""
    return eligible is not None and eligible <= day


def _sort_key(key: Key) -> tuple[str, str]:
    return (str(key[0]), f"{key[1]!s:>20}")


def analyze(
    items: Iterable[Item],
    edges: Iterable[tuple[Key, Key]],
    needs: Mapping[Key, Iterable[Hashable]],
    levels: Iterable[tuple[Hashable, Hashable, int]],
    retiring: Mapping[Hashable, datetime.date | None],
    today: datetime.date,
) -> KeyPersonRisk:
    """The key-person risk of the estate.

    `edges` point from the item that depends to the item it depends on; `needs` maps a
    system or component to the skills linked to it; `levels` holds (person, skill, level)
    rows; `retiring` maps a person to the day they become eligible to retire (None or
    absent: not recorded)."""
    by_key = {item.key: item for item in items}
    by_skill: dict[Hashable, dict[Hashable, int]] = {}
    for person, skill, level in levels:
        by_skill.setdefault(skill, {})[person] = level
    depends: dict[Key, list[Key]] = {}
    needed_by: dict[Key, list[Key]] = {}
    for source, target in edges:
        if source in by_key and target in by_key:
            depends.setdefault(source, []).append(target)
            needed_by.setdefault(target, []).append(source)
    horizons = {years: add_years(today, years) for years in HORIZONS}

    risks: dict[Key, ItemRisk] = {}
    for key, item in by_key.items():
        if item.kind in ("system", "component"):
            people = qualified_people(needs.get(key, ()), by_skill)
            later = {y: _count_at(people, retiring, day) for y, day in horizons.items()}
            count = None if people is None else len(people)
            risks[key] = ItemRisk(key, people, count, later)

    below = _below(depends, risks, list(HORIZONS))
    for key, item in by_key.items():
        if item.kind == "service":
            risks[key] = _service_risk(key, depends, below, HORIZONS)

    for targets in needed_by.values():
        targets.sort(key=_sort_key)
    critical = [key for key, item in by_key.items() if item.critical]
    services_of: dict[Key, tuple[Stop, ...]] = {}
    flags: list[Flag] = []
    coming: dict[int, list[Flag]] = {years: [] for years in HORIZONS}
    unknown: list[Key] = []
    for key in sorted(critical, key=lambda k: (by_key[k].criticality, by_key[k].name, k[1])):
        risk = risks[key]
        if risk.people is None:
            unknown.append(key)
            continue
        years = None if risk.at_risk else risk.drops_within()
        if not risk.at_risk and years is None:
            continue
        services_of[key] = _stops(key, needed_by, by_key)
        if risk.at_risk:
            flags.append(Flag(key, risk, services_of[key]))
        elif years is not None:
            coming[years].append(Flag(key, risk, services_of[key]))
    essential = sorted(
        (
            k
            for k, item in by_key.items()
            if item.kind == "service" and item.mission_essential and risks[k].at_risk
        ),
        key=lambda k: (by_key[k].name, _sort_key(k)),
    )
    return KeyPersonRisk(by_key, risks, flags, coming, unknown, essential, services_of)


# What a set of items adds up to for a service that needs them all: the weakest link's
# bus factor and key, everyone able to run one of them, and the weakest count per horizon.
Summary = tuple[int, tuple[str, str], Key, frozenset, tuple[int, ...]]


def _join(a: Summary | None, b: Summary | None) -> Summary | None:
    if a is None or b is None:
        return a or b
    weakest = a if (a[0], a[1]) <= (b[0], b[1]) else b
    later = tuple(min(x, y) for x, y in zip(a[4], b[4], strict=True))
    return (weakest[0], weakest[1], weakest[2], a[3] | b[3], later)


def _below(
    depends: Mapping[Key, list[Key]], risks: Mapping[Key, ItemRisk], horizons: list[int]
) -> dict[Key, Summary | None]:
    """For every item, the summary of the known systems and components it needs, itself
    included, directly or not. Items that need each other (a cycle) are one group
    (Tarjan's strongly connected components, without recursion), so each group is summed
    once from the groups below it: linear in the size of the graph."""
    own: dict[Key, Summary | None] = {}
    for key, item_risk in risks.items():
        if item_risk.people is not None:
            later = tuple(item_risk.later[y] or 0 for y in horizons)
            people = frozenset(item_risk.people)
            own[key] = (len(people), _sort_key(key), key, people, later)
    nodes = set(depends) | {t for targets in depends.values() for t in targets} | set(own)
    index: dict[Key, int] = {}
    low: dict[Key, int] = {}
    on_stack: set[Key] = set()
    stack: list[Key] = []
    result: dict[Key, Summary | None] = {}
    counter = 0
    for root in sorted(nodes, key=_sort_key):
        if root in index:
            continue
        work: list[tuple[Key, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = depends.get(node, [])
            if i < len(children):
                work.append((node, i + 1))
                child = children[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[Key] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                members = set(group)
                summary: Summary | None = None
                for member in group:
                    summary = _join(summary, own.get(member))
                    for child in depends.get(member, []):
                        if child not in members:
                            summary = _join(summary, result[child])
                for member in group:
                    result[member] = summary
    return result


def _service_risk(
    key: Key,
    depends: Mapping[Key, list[Key]],
    below: Mapping[Key, Summary | None],
    horizons: Iterable[int],
) -> ItemRisk:
    """A service's weakest link among the systems and components it needs, directly or
    through anything else."""
    summary: Summary | None = None
    for child in depends.get(key, []):
        summary = _join(summary, below.get(child))
    if summary is None:
        return ItemRisk(key, None, None, {y: None for y in horizons})
    count, _sort, weakest, people, later = summary
    return ItemRisk(
        key,
        tuple(sorted(people, key=str)),
        count,
        dict(zip(horizons, later, strict=True)),
        weakest,
    )


def _stops(
    system: Key, needed_by: Mapping[Key, list[Key]], by_key: Mapping[Key, Item]
) -> tuple[Stop, ...]:
    """Every service that depends on `system`, directly or not, with the shortest chain
    from the service down to the system (breadth first; cycles end)."""
    parent: dict[Key, Key | None] = {system: None}
    queue = deque([system])
    stops: list[Stop] = []
    while queue:
        here = queue.popleft()
        for there in needed_by.get(here, ()):  # sorted once by the caller
            if there in parent:
                continue
            parent[there] = here
            queue.append(there)
            if by_key[there].kind == "service":
                chain: list[Key] = [there]
                step: Key | None = here
                while step is not None:
                    chain.append(step)
                    step = parent[step]
                stops.append(Stop(there, tuple(chain)))
    return tuple(sorted(stops, key=lambda s: (by_key[s.service].name, _sort_key(s.service))))
