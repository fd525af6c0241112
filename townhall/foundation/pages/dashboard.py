"""The foundation front page (figures in `dashboard.py`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from townhall.foundation import dashboard as figures


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "foundation/dashboard.html", figures.summary(request.user))
