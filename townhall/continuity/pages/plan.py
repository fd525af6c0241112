"""Pages of the recovery plan beyond its generic record pages: what a version says (live
for a draft, frozen once approved), starting a new version, approving one, the PDF and
Word exports, a runbook per service and the contact lists.

Everyone signed in reads plans, runbooks and contacts; a draft's generated part is built
for the reader, so it holds only what they may see. Only IT staff and administrators start
or approve a version (rules in continuity/plans.py).
"""

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from townhall.continuity import plan_content, plan_docx, plans
from townhall.continuity.models import RecoveryPlan
from townhall.core import permissions, services
from townhall.core.forms import DateInput, style_fields
from townhall.core.http import whole_number
from townhall.core.pdf import html_page, pdf
from townhall.core.views import add_errors
from townhall.estate.models import Service
from townhall.jobs import runner
from townhall.jobs.models import Job

logger = logging.getLogger(__name__)

P = RecoveryPlan
PREVIEW_RUNBOOKS = 100  # runbooks listed on a plan's page; the exports hold them all
PREVIEW_NAMES = 8  # names shown per tier on a plan's page
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _editor(user: Any) -> bool:
    return permissions.is_it_staff(user)


def _plan(request: HttpRequest, pk: int) -> RecoveryPlan:
    return get_object_or_404(
        P.objects.restrict(request.user, "view").select_related(
            "coordinator", "alternate_coordinator"
        ),
        pk=pk,
    )


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- the plan's page ---------------------------------------------------------------------


def _preview(content: dict[str, Any]) -> dict[str, Any]:
    """A short view of the generated part for the plan's page: the exports hold it all."""
    items = content.get("items", {})
    tiers = [
        {
            **{k: v for k, v in tier.items() if k != "items"},
            "names": [items[k] for k in tier["items"][:PREVIEW_NAMES] if k in items],
            "unnamed": tier["count"] - min(len(tier["items"]), PREVIEW_NAMES),
        }
        for tier in content.get("sequence", [])
    ]
    runbooks = content.get("runbooks", [])
    contacts = content.get("contacts", {})
    departments = contacts.get("departments", [])
    return {
        "counts": content.get("counts", {}),
        "tiers": tiers,
        "runbooks": runbooks[:PREVIEW_RUNBOOKS],
        "runbooks_more": max(len(runbooks) - PREVIEW_RUNBOOKS, 0),
        "missed": sum(1 for r in runbooks if r.get("rto_status") == "missed"),
        "gaps": content.get("gaps", {}),
        "contacts": contacts,
        "departments_unstaffed": sum(
            1 for d in departments if not d.get("head") or not d.get("it_liaison")
        ),
        "roles_unassigned": sum(1 for r in contacts.get("roles", []) if not r.get("person")),
        "generated_at": content.get("generated_at", ""),
        "generated_by": content.get("generated_by", ""),
        "known_schema": content.get("schema") == plan_content.SCHEMA,
    }


def plan_context(request: HttpRequest, plan: RecoveryPlan) -> dict[str, Any]:
    """The plan's page: its status, what it generates (live or frozen) and its actions."""
    user = request.user
    editor = _editor(user)
    newest = plans.latest()
    draft = plan.status == P.Status.DRAFT
    in_force = plans.current_approved()
    frozen = not draft and bool(plan.content)
    content = plans.content_for(user, plan)
    return {
        "plan": plan,
        "status_line": plans.status_line(plan),
        "is_draft": draft,
        "frozen": frozen,
        "preview": _preview(content),
        "missing": plans.missing_message(plan) if draft else "",
        "can_approve": editor and draft,
        "can_start": editor and newest is not None and newest.status != P.Status.DRAFT,
        "newer_draft": newest if newest and newest.status == P.Status.DRAFT and not draft else None,
        "in_force": in_force if in_force and in_force.pk != plan.pk else None,
        "pdf_url": reverse("continuity:plan_pdf", args=[plan.pk]),
        "docx_url": reverse("continuity:plan_docx", args=[plan.pk]),
    }


