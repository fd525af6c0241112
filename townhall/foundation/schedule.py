"""When to replace each aging item, under yearly capital caps, for the least risk.

A mixed-integer programme solved with HiGHS, in the shape of the portfolio optimizer
(`governance/optimizer.py`): one binary x[u, t] per replacement unit u (an item, or a group
a city replaces together) and horizon year t, at most one replacement per unit, not
replacing always allowed. Each year's replacements stay within its capital cap; a unit's
prerequisites are replaced the same year or before. The objective is the risk-weighted
years past end of life: a unit due in year d and replaced in year t counts t - d years
(from the first year for a unit already past due), one not replaced counts as if
replaced the year after the horizon. So the plan's risk is also the sum, over the
horizon's years, of the weights of the units still past due that year.

Pure Python plus highspy, no Django. Beside the plan it reports the two plans people
compare it with: replace everything when due (which the caps may forbid) and defer
everything.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

OPTIMAL, TIME_LIMIT, STOPPED = "optimal", "time_limit", "stopped"
TOL = 1e-6


class ScheduleError(ValueError):
    """A schedule problem that cannot be solved as given; the message says where and why."""


@dataclass(frozen=True)
class Unit:
    """What is replaced at once: one item, or a group (a model's switches in a department).

    `due` is the fiscal year it reaches end of life; `weight` the risk of a year past it
    (the caller gives mission-essential services more); `prerequisites` the units that
    must be replaced the same year or before (the storage before the servers on it).
    `cost` is capital in the first year's dollars.
    """

    id: str
    cost: float
    due: int
    weight: float = 1.0
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    units: Sequence[Unit]
    years: Sequence[int]  # consecutive fiscal years
    caps: Mapping[int, float]  # capital available for replacements each year
    inflation: float = 0.0  # a unit replaced in year k of the horizon costs (1 + r) ** k more

    def cost(self, unit: Unit, year: int) -> float:
        return unit.cost * (1.0 + self.inflation) ** (year - self.years[0])

    def years_past_due(self, unit: Unit, year: int | None) -> int:
        """Years past end of life within the horizon when replaced in `year` (None: never)."""
        end = self.years[-1] + 1 if year is None else year
        return max(0, end - max(unit.due, self.years[0]))


@dataclass
class Outcome:
    """One way of replacing: the year of each unit (None: not within the horizon), and its
    spending and risk per year. `over_caps` names each year whose spending exceeds its cap,
    and by how much."""

    name: str
    years: dict[str, int | None]
    spend: dict[int, float]
    risk: dict[int, float]
    total_risk: float
    over_caps: dict[int, float] = field(default_factory=dict)

    @property
    def within_caps(self) -> bool:
        return not self.over_caps


@dataclass
class Schedule:
    """The optimal plan with its proven gap, and the two plans it is compared with."""

    plan: Outcome
    status: str
    bound: float  # no plan has less risk than this
    gap: float  # (risk - bound) / risk, 0 when the risk is 0
    when_due: Outcome
    defer_all: Outcome
    beyond_horizon: list[str]  # units not due within the horizon and needed by none that are
    never_fit: list[str]  # units whose cost exceeds every year's cap
    seconds: float = 0.0
    summary: str = ""


def check(problem: Problem) -> None:
    """Refuse what the solver cannot use, naming the unit or year and the reason."""
    years = list(problem.years)
    if not years:
        raise ScheduleError("years: the horizon has no years")
    if years != list(range(years[0], years[0] + len(years))):
        raise ScheduleError(f"years: {years} are not consecutive fiscal years")
    for year in years:
        if year not in problem.caps:
            raise ScheduleError(f"caps: no capital cap for {year}")
        cap = problem.caps[year]
        if not cap >= 0 or math.isinf(cap):
            raise ScheduleError(f"caps: the cap for {year} ({cap}) must be a sum of 0 or more")
    if not -0.5 < problem.inflation < 1.0:
        raise ScheduleError(f"inflation: {problem.inflation} must be between -0.5 and 1")
    ids: set[str] = set()
    for unit in problem.units:
        if unit.id in ids:
            raise ScheduleError(f"unit {unit.id}: the id appears twice")
        ids.add(unit.id)
        if not 0 <= unit.cost < math.inf:
            raise ScheduleError(f"unit {unit.id}: cost {unit.cost} must not be negative")
        if not 0 <= unit.weight < math.inf:
            raise ScheduleError(f"unit {unit.id}: weight {unit.weight} must not be negative")
    for unit in problem.units:
        for pre in unit.prerequisites:
            if pre not in ids:
                raise ScheduleError(f"unit {unit.id}: prerequisite {pre} is not a unit")
            if pre == unit.id:
                raise ScheduleError(f"unit {unit.id}: it is its own prerequisite")
    cycle = _cycle(problem.units)
    if cycle:
        raise ScheduleError("prerequisites form a cycle: " + " -> ".join(cycle))


def solve(problem: Problem, *, time_limit: float = 30.0, mip_rel_gap: float = 1e-3) -> Schedule:
    """The plan with the least risk HiGHS finds within `time_limit` seconds, with its gap."""
    began = time.perf_counter()
    check(problem)
    years = list(problem.years)
    needed = _needed(problem)
    units = [u for u in problem.units if u.id in needed]
    never_fit = [
        u.id for u in units if all(problem.cost(u, t) > problem.caps[t] + TOL for t in years)
    ]
    cols = [(u, t) for u in units for t in years if problem.cost(u, t) <= problem.caps[t] + TOL]
    when_due = outcome(problem, "replace when due", _when_due(problem, units))
    defer_all = outcome(problem, "defer everything", {})
    warm = _greedy(problem, units)
    deferred = sum(u.weight * problem.years_past_due(u, None) for u in units)
    status, found, bound = OPTIMAL, None, deferred
    if cols:
        model = _model(problem, cols)
        model.offset = deferred
        highs = model.run(time_limit - (time.perf_counter() - began), mip_rel_gap, cols, warm)
        status, found, bound = _result(highs, cols)
    if found is None or _risk(problem, found, units) > _risk(problem, warm, units):
        found = warm  # HiGHS keeps the better plan; this guards against losing it
    plan = outcome(problem, "optimized schedule", _as_late_as_useful(problem, found, units))
    bound = min(plan.total_risk, bound)
    gap = 0.0 if plan.total_risk <= TOL else max(0.0, (plan.total_risk - bound) / plan.total_risk)
    result = Schedule(
        plan=plan,
        status=status,
        bound=bound,
        gap=gap,
        when_due=when_due,
        defer_all=defer_all,
        beyond_horizon=[u.id for u in problem.units if u.id not in needed],
        never_fit=never_fit,
    )
    result.seconds = time.perf_counter() - began
    result.summary = _summary(result)
    return result


def riskiest_first(problem: Problem) -> Outcome:
    """The plan a budget office might make by hand: the most risk per dollar first, each in
    its due year if the cap has room, else the nearest later year, else an earlier one.
    The optimizer starts from it; the benchmark compares with it."""
    check(problem)
    needed = _needed(problem)
    units = [u for u in problem.units if u.id in needed]
    return outcome(problem, "riskiest first", _greedy(problem, units))


def outcome(problem: Problem, name: str, chosen: Mapping[str, int]) -> Outcome:
    """Spending and risk per year of replacing each unit in `chosen` in its year."""
    years = list(problem.years)
    spend = dict.fromkeys(years, 0.0)
    risk = dict.fromkeys(years, 0.0)
    total = 0.0
    for unit in problem.units:
        year = chosen.get(unit.id)
        if year is not None:
            spend[year] += problem.cost(unit, year)
        if unit.due > years[-1]:
            continue
        past = problem.years_past_due(unit, year)
        total += unit.weight * past
        start = max(unit.due, years[0])
        for y in range(start, min(start + past, years[-1] + 1)):
            risk[y] += unit.weight
    over = {y: spend[y] - problem.caps[y] for y in years if spend[y] > problem.caps[y] + TOL}
    every = {u.id: chosen.get(u.id) for u in problem.units}
    return Outcome(name, every, spend, risk, total, over)


# --- the plans it is compared with, and a first plan ------------------------------------------


def _when_due(problem: Problem, units: list[Unit]) -> dict[str, int]:
    """Each unit due within the horizon in its due year (the first for one past due); a
    prerequisite moved up to the year of the earliest unit that needs it."""
    years = list(problem.years)
    chosen = {u.id: max(u.due, years[0]) for u in units if u.due <= years[-1]}
    for unit in reversed(_prerequisites_first(units)):
        if unit.id not in chosen:
            continue
        for pre in unit.prerequisites:
            if pre not in chosen or chosen[pre] > chosen[unit.id]:
                chosen[pre] = chosen[unit.id]
    return chosen


def _greedy(problem: Problem, units: list[Unit]) -> dict[str, int]:
    """A plan within the caps: the riskiest per dollar first, each (with what it needs)
    in the earliest year from its due year with room, else the latest year with room."""
    years = list(problem.years)
    left = {y: problem.caps[y] for y in years}
    by_id = {u.id: u for u in units}
    chosen: dict[str, int] = {}

    def needs(unit: Unit) -> list[Unit]:
        out, todo, seen = [], [unit], {unit.id}
        while todo:
            u = todo.pop()
            out.append(u)
            for pre in u.prerequisites:
                if pre not in seen and pre not in chosen:
                    seen.add(pre)
                    todo.append(by_id[pre])
        return out

    def place(group: list[Unit]) -> bool:
        due = max(min(u.due for u in group), years[0])
        order = [y for y in years if y >= due] + [y for y in reversed(years) if y < due]
        floor = max((chosen[p] for u in group for p in u.prerequisites if p in chosen), default=0)
        for y in order:
            if y < floor:
                continue
            if sum(problem.cost(u, y) for u in group) <= left[y] + TOL:
                for u in group:
                    chosen[u.id] = y
                    left[y] -= problem.cost(u, y)
                return True
        return False

    def urgency(unit: Unit) -> float:
        return unit.weight * problem.years_past_due(unit, None) / max(unit.cost, 1.0)

    for unit in sorted(units, key=urgency, reverse=True):
        if unit.id in chosen or unit.due > years[-1]:
            continue
        place(needs(unit))
    return chosen


def _as_late_as_useful(
    problem: Problem, chosen: dict[str, int], units: list[Unit]
) -> dict[str, int]:
    """Move a replacement made before its due year later, up to that year, where the cap
    and the units that need it allow: the risk is the same, the money is spent later.
    The solver is indifferent between such plans; a city is not."""
    chosen = dict(chosen)
    years = list(problem.years)
    spend = dict.fromkeys(years, 0.0)
    for unit in units:
        if unit.id in chosen:
            spend[chosen[unit.id]] += problem.cost(unit, chosen[unit.id])
    needed_by: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        for pre in unit.prerequisites:
            needed_by[pre].append(unit.id)
    for unit in reversed(_prerequisites_first(units)):  # dependents move first
        now = chosen.get(unit.id)
        if now is None or now >= unit.due:
            continue
        latest = min([unit.due, years[-1]] + [chosen[d] for d in needed_by[unit.id] if d in chosen])
        for y in range(latest, now, -1):
            cost = problem.cost(unit, y)
            if spend[y] + cost <= problem.caps[y] + TOL:
                spend[now] -= problem.cost(unit, now)
                spend[y] += cost
                chosen[unit.id] = y
                break
    return chosen


def _risk(problem: Problem, chosen: Mapping[str, int], units: list[Unit]) -> float:
    return sum(u.weight * problem.years_past_due(u, chosen.get(u.id)) for u in units)


# --- the model --------------------------------------------------------------------------------


class _QuietHighs(highspy.Highs):
    """Logging off before HiGHS's callbacks start, so nothing reaches standard output."""

    def enableCallbacks(self) -> None:  # HiGHS's method name
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()


@dataclass
class _Model:
    cost: list[float] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    offset: float = 0.0

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
        cols: list[tuple[Unit, int]],
        start: Mapping[str, int],
    ) -> highspy.Highs:
        h, n = _QuietHighs(), len(self.cost)
        h.setOptionValue("time_limit", float(max(time_limit, 0.01)))
        h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        # HiGHS's presolve found nothing to remove on a 60,000-column estate, yet its
        # probing held the root for longer than the time limit; without it the proven
        # gap is under 0.5 % in 15 s.
        h.setOptionValue("presolve", "off")
        h.addVars(n, np.zeros(n), np.ones(n))
        every = np.arange(n, dtype=np.int32)
        h.changeColsCost(n, every, np.array(self.cost, dtype=float))
        h.changeColsIntegrality(n, every, np.array([highspy.HighsVarType.kInteger] * n))
        h.addRows(
            len(self.row_lower),
            np.array(self.row_lower, dtype=float),
            np.array(self.row_upper, dtype=float),
            len(self.index),
            np.array(self.starts[:-1], dtype=np.int32),
            np.array(self.index, dtype=np.int32),
            np.array(self.value, dtype=float),
        )
        h.changeObjectiveSense(highspy.ObjSense.kMinimize)
        h.changeObjectiveOffset(self.offset)  # so HiGHS's gap is measured on the risk
        values = [float(start.get(u.id) == t) for u, t in cols]
        h.setSolution(n, every, np.array(values, dtype=float))
        h.run()
        return h


