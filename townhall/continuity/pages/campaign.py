"""Pages of BIA campaigns: a campaign's progress (on its detail page), opening it after a
confirmation, reminders, closing and a CSV of progress; a department's own analyses; and
submitting, approving and returning one analysis. The rules are in `campaigns.py`."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from townhall.continuity import campaigns
from townhall.continuity.models import Campaign, ImpactAnalysis
from townhall.core import exports, services
from townhall.core.exports import safe_cell
from townhall.core.forms import field_of, style_fields
from townhall.core.http import SignedInRequest
from townhall.org.forms import DepartmentChoice

PER_PAGE = 50
MY_PER_PAGE = 100
S = ImpactAnalysis.Status
STATE_CHOICES = [
    ("", "Any status"),
    (S.DRAFT, "Not yet submitted"),
    (S.SUBMITTED, "Submitted"),
    (S.APPROVED, "Approved"),
]


# --- helpers -----------------------------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _next(request: HttpRequest, default: str) -> str:
    """Where to go back to after an action: the page it was taken on, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.restrict(request.user, "view"), pk=pk)


def _analysis(request: HttpRequest, pk: int) -> ImpactAnalysis:
    return get_object_or_404(
        ImpactAnalysis.objects.restrict(request.user, "view").select_related("service"), pk=pk
    )


class BadVersion(Exception):
    pass


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    if raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise BadVersion from None


