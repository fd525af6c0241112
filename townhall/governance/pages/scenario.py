"""Portfolio scenario pages: a scenario's plan on its detail page, solving it, the efficient
frontier, and the scenarios of a cycle side by side.

Solving and the frontier run as background jobs (governance/portfolio.py); while one runs,
the page polls the same URL with htmx and reloads itself when the job has finished.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from townhall.core import permissions
from townhall.core.http import SignedInRequest, whole_number
from townhall.governance import portfolio, scores
from townhall.governance.models import Ballot, BudgetCycle, Proposal, Scenario, SkillPool
from townhall.jobs.models import Job

HIDDEN_TITLE = "A request you cannot see"


# --- the saved plan, ready for a page ---------------------------------------------------------


def percent(fraction: float | None) -> str:
    if fraction is None or not math.isfinite(fraction):
        return "unknown"
    if fraction >= 10:
        return "over 1,000%"
    text = f"{fraction * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def status_of(result: dict[str, Any] | None) -> tuple[str, str]:
    """The plan's status in words, and its tone (success, warning, error, info).

    A plan stopped by the time limit is never called optimal: it says how far from the best
    possible value it may be (the proven gap)."""
    if not result or "status" not in result:
        return "Not solved yet", "info"
    status, gap, value = result.get("status"), result.get("gap"), result.get("value")
    if status == "optimal":
        return ("Optimal" if not gap else f"Optimal (proven gap {percent(gap)})"), "success"
    if status in ("time_limit", "stopped"):
        why = "at the time limit" if status == "time_limit" else "before it finished"
        if value is None:
            return f"Stopped {why}, before finding any plan", "error"
        return f"Stopped {why}: not proven optimal, gap {percent(gap)}", "warning"
    if status == "infeasible":
        return "Infeasible: no plan meets every constraint", "error"
    return "Could not be solved", "error"


@dataclass
class Funded:
    title: str
    url: str | None
    start: int
    end: int
    value: float | None


class MatrixCell(TypedDict):
    start: int | None
    by_score: bool


class MatrixRow(TypedDict):
    """One proposal across the compared scenarios: the year each starts it, if it does."""

    title: str
    url: str | None
    cells: list[MatrixCell]


@dataclass
class Shown:
    """One scenario's saved result, in words and rows for the templates."""

    scenario: Scenario
    solved: bool = False
    status: str = ""
    label: str = "Not solved yet"
    tone: str = "info"
    summary: str = ""
    value: float | None = None
    gap: str = ""
    funded: list[Funded] = field(default_factory=list)
    starts: dict[str, int] = field(default_factory=dict)
    baseline_ids: list[str] = field(default_factory=list)
    baseline_titles: list[str] = field(default_factory=list)
    baseline_value: float | None = None
    difference: float | None = None
    score_total: dict[str, float] = field(default_factory=dict)
    use: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    commitments: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float | None = None
    solved_at: datetime | None = None
    stale: bool = False
    values_hidden: bool = False

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    @property
    def difference_words(self) -> str:
        if self.difference is None:
            return ""
        if abs(self.difference) < 0.005:
            return "the same value"
        more = "more" if self.difference > 0 else "less"
        return f"{abs(self.difference):,.1f} {more}"

    def use_by_year(self, year: int) -> dict[str, Any] | None:
        return next((u for u in self.use if u["year"] == year), None)


class Titles:
    """Proposal titles as the viewer may see them (drafts stay within their department)."""

    def __init__(self, user: Any, results: list[dict[str, Any]]) -> None:
        ids: set[int | None] = set()
        for result in results:
            ids |= {portfolio.pk_of(i) for i in (result.get("titles") or {})}
            ids |= {portfolio.pk_of(f["id"]) for f in result.get("funded") or []}
            for key in ("commitments", "left_out"):
                ids |= {portfolio.pk_of(c["id"]) for c in result.get(key) or []}
        ids.discard(None)
        rows = Proposal.objects.restrict(user, "view").filter(pk__in=ids)
        self.visible = {p.pk: p for p in rows.only("pk", "title", "status", "mandated")}
        own: set[int] = set()
        if permissions.is_board(user) and self.visible:
            own = set(
                Ballot.objects.filter(
                    member=user, submitted_at__isnull=False, proposal_id__in=list(self.visible)
                ).values_list("proposal_id", flat=True)
            )
        self.hidden = {pk for pk, p in self.visible.items() if scores.hidden_reason(user, p, own)}

    def title(self, proposal_id: str) -> str:
        seen = self.visible.get(portfolio.pk_of(proposal_id))
        return seen.title if seen else HIDDEN_TITLE

    def url(self, proposal_id: str) -> str | None:
        pk = portfolio.pk_of(proposal_id)
        return reverse("governance:proposal_detail", args=[pk]) if pk in self.visible else None

    def value_shown(self, proposal_id: str) -> bool:
        """A proposal's value reveals the board's scores, so it is shown as the scores are
        (governance/scores.py `hidden_reason`)."""
        pk = portfolio.pk_of(proposal_id)
        return pk in self.visible and pk not in self.hidden

    def words(self, text: str) -> str:
        return portfolio.ID_PATTERN.sub(lambda m: self.title(m.group(0)), text or "")


