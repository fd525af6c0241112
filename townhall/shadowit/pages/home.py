"""Shadow IT's front page: what the findings (`findings.py`, fed by `findings_input.py`)
mean for the city, each figure linked to the records behind it. `figures` is shared with
the brief for leaders (`shadowit/brief.py`), so page and brief say the same numbers."""

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from townhall.core import charts
from townhall.shadowit import findings, findings_input
from townhall.shadowit.models import Merchant

SHOWN = 10  # rows of each list on the page and in the brief


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def purchases_url(**params: Any) -> str:
    """The purchase list with these filters (empty ones left out)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse("shadowit:purchase_list") + (f"?{query}" if query else "")


def _month_label(month: str) -> str:
    return datetime.date.fromisoformat(f"{month}-01").strftime("%b %Y")


def _month_bounds(month: str) -> tuple[datetime.date, datetime.date]:
    first = datetime.date.fromisoformat(f"{month}-01")
    nxt = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, nxt - datetime.timedelta(days=1)


def figures(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """The front page's and the brief's figures, for what `user` may see, with links."""
    today = today or timezone.localdate()
    found = findings_input.compute(user, today)
    names = findings_input.department_names()
    merchants = {
        m.pk: m
        for m in Merchant.objects.filter(
            pk__in={i for d in found.duplicates[:SHOWN] for i in d.merchant_ids}
            | {e.merchant_id for e in found.exposures[:SHOWN]}
            | {n.merchant_id for n in found.no_sign_on[:SHOWN]}
        ).only("id", "key", "name")
    }
    first, last = found.first_day, found.last_day

    def dept(d: int | None) -> str:
        return names.get(d, "No department") if d is not None else "No department"

    def merchant_url(pk: int) -> str:
        return reverse("shadowit:merchant_detail", args=[pk])

    duplicates = []
    for d in found.duplicates[:SHOWN]:
        parts = [
            {
                "merchant": merchants[p.merchant_id].name,
                "merchant_url": merchant_url(p.merchant_id),
                "department": dept(p.department_id),
                "spend": p.spend,
                "purchases": len(p.purchase_ids),
                "url": purchases_url(
                    merchant_key=merchants[p.merchant_id].key,
                    owner_department=p.department_id,
                    after=first,
                    before=last,
                ),
            }
            for p in d.parts
        ]
        duplicates.append(
            {
                "kind": d.kind,
                "label": d.label,
                "departments": len(d.department_ids),
                "spend": d.spend,
                "saving": d.saving,
                "parts": parts,
            }
        )

    overall = found.overall
    departments = [
        {
            "name": dept(int(s.label) if s.label != "None" else None),
            "outside": s.outside,
            "technology": s.technology,
            "percent": s.percent,
            "percent_text": _percent(s.percent),
            "purchases": len(s.purchase_ids),
            "url": purchases_url(
                technology="outside",
                owner_department="" if s.label == "None" else s.label,
                after=first,
                before=last,
            ),
        }
        for s in found.by_department
    ]
    months: list[dict[str, Any]] = []
    for s in found.by_month:
        start, end = _month_bounds(s.label)
        months.append(
            {
                "label": _month_label(s.label),
                "outside": s.outside,
                "technology": s.technology,
                "percent": s.percent,
                "percent_text": _percent(s.percent),
                "purchases": len(s.purchase_ids),
                "url": purchases_url(technology="outside", after=start, before=end),
            }
        )
    chart = charts.bar_chart(
        [charts.Item(m["label"], max(m["percent"] or 0.0, 0.0), m["percent_text"]) for m in months],
        label_width=90,
        bar_height=16,
        gap=6,
        value_room=70,
    )
    exposures = [
        {
            "name": merchants[e.merchant_id].name,
            "url": merchant_url(e.merchant_id),
            "reasons": e.reasons,
            "answers": len(e.answer_ids),
            "no_contract": e.no_contract,
            "no_review": e.no_review,
        }
        for e in found.exposures[:SHOWN]
    ]
    no_sign_on = [
        {
            "name": merchants[n.merchant_id].name,
            "url": merchant_url(n.merchant_id),
            "spend": n.spend,
            "departments": len(n.department_ids),
            "purchases": len(n.purchase_ids),
            "purchases_url": purchases_url(
                merchant_key=merchants[n.merchant_id].key, after=first, before=last
            ),
            "why": n.why,
        }
        for n in found.no_sign_on[:SHOWN]
    ]
    return {
        "today": today,
        "first_day": first,
        "last_day": last,
        "share_percent": round(found.share * 100),
        "review_days": findings.REVIEW_DAYS,
        "duplicates": duplicates,
        "duplicate_count": len(found.duplicates),
        "saving": found.saving,
        "duplicate_spend": sum((d.spend for d in found.duplicates), Decimal(0)),
        "overall": {
            "outside": overall.outside,
            "technology": overall.technology,
            "percent": overall.percent,
            "percent_text": _percent(overall.percent),
            "purchases": len(overall.purchase_ids),
            "systems": len(overall.system_ids),
            "url": purchases_url(technology="outside", after=first, before=last),
        },
        "departments": departments,
        "months": months,
        "chart": chart,
        "exposures": exposures,
        "exposure_count": len(found.exposures),
        "no_sign_on": no_sign_on,
        "no_sign_on_count": len(found.no_sign_on),
        "no_sign_on_spend": sum((n.spend for n in found.no_sign_on), Decimal(0)),
        "shown": SHOWN,
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The figures, each linked to its records, and the brief for leaders."""
    return render(request, "shadowit/home.html", figures(request.user))
