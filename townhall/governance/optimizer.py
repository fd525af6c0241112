"""Choose which proposals to fund, and in which fiscal year each starts, for the most value.

A mixed-integer programme solved with HiGHS: one binary x[p, t] per proposal p and allowed
start year t, at most one start per proposal (exactly one when it is mandated or forced in).
Rows keep every fiscal year within the capital and operating budgets and each staff pool's
hours, keep infrastructure spending at its required share, and start a proposal only after
its prerequisites have finished. Pure Python plus highspy, no Django: the governance pages,
the CLI and the tests call the same functions. The input and the plan are documented in
docs/portfolio-format.md; the data and its reading are in `portfolio_problem`, the plan
arithmetic that needs no solver (the budget office's plan, checks) in `portfolio_plans`.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import replace
from typing import Any, NamedTuple

import highspy
import numpy as np

from townhall.governance.portfolio_plans import (
    BASELINE,
    TOL,
    Column,
    Row,
    Starts,
    build_plan,
    describe,
    forced_conflict,
    greedy,
    limit,
    prerequisites_first,
    rank_by_score,
    reach,
    start_early,
    value_of,
    violations,
    weight,
)
from townhall.governance.portfolio_problem import (
    Plan,
    Problem,
    ProblemError,
    Proposal,
    check,
    problem_from_dict,
)

__all__ = [
    "BASELINE",
    "INFEASIBLE",
    "OPTIMAL",
    "STOPPED",
    "TIME_LIMIT",
    "FrontierPoint",
    "Plan",
    "Problem",
    "ProblemError",
    "Proposal",
    "frontier",
    "problem_from_dict",
    "rank_by_score",
    "scale_budgets",
    "solve",
    "violations",
]

OPTIMAL, TIME_LIMIT, STOPPED, INFEASIBLE = "optimal", "time_limit", "stopped", "infeasible"
DEFAULT_LEVELS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5)
# In the elastic model one unit of violation is one whole limit; leaving a forced proposal
# out costs this many, so a short budget is named before a mandated project is dropped.
DROP_PENALTY = 1000.0
KIND_WORDS = {
    "capital": "capital budget",
    "operating": "operating budget",
    "hours": "staff hours",
    "share": "infrastructure share",
}


class FrontierPoint(NamedTuple):
    level: float
    total_budget: float | None  # capital + operating over the horizon; None when unlimited
    value: float | None
    status: str
    gap: float | None


# --- public ----------------------------------------------------------------------------------


def solve(
    problem: Problem,
    *,
    time_limit: float = 30.0,
    mip_rel_gap: float = 1e-4,
    explain: bool = True,
    start: Starts | None = None,
) -> Plan:
    """The best plan HiGHS finds within `time_limit` seconds, with its proven gap.

    `start` is a known plan to begin from (the frontier passes the previous level's). With
    `explain`, an infeasible problem is solved again with every limit made elastic, so the
    plan can name the constraints that conflict.
    """
    began = time.perf_counter()
    check(problem)
    earliest, why_not = reach(problem)
    baseline = rank_by_score(problem)
    conflicts = _obvious_conflicts(problem, why_not)
    if conflicts:
        return _finish(Plan(INFEASIBLE, conflicts=conflicts), baseline, began)
    cols = _columns(problem, earliest, problem.proposals)
    if not cols:  # nothing can be funded and nothing must be
        return _finish(build_plan(problem, OPTIMAL, {}, bound=0.0), baseline, began)
    model, decisions = _main_model(problem, cols)
    rounded, lp_bound = _rounded(problem, cols, model, time_limit / 4)
    known = [s for s in (baseline.starts, start, rounded) if s and not violations(problem, s)]
    warm = max(known, key=lambda s: value_of(problem, s), default=None)
    values = None if warm is None else _column_values(model, cols, decisions, warm)
    highs = model.run(time_limit - (time.perf_counter() - began), mip_rel_gap, values)
    status, starts = _outcome(highs, cols)
    if warm is not None and (starts is None or value_of(problem, starts) < value_of(problem, warm)):
        starts = warm  # HiGHS keeps the better incumbent; this guards against losing it
    if status == INFEASIBLE:
        found = _explain(problem, earliest, time_limit) if explain else []
        return _finish(Plan(INFEASIBLE, conflicts=found), baseline, began)
    if starts is None:
        return _finish(Plan(status), baseline, began)
    dual = highs.getInfo().mip_dual_bound
    trivial = sum(max(0.0, p.value) for p in problem.proposals if p.id in earliest)
    bound = min(dual if math.isfinite(dual) else math.inf, lp_bound, trivial)
    return _finish(
        build_plan(problem, status, start_early(problem, starts), bound), baseline, began
    )


def frontier(
    problem: Problem,
    levels: tuple[float, ...] = DEFAULT_LEVELS,
    *,
    time_limit: float = 5.0,
    mip_rel_gap: float = 1e-4,
) -> list[FrontierPoint]:
    """Value bought at each budget level (capital and operating scaled; staff hours not).

    Levels are solved from the smallest up, each starting from the plan before it (which
    still fits a larger budget), so values never fall even when a solve stops at its limit.
    """
    points, previous = [], None
    for level in sorted(levels):
        scaled = scale_budgets(problem, level)
        plan = solve(
            scaled, time_limit=time_limit, mip_rel_gap=mip_rel_gap, explain=False, start=previous
        )
        previous = plan.starts if plan.value is not None else previous
        budgets = [b for b in (scaled.capital_budget, scaled.operating_budget) if b is not None]
        total = sum(sum(b.values()) for b in budgets) if budgets else None
        points.append(FrontierPoint(level, total, plan.value, plan.status, plan.gap))
    return points


def scale_budgets(problem: Problem, level: float) -> Problem:
    """The same problem with the capital and operating budgets multiplied by `level`."""

    def scaled(amounts: dict[int, float] | None) -> dict[int, float] | None:
        return None if amounts is None else {y: v * level for y, v in amounts.items()}

    return replace(
        problem,
        capital_budget=scaled(problem.capital_budget),
        operating_budget=scaled(problem.operating_budget),
    )


# --- the model ---------------------------------------------------------------------------------


class _QuietHighs(highspy.Highs):
    """HiGHS prints a banner on standard output unless logging is off before its callbacks
    start (in the constructor); `townhall portfolio solve` must print nothing but JSON."""

    def enableCallbacks(self) -> None:  # HiGHS's method name
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()


class _Lp:
    """Columns and rows gathered in Python, handed to HiGHS in one go."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.starts: list[int] = [0]
        self.index: list[int] = []
        self.value: list[float] = []

    def col(self, cost: float, upper: float = 1.0, integer: bool = True, lower: float = 0.0) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, entries: list[tuple[int, float]], lower: float, upper: float) -> None:
        self.index += [c for c, _ in entries]
        self.value += [v for _, v in entries]
        self.starts.append(len(self.index))
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def run(
        self,
        time_limit: float,
        mip_rel_gap: float,
        start: list[float] | None = None,
        *,
        maximize: bool = True,
        relax: bool = False,
    ) -> highspy.Highs:
        h, n = _QuietHighs(), len(self.cost)
        h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
        h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        h.addVars(n, np.array(self.lower, dtype=float), np.array(self.upper, dtype=float))
        every = np.arange(n, dtype=np.int32)
        h.changeColsCost(n, every, np.array(self.cost, dtype=float))
        kind = highspy.HighsVarType
        types = [kind.kInteger if i and not relax else kind.kContinuous for i in self.integer]
        h.changeColsIntegrality(n, every, np.array(types))
        rows = len(self.row_lower)
        if rows:
            h.addRows(
                rows,
                np.array(self.row_lower, dtype=float),
                np.array(self.row_upper, dtype=float),
                len(self.index),
                np.array(self.starts[:-1], dtype=np.int32),
                np.array(self.index, dtype=np.int32),
                np.array(self.value, dtype=float),
            )
        h.changeObjectiveSense(
            highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        )
        if start is not None:
            h.setSolution(n, every, np.array(start, dtype=float))
        h.run()
        return h


