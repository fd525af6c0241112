"""The portfolio problem and plan as plain data, and reading a problem from JSON-like dicts.

Pure Python (no Django) so the optimizer can be fed by the ORM, a file or a test alike.
The format is documented in docs/portfolio-format.md; every reading error is a
`ProblemError` whose message names the proposal, field and reason, because the person
fixing the file needs to know exactly where to look.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

TOP_LEVEL_KEYS = {
    "years",
    "budgets",
    "pools",
    "infrastructure_share",
    "force_in",
    "force_out",
    "proposals",
}
PROPOSAL_KEYS = {
    "id",
    "title",
    "value",
    "duration",
    "earliest_start",
    "capital",
    "operating",
    "recurring",
    "effort",
    "prerequisites",
    "mandated",
    "infrastructure",
}


class ProblemError(ValueError):
    """A problem that cannot be solved as given: bad field, unknown id, cycle…"""


@dataclass
class Proposal:
    """One investment proposal. Cost lists are per project year (index 0 = start year)."""

    id: str
    value: float
    duration: int = 1
    title: str = ""
    earliest_start: int | None = None
    capital: list[float] = field(default_factory=list)
    operating: list[float] = field(default_factory=list)
    recurring: float = 0.0
    effort: dict[str, list[float]] = field(default_factory=dict)
    prerequisites: list[str] = field(default_factory=list)
    mandated: bool = False
    infrastructure: bool = False


@dataclass
class YearCost:
    """What a proposal costs in one fiscal year, given its start year."""

    year: int
    capital: float
    operating: float
    hours: dict[str, float]


@dataclass
class Problem:
    """A budget cycle. A budget of None means that kind of spending is not limited."""

    years: list[int]
    proposals: list[Proposal]
    capital_budget: dict[int, float] | None = None
    operating_budget: dict[int, float] | None = None
    pools: dict[str, dict[int, float]] = field(default_factory=dict)
    infrastructure_share: float = 0.0
    force_in: list[str] = field(default_factory=list)
    force_out: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Proposal]:
        return {p.id: p for p in self.proposals}

    def forced(self, p: Proposal) -> bool:
        """Must be funded: mandated, or forced in for this scenario."""
        return p.mandated or p.id in self.force_in

    def first_start(self, p: Proposal) -> int:
        return max(self.years[0], p.earliest_start or self.years[0])

    def costs(self, p: Proposal, start: int) -> list[YearCost]:
        """The proposal's costs in each fiscal year from `start` to the end of the horizon.

        One-time costs fall in project years 0..duration-1; the recurring operating cost
        applies every year from the start on; costs after the horizon are not counted.
        """
        out = []
        for year in range(start, self.years[-1] + 1):
            k = year - start
            out.append(
                YearCost(
                    year,
                    _at(p.capital, k),
                    _at(p.operating, k) + p.recurring,
                    {pool: _at(hours, k) for pool, hours in p.effort.items() if _at(hours, k)},
                )
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON input format, so a problem built from records can be saved and re-run."""
        budgets = {}
        for kind, amounts in (
            ("capital", self.capital_budget),
            ("operating", self.operating_budget),
        ):
            if amounts is not None:
                budgets[kind] = {str(y): v for y, v in amounts.items()}
        return {
            "years": list(self.years),
            "budgets": budgets,
            "pools": {n: {str(y): v for y, v in c.items()} for n, c in self.pools.items()},
            "infrastructure_share": self.infrastructure_share,
            "force_in": list(self.force_in),
            "force_out": list(self.force_out),
            "proposals": [
                {
                    "id": p.id,
                    "title": p.title,
                    "value": p.value,
                    "duration": p.duration,
                    "earliest_start": p.earliest_start,
                    "capital": list(p.capital),
                    "operating": list(p.operating),
                    "recurring": p.recurring,
                    "effort": {k: list(v) for k, v in p.effort.items()},
                    "prerequisites": list(p.prerequisites),
                    "mandated": p.mandated,
                    "infrastructure": p.infrastructure,
                }
                for p in self.proposals
            ],
        }


def _at(values: list[float], k: int) -> float:
    return values[k] if k < len(values) else 0.0


@dataclass
class FundedProposal:
    id: str
    title: str
    start: int
    end: int  # the last year of the project (it may lie after the horizon)
    value: float


@dataclass
class YearUse:
    """Spending and staff hours the plan uses in one fiscal year, beside the limits."""

    year: int
    capital: float
    capital_limit: float | None
    operating: float
    operating_limit: float | None
    hours: dict[str, float]
    hours_limit: dict[str, float]
    infrastructure_spending: float
    total_spending: float


