"""Plans worked out without a solver: what can be funded when, what a plan uses and breaks,
ranking by score, and tidying a plan's start years.

Pure Python, shared by the optimizer (warm starts, checks, the plan it returns) and usable
on its own, e.g. to check a plan someone edited by hand (`violations`).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Any

from townhall.governance.portfolio_problem import (
    FundedProposal,
    Plan,
    Problem,
    Proposal,
    YearUse,
    check,
)

BASELINE = "baseline"
TOL = 1e-6

Row = tuple  # ("capital", year) | ("operating", year) | ("hours", pool, year) | ("share", year)
Column = tuple[Proposal, int]  # a proposal and a start year
Starts = dict[str, int]  # a plan: proposal id → start year


def reach(problem: Problem) -> tuple[dict[str, int], dict[str, str]]:
    """The earliest start each proposal could have, or why it can never be funded."""
    by_id, last, out = problem.by_id(), problem.years[-1], set(problem.force_out)
    earliest: dict[str, int] = {}
    why_not: dict[str, str] = {}
    for p in prerequisites_first(problem):
        blocked = next((i for i in p.prerequisites if i in why_not), None)
        finish = {i: earliest[i] + by_id[i].duration for i in p.prerequisites if i in earliest}
        late = max(finish, key=finish.__getitem__, default=None)
        if p.id in out:
            why_not[p.id] = "it is forced out"
        elif blocked in out:
            why_not[p.id] = f"its prerequisite {blocked} is forced out"
        elif blocked:
            why_not[p.id] = f"its prerequisite {blocked} cannot be funded ({why_not[blocked]})"
        elif problem.first_start(p) > last:
            why_not[p.id] = (
                f"its earliest start {p.earliest_start} is after the last fiscal year {last}"
            )
        elif late is not None and finish[late] > last:
            why_not[p.id] = (
                f"its prerequisite {late} cannot finish before the last fiscal year {last}"
            )
        else:
            earliest[p.id] = max([problem.first_start(p), *finish.values()])
    return earliest, why_not


def prerequisites_first(problem: Problem) -> list[Proposal]:
    by_id, seen, order = problem.by_id(), set(), []
    for root in problem.proposals:
        stack = [(root, False)]
        while stack:
            p, expanded = stack.pop()
            if expanded:
                order.append(p)
            elif p.id not in seen:
                seen.add(p.id)
                stack.append((p, True))
                stack += [(by_id[i], False) for i in p.prerequisites if i not in seen]
    return order


def limit(problem: Problem, row: Row) -> float:
    budget = {"capital": problem.capital_budget, "operating": problem.operating_budget}
    if row[0] in budget:
        per_year = budget[row[0]]
        return math.inf if per_year is None else per_year[row[1]]
    return problem.pools[row[1]][row[2]] if row[0] == "hours" else 0.0


def exceeds(problem: Problem, row: Row, amount: float) -> bool:
    cap = limit(problem, row)
    return amount > cap + TOL * max(1.0, cap)


def describe(row: Row) -> str:
    if row[0] == "hours":
        return f"staff hours in the {row[1]} pool in {row[2]}"
    return f"the {row[0]} budget in {row[1]}"


def forced_conflict(p: Proposal, reason: str) -> dict[str, Any]:
    kind = "mandated" if p.mandated else "force_in"
    return {"constraint": kind, "proposal": p.id, "reason": reason, "message": f"{p.id}: {reason}."}


def violations(problem: Problem, starts: Starts) -> list[str]:
    """Every rule a plan (id → start year) breaks, in words; empty when it is feasible.

    For checking a plan someone edited by hand, and the optimizer's own starting plans."""
    by_id, out = problem.by_id(), []
    earliest, why_not = reach(problem)
    out += [
        f"{p.id} must be funded"
        for p in problem.proposals
        if problem.forced(p) and p.id not in starts
    ]
    usage = Usage(problem)
    for pid, t in starts.items():
        if pid not in by_id:
            out.append(f"{pid} is not a proposal")
            continue
        if pid in why_not or t < earliest[pid] or t > problem.years[-1]:
            out.append(f"{pid} cannot start in {t}")
        for i in by_id[pid].prerequisites:
            if i not in starts or starts[i] + by_id[i].duration > t:
                out.append(f"{pid} starts before its prerequisite {i} has finished")
        usage.add(by_id[pid], t)
    out += [f"{describe(row)} is exceeded" for row in usage.over()]
    out += [
        f"the infrastructure share is not met in {y}" for y in problem.years if usage.share_short(y)
    ]
    return out


