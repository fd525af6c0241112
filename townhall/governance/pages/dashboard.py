"""The governance health dashboard (figures in governance/dashboard.py)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from townhall.governance import dashboard as figures
from townhall.governance.models import BudgetCycle


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """For the cycle chosen with ?cycle= (the latest by default)."""
    cycles = list(
        BudgetCycle.objects.restrict(request.user, "view").order_by("-first_year", "name")
    )
    chosen = request.GET.get("cycle", "")
    if chosen:
        cycle = next((c for c in cycles if str(c.pk) == chosen), None)
        if cycle is None:
            raise Http404("No such budget cycle.")
    else:
        cycle = cycles[0] if cycles else None
    return render(
        request, "governance/dashboard.html", figures.summary(request.user, cycle, cycles)
    )