def _main_model(problem: Problem, cols: list[Column]) -> tuple[_Lp, dict[str, int]]:
    """The model, and the column of each proposal's fund-or-not decision."""
    lp = _Lp()
    for _ in cols:
        lp.col(0.0)
    decisions = _choice_and_order_rows(problem, cols, lp, decide=True)
    for row, entries, scale in _resource_rows(problem, cols):
        if row[0] == "share":
            lp.row(entries, 0.0, math.inf)
        else:
            lp.row(entries, -math.inf, limit(problem, row) / scale)
    return lp, decisions


def _column_values(
    lp: _Lp, cols: list[Column], decisions: dict[str, int], starts: Starts
) -> list[float]:
    values = [0.0] * len(lp.cost)
    for c, (p, t) in enumerate(cols):
        values[c] = float(starts.get(p.id) == t)
    for pid, col in decisions.items():
        values[col] = float(pid in starts)
    return values


def _choice_and_order_rows(
    problem: Problem,
    cols: list[Column],
    lp: _Lp,
    *,
    decide: bool = False,
    drop_cost: float | None = None,
) -> dict[str, int]:
    """At most one start per proposal (exactly one if forced); prerequisites finish first.

    The prerequisite rows are cumulative, which is at least as tight as one row per start:
    for each start year t of j, sum of x[j, t' <= t] <= sum of x[i, s] with s + dur_i <= t.

    With `decide`, each proposal also gets a binary y[p] = sum of its x[p, t], carrying its
    value (1 when forced). It adds no constraint, but lets the search branch on "fund p or
    not" before "when": on the 1,000-proposal benchmark this closes the proven gap faster.
    With `drop_cost` (the elastic model) each forced proposal instead gets a column that
    lets it be left out at that price. Either kind of column is returned by proposal id.
    """
    by_id = problem.by_id()
    per: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c, (p, t) in enumerate(cols):
        per[p.id].append((t, c))
    extra = {}
    for pid, options in per.items():
        entries, forced = [(c, 1.0) for _, c in options], problem.forced(by_id[pid])
        if decide:
            extra[pid] = lp.col(by_id[pid].value, lower=float(forced))
            lp.row([*entries, (extra[pid], -1.0)], 0.0, 0.0)
            continue
        if forced and drop_cost is not None:
            extra[pid] = lp.col(drop_cost, integer=False)
            entries.append((extra[pid], 1.0))
        lp.row(entries, 1.0 if forced else 0.0, 1.0)
    for pid, options in per.items():
        for pre in by_id[pid].prerequisites:
            dur = by_id[pre].duration
            for t, _ in options:
                mine = [(c, 1.0) for s, c in options if s <= t]
                theirs = [(c, -1.0) for s, c in per.get(pre, []) if s + dur <= t]
                lp.row(mine + theirs, -math.inf, 0.0)
    return extra


