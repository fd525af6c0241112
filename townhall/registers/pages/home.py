"""The registers' front page: each register with its records and reviews, and the records
past their review day."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from townhall.registers import reviews


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "registers/home.html",
        {
            "registers": reviews.summaries(request.user, today),
            "overdue": reviews.overdue(request.user, today),
            "today": today,
            "soon": reviews.SOON,
        },
    )
