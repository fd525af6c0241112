"""The replacement forecast page, its CSV, and the action that turns a year's replacements
(or chosen components) into a governance proposal. Everyone who may see the estate reads
the forecast, over what they may see; only IT staff propose."""

import datetime
import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from townhall.core import exports, permissions, services
from townhall.core.http import whole_number
from townhall.foundation import forecast, forecast_input, renewals
from townhall.foundation.forms import ReplacementSettingsForm
from townhall.foundation.models import ReplacementSettings
from townhall.governance.models import BudgetCycle
from townhall.org.models import Department

ITEM_ID = re.compile(r"s?[0-9]{1,18}")  # a component's pk, or "s" and a system's
MAX_LISTED = 200  # components listed under a year on the page; the CSV has them all


def _today(request: HttpRequest) -> datetime.date:
    return timezone.localdate()


def _url(item_id: str) -> str:
    if forecast_input.is_system(item_id):
        return reverse("estate:system_detail", args=[forecast_input.pk_of(item_id)])
    return reverse("estate:component_detail", args=[int(item_id)])


def _rows(groups: dict[str, forecast.Totals]) -> list[tuple[str, forecast.Totals]]:
    return sorted(groups.items(), key=lambda kv: (-kv[1].capital, kv[0]))


@require_safe
def forecast_page(request: HttpRequest) -> HttpResponse:
    """Per fiscal year: what is due, its capital and operating cost, covered or not, by
    department and by service, with the components listed."""
    today = _today(request)
    try:
        result, estate, _, settings = forecast_input.build(request.user, today)
    except forecast.ForecastError as exc:
        return render(request, "foundation/forecast.html", {"error": str(exc)})
    years = []
    no_price = set(result.without_cost)
    for year in result.years:
        listed = [
            {
                "id": i,
                "name": estate.names[i],
                "url": _url(i),
                "system": forecast_input.is_system(i),
                "without_cost": i in no_price,
                "covered": i in estate.funded_by,
                "proposal_url": reverse("governance:proposal_detail", args=[estate.funded_by[i]])
                if i in estate.funded_by
                else "",
                "past_due": i in year.past_due,
            }
            for i in year.due[:MAX_LISTED]
        ]
        years.append(
            {
                "year": year.year,
                "totals": year.totals,
                "departments": _rows(year.by_department),
                "services": _rows(year.by_service),
                "items": listed,
                "more": len(year.due) - len(listed),
                "without_cost": len(year.without_cost),
                "past_due": len(year.past_due),
                "uncovered": sum(1 for i in year.due if i not in estate.funded_by),
            }
        )
    context: dict[str, Any] = {
        "forecast": result,
        "years": years,
        "settings": settings,
        "inflation_percent": round(settings.inflation * 100, 2),
        "can_propose": permissions.is_it_staff(request.user),
        "without_date": len(result.without_date),
        "systems_without_cost": sum(1 for i in result.without_cost if forecast_input.is_system(i)),
        "last_year": result.first_year + len(result.years) - 1,
    }
    return render(request, "foundation/forecast.html", context)