def _model(problem: Problem, cols: list[tuple[Unit, int]]) -> _Model:
    """Cost of x[u, t]: the risk it saves against never replacing u (0 or less), so the
    objective plus the risk of deferring everything is the plan's risk."""
    model = _Model()
    per: dict[str, list[tuple[int, int]]] = defaultdict(list)
    caps: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for c, (unit, t) in enumerate(cols):
        never = problem.years_past_due(unit, None)
        model.cost.append(unit.weight * (problem.years_past_due(unit, t) - never))
        per[unit.id].append((t, c))
        caps[t].append((c, problem.cost(unit, t)))
    for options in per.values():
        model.row([(c, 1.0) for _, c in options], 0.0, 1.0)
    for year, entries in caps.items():
        scale = max(problem.caps[year], 1.0)  # dollars near 1 beside the yes/no rows
        model.row([(c, v / scale) for c, v in entries], -math.inf, problem.caps[year] / scale)
    by_id = {u.id: u for u, _ in cols}
    for unit_id, options in per.items():
        for pre in by_id[unit_id].prerequisites:
            theirs = per.get(pre, [])
            for t, _ in options:  # replaced by t only if the prerequisite is replaced by t
                mine = [(c, 1.0) for s, c in options if s <= t]
                model.row(mine + [(c, -1.0) for s, c in theirs if s <= t], -math.inf, 0.0)
    return model


