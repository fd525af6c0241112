"""Boots on the ground: the matrix of who performs each cyber function, with each row's
performer changed in place by IT staff (rules and counts in cyber/coverage.py)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from townhall.audit import display
from townhall.core import charts, permissions, services
from townhall.core.forms import style_fields
from townhall.cyber import coverage
from townhall.cyber.models import Coverage

NOT_ALLOWED = "Who performs each cyber function is for IT staff, auditors and the board."


class RowForm(forms.ModelForm):
    """One row's performer, provider and hours, with the version the page showed."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "The form is missing its version; reload the page."},
    )

    class Meta:
        model = Coverage
        fields = ["performer", "provider", "hours"]
        labels = {"performer": "Performed by"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


def _form(row: Coverage, data: Any = None) -> RowForm:
    return RowForm(data, instance=row, prefix=f"c{row.pk}", initial={"version": row.version})


def _visible(request: HttpRequest) -> Any:
    qs = Coverage.objects.restrict(request.user, "view")
    if qs.query.is_empty():
        raise PermissionDenied(NOT_ALLOWED)
    return qs


def conflict_rows(exc: services.ConflictError, model: type, labels: dict[str, str]) -> list[dict]:
    """What changed meanwhile, as the conflict table shows it (core/_conflict.html)."""
    names = display.names_for(exc.entries)
    return [
        {
            "label": labels.get(name, display.label(model, name)),
            "start": display.readable(model, name, start, names),
            "now": display.readable(model, name, now, names),
            "who": who,
        }
        for name, (start, now, who) in exc.changed_fields().items()
        if name not in display.HIDDEN
    ]


def _page(
    request: HttpRequest,
    bound: RowForm | None = None,
    conflict: list[dict] | None = None,
    status: int = 200,
) -> HttpResponse:
    data = coverage.matrix(request.user)
    changeable = set(Coverage.objects.restrict(request.user, "change").values_list("pk", flat=True))
    labels = dict(data["performers"])
    lines = []
    for line in data["lines"]:
        row = line["row"]
        mine = bound is not None and bound.instance.pk == row.pk
        form = bound if mine else (_form(row) if row.pk in changeable else None)
        lines.append(
            {
                **line,
                "form": form,
                "open": mine,
                "conflict": conflict if mine else None,
                "marks": [value == row.performer for value, _ in data["performers"]],
                "needs_24x7": coverage.needs_round_the_clock(row.function),
            }
        )
    counts = [(labels[v], data["counts"].get(v, 0), v) for v, _ in data["performers"]]
    chart = charts.bar_chart(
        [charts.Item(label, n, str(n)) for label, n, _ in counts], label_width=130
    )
    context = {
        "lines": lines,
        "any_form": any(line["form"] is not None for line in lines),
        "performers": data["performers"],
        "counts": counts,
        "chart": chart,
        "uncovered": data["uncovered"],
        "part_time": data["part_time"],
        "hours_unknown": data["hours_unknown"],
        "missing": data["missing"],
        "can_seed": permissions.can_add(request.user, Coverage),
        "can_add": permissions.can_add(request.user, Coverage),
        "opts": Coverage._meta,
    }
    return render(request, "cyber/coverage_matrix.html", context, status=status)


@require_safe
def matrix(request: HttpRequest) -> HttpResponse:
    """Rows are functions, columns who performs them; gaps flagged."""
    _visible(request)
    return _page(request)


@require_POST
def seed(request: HttpRequest) -> HttpResponse:
    """Add the standard functions that have no row yet, performed by nobody."""
    _visible(request)
    if not permissions.can_add(request.user, Coverage):
        raise PermissionDenied("Only IT staff add cyber functions.")
    added = coverage.seed_functions(request.user)
    if added:
        messages.success(
            request,
            f"Added {len(added)} standard function{'s' if len(added) != 1 else ''}, each "
            "performed by nobody until you say who does it.",
        )
    else:
        messages.info(request, "Every standard function has a row already; nothing added.")
    return redirect("cyber:coverage_matrix")


@require_POST
def change_row(request: HttpRequest, pk: int) -> HttpResponse:
    """Save who performs one function; a stale version shows what changed meanwhile."""
    row = get_object_or_404(_visible(request), pk=pk)
    if not permissions.can(request.user, "change", row):
        raise PermissionDenied("You may not change who performs this function.")
    form = _form(row, request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    values = {name: form.cleaned_data[name] for name in ("performer", "provider", "hours")}
    try:
        saved = services.update(request.user, row, values, version=form.cleaned_data["version"])
    except services.ConflictError as exc:
        fresh = Coverage.objects.get(pk=row.pk)
        data = request.POST.copy()
        data[f"c{row.pk}-version"] = str(fresh.version)
        again = _form(fresh, data)
        again.is_valid()
        labels = {n: str(f.label) for n, f in again.fields.items()}
        return _page(request, again, conflict_rows(exc, Coverage, labels), status=409)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _page(request, form, status=400)
    messages.success(request, f"Saved: “{saved.function}” is performed by {_who(saved)}.")
    return redirect(reverse("cyber:coverage_matrix") + f"#coverage-{saved.pk}")


def _who(row: Coverage) -> str:
    who = row.get_performer_display().lower()
    return f"{who} ({row.provider})" if row.provider else who