def present(scenario: Scenario, titles: Titles) -> Shown:
    result = scenario.result if isinstance(scenario.result, dict) else {}
    label, tone = status_of(result)
    shown = Shown(scenario=scenario, label=label, tone=tone, solved_at=scenario.solved_at)
    if "status" not in result:
        return shown
    shown.solved = True
    shown.status = result["status"]
    shown.summary = titles.words(result.get("summary", ""))
    shown.value = result.get("value")
    shown.seconds = result.get("seconds")
    if shown.status != "optimal" and result.get("value") is not None:
        shown.gap = percent(result.get("gap"))
    elif shown.status == "optimal":
        shown.gap = percent(result.get("gap") or 0.0)
    for f in result.get("funded") or []:
        shown.funded.append(
            Funded(
                title=titles.title(f["id"]),
                url=titles.url(f["id"]),
                start=f["start"],
                end=f["end"],
                value=f.get("value") if titles.value_shown(f["id"]) else None,
            )
        )
        shown.starts[f["id"]] = f["start"]
    baseline = result.get("baseline") or {}
    # A ranking that cannot fit what must be funded is no plan to compare with.
    if shown.status != "infeasible":
        shown.baseline_ids = list(baseline.get("funded") or [])
        shown.baseline_titles = [titles.title(i) for i in shown.baseline_ids]
        shown.baseline_value = baseline.get("value")
    if shown.value is not None and shown.baseline_value is not None:
        shown.difference = shown.value - shown.baseline_value
    shown.score_total = result.get("score_total") or {}
    shown.use = list(result.get("use") or [])
    conflicts = result.get("conflicts") or []
    shown.conflicts = [titles.words(c.get("message") or c.get("reason") or "") for c in conflicts]
    shown.commitments = [
        {**c, "title": titles.title(c["id"]), "url": titles.url(c["id"])}
        for c in result.get("commitments") or []
    ]
    shown.left_out = [
        {**c, "title": titles.title(c["id"]), "url": titles.url(c["id"])}
        for c in result.get("left_out") or []
    ]
    shown.notes = list(result.get("notes") or [])
    # The plan's totals add up the values of what it funds: one value the person may not
    # see yet (scores before they scored, or before scoring closes) hides the totals.
    mentioned = [f["id"] for f in result.get("funded") or []] + shown.baseline_ids
    if any(not titles.value_shown(i) for i in mentioned):
        shown.values_hidden = True
        shown.value = shown.baseline_value = shown.difference = None
        shown.score_total = {}
    return shown


def pool_names(codes: set[str]) -> dict[str, str]:
    names = dict(SkillPool.objects.filter(code__in=codes).values_list("code", "name"))
    return {code: names.get(code, code) for code in sorted(codes)}


