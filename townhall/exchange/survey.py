"""The annual priorities survey, counted: which answers are valid, how many members named
each priority in their top N, a weighted rank score, and how each priority moved over the
years. Pure: no Django imports, so the hub's pages and tests share one reckoning.

The weighting is a Borda count: with N ranks, a priority ranked first earns N points, second
N - 1, and so on to 1 point for the last rank; a priority not named earns nothing."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from townhall.exchange.priorities import PRIORITIES

LABELS: dict[str, str] = {p.key: p.label for p in PRIORITIES}
MAX_CHALLENGES = 2000  # characters of the challenges a member may write
MAX_OTHER = 200  # characters of the "other priority" text
MAX_RANKS = len(PRIORITIES)


class InvalidAnswer(ValueError):
    """An answer the hub refuses, with every reason keyed by the field it concerns."""

    def __init__(self, reasons: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in reasons.items()))
        self.reasons = reasons


@dataclass(frozen=True)
class Answer:
    ranked: tuple[str, ...]
    challenges: str
    other: str


def check_answer(doc: object, ranks: int) -> Answer:
    """The answer in `doc` ({"ranked": [...], "challenges": "", "other": ""}) if valid:
    known priority keys, none twice, at most `ranks` of them, texts within bounds."""
    if not isinstance(doc, Mapping):
        raise InvalidAnswer({"answer": "send an object with ranked, challenges and other"})
    reasons: dict[str, str] = {}
    ranked = doc.get("ranked", [])
    if not isinstance(ranked, list) or not all(isinstance(k, str) for k in ranked):
        reasons["ranked"] = "send a list of priority keys"
        ranked = []
    else:
        unknown = [k for k in ranked if k not in LABELS]
        if unknown:
            reasons["ranked"] = f"unknown priority {unknown[0][:60]!r}"
        elif len(set(ranked)) != len(ranked):
            reasons["ranked"] = "a priority is ranked more than once"
        elif len(ranked) > ranks:
            reasons["ranked"] = f"rank at most {ranks} priorities"
        elif not ranked:
            reasons["ranked"] = "rank at least one priority"
    texts = {}
    for field, limit in (("challenges", MAX_CHALLENGES), ("other", MAX_OTHER)):
        value = doc.get(field, "")
        if not isinstance(value, str):
            reasons[field] = "send text"
        elif len(value) > limit:
            reasons[field] = f"write at most {limit} characters"
        elif "\x00" in value:
            reasons[field] = "the text holds a NUL character"
        else:
            texts[field] = value.strip()
    if reasons:
        raise InvalidAnswer(reasons)
    return Answer(tuple(ranked), texts["challenges"], texts["other"])


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    named: int  # members who put it in their top N
    first: int  # members who ranked it first
    score: int  # the Borda points (see the module's note)


def points(rank: int, ranks: int) -> int:
    """The points of the priority at `rank` (1 is first) among `ranks`."""
    return max(0, ranks - rank + 1)


def tally(answers: Iterable[Sequence[str]], ranks: int) -> list[Tally]:
    """Every priority's count and score over `answers` (each a ranked list of keys),
    highest score first, then most named, then the list's order."""
    named = dict.fromkeys(LABELS, 0)
    first = dict.fromkeys(LABELS, 0)
    score = dict.fromkeys(LABELS, 0)
    for ranked in answers:
        for n, key in enumerate(ranked[:ranks], start=1):
            if key not in LABELS:
                continue  # a key retired since; never counted
            named[key] += 1
            score[key] += points(n, ranks)
            if n == 1:
                first[key] += 1
    order = list(LABELS)
    rows = [Tally(k, LABELS[k], named[k], first[k], score[k]) for k in order]
    rows.sort(key=lambda t: (-t.score, -t.named, order.index(t.key)))
    return rows


def shown(count: int, minimum: int) -> str:
    """A count as the report prints it: small counts hidden, so no one member stands out."""
    if 0 < count < minimum:
        return f"fewer than {minimum}"
    return str(count)


def may_publish(respondents: int, minimum: int) -> str:
    """Why a survey's report may not be published, or "" when it may."""
    if respondents < minimum:
        return (
            f"only {respondents} members answered; a report needs at least {minimum} "
            "so no member's answer can be picked out"
        )
    return ""


@dataclass(frozen=True)
class Trend:
    key: str
    label: str
    # (year, percent of respondents naming it; None when fewer than the minimum named it)
    shares: tuple[tuple[int, int | None], ...]


def trends(
    years: Mapping[int, tuple[int, Sequence[Tally]]], keys: Sequence[str], minimum: int
) -> list[Trend]:
    """For each priority in `keys`, the share of each year's respondents who named it,
    oldest year first. `years` maps a year to (respondents, its tally)."""
    out = []
    for key in keys:
        shares: list[tuple[int, int | None]] = []
        for year in sorted(years):
            respondents, rows = years[year]
            named = next((t.named for t in rows if t.key == key), 0)
            hidden = 0 < named < minimum or not respondents
            shares.append((year, None if hidden else round(100 * named / respondents)))
        out.append(Trend(key, LABELS.get(key, key), tuple(shares)))
    return out
