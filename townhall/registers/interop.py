"""Where emergency communications stand: the continuum's lanes and stages (read from
`reference/continuum.json`), the latest rating of each lane, the matrix of which partner
agencies can reach which talkgroups and how, and the gaps in it. Plain Python, no Django:
`interop_input.py` reads the database and hands rows in."""

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CONTINUUM_FILE = Path(__file__).parent / "reference" / "continuum.json"
LEVELS = (1, 2, 3, 4, 5)
# The partner kinds a county is expected to reach by radio; a kind with no working link
# is a gap even when no partner of that kind is recorded.
EXPECTED_KINDS = ("neighbouring", "state", "federal", "utility", "hospital")
# How long a test counts: a link not tried within this many days is untested.
TEST_DAYS = 365
# The one way to reach a partner that needs someone to hand out radios first.
FRAGILE_HOW = "cache_radios"


@dataclass(frozen=True)
class Stage:
    level: int
    label: str
    sentence: str


@dataclass(frozen=True)
class Lane:
    key: str
    name: str
    stages: tuple[Stage, ...]

    def stage(self, level: int) -> Stage | None:
        return next((s for s in self.stages if s.level == level), None)


def parse_continuum(data: dict) -> list[Lane]:
    """The lanes from the reference data; refuses data without exactly five stages a lane."""
    lanes = []
    for raw in data["lanes"]:
        stages = tuple(
            Stage(int(s["level"]), str(s["label"]), str(s["sentence"])) for s in raw["levels"]
        )
        if tuple(s.level for s in stages) != LEVELS:
            raise ValueError(f"Lane {raw['key']!r} needs stages 1 to 5 in order.")
        lanes.append(Lane(str(raw["key"]), str(raw["name"]), stages))
    return lanes


def load_continuum(path: Path = CONTINUUM_FILE) -> list[Lane]:
    """The continuum as the repository describes it."""
    return parse_continuum(json.loads(path.read_text(encoding="utf-8")))


# --- where each lane stands ------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """One lane's rating in one assessment."""

    lane: str
    level: int
    assessed_on: datetime.date
    assessment_id: int
    evidence: str = ""
    rating_id: int | None = None


@dataclass(frozen=True)
class Standing:
    """A lane, its latest rating (None if never rated) and that rating's stage."""

    lane: Lane
    rating: Rating | None

    @property
    def level(self) -> int:
        return self.rating.level if self.rating else 0

    @property
    def stage(self) -> Stage | None:
        return self.lane.stage(self.level) if self.rating else None


def standings(lanes: Sequence[Lane], ratings: Iterable[Rating]) -> list[Standing]:
    """Each lane's latest rating: the newest assessment that rated it (ties: higher id)."""
    latest: dict[str, Rating] = {}
    for r in ratings:
        held = latest.get(r.lane)
        if held is None or (r.assessed_on, r.assessment_id) > (
            held.assessed_on,
            held.assessment_id,
        ):
            latest[r.lane] = r
    return [Standing(lane, latest.get(lane.key)) for lane in lanes]


# --- who can talk to whom ----------------------------------------------------------------


@dataclass(frozen=True)
class Partner:
    pk: int
    name: str
    kind: str


@dataclass(frozen=True)
class Group:
    """A talkgroup or channel on a radio system."""

    pk: int
    name: str
    system: str
    system_id: int = 0


@dataclass(frozen=True)
class Link:
    partner: int
    talkgroup: int
    how: str
    tested_on: datetime.date | None
    works: str  # "yes", "partly" or "no"


def tested_recently(link: Link, today: datetime.date) -> bool:
    return link.tested_on is not None and (today - link.tested_on).days <= TEST_DAYS


def working(link: Link, today: datetime.date) -> bool:
    """A link that worked when tried within the year: claims without a test do not count."""
    return link.works == "yes" and tested_recently(link, today)


@dataclass
class Row:
    partner: Partner
    cells: list[list[Link]] = field(default_factory=list)  # one per talkgroup, in order


@dataclass(frozen=True)
class Matrix:
    talkgroups: list[Group]
    rows: list[Row]


def matrix(partners: Sequence[Partner], groups: Sequence[Group], links: Iterable[Link]) -> Matrix:
    """Partners down, talkgroups across; each cell holds the links between the two."""
    col = {g.pk: n for n, g in enumerate(groups)}
    rows = {p.pk: Row(p, [[] for _ in groups]) for p in partners}
    for link in links:
        if link.partner in rows and link.talkgroup in col:
            rows[link.partner].cells[col[link.talkgroup]].append(link)
    return Matrix(list(groups), [rows[p.pk] for p in partners])


@dataclass(frozen=True)
class KindGap:
    kind: str
    partners: int  # how many partners of the kind are recorded


@dataclass(frozen=True)
class Gaps:
    kinds: list[KindGap]  # partner kinds with no working link
    untested: list[Group]  # talkgroups no partner link was tested on within the year
    cache_only: list[Partner]  # partners reached only by handing out cache radios


def gaps(
    partners: Sequence[Partner],
    groups: Sequence[Group],
    links: Sequence[Link],
    today: datetime.date,
    expected: Sequence[str] = EXPECTED_KINDS,
) -> Gaps:
    """What the matrix is missing, as a list a leader can act on."""
    kind_of = {p.pk: p.kind for p in partners}
    counts: dict[str, int] = {}
    for p in partners:
        counts[p.kind] = counts.get(p.kind, 0) + 1
    working_kinds = {
        kind_of[link.partner] for link in links if link.partner in kind_of and working(link, today)
    }
    kinds = list(dict.fromkeys([*expected, *counts]))
    kind_gaps = [KindGap(k, counts.get(k, 0)) for k in kinds if k not in working_kinds]
    tested = {link.talkgroup for link in links if tested_recently(link, today)}
    untested = [g for g in groups if g.pk not in tested]
    hows: dict[int, set[str]] = {}
    for link in links:
        if link.works != "no":
            hows.setdefault(link.partner, set()).add(link.how)
    cache_only = [p for p in partners if hows.get(p.pk) == {FRAGILE_HOW}]
    return Gaps(kind_gaps, untested, cache_only)