def rank_by_score(problem: Problem, ranking: Mapping[str, float] | None = None) -> Plan:
    """What a budget office does without the optimizer, to show fairly what it adds.

    The ranked list: mandated (and forced-in) proposals first, then the others by the
    board's ranking (`ranking`, id → score; each proposal's value when not given), highest
    first. A prerequisite takes the place of the best-placed proposal that needs it: to
    fund a priority, the office funds what it needs first, ahead of it.

    Then year by year, from the first: going down the list, each proposal not yet funded
    that may start that year (its earliest start reached, its prerequisites funded and
    finished) is funded when its costs and staff hours, that year and the years after,
    fit in what every budget and skill pool has left; what does not fit waits for the
    next year, keeping its place in the list. Money committed in a year stays committed.
    With an infrastructure share, the share is then met by dropping the lowest-placed
    non-infrastructure proposals (and what depends on them) in years that fall short, and
    whatever still fits, share included, is added (see `greedy`).
    """
    began = time.perf_counter()
    check(problem)
    earliest, why_not = reach(problem)
    order = budget_office_order(problem, ranking, exclude=set(why_not))
    place = {p.id: k for k, p in enumerate(order)}
    candidates = [(p, t) for t in problem.years for p in order if earliest[p.id] <= t]
    starts = greedy(problem, candidates, place=place)
    plan = build_plan(problem, BASELINE, starts)
    plan.conflicts = [
        forced_conflict(p, "funding down the ranked list could not fit it")
        for p in problem.proposals
        if problem.forced(p) and p.id not in starts
    ]
    plan.summary = (
        "Funded down the ranked list year by year while money and staff hours remain; "
        "what does not fit waits for a later year."
    )
    plan.baseline_funded, plan.baseline_value = [f.id for f in plan.funded], plan.value
    plan.seconds = time.perf_counter() - began
    return plan


def budget_office_order(
    problem: Problem, ranking: Mapping[str, float] | None = None, exclude: Collection[str] = ()
) -> list[Proposal]:
    """The ranked list a budget office works down (see `rank_by_score`), without the
    proposals in `exclude` (those that can never be funded)."""
    score = ranking if ranking is not None else {p.id: p.value for p in problem.proposals}
    kept = [p for p in problem.proposals if p.id not in exclude]
    ranked = sorted(kept, key=lambda p: (not problem.forced(p), -score.get(p.id, 0.0), p.id))
    place = {p.id: k for k, p in enumerate(ranked)}
    by_id = problem.by_id()
    for p in ranked:  # best placed first: each passes its place down to what it needs
        stack = list(p.prerequisites)
        while stack:
            q = stack.pop()
            if q in place and place[q] > place[p.id]:
                place[q] = place[p.id]
                stack += by_id[q].prerequisites
    topo = {p.id: k for k, p in enumerate(prerequisites_first(problem))}
    return sorted(kept, key=lambda p: (place[p.id], topo[p.id]))