def _result(
    highs: highspy.Highs, cols: list[tuple[Unit, int]]
) -> tuple[str, dict[str, int] | None, float]:
    """Status in our words, HiGHS's best plan if any, and its proven bound (objective units)."""
    s = highspy.HighsModelStatus
    label = {s.kOptimal: OPTIMAL, s.kTimeLimit: TIME_LIMIT}.get(highs.getModelStatus(), STOPPED)
    info = highs.getInfo()
    bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else 0.0
    if info.primal_solution_status != 2:  # 2: a feasible solution is known
        return label, None, bound
    x = highs.getSolution().col_value
    return label, {u.id: t for c, (u, t) in enumerate(cols) if x[c] > 0.5}, bound


# --- the units in play ------------------------------------------------------------------------


def _needed(problem: Problem) -> set[str]:
    """Units due within the horizon, and every unit they need, directly or not."""
    by_id = {u.id: u for u in problem.units}
    last = problem.years[-1]
    needed = {u.id for u in problem.units if u.due <= last}
    todo = list(needed)
    while todo:
        for pre in by_id[todo.pop()].prerequisites:
            if pre not in needed:
                needed.add(pre)
                todo.append(pre)
    return needed


def _prerequisites_first(units: Sequence[Unit]) -> list[Unit]:
    by_id = {u.id: u for u in units}
    done: set[str] = set()
    order: list[Unit] = []
    for root in units:
        stack = [(root, iter(root.prerequisites))]
        if root.id in done:
            continue
        done.add(root.id)
        while stack:
            unit, pres = stack[-1]
            pre = next((p for p in pres if p in by_id and p not in done), None)
            if pre is None:
                order.append(unit)
                stack.pop()
            else:
                done.add(pre)
                stack.append((by_id[pre], iter(by_id[pre].prerequisites)))
    return order