def _say(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _mailing_lines(result: campaigns.Mailing) -> str:
    return " ".join(result.lines())


# --- a campaign's progress --------------------------------------------------------------


class ProgressFilter(forms.Form):
    """Which services to list: one department, one status."""

    department = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    state = forms.ChoiceField(choices=STATE_CHOICES, required=False, label="Status")

    def __init__(self, departments: list[campaigns.DepartmentProgress], *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        field_of(self, "department", forms.TypedChoiceField).choices = [
            ("", "Every department")
        ] + [(d.department_id, d.name) for d in departments if d.department_id]
        style_fields(self.fields.values())

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"department": data.get("department"), "state": data.get("state") or ""}


def _row(req: Any, campaign: Campaign) -> dict[str, Any]:
    state = campaigns.state_of(req, campaign)
    return {
        "request": req,
        "analysis": req.analysis,
        "state": state,
        "state_label": S(state).label,
        "done": state in campaigns.DONE,
    }


@require_safe
def campaign_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress overall, per department and per service (a page at a time), with the
    actions the person may take. A fixed number of queries, whatever the size."""
    campaign = _campaign(request, pk)
    user = request.user
    prog = campaigns.progress(campaign, user)
    form = ProgressFilter(prog.departments, request.GET or None)
    chosen = form.values()
    qs = campaigns.request_rows(campaign, user, chosen["department"], chosen["state"])
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    departments = {d.department_id: d for d in prog.departments}
    dept = departments.get(chosen["department"])
    return render(
        request,
        "continuity/campaign_progress.html",
        {
            "object": campaign,
            "opts": Campaign._meta,
            "list_url": reverse("continuity:campaign_list"),
            "progress": prog,
            "filter_form": form,
            "chosen": chosen,
            "chosen_department": dept.name if dept else "",
            "chosen_state": dict(STATE_CHOICES).get(chosen["state"], "") if chosen["state"] else "",
            "page": page,
            "rows": [_row(req, campaign) for req in page.object_list],
            "query": query.urlencode(),
            "can_manage": campaigns.may_manage(user, campaign),
            "can_review": campaigns.may_review(user),
            "job": campaigns.running_job(campaign),
            "here": request.get_full_path(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# --- opening, reminders, closing -------------------------------------------------------


def _managed(request: HttpRequest, pk: int, what: str) -> Campaign:
    campaign = _campaign(request, pk)
    if not campaigns.may_manage(request.user, campaign):
        raise PermissionDenied(f"Only IT staff and administrators {what}.")
    return campaign


def _in_background(request: HttpRequest, campaign: Campaign, action: str) -> HttpResponse | None:
    """Queue a large action as a job and go to its progress page; None when it is small
    enough to run while the page waits."""
    size = campaigns.work_size(campaign, request.user, action)
    if size <= campaigns.INLINE_LIMIT:
        return None
    job = campaigns.start_job(request.user, campaign, action, base_url=_base_url(request))
    messages.info(
        request,
        f"{size:,} requests are a lot to write at once: this runs in the background. This "
        "page shows how far it has come, and what it did when it is done.",
    )
    return redirect(job)


def _report(request: HttpRequest, text: str, result: campaigns.Mailing) -> None:
    """Say what happened; departments to call get a warning of their own."""
    if result.no_address or result.failed:
        messages.success(request, text)
        messages.warning(request, _mailing_lines(result))
    else:
        messages.success(request, f"{text} {_mailing_lines(result)}".strip())


def campaign_open(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what opening will do, to confirm. POST: open it and send the e-mails."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    campaign = _managed(request, pk, "open campaigns")
    detail = campaign.get_absolute_url()
    if request.method == "POST":
        try:
            queued = _in_background(request, campaign, "open")
            if queued is not None:
                return queued
            result = campaigns.open_campaign(request.user, campaign, base_url=_base_url(request))
        except ValidationError as exc:
            messages.error(request, _say(exc))
            return redirect(detail)
        _report(request, campaigns.opened_text(campaign, result), result)
        return redirect("continuity:campaign_progress", pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        messages.info(request, f"“{campaign}” is {campaign.get_status_display().lower()}.")
        return redirect(detail)
    plan = campaigns.scope(campaign, request.user)
    return render(
        request,
        "continuity/campaign_open.html",
        {
            "object": campaign,
            "opts": Campaign._meta,
            "list_url": reverse("continuity:campaign_list"),
            "plan": plan,
            "blocked_by": campaigns.open_campaign_elsewhere(campaign),
            "job": campaigns.running_job(campaign),
            "chosen_departments": list(campaign.departments.all()),
        },
    )


@require_POST
def campaign_remind(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _managed(request, pk, "send reminders")
    back = _next(request, reverse("continuity:campaign_progress", args=[campaign.pk]))
    try:
        queued = _in_background(request, campaign, "remind")
        if queued is not None:
            return queued
        result = campaigns.remind(request.user, campaign, base_url=_base_url(request))
    except ValidationError as exc:
        messages.error(request, _say(exc))
        return redirect(back)
    text = campaigns.reminded_text(result)
    if result.emailed:
        _report(request, text, result)
    elif result.no_address or result.failed:
        messages.warning(request, f"{text} {_mailing_lines(result)}")
    else:
        messages.info(request, text)
    return redirect(back)


@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _managed(request, pk, "close campaigns")
    back = _next(request, reverse("continuity:campaign_progress", args=[campaign.pk]))
    try:
        queued = _in_background(request, campaign, "close")
        if queued is not None:
            return queued
        tally = campaigns.close_campaign(request.user, campaign)
    except ValidationError as exc:
        messages.error(request, _say(exc))
    else:
        messages.success(request, campaigns.closed_text(campaign, tally))
    return redirect(back)


# --- progress as CSV ---------------------------------------------------------------------

CSV_HEADER = [
    "Department",
    "Service",
    "Status",
    "Done",
    "Overdue",
    "E-mailed",
    "Reminded",
    "Status at close",
    "Analysis",
]


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _csv_rows(campaign: Campaign, qs: Any, base: str, late: bool) -> Any:
    for req in qs.iterator(chunk_size=2000):
        state = campaigns.state_of(req, campaign)
        done = state in campaigns.DONE
        yield [
            safe_cell(str(req.department) if req.department_id else ""),
            safe_cell(str(req.service)),
            S(state).label,
            "Yes" if done else "No",
            "Yes" if late and not done else "No",
            _when(req.sent_at),
            _when(req.reminded_at),
            S(req.final_status).label if req.final_status else "",
            f"{base}{req.analysis.get_absolute_url()}" if req.analysis_id else "",
        ]


@require_safe
def campaign_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every request of the campaign, one row per service, safe to open in a spreadsheet."""
    campaign = _campaign(request, pk)
    qs = campaigns.request_rows(campaign, request.user)
    today = timezone.localdate()
    late = campaign.status == Campaign.Status.OPEN and today > campaign.due_on
    body = _csv_rows(campaign, qs, _base_url(request), late)
    response = StreamingHttpResponse(
        exports.csv_lines(CSV_HEADER, body), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="campaign-{campaign.pk}-progress-{today:%Y-%m-%d}.csv"'
    )
    return response


# --- a department's own analyses ---------------------------------------------------------


@require_safe
def my_analyses(request: SignedInRequest) -> HttpResponse:
    """The analyses a department is asked for in open campaigns: status, due date, what
    is still missing, and Edit and Submit. A liaison sees their own department; IT staff
    and administrators choose one."""
    user = request.user
    chooser = None
    department = None
    if user.department_id:
        department = user.department
    elif campaigns.may_review(user):
        chooser = DepartmentChoice(user, request.GET or None)
        if chooser.is_bound and chooser.is_valid():
            department = chooser.cleaned_data["department"]
    rows, page = [], None
    if department is not None:
        qs = campaigns.department_requests(user, department.pk)
        page = Paginator(qs, MY_PER_PAGE).get_page(request.GET.get("page"))
        ids = [r.analysis_id for r in page.object_list if r.analysis_id]
        editable = (
            set(
                ImpactAnalysis.objects.filter(pk__in=ids)
                .restrict(user, "change")
                .values_list("pk", flat=True)
            )
            if ids
            else set()
        )
        today = timezone.localdate()
        for req in page.object_list:
            row = _row(req, req.campaign)
            row["missing"] = campaigns.analysis_missing(req.analysis) if req.analysis_id else []
            row["can_edit"] = req.analysis_id in editable
            row["overdue"] = not row["done"] and today > req.campaign.due_on
            rows.append(row)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "continuity/campaign_my_analyses.html",
        {
            "department": department,
            "chooser": chooser,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "here": request.get_full_path(),
        },
        status=400 if chooser is not None and chooser.is_bound and not chooser.is_valid() else 200,
    )