def _resource_rows(
    problem: Problem, cols: list[Column]
) -> list[tuple[Row, list[tuple[int, float]], float]]:
    """Budget and pool rows (sum <= limit) and share rows (sum >= 0): entries and scale.

    Share row of year y: the sum over funded p of (1 if p is infrastructure else 0, minus the
    share) times p's spending in y; it is >= 0 exactly when infrastructure spending is at
    least the share of all spending that year. Entries are divided by the row's scale (its
    limit or largest entry) so dollars and hours sit near 1 beside the yes/no rows: HiGHS
    is markedly faster and steadier on a well-scaled model.
    """
    rows: dict[Row, list[tuple[int, float]]] = defaultdict(list)
    share = problem.infrastructure_share
    for c, (p, t) in enumerate(cols):
        for cost in problem.costs(p, t):
            y = cost.year
            if problem.capital_budget is not None and cost.capital:
                rows["capital", y].append((c, cost.capital))
            if problem.operating_budget is not None and cost.operating:
                rows["operating", y].append((c, cost.operating))
            for pool, hours in cost.hours.items():
                rows["hours", pool, y].append((c, hours))
            spend = cost.capital + cost.operating
            if share > 0 and spend:
                rows["share", y].append((c, (float(p.infrastructure) - share) * spend))
    out = []
    for row, entries in rows.items():
        if row[0] == "share" and all(v >= 0 for _, v in entries):
            continue  # only infrastructure spends that year: always met
        scale = max([limit(problem, row), *(abs(v) for _, v in entries), 1.0])
        out.append((row, [(c, v / scale) for c, v in entries], scale))
    return out


