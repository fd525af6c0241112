"""The replacement schedule page: the latest solved schedule beside "replace when due" and
"defer everything", as charts with their figures in a table, the status and proven gap,
and which units move to which year. IT staff start the job that solves it again."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from townhall.core import charts, permissions
from townhall.foundation import forecast_input, schedule_run
from townhall.foundation.forecast import fiscal_year
from townhall.jobs import runner


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _plans(result: dict[str, Any]) -> list[dict[str, Any]]:
    years, caps = result["years"], result["caps"]
    shown = []
    for key, name in schedule_run.PLANS:
        out = result[key]
        spend = charts.bar_chart(
            [
                charts.Item(f"FY{y}", s, _money(s), limit=c, limit_text=f"the cap {_money(c)}")
                for y, s, c in zip(years, out["spend"], caps, strict=True)
            ]
        )
        risk = charts.bar_chart(
            [charts.Item(f"FY{y}", r, f"{r:,.0f}") for y, r in zip(years, out["risk"], strict=True)]
        )
        shown.append(
            {
                "key": key,
                "name": name,
                "total_risk": out["total_risk"],
                "total_spend": sum(out["spend"]),
                "over_caps": [(f"FY{y}", v) for y, v in out["over_caps"].items()],
                "spend_chart": spend,
                "risk_chart": risk,
            }
        )
    return shown


def _moves(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Units the optimized schedule replaces in another year than their due year."""
    first = result["years"][0]
    chosen = result["plan"]["years"]
    moved = []
    for unit in result["units"]:
        due = max(unit["due"], first)
        year = chosen.get(unit["id"])
        if year != due:
            moved.append(
                {**unit, "due_shown": due, "year": year, "later": year is None or year > due}
            )
    return moved


def _prerequisites(result: dict[str, Any]) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Each unit that waits on others, with their labels and the years the plan gives them;
    and the links dropped because they closed a cycle, as (unit, prerequisite) labels. A plan
    stored before units had prerequisites has neither."""
    labels = {u["id"]: u["label"] for u in result["units"]}
    chosen = result["plan"]["years"]
    waits = [
        {
            "label": u["label"],
            "year": chosen.get(u["id"]),
            "needs": [(labels.get(p, p), chosen.get(p)) for p in u["prerequisites"]],
        }
        for u in result["units"]
        if u.get("prerequisites")
    ]
    dropped = [(labels.get(a, a), labels.get(b, b)) for a, b in result.get("dropped", [])]
    return waits, dropped


@require_safe
def schedule_page(request: HttpRequest) -> HttpResponse:
    plan = schedule_run.latest()
    context: dict[str, Any] = {
        "plan": plan,
        "can_run": permissions.is_it_staff(request.user),
        "job": runner.unfinished(schedule_run.JOB_KIND),
    }
    settings = forecast_input.settings()
    today = timezone.localdate()

    first = fiscal_year(today, settings.start_month)
    _, context["missing_caps"] = forecast_input.caps(list(range(first, first + settings.horizon)))
    if plan is not None:
        result = plan.result
        context.update(
            result=result,
            plans=_plans(result),
            moves=_moves(result),
            prerequisites=_prerequisites(result),
            gap_percent=round(100 * result["gap"], 2),
            rows=[
                {
                    "year": y,
                    "cap": result["caps"][k],
                    "cells": [
                        (result[key]["spend"][k], result[key]["risk"][k])
                        for key, _ in schedule_run.PLANS
                    ],
                }
                for k, y in enumerate(result["years"])
            ],
            plan_names=[name for _, name in schedule_run.PLANS],
        )
    return render(request, "foundation/schedule.html", context)


@require_POST
def schedule_start(request: HttpRequest) -> HttpResponse:
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff work out the replacement schedule.")
    job = runner.submit(request.user, schedule_run.JOB_KIND, "Replacement schedule", {})
    return redirect(job.get_absolute_url())
