"""Portfolio scenarios on records: the optimizer's input built from a budget cycle, and the
saved answer. The optimizer itself (governance/optimizer.py) knows nothing of Django; this
module is the only place that turns records into its input and its plan into a record.

Which proposals of the cycle take part
--------------------------------------
* **Choices**: submitted, under review, scored, deferred, and approved without an approved
  start year (the board said yes; the plan picks the year, so they are forced in).
* **Commitments**: in progress, and approved with an approved start year. Their start is
  decided, so they are not choices: their costs and staff hours in the cycle's years are
  taken off the budgets and pools first, and the page lists them beside the plan.
* **Left out**: drafts, rejected and complete proposals; and choices that no board member
  has scored yet (their value is unknown), unless mandated, forced in by the scenario, or
  needed as a prerequisite of a proposal that takes part (then they count as 0).
* A scenario's *always fund* list brings in any proposal of the cycle that is neither
  complete nor committed; its *never fund* list keeps out any proposal, commitments too
  (to ask "what if we stopped it?").

Values by objective
-------------------
* ``score``: the board's weighted total, 0–100, from submitted ballots.
* ``score_per_million``: the weighted total per $1M of one-time cost (capital plus one-time
  operating over the project); costs under ``MIN_RATIO_COST`` count as that much, so a
  nearly free item does not swamp every other.
* ``risk``: the weighted total times ``1 + bonus``: ``KIND_BONUS`` by kind (cybersecurity,
  infrastructure renewal, compliance) plus ``END_OF_SUPPORT_BONUS`` when the proposal
  replaces or retires a system or component past or within two years of end of support.
* Mandated proposals count 0 in every objective: they are funded whatever they are worth
  and are not scored, so the value measures what the board's own choices buy.

Limits
------
Budgets and staff hours are the cycle's, a year or pool with no amount counting as 0 (as
on the cycle's page), less what commitments use (never below 0; going over is noted). The
scenario's budget level multiplies the capital and operating money left for the plan
(staff hours are not scaled); the efficient frontier uses the same rule. The minimum
infrastructure share is the scenario's, or the cycle's when the scenario leaves it blank.

Proposal ids in the optimizer's input are ``p<pk>``, so messages can be put back in words
with titles (`in_words`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from townhall.core import permissions, services
from townhall.governance import linkage, optimizer, scores
from townhall.governance.models import BudgetCycle, Proposal, Scenario, SkillPool
from townhall.jobs import runner
from townhall.jobs.models import Job

logger = logging.getLogger(__name__)

S = Proposal.Status
CHOICE_STATUSES = (S.SUBMITTED, S.UNDER_REVIEW, S.SCORED, S.DEFERRED, S.APPROVED)
NEVER = (S.DRAFT, S.REJECTED, S.COMPLETE)

MIN_RATIO_COST = Decimal(100_000)
KIND_BONUS: dict[str, float] = {
    Proposal.Kind.CYBER: 1.0,
    Proposal.Kind.RENEWAL: 0.5,
    Proposal.Kind.COMPLIANCE: 0.5,
}
END_OF_SUPPORT_BONUS = 0.5

FRONTIER_LEVELS = optimizer.DEFAULT_LEVELS  # 50% to 150% of the money available
FRONTIER_SECONDS = 10  # at most, per budget level
SOLVE_JOB, FRONTIER_JOB = "scenario_solve", "scenario_frontier"

ID_PATTERN = re.compile(r"\bp(\d+)\b")


def pid(proposal: Proposal | int) -> str:
    return f"p{proposal if isinstance(proposal, int) else proposal.pk}"


def _ordered(ids: Any) -> list[str]:
    return sorted(set(ids), key=lambda i: int(i[1:]))


def pk_of(proposal_id: str) -> int | None:
    match = ID_PATTERN.fullmatch(str(proposal_id))
    return int(match.group(1)) if match else None


# --- reading the cycle ---------------------------------------------------------------------


@dataclass
class CycleData:
    """What every scenario of a cycle shares, read once (a fixed number of queries)."""

    cycle: BudgetCycle
    proposals: list[Proposal]  # the cycle's, drafts included (force-in may name one)
    totals: dict[int, float | None]
    pool_names: dict[str, str]
    _end_of_support: set[int] | None = None

    def end_of_support(self) -> set[int]:
        """Proposals that replace or retire something past or near end of support."""
        if self._end_of_support is None:
            self._end_of_support = _replacing_end_of_support([p.pk for p in self.proposals])
        return self._end_of_support


def load(cycle: BudgetCycle) -> CycleData:
    proposals = list(
        Proposal.objects.filter(cycle=cycle).prefetch_related("prerequisites").order_by("pk")
    )
    totals = {pk: c.total for pk, c in scores.cycle_totals(cycle).items()}
    names = dict(SkillPool.objects.values_list("code", "name"))
    return CycleData(cycle, proposals, totals, names)


def _replacing_end_of_support(ids: list[int]) -> set[int]:
    from townhall.estate.models import Component, System

    near = Q(end_of_support__isnull=False, end_of_support__lte=linkage.horizon())
    found: set[int] = set()
    for relation, model, column in (
        (Proposal.replaces_systems, System, "system"),
        (Proposal.retires_systems, System, "system"),
        (Proposal.replaces_components, Component, "component"),
    ):
        through = relation.through
        found |= set(
            through.objects.filter(
                proposal_id__in=ids, **{f"{column}__in": model.objects.filter(near)}
            ).values_list("proposal_id", flat=True)
        )
    return found


# --- values ------------------------------------------------------------------------------------


def value_of(objective: str, proposal: Proposal, total: float | None, flagged: bool) -> float:
    """What funding the proposal is worth under `objective` (see the module's doc)."""
    if proposal.mandated or total is None:
        return 0.0
    if objective == Scenario.Objective.SCORE_PER_COST:
        cost = max(proposal.one_time_total(), MIN_RATIO_COST)
        return round(float(Decimal(str(total)) * Decimal(1_000_000) / cost), 2)
    if objective == Scenario.Objective.RISK:
        bonus = KIND_BONUS.get(proposal.kind, 0.0) + (END_OF_SUPPORT_BONUS if flagged else 0.0)
        return round(total * (1 + bonus), 2)
    return float(total)


# --- building the problem --------------------------------------------------------------------


@dataclass
class Built:
    """The optimizer's input and what the page needs to explain it."""

    problem: dict[str, Any]
    titles: dict[str, str]
    score_values: dict[str, float]
    commitments: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        text = json.dumps(self.problem, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


def problem_for(scenario: Scenario) -> dict[str, Any]:
    """The optimizer's input for the scenario (the format of docs/portfolio-format.md)."""
    return build(scenario).problem


def _start_of(p: Proposal) -> int | None:
    return p.approved_start or p.earliest_start


def _committed(p: Proposal) -> bool:
    return p.status == S.IN_PROGRESS or (p.status == S.APPROVED and bool(p.approved_start))


def _year_costs(p: Proposal, start: int, years: list[int]) -> dict[int, dict[str, Decimal]]:
    """Capital, operating and hours per pool the proposal uses in each of `years`."""
    capital, operating = p.year_amounts("capital_costs"), p.year_amounts("operating_costs")
    pools = {code: p.pool_hours(code) for code in (p.effort or {})}
    out: dict[int, dict[str, Decimal]] = {}
    for year in years:
        k = year - start
        if k < 0:
            continue
        inside = k < len(capital)
        amounts = {
            "capital": capital[k] if inside else Decimal(0),
            "operating": (operating[k] if inside else Decimal(0)) + p.recurring_operating,
        }
        for code, hours in pools.items():
            amounts[f"hours:{code}"] = hours[k] if k < len(hours) else Decimal(0)
        out[year] = amounts
    return out


def build(
    scenario: Scenario, *, data: CycleData | None = None, level: Decimal | float | None = None
) -> Built:
    """Everything the optimizer needs for `scenario`; `level` overrides its budget level."""
    cycle = scenario.cycle
    data = data or load(cycle)
    years = cycle.fiscal_years()
    level = Decimal(str(scenario.budget_level if level is None else level))
    forced_in = {p.pk for p in scenario.force_in.all()}
    forced_out = {p.pk for p in scenario.force_out.all()}
    by_pk = {p.pk: p for p in data.proposals}
    flagged = data.end_of_support() if scenario.objective == Scenario.Objective.RISK else set()
    built = Built(problem={}, titles={}, score_values={})

    # Commitments first: their decided starts use part of each year's limits.
    committed: defaultdict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for p in data.proposals:
        if not _committed(p) or p.pk in forced_out:
            continue
        start = _start_of(p)
        if start is None:
            built.notes.append(
                f"“{p.title}” is in progress with no start year; its costs are not counted."
            )
            continue
        for year, amounts in _year_costs(p, start, years).items():
            for key, amount in amounts.items():
                committed[key, year] += amount
        built.commitments.append(
            {
                "id": pid(p),
                "title": p.title,
                "status": p.get_status_display(),
                "start": start,
                "end": start + p.duration - 1,
            }
        )
    committed_ids = {pk_of(c["id"]) for c in built.commitments}

    # Choices: eligible by status or forced in; unscored ones wait unless needed.
    def is_choice(p: Proposal) -> bool:
        if p.pk in committed_ids or p.status == S.COMPLETE:
            return False
        return p.status in CHOICE_STATUSES or p.pk in forced_in

    # Approved without a start year: the board said yes, the plan picks the year.
    must = forced_in | {
        p.pk
        for p in data.proposals
        if p.status == S.APPROVED and p.pk not in committed_ids and p.pk not in forced_out
    }
    chosen: dict[int, Proposal] = {}
    for p in data.proposals:
        if not is_choice(p):
            continue
        if data.totals.get(p.pk) is None and not (p.mandated or p.pk in must):
            continue
        chosen[p.pk] = p
    # Prerequisites of what takes part take part too (value 0 if unscored); those that
    # cannot (draft, rejected, another cycle's undecided request) enter as never funded,
    # so the optimizer can say what they block.
    unavailable: dict[int, Proposal] = {}
    earliest: dict[int, int | None] = {}
    todo = list(chosen.values())
    while todo:
        p = todo.pop()
        earliest[p.pk] = p.earliest_start
        for pre in p.prerequisites.all():
            mine = by_pk.get(pre.pk)
            if mine is not None and is_choice(mine):
                if mine.pk not in chosen:
                    chosen[mine.pk] = mine
                    todo.append(mine)
            elif pre.status == S.COMPLETE:
                continue
            elif (_committed(pre) or pre.status == S.IN_PROGRESS) and pre.pk not in forced_out:
                start = _start_of(pre)
                if start is not None:
                    after = start + pre.duration
                    earliest[p.pk] = max(earliest[p.pk] or after, after)
            else:
                unavailable[pre.pk] = pre
    for pk in sorted(by_pk):
        p = by_pk[pk]
        if is_choice(p) and pk not in chosen:
            built.left_out.append(
                {"id": pid(p), "title": p.title, "reason": "not scored by the board yet"}
            )

    # Limits: the cycle's, less commitments; money scaled by the budget level.
    budgets: dict[str, dict[str, float]] = {"capital": {}, "operating": {}}
    for kind in budgets:
        for year in years:
            limit = cycle.budget(year, kind)
            spare = limit - committed[kind, year]
            if spare < 0:
                built.notes.append(
                    f"Commitments exceed the {kind} budget in FY{year} by ${-spare:,.0f}."
                )
            budgets[kind][str(year)] = float(max(spare, Decimal(0)) * level)
    codes = set(cycle.capacities or {})
    for p in chosen.values():
        codes |= {c for c, hours in (p.effort or {}).items() if any(hours or [])}
    pools: dict[str, dict[str, float]] = {}
    for code in sorted(codes):
        pools[code] = {}
        for year in years:
            spare = cycle.capacity(code, year) - committed[f"hours:{code}", year]
            if spare < 0:
                name = data.pool_names.get(code, code)
                built.notes.append(
                    f"Commitments exceed the {name} staff hours in FY{year} by {-spare:,.0f}."
                )
            pools[code][str(year)] = float(max(spare, Decimal(0)))

    share = scenario.infrastructure_share
    if share is None:
        share = cycle.infrastructure_share
    items = []
    for p in sorted(chosen.values(), key=lambda p: p.pk):
        total = data.totals.get(p.pk)
        built.titles[pid(p)] = p.title
        built.score_values[pid(p)] = value_of(Scenario.Objective.SCORE, p, total, False)
        items.append(
            {
                "id": pid(p),
                "title": p.title,
                "value": value_of(scenario.objective, p, total, p.pk in flagged),
                "duration": p.duration,
                "earliest_start": earliest[p.pk],
                "capital": [float(v) for v in p.year_amounts("capital_costs")],
                "operating": [float(v) for v in p.year_amounts("operating_costs")],
                "recurring": float(p.recurring_operating),
                "effort": {
                    code: [float(v) for v in p.pool_hours(code)]
                    for code, hours in sorted((p.effort or {}).items())
                    if any(hours or [])
                },
                "prerequisites": _ordered(
                    pid(q) for q in p.prerequisites.all() if q.pk in chosen or q.pk in unavailable
                ),
                "mandated": bool(p.mandated),
                "infrastructure": p.is_infrastructure,
            }
        )
    for p in sorted(unavailable.values(), key=lambda p: p.pk):
        built.titles[pid(p)] = p.title
        items.append({"id": pid(p), "title": p.title, "value": 0.0, "duration": p.duration})
        if p.pk in forced_out:
            why = "never funded in this scenario"
        else:
            where = "" if p.cycle_id == cycle.pk else " in another budget cycle"
            why = f"{p.get_status_display().lower()}{where}"
        built.left_out.append(
            {
                "id": pid(p),
                "title": p.title,
                "reason": f"{why}; the proposals that need it first cannot be funded",
            }
        )
    built.problem = {
        "years": years,
        "budgets": budgets,
        "pools": pools,
        "infrastructure_share": float(share or 0),
        "force_in": _ordered(pid(pk) for pk in must if pk in chosen),
        "force_out": _ordered(
            [pid(pk) for pk in forced_out if pk in chosen] + [pid(pk) for pk in unavailable]
        ),
        "proposals": items,
    }
    for pk in sorted(forced_in):
        forced = by_pk.get(pk)
        if forced is not None and pk not in chosen:
            state = (
                "already committed" if pk in committed_ids else forced.get_status_display().lower()
            )
            built.notes.append(
                f"“{forced.title}” is always funded by this scenario but is {state}."
            )
    return built


# --- solving ------------------------------------------------------------------------------------


def in_words(text: str, titles: dict[str, str]) -> str:
    """A message from the optimizer with proposal ids replaced by their titles."""
    return ID_PATTERN.sub(lambda m: titles.get(m.group(0), m.group(0)), text or "")


def _baseline_by_score(built: Built, problem: optimizer.Problem) -> tuple[list[str], float]:
    """What a budget office funding down the board's ranking would choose, valued in the
    scenario's objective (for the score objective, the optimizer's own baseline)."""
    plan = optimizer.rank_by_score(problem, ranking=built.score_values)
    return [f.id for f in plan.funded], float(plan.value or 0.0)


def run(scenario: Scenario, *, data: CycleData | None = None) -> dict[str, Any]:
    """Solve the scenario; the plan as a JSON-ready dict (nothing is saved)."""
    built = build(scenario, data=data)
    meta: dict[str, Any] = {
        "objective": scenario.objective,
        "budget_level": float(scenario.budget_level),
        "time_limit": scenario.time_limit,
        "input": built.fingerprint,
        "titles": built.titles,
        "commitments": built.commitments,
        "left_out": built.left_out,
        "notes": built.notes,
    }
    try:
        problem = optimizer.problem_from_dict(built.problem)
        plan = optimizer.solve(problem, time_limit=scenario.time_limit)
    except optimizer.ProblemError as exc:
        return {
            "status": "error",
            "summary": in_words(str(exc), built.titles),
            "value": None,
            "gap": None,
            "funded": [],
            "use": [],
            "baseline": None,
            "conflicts": [],
            **meta,
        }
    result = plan.to_dict()
    if scenario.objective != Scenario.Objective.SCORE and result.get("baseline") is not None:
        funded, value = _baseline_by_score(built, problem)
        result["baseline"] = {"funded": funded, "value": value}
        if result.get("value") is not None:
            result["value_difference"] = result["value"] - value
    scored = built.score_values
    result["score_total"] = {
        "plan": sum(scored.get(f["id"], 0.0) for f in result["funded"]),
        "baseline": sum(
            scored.get(i, 0.0) for i in (result.get("baseline") or {}).get("funded", [])
        ),
    }
    return {**result, **meta}


def solve(scenario: Scenario, user: Any, *, data: CycleData | None = None) -> Scenario:
    """Solve the scenario and save the plan on it through the write path (audited).

    An efficient frontier computed before is kept (it records what it was computed from)."""
    if not permissions.can(user, "change", scenario):
        raise PermissionDenied("You may not solve this scenario.")
    result = run(scenario, data=data)
    scenario.refresh_from_db(fields=["result"])
    if isinstance(scenario.result, dict) and "frontier" in scenario.result:
        result["frontier"] = scenario.result["frontier"]
    return services.update(
        user, scenario, {"result": result, "solved_at": timezone.now()}, version=None
    )


def compute_frontier(
    scenario: Scenario, user: Any, levels: tuple[float, ...] | None = None
) -> Scenario:
    """Value against budget level, kept in the scenario's result under "frontier"."""
    if not permissions.can(user, "change", scenario):
        raise PermissionDenied("You may not change this scenario.")
    built = build(scenario, level=1)
    seconds = max(1, min(scenario.time_limit, FRONTIER_SECONDS))
    try:
        points = optimizer.frontier(
            optimizer.problem_from_dict(built.problem),
            tuple(levels or FRONTIER_LEVELS),
            time_limit=seconds,
        )
        error = ""
    except optimizer.ProblemError as exc:
        points, error = [], in_words(str(exc), built.titles)
    frontier = {
        "computed_at": timezone.now().isoformat(),
        "input": built.fingerprint,
        "objective": scenario.objective,
        "time_limit": seconds,
        "error": error,
        "points": [point._asdict() for point in points],
    }
    scenario.refresh_from_db(fields=["result"])
    result = dict(scenario.result) if isinstance(scenario.result, dict) else {}
    result["frontier"] = frontier
    return services.update(user, scenario, {"result": result}, version=None)


# --- in the background ------------------------------------------------------------------------


def start_solve(user: Any, scenario: Scenario) -> Job:
    """Queue the solve as a job (it runs at once when tasks run in-process); asking again
    while it waits or runs leads to the same job."""
    return _start(user, scenario, SOLVE_JOB, f"Solve scenario “{scenario.name}”")


def start_frontier(user: Any, scenario: Scenario) -> Job:
    title = f"Efficient frontier of scenario “{scenario.name}”"
    return _start(user, scenario, FRONTIER_JOB, title)


def _start(user: Any, scenario: Scenario, kind: str, title: str) -> Job:
    if not permissions.can(user, "change", scenario):
        raise PermissionDenied("You may not change this scenario.")
    return runner.unfinished(kind, scenario=scenario.pk) or runner.submit(
        user, kind, title, {"scenario": scenario.pk}
    )


def running(scenario: Scenario, kind: str) -> Job | None:
    """The scenario's unfinished job of `kind`, if any."""
    return runner.unfinished(kind, scenario=scenario.pk)
