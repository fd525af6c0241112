"""The continuity front page (figures in `dashboard.py`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from townhall.continuity import dashboard as figures


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "continuity/dashboard.html", figures.summary(request.user))