class Usage:
    """Running totals per budget/pool row and per year, for the greedy walks and checks."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.used: dict[Row, float] = defaultdict(float)
        self.infra: dict[int, float] = defaultdict(float)
        self.total: dict[int, float] = defaultdict(float)

    def fits(self, p: Proposal, t: int, share: bool = True) -> bool:
        for row, amount in amounts(self.problem, p, t):
            if exceeds(self.problem, row, self.used[row] + amount):
                return False
        if p.infrastructure or not share or not self.problem.infrastructure_share:
            return True  # infrastructure spending only raises the share
        need = self.problem.infrastructure_share
        for cost in self.problem.costs(p, t):
            total = self.total[cost.year] + cost.capital + cost.operating
            if self.infra[cost.year] < need * total - TOL * max(1.0, total):
                return False
        return True

    def add(self, p: Proposal, t: int, sign: float = 1.0) -> None:
        for row, amount in amounts(self.problem, p, t):
            self.used[row] += sign * amount
        for cost in self.problem.costs(p, t):
            self.total[cost.year] += sign * (cost.capital + cost.operating)
            if p.infrastructure:
                self.infra[cost.year] += sign * (cost.capital + cost.operating)

    def over(self) -> list[Row]:
        return [r for r, a in self.used.items() if exceeds(self.problem, r, a)]

    def share_short(self, year: int) -> float:
        short = self.problem.infrastructure_share * self.total[year] - self.infra[year]
        return short if short > TOL * max(1.0, self.total[year]) else 0.0


def amounts(problem: Problem, p: Proposal, t: int) -> list[tuple[Row, float]]:
    """What a proposal started in year t puts on each budget and pool row."""
    out: list[tuple[Row, float]] = []
    for cost in problem.costs(p, t):
        out += [(("capital", cost.year), cost.capital), (("operating", cost.year), cost.operating)]
        out += [(("hours", pool, cost.year), h) for pool, h in cost.hours.items()]
    return [(r, a) for r, a in out if a]


def greedy(
    problem: Problem, candidates: list[Column], place: Mapping[str, int] | None = None
) -> Starts:
    """Walk (proposal, start) pairs in order; fund each whose prerequisites have finished
    and that fits beside what is already funded. Used by the ranking and the warm start.

    The share depends on everything funded in a year, so a walk checking it at each step
    would refuse every non-infrastructure proposal met before an infrastructure one. The
    first walk checks budgets and pools only; then, while a year falls short of the share, the
    lowest-valued (with `place`, the lowest-placed) non-infrastructure proposal spending in
    it is dropped (with whatever depends on it); a second walk adds what still fits, share
    included.
    """
    by_id, usage = problem.by_id(), Usage(problem)
    starts: Starts = {}

    def walk(share: bool) -> None:
        for p, t in candidates:
            ready = all(i in starts and starts[i] + by_id[i].duration <= t for i in p.prerequisites)
            if p.id not in starts and ready and usage.fits(p, t, share):
                usage.add(p, t)
                starts[p.id] = t

    walk(share=False)
    if not problem.infrastructure_share:
        return starts
    for year in problem.years:
        while usage.share_short(year):
            spenders = [
                by_id[pid]
                for pid, t in starts.items()
                if not by_id[pid].infrastructure and _spends(problem, by_id[pid], t, year)
            ]
            if place is None:
                victim = min(spenders, key=lambda p: (problem.forced(p), p.value))
            else:
                victim = max(spenders, key=lambda p: (not problem.forced(p), place[p.id]))
            for pid in _with_dependents(problem, victim.id, starts):
                usage.add(by_id[pid], starts.pop(pid), sign=-1.0)
    walk(share=True)
    return starts


def _spends(problem: Problem, p: Proposal, start: int, year: int) -> bool:
    cost = next((c for c in problem.costs(p, start) if c.year == year), None)
    return cost is not None and bool(cost.capital or cost.operating)


def _with_dependents(problem: Problem, pid: str, starts: Starts) -> set[str]:
    out, grew = {pid}, True
    while grew:
        more = {p.id for p in problem.proposals if p.id in starts and out & set(p.prerequisites)}
        grew = bool(more - out)
        out |= more
    return out


def weight(problem: Problem, p: Proposal, t: int) -> float:
    """How much of the limits a proposal uses: the sum of each cost over its limit."""
    limits = [(a, limit(problem, r)) for r, a in amounts(problem, p, t)]
    return sum(a / max(cap, 1.0) for a, cap in limits if math.isfinite(cap))


def start_early(problem: Problem, starts: Starts) -> Starts:
    """The same proposals, each moved to the earliest start year that keeps the plan valid.

    Value does not depend on the start year, so the solver's choice among equally good years
    is arbitrary; a board would rather start sooner. Moving a proposal earlier never delays a
    dependent, so each move only needs its own prerequisites, limits and the share checked.
    """
    by_id, starts, usage = problem.by_id(), dict(starts), Usage(problem)
    earliest, _ = reach(problem)
    for pid, t in starts.items():
        usage.add(by_id[pid], t)
    for pid in sorted(starts, key=starts.__getitem__):
        p, current = by_id[pid], starts[pid]
        for t in range(earliest[pid], current):
            if any(starts.get(i, math.inf) + by_id[i].duration > t for i in p.prerequisites):
                continue
            usage.add(p, current, sign=-1.0)
            usage.add(p, t)
            if not usage.over() and not any(usage.share_short(y) for y in problem.years):
                starts[pid] = t
                break
            usage.add(p, t, sign=-1.0)
            usage.add(p, current)
    return starts


def value_of(problem: Problem, starts: Starts) -> float:
    return float(sum(p.value for p in problem.proposals if p.id in starts))


def build_plan(problem: Problem, status: str, starts: Starts, bound: float | None = None) -> Plan:
    usage, funded = Usage(problem), []
    for p in sorted((p for p in problem.proposals if p.id in starts), key=lambda p: starts[p.id]):
        usage.add(p, starts[p.id])
        funded.append(
            FundedProposal(p.id, p.title, starts[p.id], starts[p.id] + p.duration - 1, p.value)
        )
    value = value_of(problem, starts)
    plan = Plan(status, value=value, funded=funded)
    for y in problem.years:
        capital, operating = limit(problem, ("capital", y)), limit(problem, ("operating", y))
        plan.use.append(
            YearUse(
                year=y,
                capital=usage.used["capital", y],
                capital_limit=capital if math.isfinite(capital) else None,
                operating=usage.used["operating", y],
                operating_limit=operating if math.isfinite(operating) else None,
                hours={pool: usage.used["hours", pool, y] for pool in problem.pools},
                hours_limit={pool: limits[y] for pool, limits in problem.pools.items()},
                infrastructure_spending=usage.infra[y],
                total_spending=usage.total[y],
            )
        )
    if bound is not None:
        plan.bound = max(bound, value)
        gap = (plan.bound - value) / max(abs(value), 1e-9)
        plan.gap = gap if gap > TOL else 0.0
    return plan