def _cycle(units: Sequence[Unit]) -> list[str]:
    """One cycle of prerequisites as a list of ids (first repeated at the end), or []."""
    by_id = {u.id: u for u in units}
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for root in units:
        if root.id in state:
            continue
        path = [root.id]
        stack = [iter(root.prerequisites)]
        state[root.id] = 1
        while stack:
            pre = next(stack[-1], None)
            if pre is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(pre) == 1:
                return path[path.index(pre) :] + [pre]
            elif pre not in state:
                state[pre] = 1
                path.append(pre)
                stack.append(iter(by_id[pre].prerequisites))
    return []


def _summary(result: Schedule) -> str:
    plan, due = result.plan, result.when_due
    if result.status == OPTIMAL:
        head = (
            "Proven optimal."
            if result.gap <= TOL
            else (f"Proven optimal within {result.gap:.2%} of the least possible risk.")
        )
    else:
        why = "the time limit" if result.status == TIME_LIMIT else "an interruption"
        head = f"Stopped at {why}: at most {result.gap:.2%} above the least possible risk."
    caps = (
        "Replacing everything when due fits the caps."
        if due.within_caps
        else "Replacing everything when due breaks the caps in "
        + ", ".join(f"{y} (by {v:,.0f})" for y, v in due.over_caps.items())
        + "."
    )
    return (
        f"{head} Risk {plan.total_risk:,.1f} weighted years past end of life, against "
        f"{result.defer_all.total_risk:,.1f} if everything is deferred. {caps}"
    )