def use_rows(shown: Shown, names: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """Money and staff hours per fiscal year against what was available to the plan."""
    money, hours = [], []
    for use in shown.use:
        money.append(
            {
                "year": use["year"],
                "capital": use["capital"],
                "capital_limit": use["capital_limit"],
                "operating": use["operating"],
                "operating_limit": use["operating_limit"],
                "infrastructure": use.get("infrastructure_spending") or 0,
                "total": use.get("total_spending") or 0,
            }
        )
        hours.append(
            {
                "year": use["year"],
                "pools": [
                    (use["hours"].get(code, 0), use["hours_limit"].get(code)) for code in names
                ],
            }
        )
    return money, hours


def _running(request: HttpRequest, scenario: Scenario, kind: str) -> dict[str, Any] | None:
    job = portfolio.running(scenario, kind)
    if job is None:
        return None
    return {
        "job": job,
        "link": job.created_by_id == request.user.pk or permissions.is_admin(request.user),
    }


def _stale(scenario: Scenario, fingerprint: str | None, data: Any = None) -> bool:
    if not fingerprint:
        return False
    return portfolio.build(scenario, data=data).fingerprint != fingerprint


def scenario_context(request: HttpRequest, scenario: Scenario) -> dict[str, Any]:
    """The scenario's detail page: the latest plan and how it was reached."""
    titles = Titles(request.user, [scenario.result] if isinstance(scenario.result, dict) else [])
    shown = present(scenario, titles)
    names = pool_names({c for u in shown.use for c in u.get("hours_limit", {})})
    money, hours = use_rows(shown, names)
    result = scenario.result if isinstance(scenario.result, dict) else {}
    shown.stale = shown.solved and _stale(scenario, result.get("input"))
    return {
        "shown": shown,
        "money_rows": money,
        "hour_rows": hours,
        "pool_names": names,
        "can_solve": permissions.can(request.user, "change", scenario),
        "solving": _running(request, scenario, portfolio.SOLVE_JOB),
        "has_frontier": bool((result.get("frontier") or {}).get("points")),
    }


# --- solving ------------------------------------------------------------------------------------


def _scenario(request: HttpRequest, pk: int) -> Scenario:
    return get_object_or_404(
        Scenario.objects.restrict(request.user, "view").select_related("cycle"), pk=pk
    )


def _refresh() -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


@require_http_methods(["GET", "POST"])
def solve(request: SignedInRequest, pk: int) -> HttpResponse:
    """POST: solve the scenario in the background. GET (htmx): how the solve is going."""
    scenario = _scenario(request, pk)
    if request.method == "GET":
        solving = _running(request, scenario, portfolio.SOLVE_JOB)
        if request.htmx and solving:
            context = {"scenario": scenario, "solving": solving}
            return render(request, "governance/_scenario_solving.html", context)
        return _refresh() if request.htmx else redirect(scenario)
    if not permissions.can(request.user, "change", scenario):
        raise PermissionDenied("You may not solve this scenario.")
    if portfolio.running(scenario, portfolio.SOLVE_JOB):
        messages.info(request, "This scenario is being solved already.")
        return redirect(scenario)
    job = portfolio.start_solve(request.user, scenario)
    job.refresh_from_db()
    if job.status == Job.Status.QUEUED or job.status == Job.Status.RUNNING:
        messages.info(
            request, f"Solving in the background (at most {scenario.time_limit} seconds)."
        )
    elif job.status == Job.Status.FAILED:
        messages.error(request, job.message or "The solve failed.")
    else:
        messages.success(request, "Solved.")
    return redirect(scenario)


# --- the efficient frontier -------------------------------------------------------------------


@dataclass
class ChartPoint:
    level: float
    value: float
    x: float
    y: float
    proven: bool


def frontier_chart(
    points: list[dict[str, Any]], current: float | None, *, width: int = 560, height: int = 300
) -> dict[str, Any]:
    """Geometry of the value-against-budget-level chart in SVG user units."""
    left, right, top, bottom = 64, 16, 16, 44
    levels = [p["level"] for p in points] or [1.0]
    low, high = min(levels), max(levels)
    span = (high - low) or 1.0
    values = [p["value"] for p in points if p.get("value") is not None]
    top_value = max(values, default=0.0) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(level: float) -> float:
        return round(left + plot_w * (level - low) / span, 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / top_value), 1)

    drawn = [
        ChartPoint(p["level"], p["value"], x(p["level"]), y(p["value"]), p["status"] == "optimal")
        for p in points
        if p.get("value") is not None
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "points": drawn,
        "line": " ".join(f"{p.x},{p.y}" for p in drawn),
        "x_ticks": [(x(level), f"{level:.0%}") for level in levels],
        "y_ticks": [(y(v), f"{v:,.0f}") for v in (0.0, top_value / 2, top_value)],
        "current_x": x(current) if current is not None and low <= current <= high else None,
        "label_y": height - bottom + 18,
        "axis_label_y": height - 6,
        "mid_x": left + plot_w / 2,
    }


