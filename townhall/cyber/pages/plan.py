"""The plan of action and milestones page, its spreadsheet, and the button that proposes
actions from the assessment, the risks and the exposures (figures in cyber/plan.py)."""

import datetime
import io
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from townhall.core import permissions
from townhall.core.exports import safe_cell
from townhall.core.forms import field_of, style_fields
from townhall.cyber import plan
from townhall.cyber.models import Action, Assessment

A = Action
GROUPS = {"source": A.Source, "status": A.Status}
NOT_ALLOWED = "The plan of action is for IT staff, auditors and the board."


class PlanFilter(forms.Form):
    status = forms.ChoiceField(
        choices=[("open", "Open (planned or in progress)"), ("all", "Any status")]
        + list(A.Status.choices),
        required=False,
    )
    source = forms.ChoiceField(
        choices=[("", "Any source"), *A.Source.choices], required=False, label="Came from"
    )
    overdue = forms.BooleanField(required=False, label="Only overdue actions")
    group = forms.ChoiceField(
        choices=[("source", "Where it came from"), ("status", "Status")],
        required=False,
        label="Group by",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())

    def values(self) -> dict[str, Any]:
        """The filters to apply: the cleaned ones, or the defaults when they did not clean."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "status": data.get("status") or "open",
            "source": data.get("source") or "",
            "overdue": bool(data.get("overdue")),
            "group": data.get("group") or "source",
        }


class GenerateForm(forms.Form):
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.none(),
        required=False,
        empty_label="The latest assessment in progress",
        label="Take gaps from",
        help_text="Subcategories below the assessment's target each get an action.",
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "assessment", forms.ModelChoiceField).queryset = Assessment.objects.restrict(
            user, "view"
        ).order_by("-year", "name", "pk")
        style_fields(self.fields.values())


def _visible(request: HttpRequest) -> Any:
    """The actions this person may see; refused outright to those shown none by rule."""
    qs = A.objects.restrict(request.user, "view")
    if qs.query.is_empty():
        raise PermissionDenied(NOT_ALLOWED)
    return qs


def _filtered(request: HttpRequest, today: datetime.date) -> tuple[Any, PlanFilter, dict]:
    _visible(request)
    form = PlanFilter(request.GET or None)
    chosen = form.values()
    qs = plan.plan_rows(request.user)
    if chosen["status"] == "open" or chosen["overdue"]:
        qs = qs.filter(status__in=plan.OPEN)
    if chosen["status"] not in ("open", "all"):
        qs = qs.filter(status=chosen["status"])
    if chosen["source"]:
        qs = qs.filter(source=chosen["source"])
    if chosen["overdue"]:
        qs = qs.filter(due_date__lt=today)
    return qs, form, chosen


def _rows(request: HttpRequest, actions: list[Any], today: datetime.date) -> list[dict]:
    current = plan.default_assessment(request.user)
    reasons = plan.resolutions(request.user, actions, current)
    return [
        {
            "action": a,
            "source": plan.source_link(a),
            "overdue": plan.is_overdue(a, today),
            "resolved": reasons.get(a.pk, ""),
        }
        for a in actions
    ]


def _groups(rows: list[dict], by: str) -> list[dict]:
    choices = GROUPS[by]
    groups = []
    for value, label in choices.choices:
        members = [r for r in rows if getattr(r["action"], by) == value]
        if not members:
            continue
        groups.append(
            {
                "key": value,
                "label": label,
                "rows": members,
                "count": len(members),
                "overdue": sum(1 for r in members if r["overdue"]),
                "cost": sum((r["action"].cost or Decimal(0) for r in members), Decimal(0)),
                "unpriced": sum(1 for r in members if r["action"].cost is None),
            }
        )
    return groups


@require_safe
def plan_page(request: HttpRequest) -> HttpResponse:
    """The plan, filtered and grouped, with the figures a leader asks for first."""
    today = timezone.localdate()
    qs, form, chosen = _filtered(request, today)
    rows = _rows(request, list(qs), today)
    can_generate = permissions.can_add(request.user, A)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "chosen": chosen,
        "groups": _groups(rows, chosen["group"]),
        "shown": len(rows),
        "summary": plan.plan_summary(request.user, today),
        "today": today,
        "can_generate": can_generate,
        "generate_form": GenerateForm(request.user) if can_generate else None,
        "can_add": can_generate,
        "export_url": reverse("cyber:plan_export") + (f"?{query}" if query else ""),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "cyber/plan_page.html", context, status=status)


@require_POST
def plan_generate(request: HttpRequest) -> HttpResponse:
    """Propose the missing actions, then say what was added."""
    _visible(request)
    if not permissions.can_add(request.user, A):
        raise PermissionDenied("Only IT staff generate the plan of action.")
    form = GenerateForm(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the assessments listed; nothing was added.")
        return redirect("cyber:plan")
    report = plan.generate_actions(request.user, form.cleaned_data["assessment"])
    messages.success(request, " ".join(report.lines()))
    return redirect("cyber:plan")


# --- the spreadsheet --------------------------------------------------------------------

COLUMNS = [  # (header, width in characters)
    ("Action", 60),
    ("Status", 13),
    ("Came from", 30),
    ("Source record", 45),
    ("Owner", 24),
    ("Due date", 12),
    ("Overdue", 9),
    ("Estimated cost ($)", 16),
    ("Milestones", 50),
    ("Source resolved", 40),
    ("Notes", 40),
    ("Link", 40),
]
MILESTONE_COLUMNS = [
    ("Action", 60),
    ("Milestone date", 14),
    ("Milestone", 60),
    ("Owner", 24),
    ("Action status", 13),
    ("Action due date", 14),
]
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"


def _sheet(book: Workbook, title: str, columns: list[tuple[str, int]], first: bool) -> Any:
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append([safe_cell(h) for h, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def workbook(rows: list[dict], base_url: str) -> bytes:
    """The plan as XLSX: one sheet of actions, one of their dated milestones. Text is made
    safe from formula injection, dates are dates and costs are numbers."""
    book = Workbook()
    actions = _sheet(book, "Plan of action", COLUMNS, first=True)
    steps = _sheet(book, "Milestones", MILESTONE_COLUMNS, first=False)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        a = row["action"]
        source = row["source"]
        actions.append(
            [
                safe_cell(a.title),
                a.get_status_display(),
                a.get_source_display(),
                safe_cell(source[0]) if source else "",
                safe_cell(str(a.owner)) if a.owner_id else "",
                a.due_date,
                "Yes" if row["overdue"] else "No",
                a.cost,
                safe_cell(a.milestones),
                safe_cell(row["resolved"]),
                safe_cell(a.notes),
                base_url + a.get_absolute_url(),
            ]
        )
        line = actions.max_row
        actions.cell(line, 6).number_format = DATE_FORMAT
        actions.cell(line, 8).number_format = MONEY_FORMAT
        actions.cell(line, 9).alignment = wrap
        for day, text in plan.milestones(a.milestones):
            steps.append(
                [
                    safe_cell(a.title),
                    day,
                    safe_cell(text),
                    safe_cell(str(a.owner)) if a.owner_id else "",
                    a.get_status_display(),
                    a.due_date,
                ]
            )
            steps.cell(steps.max_row, 2).number_format = DATE_FORMAT
            steps.cell(steps.max_row, 6).number_format = DATE_FORMAT
    handle = io.BytesIO()
    book.save(handle)
    return handle.getvalue()


@require_safe
def plan_export(request: HttpRequest) -> HttpResponse:
    """Exactly the actions the page shows with the same filters, as a spreadsheet."""
    today = timezone.localdate()
    qs, form, _ = _filtered(request, today)
    if form.is_bound and not form.is_valid():
        return plan_page(request)
    rows = _rows(request, list(qs), today)
    base = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        workbook(rows, base),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="plan-of-action-{today:%Y-%m-%d}.xlsx"'
    return response
