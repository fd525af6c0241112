"""A requisition's page: its stages and days, the offers declined on it, and for those
who may change it the buttons that move it to its next stage (`services.move_requisition`)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from townhall.core import permissions
from townhall.core.services import ConflictError
from townhall.people import services
from townhall.people.forms import StageMoveForm
from townhall.people.models import Requisition


def requisition_context(request: HttpRequest, obj: Requisition) -> dict[str, Any]:
    """The stages with their days, and the moves the reader may make."""
    may_move = permissions.can(request.user, "change", obj)
    next_stages = [
        (stage, Requisition.Stage(stage).label) for stage in services.NEXT_STAGES[obj.stage]
    ]
    days = [
        ("Opened", obj.opened_on),
        ("Approved", obj.approved_on),
        ("Posted", obj.posted_on),
        ("Offer made", obj.offer_on),
        ("Filled", obj.filled_on),
        ("Cancelled", obj.closed_on),
    ]
    return {
        "stage_days": [(label, day) for label, day in days if day],
        "next_stages": next_stages if may_move else [],
        "move_form": StageMoveForm(user=request.user) if may_move and next_stages else None,
        "can_fill": services.S.FILLED in services.NEXT_STAGES[obj.stage],
    }


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(str(m) for errors in exc.message_dict.values() for m in errors)
    return " ".join(str(m) for m in exc.messages)


@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a requisition to the stage its button names, on the day given."""
    requisition = get_object_or_404(Requisition.objects.restrict(request.user, "view"), pk=pk)
    form = StageMoveForm(request.POST, user=request.user)
    stage = request.POST.get("stage", "")
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label}: {errors[0]}" for name, errors in form.errors.items()
        )
        messages.error(request, f"The stage was not changed. {problems}")
        return redirect(requisition)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.move_requisition(
            request.user,
            requisition,
            stage,
            form.cleaned_data["day"],
            hired=form.cleaned_data.get("hired"),
            version=version,
        )
    except ValidationError as exc:
        messages.error(request, f"The stage was not changed: {_messages(exc)}")
    except ConflictError:
        messages.error(
            request, "Someone changed this requisition since you opened it; look again and retry."
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "You may not change this requisition.")
    else:
        messages.success(
            request, f"“{requisition}” is now {Requisition.Stage(stage).label.lower()}."
        )
    return redirect(requisition)
