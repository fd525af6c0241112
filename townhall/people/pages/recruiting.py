"""The recruiting page: the open requisitions by stage, how long hiring took over the last
12 months, how many funded positions stand empty in each team (a chart with its table),
why candidates turned offers down, the internship and apprenticeship pipelines, and —
for administrators and IT managers only — the city's pay against the market. Read from
what the reader may see (`recruiting_input`) in a fixed number of queries; the figures
are worked out in `people/recruiting.py`."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from townhall.core import charts
from townhall.people import recruiting, recruiting_input
from townhall.people.models import DeclinedOffer, Requisition

STAGE_LABELS = dict(Requisition.Stage.choices)
KIND_LABELS = dict(Requisition.Kind.choices)
REASON_LABELS = dict(DeclinedOffer.Reason.choices)
NO_TEAM = "No team named"


def _days(value: float | int | None) -> str:
    if value is None:
        return "—"
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{shown} day{'s' if value != 1 else ''}"


def _money_gap(c: recruiting.PayComparison) -> str:
    if c.city_median is None:
        return "—"
    gap = c.city_median - c.market_pay
    return f"{'−' if gap < 0 else '+'}${abs(gap):,.0f}"


def _fill(label: str, found: recruiting.FillTime) -> dict[str, Any]:
    return {
        "label": label,
        "filled": found.filled,
        "median": _days(found.median_days),
        "longest": _days(found.longest_days),
    }


def recruiting_context(user: Any, today: Any = None) -> dict[str, Any]:
    """What the page shows, for what `user` may see."""
    found = recruiting_input.gather(user, today)
    since = recruiting.a_year_before(found.today)

    def team_name(pk: int | None) -> str:
        return found.teams.get(pk, NO_TEAM) if pk is not None else NO_TEAM

    stages = [
        {
            "stage": stage,
            "label": STAGE_LABELS[stage],
            "rows": [
                {
                    "title": o.title,
                    "url": reverse("people:requisition_detail", args=[o.id]),
                    "kind": KIND_LABELS.get(o.kind, o.kind),
                    "team": team_name(o.team_id),
                    "opened_on": o.opened_on,
                    "days_open": (found.today - o.opened_on).days,
                    "openings": o.openings,
                }
                for o in rows
            ],
        }
        for stage, rows in recruiting.open_by_stage(found.openings)
    ]
    by_team = recruiting.time_to_fill_by_team(found.openings, since)
    fill_teams = sorted(
        (_fill(team_name(pk), fill) for pk, fill in by_team.items() if fill.filled),
        key=lambda row: row["label"],
    )
    vacancy = recruiting.vacancies(found.seats, found.today)
    vacancy_rows: list[dict[str, Any]] = [
        {
            "team": team_name(pk) if pk is not None else "All teams",
            "funded": v.funded,
            "vacant": v.vacant,
            "rate": v.rate,
            "rate_text": f"{v.rate:.0%}" if v.rate is not None else "—",
            "longest": _days(v.longest_vacant_days) if v.vacant else "—",
            "total": pk is None,
        }
        for pk, v in vacancy.items()
    ]
    team_rows = [row for row in vacancy_rows if not row["total"]]
    team_rows.sort(key=lambda row: row["team"])
    chart = charts.bar_chart(
        [
            charts.Item(row["team"], round((row["rate"] or 0) * 100), row["rate_text"])
            for row in team_rows
        ],
        label_width=190,
    )
    pipes = [
        {
            "kind": KIND_LABELS[pipe.kind],
            "id": pipe.kind,
            "stages": [
                (STAGE_LABELS[stage], pipe.openings_by_stage[stage])
                for stage in recruiting.STAGES
                if pipe.openings_by_stage.get(stage)
            ],
            "applicants": pipe.applicants,
            "interviewed": pipe.interviewed,
            "hired": pipe.hired,
            "any": bool(pipe.openings_by_stage),
        }
        for pipe in recruiting.pipelines(found.openings)
    ]
    pay_rows = []
    if found.sees_pay:
        compared = recruiting.pay_against_market(
            [(r.id, r.market_pay) for r in found.rates], found.pays
        )
        for rate in found.rates:
            c = compared[rate.id]
            gap = c.gap_share
            pay_rows.append(
                {
                    "name": rate.name,
                    "url": reverse("people:marketrate_detail", args=[rate.id]),
                    "source": rate.source,
                    "as_of": rate.as_of,
                    "people": c.people,
                    "city_median": c.city_median,
                    "market_pay": c.market_pay,
                    "gap": (c.city_median - c.market_pay) if c.city_median is not None else None,
                    "gap_money": _money_gap(c),
                    "gap_text": f"{gap:+.0%}" if gap is not None else "",
                    "below": gap is not None and gap < 0,
                }
            )
    return {
        "today": found.today,
        "since": since,
        "stages": stages,
        "open_count": sum(len(group["rows"]) for group in stages),
        "fill": _fill("All teams", recruiting.time_to_fill(found.openings, since)),
        "fill_teams": fill_teams,
        "vacancy_rows": team_rows,
        "vacancy_total": next(row for row in vacancy_rows if row["total"]),
        "chart": chart,
        "declined": [
            (REASON_LABELS.get(reason, reason), n)
            for reason, n in recruiting.declined_reasons(found.declines, since)
        ],
        "pipelines": pipes,
        "sees_pay": found.sees_pay,
        "pay_rows": pay_rows,
    }


@require_safe
def recruiting_page(request: HttpRequest) -> HttpResponse:
    return render(request, "people/recruiting.html", recruiting_context(request.user))
