"""Budget cycles' budgets and staff hours, criteria presets and new editions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from townhall.core import permissions
from townhall.core import services as core_services
from townhall.governance import forms, services
from townhall.governance import presets as preset_data
from townhall.governance.models import BudgetCycle, CriteriaSet, SkillPool


def budgets(request: HttpRequest, pk: int) -> HttpResponse:
    """Capital and operating budget and staff hours per fiscal year, as one grid."""
    cycle = get_object_or_404(BudgetCycle.objects.restrict(request.user, "view"), pk=pk)
    if not permissions.can(request.user, "change", cycle):
        raise PermissionDenied("You may not change this budget cycle.")
    pools = list(SkillPool.objects.all())
    form = forms.BudgetGridForm(cycle, pools, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                core_services.update(request.user, cycle, form.values(), version=None)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Saved the budgets and staff hours of {cycle}.")
                return redirect(cycle)
        status = 400
    years = cycle.fiscal_years()
    rows = [
        {
            "year": y,
            "capital": form[f"capital_{y}"],
            "operating": form[f"operating_{y}"],
            "hours": [form[f"hours_{p.code}_{y}"] for p in pools],
        }
        for y in years
    ]
    return render(
        request,
        "governance/budgets.html",
        {"cycle": cycle, "form": form, "rows": rows, "pools": pools},
        status=status,
    )


def presets(request: HttpRequest) -> HttpResponse:
    """Start a criteria set from one of the shipped presets."""
    if not permissions.can_add(request.user, CriteriaSet):
        raise PermissionDenied("You may not add criteria sets.")
    if request.method == "POST":
        preset = preset_data.PRESETS.get(request.POST.get("preset", ""))
        if preset is None:
            messages.error(request, "Choose one of the presets.")
        else:
            name = preset["name"]
            if CriteriaSet.objects.filter(name=name).exists():
                messages.error(request, f"A criteria set called “{name}” exists already.")
            else:
                created = services.load_preset(request.user, preset)
                messages.success(request, f"Created “{created}”. Adjust it before a cycle uses it.")
                return redirect(created)
    return render(request, "governance/presets.html", {"presets": preset_data.PRESETS.values()})


@require_POST
def new_edition(request: HttpRequest, pk: int) -> HttpResponse:
    """A frozen set is changed by making its next edition, open for change."""
    criteria_set = get_object_or_404(CriteriaSet.objects.restrict(request.user, "view"), pk=pk)
    if not permissions.can_add(request.user, CriteriaSet):
        raise PermissionDenied("You may not add criteria sets.")
    copy = services.new_edition(request.user, criteria_set)
    messages.success(request, f"Created {copy}. Change it here; cycles keep the edition they use.")
    return redirect(copy)
