"""The foundation front page (figures in `dashboard.py`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from townhall.foundation import dashboard as figures
from townhall.foundation.pages import health


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    context = figures.summary(request.user)
    context["health"] = health.front(request.user, context["today"])
    return render(request, "foundation/dashboard.html", context)