def _outcome(highs: highspy.Highs, cols: list[Column]) -> tuple[str, Starts | None]:
    """The status in our words, and HiGHS's best plan if it has one."""
    s = highspy.HighsModelStatus
    status = highs.getModelStatus()
    if status in (s.kInfeasible, s.kUnboundedOrInfeasible):
        return INFEASIBLE, None
    label = {s.kOptimal: OPTIMAL, s.kTimeLimit: TIME_LIMIT}.get(status, STOPPED)
    if highs.getInfo().primal_solution_status != 2:  # 2: a feasible solution is known
        return label, None
    x = highs.getSolution().col_value
    return label, {p.id: t for c, (p, t) in enumerate(cols) if x[c] > 0.5}


# --- forced proposals that can never be funded ---------------------------------------------


def _columns(problem: Problem, earliest: dict[str, int], proposals: list[Proposal]) -> list[Column]:
    last = problem.years[-1]
    return [(p, t) for p in proposals if p.id in earliest for t in range(earliest[p.id], last + 1)]


def _obvious_conflicts(problem: Problem, why_not: dict[str, str]) -> list[dict[str, Any]]:
    """Forced proposals that cannot be funded whatever the budgets: no need to solve."""
    conflicts = []
    for p in problem.proposals:
        if problem.forced(p) and p.id in why_not:
            reason = why_not[p.id]
            if reason == "it is forced out":
                reason = (
                    "it is mandated but also forced out"
                    if p.mandated
                    else "it is forced in and also forced out"
                )
            conflicts.append(forced_conflict(p, reason))
    return conflicts


# --- why an infeasible problem is infeasible ------------------------------------------------------


def _explain(problem: Problem, earliest: dict[str, int], time_limit: float) -> list[dict[str, Any]]:
    """Name the limits that the forced proposals cannot all fit within.

    The elastic model keeps the forced proposals, their prerequisites and (when a share is
    required) the infrastructure proposals. Each budget, pool and share row gets a slack
    priced per unit of the row's scale (its limit, or its largest entry if larger), so a
    shortfall counts as a fraction of its limit; each forced proposal may be left out at
    DROP_PENALTY. The cheapest violation is reported.
    """
    by_id = problem.by_id()
    share = problem.infrastructure_share
    keep = {p.id for p in problem.proposals if problem.forced(p) or (share and p.infrastructure)}
    todo = list(keep)
    while todo:
        for pre in by_id[todo.pop()].prerequisites:
            if pre not in keep:
                keep.add(pre)
                todo.append(pre)
    cols = _columns(problem, earliest, [p for p in problem.proposals if p.id in keep])
    lp = _Lp()
    for _ in cols:
        lp.col(0.0)
    drops = _choice_and_order_rows(problem, cols, lp, drop_cost=DROP_PENALTY)
    slacks = {}
    for row, entries, scale in _resource_rows(problem, cols):
        slacks[row] = (lp.col(1.0, upper=math.inf, integer=False), scale)
        if row[0] == "share":
            lp.row([*entries, (slacks[row][0], 1.0)], 0.0, math.inf)
        else:
            lp.row([*entries, (slacks[row][0], -1.0)], -math.inf, limit(problem, row) / scale)
    highs = lp.run(time_limit, 1e-4, maximize=False)
    if highs.getInfo().primal_solution_status != 2:
        reason = "no explanation was found in the time allowed"
        return [{"constraint": "unknown", "reason": reason, "message": f"Unexplained: {reason}."}]
    x = highs.getSolution().col_value
    chosen = [(p, t) for c, (p, t) in enumerate(cols) if x[c] > 0.5]
    conflicts = [
        _row_conflict(problem, row, x[col] * scale, chosen)
        for row, (col, scale) in slacks.items()
        if x[col] > TOL
    ]
    reason = "it cannot be funded together with the other forced proposals"
    conflicts += [forced_conflict(by_id[pid], reason) for pid, col in drops.items() if x[col] > 0.5]
    return conflicts


