"""Capacity for governance: the project hours each skill pool has per fiscal year, derived
from the positions in it, beside the hours a budget cycle holds now, with the city's
settings for the count. Everyone who may see positions reads it; IT staff change the
settings and apply the hours to a cycle (the write path refuses anyone else as well)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from townhall.core import permissions, services
from townhall.core.http import SignedInRequest, whole_number
from townhall.governance.models import BudgetCycle
from townhall.people import capacity_input
from townhall.people import services as people
from townhall.people.forms import CapacitySettingsForm
from townhall.people.models import CapacityApplied, CapacitySettings


def _reason(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(
            f"{'' if name == '__all__' else name.replace('_', ' ') + ': '}{error}"
            for name, errors in exc.message_dict.items()
            for error in errors
        )
    return " ".join(exc.messages)


def _cycle(user: Any, value: Any) -> BudgetCycle | None:
    cycles = BudgetCycle.objects.restrict(user, "view")
    if (number := whole_number(value)) is not None:
        return cycles.filter(pk=number).first()
    return cycles.exclude(status=BudgetCycle.Status.CLOSED).order_by("-first_year", "pk").first()


@require_http_methods(["GET", "POST"])
def capacity_page(request: SignedInRequest) -> HttpResponse:
    """The derived hours per pool and year beside the chosen cycle's; the settings form."""
    user = request.user
    may_change = permissions.is_it_staff(user)
    row = capacity_input.settings()
    form = CapacitySettingsForm(
        request.POST if request.method == "POST" else None,
        instance=row,
        initial={"version": row.version} if row is not None else {},
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Only IT staff change the capacity settings.")
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                if row is None:
                    services.create(user, CapacitySettings, values)
                else:
                    fresh = CapacitySettings.objects.get(pk=row.pk)
                    services.update(user, fresh, values, version=form.cleaned_data["version"])
            except ValidationError as exc:
                form.add_error(None, _reason(exc))
            except services.ConflictError as exc:
                form.add_error(None, f"Someone changed the settings meanwhile: {exc}")
            else:
                messages.success(request, "Capacity settings saved.")
                return redirect(request.get_full_path())
    cycle = _cycle(user, request.GET.get("cycle"))
    cycles = list(BudgetCycle.objects.restrict(user, "view").order_by("-first_year", "name"))
    found, rows = people.capacity_rows(user, cycle) if cycle else (capacity_input.basis(user), [])
    last = (
        CapacityApplied.objects.restrict(user, "view").filter(cycle=cycle).first()
        if cycle
        else None
    )
    pools = sorted({r.code for r in rows})
    table = [
        {
            "code": code,
            "name": next(r.name for r in rows if r.code == code),
            "years": [r for r in rows if r.code == code],
        }
        for code in pools
    ]
    context = {
        "form": form,
        "may_change": may_change,
        "cycle": cycle,
        "cycles": cycles,
        "years": cycle.fiscal_years() if cycle else [],
        "table": table,
        "differs": any(r.derived != r.current for r in rows),
        "basis": found,
        "seat_count": len(found.seats),
        "last": last,
        "closed": bool(cycle and cycle.status == BudgetCycle.Status.CLOSED),
        "positions_url": reverse("people:position_list"),
    }
    return render(request, "people/capacity.html", context)


class ApplyForm(forms.Form):
    cycle = forms.IntegerField()
    version = forms.IntegerField()


@require_POST
def apply(request: SignedInRequest) -> HttpResponse:
    """Write the derived hours into the cycle, from the version the person saw."""
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff set a budget cycle's staff hours.")
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a budget cycle and try again.")
        return redirect("people:capacity")
    cycle = _cycle(request.user, form.cleaned_data["cycle"])
    if cycle is None:
        messages.error(request, "That budget cycle no longer exists.")
        return redirect("people:capacity")
    back = reverse("people:capacity") + f"?cycle={cycle.pk}"
    try:
        people.apply_capacity(request.user, cycle, version=form.cleaned_data["version"])
    except people.CapacityRefused as exc:
        messages.error(request, str(exc))
    except services.ConflictError as exc:
        messages.error(
            request, f"Someone changed {cycle} meanwhile; look at its hours again. {exc}"
        )
    except ValidationError as exc:
        messages.error(request, f"{cycle} refused the hours: {_reason(exc)}")
    else:
        messages.success(request, f"{cycle}'s staff hours now come from the people.")
    return redirect(back)
