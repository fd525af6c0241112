"""Training pages: coverage by department with the overdue list, and the way to import
completions (the spreadsheet importer, on its "Training completions" kind)."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from townhall.core import exports
from townhall.core.charts import Item, bar_chart
from townhall.core.forms import field_of, style_fields
from townhall.core.widgets import QuickSelect
from townhall.cyber import training
from townhall.cyber import training_rules as rules
from townhall.org.models import Department

OVERDUE_SHOWN = 200
IMPORT_KIND = "training_completion"  # registered in cyber/imports.py


@require_safe
def training_import(request: HttpRequest) -> HttpResponse:
    """Completions are imported by the spreadsheet importer, which gives them the column
    step, saved mappings and background runs: this address opens it on completions."""
    if not training.may_import(request.user):
        raise PermissionDenied("Only IT staff and administrators import training records.")
    return redirect(f"{reverse('imports:home')}?{urlencode({'kind': IMPORT_KIND})}")


# --- coverage ---------------------------------------------------------------------------


class DepartmentChoice(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        empty_label="All departments",
        label="Department",
        widget=QuickSelect,  # a county's two hundred departments, without a template each
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "department", forms.ModelChoiceField).queryset = Department.objects.restrict(
            user, "view"
        ).order_by("name")
        style_fields(self.fields.values())


OVERDUE_HEADER = [
    "Person",
    "E-mail",
    "Department",
    "Course",
    "Last completed",
    "Due",
    "Days overdue",
]


def _overdue_rows(items: list[rules.Overdue]) -> list[list[Any]]:
    return [
        [
            exports.safe_cell(o.person.name),
            exports.safe_cell(o.person.email),
            exports.safe_cell(o.person.department or "No department"),
            exports.safe_cell(o.course.name),
            o.last.isoformat() if o.last else "never",
            o.due.isoformat() if o.due else "",
            o.days if o.days is not None else "",
        ]
        for o in items
    ]


@require_safe
def training_coverage(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Coverage by department, and who is overdue (?department= narrows the list; with
    ?export=csv the list downloads)."""
    user = request.user
    chooser = DepartmentChoice(request.GET or None, user=user)
    department = None
    status = 200
    if chooser.is_bound:
        if chooser.is_valid():
            department = chooser.cleaned_data["department"]
        else:
            status = 400
    today = training.today_here()
    result = training.coverage(user, today)
    overdue = result.overdue
    if department is not None:
        overdue = [o for o in overdue if o.person.department_id == department.pk]
    if request.GET.get("export") == "csv" and status == 200:
        stamp = today.isoformat()
        response = StreamingHttpResponse(
            exports.csv_lines(OVERDUE_HEADER, _overdue_rows(overdue)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="training-overdue-{stamp}.csv"'
        return response
    chart = bar_chart(
        [
            Item(
                row.department,
                row.percent or 0,
                f"{row.percent:g}% ({row.covered} of {row.people})"
                if row.percent is not None
                else "no people",
            )
            for row in result.departments
        ],
        label_width=190,
        value_room=130,
    )
    query = {"export": "csv"}
    if department is not None:
        query["department"] = str(department.pk)
    return render(
        request,
        "cyber/training_coverage.html",
        {
            "result": result,
            "chart": chart,
            "chooser": chooser,
            "department": department,
            "overdue": overdue[:OVERDUE_SHOWN],
            "overdue_count": len(overdue),
            "overdue_more": max(0, len(overdue) - OVERDUE_SHOWN),
            "export_url": reverse("cyber:training_coverage") + "?" + urlencode(query),
            "today": today,
            "can_import": training.may_import(user),
            "people_url": reverse("estate:person_list"),
        },
        status=status,
    )