# --- submit, approve, return one analysis ------------------------------------------------


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    analysis = _analysis(request, pk)
    back = _next(request, analysis.get_absolute_url())
    try:
        action(request.user, analysis, version=_version(request))
    except BadVersion:
        messages.error(request, "The form was not understood; reload the page and try again.")
    except services.ConflictError:
        messages.error(
            request,
            f"“{analysis.service}” was changed after you opened the page; look at it again "
            "before you try again.",
        )
    except ValidationError as exc:
        messages.error(request, _say(exc))
    else:
        messages.success(request, done.format(service=analysis.service))
    return redirect(back)


@require_POST
def analysis_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        campaigns.submit_analysis,
        "Submitted the impact analysis of “{service}” for IT to review.",
    )


@require_POST
def analysis_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, campaigns.approve_analysis, "Approved the impact analysis of “{service}”."
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=campaigns.REASON_MAX,
        label="What should the department change?",
        help_text="The department sees this at the top of the analysis's notes.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


def analysis_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an analysis back to its department as a draft, with the reason."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    analysis = _analysis(request, pk)
    if not campaigns.may_review(request.user):
        raise PermissionDenied("Only IT staff and administrators return impact analyses.")
    back = _next(request, analysis.get_absolute_url())
    form = ReturnForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaigns.return_analysis(
                    request.user,
                    analysis,
                    form.cleaned_data["reason"],
                    version=_version(request),
                )
            except BadVersion:
                form.add_error(None, "The form was not understood; reload the page.")
            except services.ConflictError:
                form.add_error(
                    None,
                    "The analysis was changed after you opened this page; look at it again.",
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
                    form.add_error("reason", exc.error_dict["reason"])
                else:
                    form.add_error(None, _say(exc))
            else:
                messages.success(
                    request,
                    f"Returned the impact analysis of “{analysis.service}” to the department.",
                )
                return redirect(back)
        status = 400
    return render(
        request,
        "continuity/campaign_return.html",
        {
            "object": analysis,
            "opts": ImpactAnalysis._meta,
            "list_url": reverse("continuity:impactanalysis_list"),
            "form": form,
            "next": back,
        },
        status=status,
    )