@dataclass
class Plan:
    """The answer: what to fund and when, how sure we are, and how it compares."""

    status: str  # optimal | time_limit | stopped | infeasible | baseline
    value: float | None = None
    bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    funded: list[FundedProposal] = field(default_factory=list)
    use: list[YearUse] = field(default_factory=list)
    baseline_funded: list[str] | None = None
    baseline_value: float | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""

    @property
    def starts(self) -> dict[str, int]:
        return {f.id: f.start for f in self.funded}

    @property
    def value_difference(self) -> float | None:
        if self.value is None or self.baseline_value is None:
            return None
        return self.value - self.baseline_value

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the shape is documented in docs/portfolio-format.md."""
        return {
            "status": self.status,
            "summary": self.summary,
            "value": self.value,
            "bound": self.bound,
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
            "funded": [vars(f).copy() for f in self.funded],
            "use": [vars(u).copy() for u in self.use],
            "baseline": None
            if self.baseline_funded is None
            else {"funded": list(self.baseline_funded), "value": self.baseline_value},
            "value_difference": self.value_difference,
            "conflicts": [dict(c) for c in self.conflicts],
        }


# --- reading ---------------------------------------------------------------------------------


def problem_from_dict(data: Any) -> Problem:
    """Read the JSON input format into a checked `Problem` (raises `ProblemError`)."""
    if not isinstance(data, dict):
        raise ProblemError("the problem must be a JSON object")
    _no_unknown_keys(data, TOP_LEVEL_KEYS, "the problem")
    years = data.get("years")
    if not isinstance(years, list) or not years or not all(_is_int(y) for y in years):
        raise ProblemError("years: must be a non-empty list of integer fiscal years")
    budgets = data.get("budgets") or {}
    if not isinstance(budgets, dict):
        raise ProblemError("budgets: must be an object with 'capital' and/or 'operating'")
    _no_unknown_keys(budgets, {"capital", "operating"}, "budgets")
    pools = data.get("pools") or {}
    if not isinstance(pools, dict):
        raise ProblemError("pools: must be an object {pool name: {year: hours}}")
    raw = data.get("proposals")
    if not isinstance(raw, list):
        raise ProblemError("proposals: must be a list")
    problem = Problem(
        years=list(years),
        proposals=[_proposal(item, n) for n, item in enumerate(raw, 1)],
        capital_budget=_per_year(budgets, "capital", "budgets.capital"),
        operating_budget=_per_year(budgets, "operating", "budgets.operating"),
        pools={str(name): _per_year(pools, name, f"pools.{name}") or {} for name in pools},
        infrastructure_share=_number(data.get("infrastructure_share", 0), "infrastructure_share"),
        force_in=_ids(data.get("force_in", []), "force_in"),
        force_out=_ids(data.get("force_out", []), "force_out"),
    )
    check(problem)
    return problem


def check(problem: Problem) -> None:
    """Raise `ProblemError` for anything the optimizer cannot make sense of.

    Also run on problems built in code (from records), so both doors get the same messages.
    """
    years = problem.years
    if not years or not all(_is_int(y) for y in years):
        raise ProblemError("years: must be a non-empty list of integer fiscal years")
    if list(years) != list(range(years[0], years[0] + len(years))):
        raise ProblemError(f"years: must be consecutive and in order, e.g. {years[0]}, …")
    wanted = set(years)
    limits = [
        ("budgets.capital", problem.capital_budget),
        ("budgets.operating", problem.operating_budget),
    ]
    limits += [(f"pools.{name}", amounts) for name, amounts in problem.pools.items()]
    for where, amounts in limits:
        if amounts is None and where.startswith("budgets."):
            continue  # that kind of spending is not limited
        if not isinstance(amounts, dict):
            raise ProblemError(f"{where}: must be an object {{year: amount}}")
        missing = sorted(wanted - set(amounts))
        if missing:
            raise ProblemError(f"{where}: no amount for {missing[0]} (give 0 for none)")
        for year, amount in amounts.items():
            if year not in wanted:
                raise ProblemError(f"{where}: {year} is not one of the years")
            _amount(amount, f"{where}.{year}")
    share = problem.infrastructure_share
    if not 0 <= share <= 1:
        raise ProblemError(f"infrastructure_share: must be between 0 and 1, not {share}")
    proposals = problem.by_id()
    if len(proposals) != len(problem.proposals):
        counts = Counter(p.id for p in problem.proposals)
        dup = next(pid for pid, n in counts.items() if n > 1)
        raise ProblemError(f"proposal {dup}: the id is used twice")
    for where, ids in (("force_in", problem.force_in), ("force_out", problem.force_out)):
        for pid in ids:
            if pid not in proposals:
                raise ProblemError(f"{where}: unknown proposal {pid!r}")
    for p in problem.proposals:
        _check_proposal(problem, p, proposals)
    _check_acyclic(problem)


def _check_proposal(problem: Problem, p: Proposal, proposals: dict[str, Proposal]) -> None:
    where = f"proposal {p.id}"
    if not _is_number(p.value):
        raise ProblemError(f"{where}: value must be a number")
    if not _is_int(p.duration) or p.duration < 1:
        raise ProblemError(f"{where}: duration must be a whole number of years, at least 1")
    if p.earliest_start is not None and not _is_int(p.earliest_start):
        raise ProblemError(f"{where}: earliest_start must be an integer year")
    _amount(p.recurring, f"{where}: recurring")
    costs = [("capital", p.capital), ("operating", p.operating)]
    costs += [(f"effort.{pool}", hours) for pool, hours in p.effort.items()]
    for name, values in costs:
        if len(values) > p.duration:
            raise ProblemError(
                f"{where}: {name} has {_entries(len(values))} but duration is {p.duration}"
            )
        for k, v in enumerate(values):
            _amount(v, f"{where}: {name}[{k}]")
    for pool in p.effort:
        if pool not in problem.pools:
            raise ProblemError(f"{where}: effort names pool {pool!r}, which is not in pools")
    for pre in p.prerequisites:
        if pre not in proposals:
            raise ProblemError(f"{where}: unknown prerequisite {pre!r}")


def _check_acyclic(problem: Problem) -> None:
    """Depth-first walk without recursion (chains of prerequisites may be long)."""
    proposals = problem.by_id()
    done: set[str] = set()
    for root in problem.proposals:
        if root.id in done:
            continue
        path = [root.id]
        todo = [iter(root.prerequisites)]
        while todo:
            pre = next(todo[-1], None)
            if pre is None:
                done.add(path.pop())
                todo.pop()
            elif pre in path:
                cycle = [*path[path.index(pre) :], pre]
                raise ProblemError("prerequisites form a cycle: " + " → ".join(cycle))
            elif pre not in done:
                path.append(pre)
                todo.append(iter(proposals[pre].prerequisites))


def _proposal(item: Any, n: int) -> Proposal:
    if not isinstance(item, dict):
        raise ProblemError(f"proposals[{n}]: must be an object")
    pid = item.get("id")
    if not isinstance(pid, str | int) or isinstance(pid, bool) or str(pid) == "":
        raise ProblemError(f"proposals[{n}]: id is missing (a string)")
    pid = str(pid)
    where = f"proposal {pid}"
    _no_unknown_keys(item, PROPOSAL_KEYS, where)
    if "value" not in item:
        raise ProblemError(f"{where}: value is missing")
    duration = item.get("duration", 1)
    if not _is_int(duration) or duration < 1:
        raise ProblemError(f"{where}: duration must be a whole number of years, at least 1")
    start = item.get("earliest_start")
    if start is not None and not _is_int(start):
        raise ProblemError(f"{where}: earliest_start must be an integer year, not {start!r}")
    effort = item.get("effort") or {}
    if not isinstance(effort, dict):
        raise ProblemError(f"{where}: effort must be an object {{pool: [hours per year]}}")
    for flag in ("mandated", "infrastructure"):
        if not isinstance(item.get(flag, False), bool):
            raise ProblemError(f"{where}: {flag} must be true or false")
    title = item.get("title") or ""
    if not isinstance(title, str):
        raise ProblemError(f"{where}: title must be text")
    return Proposal(
        id=pid,
        title=title,
        value=_number(item["value"], f"{where}: value"),
        duration=duration,
        earliest_start=start,
        capital=_list(item.get("capital"), duration, f"{where}: capital"),
        operating=_list(item.get("operating"), duration, f"{where}: operating"),
        recurring=_number(item.get("recurring", 0), f"{where}: recurring"),
        effort={str(k): _list(v, duration, f"{where}: effort.{k}") for k, v in effort.items()},
        prerequisites=list(
            dict.fromkeys(_ids(item.get("prerequisites", []), f"{where}: prerequisites"))
        ),
        mandated=item.get("mandated", False),
        infrastructure=item.get("infrastructure", False),
    )


def _per_year(source: dict[str, Any], key: str, where: str) -> dict[int, float] | None:
    if key not in source or source[key] is None:
        return None
    amounts = source[key]
    if not isinstance(amounts, dict):
        raise ProblemError(f"{where}: must be an object {{year: amount}}")
    out = {}
    for year, amount in amounts.items():
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise ProblemError(f"{where}: {year!r} is not a year") from None
        if str(y) != str(year).strip():
            raise ProblemError(f"{where}: {year!r} is not a year")
        out[y] = _amount(amount, f"{where}.{year}")
    return out


def _list(values: Any, duration: int, where: str) -> list[float]:
    if values is None:
        return [0.0] * duration
    if not isinstance(values, list):
        raise ProblemError(f"{where}: must be a list with one amount per project year")
    if len(values) != duration:
        raise ProblemError(f"{where} has {_entries(len(values))} but duration is {duration}")
    return [_amount(v, f"{where}[{k}]") for k, v in enumerate(values)]


def _ids(values: Any, where: str) -> list[str]:
    if not isinstance(values, list) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in values
    ):
        raise ProblemError(f"{where}: must be a list of proposal ids")
    return [str(v) for v in values]


def _entries(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"


def _amount(value: Any, where: str) -> float:
    number = _number(value, where)
    if number < 0:
        raise ProblemError(f"{where}: must not be negative ({value})")
    return number


def _number(value: Any, where: str) -> float:
    if not _is_number(value):
        raise ProblemError(f"{where}: must be a number, not {value!r}")
    return float(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _no_unknown_keys(data: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ProblemError(
            f"{where}: unknown field {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})"
        )