@require_http_methods(["GET", "POST"])
def frontier(request: SignedInRequest, pk: int) -> HttpResponse:
    """Value bought at 50% to 150% of the money available, as a chart and a table."""
    scenario = _scenario(request, pk)
    can_change = permissions.can(request.user, "change", scenario)
    computing = _running(request, scenario, portfolio.FRONTIER_JOB)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("You may not change this scenario.")
        if computing is None:
            job = portfolio.start_frontier(request.user, scenario)
            job.refresh_from_db()
            if job.status == Job.Status.FAILED:
                messages.error(request, job.message or "The frontier could not be computed.")
            elif not job.finished:
                messages.info(request, "Computing the frontier in the background.")
        return redirect("governance:scenario_frontier", pk=scenario.pk)
    if request.htmx:
        if computing:
            context = {"scenario": scenario, "computing": computing}
            return render(request, "governance/_scenario_computing.html", context)
        return _refresh()
    result = scenario.result if isinstance(scenario.result, dict) else {}
    saved = result.get("frontier") or {}
    points = saved.get("points") or []
    # The frontier's values add up the board's scores of every proposal the plan weighed.
    titles = Titles(request.user, [result])
    values_hidden = any(not titles.value_shown(i) for i in result.get("titles") or {})
    if values_hidden:
        points = []
    level = float(scenario.budget_level)
    rows = []
    for p in points:
        label, _ = status_of({"status": p["status"], "gap": p["gap"], "value": p["value"]})
        rows.append({**p, "label": label})
    computed_at = None
    if saved.get("computed_at"):
        computed_at = datetime.fromisoformat(saved["computed_at"])
    return render(
        request,
        "governance/frontier.html",
        {
            "scenario": scenario,
            "cycle": scenario.cycle,
            "frontier": saved,
            "rows": rows,
            "chart": frontier_chart(points, level) if points else None,
            "level": level,
            "computed_at": computed_at,
            "stale": bool(points) and _stale_frontier(scenario, saved),
            "can_change": can_change,
            "computing": computing,
            "values_hidden": values_hidden,
            "objective": Scenario.Objective(saved.get("objective") or scenario.objective).label,
        },
    )


def _stale_frontier(scenario: Scenario, saved: dict[str, Any]) -> bool:
    built = portfolio.build(scenario, level=1)
    return built.fingerprint != saved.get("input")


# --- scenarios side by side ---------------------------------------------------------------------


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's scenarios (or those chosen with ?scenario=) side by side."""
    cycle = get_object_or_404(BudgetCycle.objects.restrict(request.user, "view"), pk=pk)
    every = list(
        Scenario.objects.restrict(request.user, "view")
        .filter(cycle=cycle)
        .select_related("cycle")
        .prefetch_related("force_in", "force_out")
    )
    wanted = {n for v in request.GET.getlist("scenario") if (n := whole_number(v)) is not None}
    chosen = [s for s in every if s.pk in wanted] or every
    results = [s.result for s in chosen if isinstance(s.result, dict)]
    titles = Titles(request.user, results)
    shown = [present(s, titles) for s in chosen]
    data = portfolio.load(cycle) if any(sh.solved for sh in shown) else None
    for sh in shown:
        result = sh.scenario.result
        if sh.solved and isinstance(result, dict):
            sh.stale = _stale(sh.scenario, result.get("input"), data)
    codes = {c for sh in shown for u in sh.use for c in u.get("hours_limit", {})}
    names = pool_names(codes)
    years = cycle.fiscal_years()

    ids: set[str] = set()
    for sh in shown:
        ids |= set(sh.starts) | set(sh.baseline_ids)
    matrix: list[MatrixRow] = [
        {
            "title": titles.title(i),
            "url": titles.url(i),
            "cells": [
                {"start": sh.starts.get(i), "by_score": i in sh.baseline_ids} for sh in shown
            ],
        }
        for i in ids
    ]
    matrix.sort(key=lambda row: (-sum(1 for c in row["cells"] if c["start"]), row["title"]))

    money = []
    for year in years:
        for kind, label in (("capital", "Capital"), ("operating", "Operating")):
            cells = []
            for sh in shown:
                use = sh.use_by_year(year)
                cells.append({"used": use[kind], "limit": use[f"{kind}_limit"]} if use else None)
            money.append({"year": year, "kind": label, "cells": cells})
    hours = []
    for code, name in names.items():
        for year in years:
            cells = []
            for sh in shown:
                use = sh.use_by_year(year)
                cells.append(
                    {"used": use["hours"].get(code, 0), "limit": use["hours_limit"].get(code)}
                    if use and code in use.get("hours_limit", {})
                    else None
                )
            hours.append({"year": year, "pool": name, "cells": cells})
    return render(
        request,
        "governance/compare.html",
        {
            "cycle": cycle,
            "every": every,
            "chosen_ids": {s.pk for s in chosen},
            "shown": shown,
            "matrix": matrix,
            "money_rows": money,
            "hour_rows": hours,
        },
    )
