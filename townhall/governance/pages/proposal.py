"""Workflow steps and board decisions on a proposal, and a requester's own list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from townhall.core.http import SignedInRequest
from townhall.governance import forms, services
from townhall.governance.models import Proposal


def _proposal(request: SignedInRequest, pk: int) -> Proposal:
    return get_object_or_404(Proposal.objects.restrict(request.user, "view"), pk=pk)


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@require_POST
def step(request: SignedInRequest, pk: int) -> HttpResponse:
    """Move a proposal one step along its workflow (not a decision: see `decide`)."""
    proposal = _proposal(request, pk)
    to_status = request.POST.get("to", "")
    form = forms.StepForm(request.POST)
    form.is_valid()
    if to_status in services.DECISIONS and (proposal.status, to_status) != (
        Proposal.Status.UNDER_REVIEW,
        Proposal.Status.APPROVED,
    ):
        messages.error(request, "Record a decision with its reason and vote below.")
        return redirect(proposal)
    try:
        comment = form.cleaned_data.get("comment", "")
        decision = {"rationale": comment} if to_status in services.DECISIONS else None
        services.move(request.user, proposal, to_status, comment, decision=decision)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"“{proposal}” is now {Proposal.Status(to_status).label.lower()}."
        )
    return redirect(proposal)


@require_POST
def decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """Record the board's decision on a scored proposal: outcome, reason and vote."""
    proposal = _proposal(request, pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''} {e[0]}".strip()
            for f, e in form.errors.items()
        )
        messages.error(request, f"The decision was not recorded: {errors}")
        return redirect(proposal)
    data = form.cleaned_data
    try:
        services.move(request.user, proposal, data["decision"], data["rationale"], decision=data)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Decision recorded: “{proposal}” is {data['decision'].replace('_', ' ')}.",
        )
    return redirect(proposal)


def my_requests(request: SignedInRequest) -> HttpResponse:
    """Where each of my department's requests stands, and its latest step."""
    user = request.user
    qs = Proposal.objects.restrict(user, "view").select_related("cycle", "owner_department")
    if user.department_id:
        qs = qs.filter(owner_department_id=user.department_id)
    else:
        qs = qs.filter(submitted_by=user)
    proposals = list(qs.order_by("-cycle__first_year", "title"))
    last = {}
    for change in services.latest_steps(proposals):
        last[change.proposal_id] = change
    rows = [(p, last.get(p.pk)) for p in proposals]
    return render(request, "governance/my_requests.html", {"rows": rows})