@require_safe
def forecast_csv(request: HttpRequest) -> StreamingHttpResponse:
    """One line per fiscal year and group (the year's total, each department, each service),
    safe to open in a spreadsheet."""
    result, _, _, _ = forecast_input.build(request.user, _today(request))
    header = [
        "Fiscal year",
        "Group",
        "Name",
        "Items",
        "Units",
        "Capital",
        "Capital covered",
        "Capital not covered",
        "Operating change",
        "Operating covered",
        "Running operating change",
        "Items without a price",
    ]

    def line(year: int, group: str, name: str, t: forecast.Totals) -> list[Any]:
        return [
            year,
            group,
            exports.safe_cell(name or "(none given)"),
            t.items,
            t.quantity,
            round(t.capital, 2),
            round(t.covered_capital, 2),
            round(t.uncovered_capital, 2),
            round(t.operating, 2),
            round(t.covered_operating, 2),
            round(t.running_operating, 2),
            t.without_cost,
        ]

    def body() -> Any:
        for y in result.years:
            yield line(y.year, "All", "All", y.totals)
            for name, t in sorted(y.by_department.items()):
                yield line(y.year, "Department", name, t)
            for name, t in sorted(y.by_service.items()):
                yield line(y.year, "Service", name, t)

    response = StreamingHttpResponse(exports.csv_lines(header, body()), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="replacement-forecast.csv"'
    return response


class ProposeForm(forms.Form):
    cycle = forms.ModelChoiceField(
        queryset=BudgetCycle.objects.all(), label="Budget cycle", empty_label=None
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"), label="Requesting department"
    )
    title = forms.CharField(max_length=200, label="Title of the proposal")


def _chosen(request: HttpRequest) -> tuple[int | None, list[str]]:
    data = request.POST if request.method == "POST" else request.GET
    year = data.get("year", "")
    items = [v for v in data.getlist("item") if ITEM_ID.fullmatch(v)]
    return (whole_number(year, 4) if not items else None), items


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """Show what would be proposed, then create the proposal on confirmation."""
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff turn the forecast into a proposal.")
    today = _today(request)
    year, items = _chosen(request)
    if year is None and not items:
        messages.error(request, "Choose a year or at least one item to propose.")
        return redirect("foundation:forecast")
    try:
        draft = renewals.draft(request.user, today, year=year, item_ids=items)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("foundation:forecast")
    busiest = max(draft.departments.items(), key=lambda kv: kv[1])[0] if draft.departments else ""
    what = f"due in FY{year}" if year else "chosen from the forecast"
    initial = {
        "title": f"Replace {len(draft.item_ids)} {_noun(draft.item_ids)} {what}",
        "department": Department.objects.filter(name=busiest).first(),
        "cycle": BudgetCycle.objects.first(),
    }
    form = ProposeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = renewals.propose(
                request.user,
                today,
                draft.item_ids,
                cycle=form.cleaned_data["cycle"],
                department=form.cleaned_data["department"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            form.add_error(None, _reason(exc))
        else:
            messages.success(request, f"Proposal “{proposal}” created as a draft.")
            return redirect(proposal.get_absolute_url())
    context = {
        "form": form,
        "draft": draft,
        "year": year,
        "rows": [
            {"id": i, "name": draft.names[i], "due": draft.due[i], "url": _url(i)}
            for i in draft.item_ids
        ],
    }
    return render(request, "foundation/propose.html", context)


def _noun(item_ids: list[str]) -> str:
    systems = sum(1 for i in item_ids if forecast_input.is_system(i))
    if not systems:
        return "components"
    return "systems" if systems == len(item_ids) else "components and systems"


def _reason(exc: ValidationError) -> str:
    """The proposal's refusal in words, each message after the field it concerns."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts: list[str] = []
    for name, errors in exc.message_dict.items():
        where = "" if name == "__all__" else f"{name.replace('_', ' ')}: "
        parts.extend(f"{where}{error}" for error in errors)
    return " ".join(parts)


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The one record of replacement settings: everyone reads it, IT staff change it (the
    first save creates it; until then the forecast uses the defaults)."""
    row = ReplacementSettings.objects.order_by("pk").first()
    can_change = permissions.is_it_staff(request.user)
    if request.method == "POST" and not can_change:
        raise PermissionDenied("Only IT staff change the replacement settings.")
    initial = {"version": row.version} if row is not None else {}
    form = ReplacementSettingsForm(
        request.POST if request.method == "POST" else None, instance=row, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if row is None:
                services.create(request.user, ReplacementSettings, values)
            else:
                fresh = ReplacementSettings.objects.get(pk=row.pk)
                services.update(request.user, fresh, values, version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, _reason(exc))
        except services.ConflictError as exc:
            form.add_error(None, f"Someone changed the settings meanwhile: {exc}")
        else:
            messages.success(request, "Replacement settings saved.")
            return redirect("foundation:forecast")
    context = {
        "form": form,
        "row": row,
        "can_change": can_change,
        "defaults": ReplacementSettings(),
    }
    return render(request, "foundation/replacement_settings.html", context)
