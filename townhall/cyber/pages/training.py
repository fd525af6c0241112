"""Training pages: import completions from the learning system (upload, check, import) and
coverage by department with the overdue list.

Between the check and the import the uploaded file waits in storage under a random name
that only the uploader's session knows; importing reads it again and checks every row
once more inside the transaction, so what is saved is what the rules allow at that moment.
"""

import secrets
from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from townhall.core import exports
from townhall.core.charts import Item, bar_chart
from townhall.core.forms import bounded_upload, field_of, style_fields
from townhall.cyber import training
from townhall.cyber import training_rules as rules
from townhall.imports import parsing
from townhall.imports.forms import ColumnsForm
from townhall.org.models import Department

SESSION_KEY = "cyber_training_upload"
STAGING = "training-imports"
OVERDUE_SHOWN = 200
REPORT_SHOWN = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Completions file",
        help_text=(
            "A CSV file or Excel workbook (.xlsx) from the learning system, with a column for "
            "the person (e-mail or name), the course and the completion date."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,.xlsx"
        style_fields(self.fields.values())

    def clean_file(self) -> Any:
        return bounded_upload(
            self.cleaned_data["file"],
            (*parsing.CSV_EXTENSIONS, *parsing.XLSX_EXTENSIONS),
            "Townhall cannot read {suffix} files. Export the "
            "completions as CSV or Excel (.xlsx) and upload that.",
        )


class CommitForm(forms.Form):
    valid_only = forms.BooleanField(
        label="Import only the valid rows",
        required=False,
        help_text="The rejected rows listed below are left out; every other row is imported.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


def _require_importer(request: HttpRequest) -> None:
    if not training.may_import(request.user):
        raise PermissionDenied("Only IT staff and administrators import training records.")


def _stage(request: HttpRequest, name: str, data: bytes) -> str:
    """Keep the file until the person imports it; forget the one they uploaded before."""
    _discard(request)
    token = secrets.token_urlsafe(16)
    suffix = PurePath(name).suffix.lower()
    path = default_storage.save(f"{STAGING}/{token}{suffix}", ContentFile(data))
    request.session[SESSION_KEY] = {"token": token, "path": path, "name": name[:300]}
    return token


def _staged(request: HttpRequest, token: str) -> dict[str, Any] | None:
    staged = request.session.get(SESSION_KEY)
    if not staged or not secrets.compare_digest(staged.get("token", ""), token):
        return None
    if not default_storage.exists(staged["path"]):
        return None
    return staged


def _discard(request: HttpRequest) -> None:
    staged = request.session.pop(SESSION_KEY, None)
    if staged and default_storage.exists(staged["path"]):
        default_storage.delete(staged["path"])


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    outcome = context.get("outcome")
    if outcome is not None:
        context["report"] = outcome.report[:REPORT_SHOWN]
        context["more"] = max(0, len(outcome.report) - REPORT_SHOWN)
    context.setdefault("max_mb", settings.UPLOAD_MAX_MB)
    return render(request, "cyber/training_import.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def training_import(request: HttpRequest) -> HttpResponse:
    """Upload a file; the page then shows what importing it would do."""
    _require_importer(request)
    if request.method != "POST":
        return _page(request, {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        sheet = training.read_sheet(data, upload.name)
    except training.ImportProblem as exc:
        form.add_error("file", str(exc))
        return _page(request, {"form": form}, status=400)
    token = _stage(request, upload.name, data)
    guessed = rules.guess_mapping(sheet.header)
    if rules.missing(guessed):  # the column step, as every import has it
        messages.info(
            request,
            "Townhall could not tell from the headings which columns hold the person, the "
            "course and the date: choose them below.",
        )
        return redirect("cyber:training_import_columns", token=token)
    return _preview(request, token, data, upload.name, None)


def _preview(
    request: HttpRequest, token: str, data: bytes, name: str, mapping: dict[str, str] | None
) -> HttpResponse:
    try:
        outcome = training.run_import(request.user, data, name, commit=False, mapping=mapping)
    except training.ImportProblem as exc:
        messages.error(request, str(exc))
        return redirect("cyber:training_import_columns", token=token)
    return _page(
        request,
        {"outcome": outcome, "token": token, "commit_form": CommitForm(), "stage": "preview"},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def training_import_columns(request: HttpRequest, token: str) -> HttpResponse:
    """Which column holds the person, the course and the date: guessed, then the person's
    choice, kept with the waiting file for the check and the import."""
    _require_importer(request)
    staged = _staged(request, token)
    if staged is None:
        messages.warning(request, "That file is no longer waiting; upload it again.")
        return redirect("cyber:training_import")
    with default_storage.open(staged["path"], "rb") as handle:
        data = handle.read()
    try:
        sheet = training.read_sheet(data, staged["name"])
    except training.ImportProblem as exc:  # pragma: no cover - it was read at upload
        messages.error(request, str(exc))
        return redirect("cyber:training_import")
    initial = staged.get("columns") or rules.guess_mapping(sheet.header)

    def columns_form(data: QueryDict | None = None) -> ColumnsForm:
        return ColumnsForm(
            data,
            headings=rules.FIELDS,
            sheet=sheet,
            initial_map=initial,
            required=rules.missing,
        )

    if request.method != "POST":
        form = columns_form()
        return _columns_page(request, form, staged, token)
    form = columns_form(request.POST)
    if not form.is_valid():
        return _columns_page(request, form, staged, token, status=400)
    mapping = form.cleaned_data["mapping"]
    request.session[SESSION_KEY] = {**staged, "columns": mapping}
    return _preview(request, token, data, staged["name"], mapping)


def _columns_page(
    request: HttpRequest, form: Any, staged: dict[str, Any], token: str, status: int = 200
) -> HttpResponse:
    context = {"form": form, "filename": staged["name"], "token": token, "stage": "columns"}
    return render(request, "cyber/training_columns.html", context, status=status)


@require_http_methods(["POST"])
def training_import_commit(request: HttpRequest, token: str) -> HttpResponse:
    """Import the checked file: all rows, or only the valid ones when chosen."""
    _require_importer(request)
    staged = _staged(request, token)
    if staged is None:
        messages.warning(
            request,
            "That file has already been imported or is no longer waiting; upload it again.",
        )
        return redirect("cyber:training_import")
    form = CommitForm(request.POST)
    form.is_valid()
    valid_only = form.cleaned_data.get("valid_only", False)
    with default_storage.open(staged["path"], "rb") as handle:
        data = handle.read()
    try:
        outcome = training.run_import(
            request.user,
            data,
            staged["name"],
            commit=True,
            valid_only=valid_only,
            mapping=staged.get("columns"),
        )
    except training.ImportProblem as exc:
        _discard(request)
        messages.error(request, str(exc))
        return redirect("cyber:training_import")
    if outcome.committed:
        _discard(request)
        return _page(request, {"outcome": outcome, "stage": "done"})
    return _page(
        request,
        {"outcome": outcome, "token": token, "commit_form": form, "stage": "refused"},
        status=400,
    )


# --- coverage ---------------------------------------------------------------------------


class DepartmentChoice(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        required=False,
        empty_label="All departments",
        label="Department",
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