# --- starting and approving a version ------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    """Start the next version (POST); the page says what will be copied (GET)."""
    if not _editor(request.user):
        raise PermissionDenied("Only IT staff and administrators start a new version.")
    newest = plans.latest()
    if request.method == "POST":
        try:
            plan = plans.new_plan(request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(newest.get_absolute_url() if newest else "continuity:plan_new")
        copied = (
            f"; its sections and roles are copied from version {newest.number}"
            if newest
            else "; it starts from suggested text to adapt"
        )
        messages.success(request, f"Started version {plan.number} as a draft{copied}.")
        return redirect(plan.get_absolute_url())
    return render(
        request,
        "continuity/plan_new.html",
        {"newest": newest, "draft": newest if newest and newest.status == P.Status.DRAFT else None},
    )


class ApproveForm(forms.Form):
    approver_name = forms.CharField(
        label="Approved by",
        max_length=200,
        help_text="The person who approved the plan, such as the county manager.",
    )
    approver_title = forms.CharField(label="Approver's title", max_length=200)
    approved_on = forms.DateField(label="Date approved", widget=DateInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


@require_http_methods(["GET", "HEAD", "POST"])
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The approval form: who approved the version, their title and the date."""
    plan = _plan(request, pk)
    if not _editor(request.user):
        raise PermissionDenied("Only IT staff and administrators approve a recovery plan.")
    if plan.status != P.Status.DRAFT:
        messages.info(request, f"Version {plan.number} is already {plan.get_status_display()}.")
        return redirect(plan.get_absolute_url())
    status = 200
    if request.method == "POST":
        form = ApproveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            asked = {
                "approver_name": data["approver_name"],
                "approver_title": data["approver_title"],
                "approved_on": data["approved_on"],
                "version": data["version"],
            }
            try:
                plans.check_approval(request.user, plan, **asked)
            except services.ConflictError as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                add_errors(form, exc)
                status = 400
            else:
                # Freezing the content takes seconds in a large county: a job does it.
                job = runner.submit(
                    request.user,
                    plans.APPROVE_JOB,
                    f"Approval of {plan.title}, version {plan.number}",
                    {**asked, "plan": plan.pk, "approved_on": data["approved_on"].isoformat()},
                )
                job.refresh_from_db()
                if job.status == Job.Status.DONE:  # done at once: no worker, or a quick one
                    messages.success(request, job.message)
                    return redirect(plan.get_absolute_url())
                if job.status != Job.Status.FAILED:
                    return redirect(job.get_absolute_url())
                form.add_error(None, job.message)
                status = 400
        else:
            status = 400
    else:
        form = ApproveForm(initial={"approved_on": timezone.localdate(), "version": plan.version})
    return render(
        request,
        "continuity/plan_approve.html",
        {"plan": plan, "form": form, "missing": plans.missing_message(plan)},
        status=status,
    )


# --- exports -------------------------------------------------------------------------------
#
# A plan of up to INLINE_ROWS table rows is drawn while the reader waits (a few seconds); a
# larger one, and the contact lists always (a few seconds of layout even in a small county),
# are drawn by a background job, as large list exports are, and the reader is sent to the
# job's page, which offers the file when it is ready.

INLINE_ROWS = 1000


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def plan_rows(content: dict[str, Any]) -> int:
    """Roughly how many table rows the plan's exports hold: what their time depends on."""
    contacts = content.get("contacts", {})
    books = content.get("runbooks", [])
    return (
        sum(len(t.get("items", [])) for t in content.get("sequence", []))
        + sum(len(b["restore_first"]) + len(b["contacts"]) + len(b["vendors"]) + 10 for b in books)
        + contacts_rows(contacts)
    )


def contacts_rows(contacts: dict[str, Any]) -> int:
    return sum(
        len(contacts.get(name, [])) for name in ("roles", "departments", "system_owners", "vendors")
    )


def _plan_html(plan: RecoveryPlan, content: dict[str, Any], site: str) -> str:
    context = {
        "plan": plan,
        "content": plan_content.expanded(content),
        "status_line": plans.status_line(plan),
        "generated_line": plans.generated_line(plan, content),
        "is_draft": plan.status == P.Status.DRAFT,
        "site": site,
    }
    return render_to_string("continuity/plan_pdf.html", context)


def plan_file(
    user: Any, plan: RecoveryPlan, kind: str, site: str, content: dict[str, Any] | None = None
) -> tuple[bytes, str, str]:
    """The plan as `kind` ("pdf" or "docx"): the body, its content type and file name."""
    if content is None:
        content = plans.content_for(user, plan)
    if kind == "docx":
        body = plan_docx.docx_bytes(plan, content, site=site)
        return body, DOCX_TYPE, plans.file_name(plan, "docx")
    return (
        pdf(_plan_html(plan, content, site), site),
        "application/pdf",
        plans.file_name(plan, "pdf"),
    )


def contacts_file(
    user: Any, site: str, context: dict[str, Any] | None = None
) -> tuple[bytes, str, str]:
    """The contact lists as PDF: the body, its content type and file name."""
    context = context or {**_contacts_data(user), "site": site}
    html = render_to_string("continuity/contacts_pdf.html", context)
    name = f"recovery-contacts-{context['today']:%Y-%m-%d}.pdf"
    return pdf(html, site), "application/pdf", name


EXPORT_JOB = "continuity_export"


def _queue(request: HttpRequest, title: str, params: dict[str, Any]) -> HttpResponse:
    job = runner.submit(request.user, EXPORT_JOB, title, params)
    messages.info(request, f"{title} is large; it is being prepared.")
    return redirect(job.get_absolute_url())


def _plan_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = _plan(request, pk)
    site = _site(request)
    content = plans.content_for(request.user, plan)
    if kind == "pdf" and request.GET.get("format") == "html":
        return html_page(_plan_html(plan, content, site))
    if plan_rows(content) > INLINE_ROWS:
        title = f"{plan.title}, version {plan.number} ({kind.upper()})"
        return _queue(
            request, title, {"what": "plan", "plan": plan.pk, "format": kind, "site": site}
        )
    return _download(*plan_file(request.user, plan, kind, site, content))


@require_safe
@never_cache
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole plan as PDF (`?format=html`: the page it is drawn from)."""
    return _plan_export(request, pk, "pdf")


@require_safe
@never_cache
def plan_docx_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole plan as an editable Word document."""
    return _plan_export(request, pk, "docx")


# --- runbooks --------------------------------------------------------------------------------


def _runbook(request: HttpRequest, pk: int) -> tuple[dict[str, Any], RecoveryPlan | None]:
    """A service's runbook: live, or from an approved version with `?plan=<id>`."""
    chosen = request.GET.get("plan")
    if chosen:
        number = whole_number(chosen)
        if number is None:
            raise Http404("No such plan version.")
        plan = _plan(request, number)
        if plan.status == P.Status.DRAFT or not plan.content:
            return _live_runbook(request, pk), plan
        book = plan_content.runbook_in(plan.content, pk)
        if book is None:
            raise Http404("That version has no runbook for this service.")
        return {**book, "generated_at": plan.content.get("generated_at", "")}, plan
    return _live_runbook(request, pk), None


def _live_runbook(request: HttpRequest, pk: int) -> dict[str, Any]:
    book = plan_content.build_runbook(request.user, pk)
    if book is None:
        raise Http404("No such service.")
    return book


def _runbook_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    book, plan = _runbook(request, pk)
    frozen = plan if plan is not None and plan.status != P.Status.DRAFT else None
    in_force = frozen if frozen is not None else plans.current_approved()
    return {
        "book": book,
        "plan": frozen,
        "status_line": plans.status_line(frozen) if frozen is not None else "",
        "in_force": in_force,
        "coordinator": in_force.coordinator if in_force else None,
        "pdf_url": reverse("continuity:runbook_pdf", args=[pk])
        + (f"?plan={frozen.pk}" if frozen is not None else ""),
    }


@require_safe
def runbook(request: HttpRequest, pk: int) -> HttpResponse:
    """What it takes to bring one service back, and whom to call."""
    return render(request, "continuity/runbook.html", _runbook_context(request, pk))


@require_safe
@never_cache
def runbook_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = {**_runbook_context(request, pk), "site": _site(request)}
    html = render_to_string("continuity/runbook_pdf.html", context, request=request)
    if request.GET.get("format") == "html":
        return html_page(html)
    name = Service.objects.filter(pk=pk).values_list("name", flat=True).first() or "service"
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")[:60] or "service"
    return _download(pdf(html, context["site"]), "application/pdf", f"runbook-{slug}.pdf")


# --- contacts --------------------------------------------------------------------------------


def _contacts_data(user: Any) -> dict[str, Any]:
    plan = plans.current_approved() or plans.latest()
    return {
        "contacts": plan_content.build_contacts(user, plan=plan),
        "plan": plan,
        "status_line": plans.status_line(plan) if plan else "",
        "today": timezone.localdate(),
        "jurisdiction_name": settings.JURISDICTION_NAME,
    }


@require_safe
def contacts(request: HttpRequest) -> HttpResponse:
    """Who to call in a recovery: the plan's roles, each department's head and IT liaison,
    system owners and vendor support."""
    context = {**_contacts_data(request.user), "can_start": _editor(request.user)}
    return render(request, "continuity/contacts.html", context)


@require_safe
@never_cache
def contacts_pdf(request: HttpRequest) -> HttpResponse:
    """The contact lists as a web page with `?format=html`; as PDF, laid out by a
    background job (about 6 s in a large county), whose page offers the file."""
    site = _site(request)
    if request.GET.get("format") == "html":
        context = {**_contacts_data(request.user), "site": site}
        return html_page(render_to_string("continuity/contacts_pdf.html", context))
    job = runner.submit(
        request.user, EXPORT_JOB, "Recovery contacts (PDF)", {"what": "contacts", "site": site}
    )
    return redirect(job.get_absolute_url())