def _row_conflict(problem: Problem, row: Row, short: float, chosen: list[Column]) -> dict[str, Any]:
    kind, year, short = row[0], row[-1], round(short, 2)
    users = []
    for p, t in chosen:
        cost = next((c for c in problem.costs(p, t) if c.year == year), None)
        if cost is None:
            continue
        if kind == "hours":
            amount = cost.hours.get(row[1], 0.0)
        elif kind == "share":
            amount = 0.0 if p.infrastructure else cost.capital + cost.operating
        else:
            amount = cost.capital if kind == "capital" else cost.operating
        if amount:
            users.append(p.id)
    found: dict[str, Any] = {"constraint": KIND_WORDS[kind]}
    found |= {"pool": row[1]} if kind == "hours" else {}
    found |= {"year": year, "short_by": short}
    if kind == "share":
        found["share"] = problem.infrastructure_share
        message = (
            f"Infrastructure spending in {year} is {_number(short)} short of the required "
            f"{problem.infrastructure_share:.0%} share"
        )
    else:
        found["limit"] = limit(problem, row)
        verb = "are" if kind == "hours" else "is"
        message = (
            f"{describe(row)[0].upper()}{describe(row)[1:]} {verb} short by "
            f"{_number(short)} (limit {_number(found['limit'])})"
        )
    found["proposals"] = users
    found["message"] = message + (f" for {', '.join(users)}." if users else ".")
    return found


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 0.005 else f"{x:,.2f}"


# --- a first plan, and the finished plan -------------------------------------------------


def _rounded(
    problem: Problem, cols: list[Column], lp: _Lp, time_limit: float
) -> tuple[Starts, float]:
    """A first plan from the LP relaxation, and the relaxation's value (an upper bound).

    Walks the columns the relaxation funds most, prerequisites before dependents, then the
    rest by value per share of the limits used. HiGHS proves bounds quickly on these
    problems but can be slow to find a first good plan; this gives it one at once.
    """
    highs = lp.run(time_limit, 1.0, relax=True)
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return {}, math.inf
    x = highs.getSolution().col_value
    rank = {p.id: k for k, p in enumerate(prerequisites_first(problem))}
    funded: defaultdict[str, float] = defaultdict(float)
    for c, (p, _) in enumerate(cols):
        funded[p.id] += x[c]

    def order(c: int) -> tuple:
        p, t = cols[c]
        return (
            not problem.forced(p),
            -round(funded[p.id], 3),
            -x[c],
            rank[p.id],
            -p.value / (1e-9 + weight(problem, p, t)),
        )

    starts = greedy(problem, [cols[c] for c in sorted(range(len(cols)), key=order)])
    return starts, highs.getInfo().objective_function_value


def _finish(plan: Plan, baseline: Plan, began: float) -> Plan:
    plan.baseline_funded, plan.baseline_value = baseline.baseline_funded, baseline.baseline_value
    if plan.status == INFEASIBLE:
        plan.summary = "No plan meets every constraint. " + " ".join(
            c["message"] for c in plan.conflicts
        )
    elif plan.value is None:
        plan.summary = "No plan was found before the solver stopped; allow more time."
    elif plan.status == OPTIMAL:
        plan.summary = (
            "Proven optimal."
            if not plan.gap
            else f"Proven optimal within {plan.gap:.3%} of the best possible value."
        )
    else:
        why = "the time limit" if plan.status == TIME_LIMIT else "an interruption"
        plan.summary = (
            f"Stopped at {why}: not proven optimal; "
            f"at most {plan.gap:.2%} below the best possible value."
        )
    plan.seconds = time.perf_counter() - began
    return plan
