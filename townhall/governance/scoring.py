"""Board scores: weighted totals, ranking and where the board disagrees. Plain Python, so the
same arithmetic serves pages, the packet and tests.

Totals are on a 0–100 scale whatever the criteria's scale: each criterion's mean score is
placed between the lowest and highest score, then weighted by its share of the weights.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import mean, pstdev

# A criterion is flagged for discussion when scores span this share of the scale or more.
DISAGREEMENT_SHARE = 0.4
_EPSILON = 1e-9  # room for floating-point error when comparing derived numbers


@dataclass
class CriterionView:
    """One criterion of one proposal, across the members whose scores are given.

    `outliers` are the members whose score is furthest from the mean, named only when they
    stand apart: at most half of the members who scored are that far. Nobody is named when
    everyone agrees, nor when the board is evenly divided (two members who disagree, two
    camps of equal size, scores spread evenly around the mean): singling out half or more
    of the board would say nothing about who to hear first. `outlier` is the member when
    exactly one stands apart, else None; `divided` says the scores differ but nobody stands
    apart.
    """

    criterion: int
    name: str
    weight_share: float
    scores: dict[str, int]
    mean: float | None = None
    spread: int | None = None
    deviation: float | None = None
    outlier: str | None = None
    flagged: bool = False
    lowest: int | None = None
    highest: int | None = None
    outliers: list[str] = field(default_factory=list)

    @property
    def divided(self) -> bool:
        return bool(self.spread) and not self.outliers


@dataclass
class Consensus:
    criteria: list[CriterionView] = field(default_factory=list)
    total: float | None = None
    members: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> list[CriterionView]:
        return [c for c in self.criteria if c.flagged]


def threshold(scale: tuple[int, int]) -> float:
    """The spread from which a criterion is flagged for discussion, on this scale."""
    low, high = scale
    return DISAGREEMENT_SHARE * (high - low)


def flag_spread(scale: tuple[int, int]) -> int:
    """The smallest whole spread that is flagged (scores are whole numbers), for pages."""
    return max(1, math.ceil(threshold(scale) - _EPSILON))


def consensus(
    criteria: Sequence[tuple[int, str, float]],
    ballots: Mapping[str, Mapping[int, int]],
    scale: tuple[int, int],
) -> Consensus:
    """Per criterion the mean, the spread, who is furthest from the mean, and the total.

    `criteria` is (id, name, weight); `ballots` maps a member's name to {criterion id: score}.
    A criterion nobody scored leaves the total (the others' weights count in its place);
    with no scores at all the total is None.
    """
    low, high = scale
    if high <= low:
        raise ValueError(f"The highest score ({high}) must be above the lowest ({low}).")
    weights = sum(float(w) for _, _, w in criteria) or 1.0
    flag_from = threshold(scale) - _EPSILON
    result = Consensus(members=sorted(ballots))
    total, counted = 0.0, 0.0
    for cid, name, weight in criteria:
        scores = {m: s[cid] for m, s in ballots.items() if s.get(cid) is not None}
        view = CriterionView(cid, name, float(weight) / weights, dict(sorted(scores.items())))
        if scores:
            values = list(scores.values())
            view.mean = mean(values)
            view.lowest, view.highest = min(values), max(values)
            view.spread = view.highest - view.lowest
            view.deviation = pstdev(values)
            view.outliers = _standing_apart(scores, view.mean)
            view.outlier = view.outliers[0] if len(view.outliers) == 1 else None
            view.flagged = len(values) > 1 and view.spread >= flag_from
            total += view.weight_share * (view.mean - low) / (high - low)
            counted += view.weight_share
        result.criteria.append(view)
    if counted:
        result.total = round(100 * total / counted, 1)
    return result


def _standing_apart(scores: Mapping[str, int], centre: float) -> list[str]:
    """The members furthest from the mean, when they are at most half of those who scored."""
    distance = {m: abs(s - centre) for m, s in scores.items()}
    furthest = max(distance.values())
    if furthest <= _EPSILON:
        return []  # everyone agrees
    apart = [m for m, d in distance.items() if math.isclose(d, furthest, abs_tol=_EPSILON)]
    return sorted(apart) if 2 * len(apart) <= len(scores) else []


def weighted_total(
    criteria: Sequence[tuple[int, str, float]],
    ballots: Mapping[str, Mapping[int, int]],
    scale: tuple[int, int],
) -> float | None:
    return consensus(criteria, ballots, scale).total


def rank(totals: Mapping[int, float | None]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) of proposals by total; unscored ones are unranked."""
    scored = sorted(((t, pid) for pid, t in totals.items() if t is not None), reverse=True)
    ranks: dict[int, int] = {}
    previous, place = None, 0
    for position, (total, pid) in enumerate(scored, 1):
        if total != previous:
            place, previous = position, total
        ranks[pid] = place
    return ranks
