"""The innovation pilots' pages: the pipeline board (pilots by stage), the move of a pilot
to its next stage (a POST from the board or the pilot's page), and what the pilot's page
adds to the generic record page."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from townhall.core import permissions
from townhall.registers import pilot_moves, pilots, pilots_input
from townhall.registers.models import Pilot

# The button for each move, in the person's words.
MOVE_LABELS = {
    pilots.PILOT: "Start the pilot",
    pilots.EVALUATION: "Start the evaluation",
    pilots.SCALED: "Scale it up",
    pilots.STOPPED: "Stop it",
}


def move_choices(pilot: Pilot) -> list[dict[str, str]]:
    """The moves the pilot may make next, as buttons."""
    return [{"to": to, "label": MOVE_LABELS[to]} for to in pilots.next_stages(pilot.stage)]


def pilot_context(request: HttpRequest, obj: Pilot) -> dict[str, Any]:
    """The pilot's next moves and what its surveillance review means for it."""
    required = obj.review_required
    cleared = required and pilot_moves.review_cleared(obj)
    return {
        "moves": move_choices(obj) if permissions.can(request.user, "change", obj) else [],
        "review_required": required,
        "review_cleared": cleared,
        "review_flag": pilots.flag(obj.stage, required, cleared),
        "move_url": reverse("registers:pilot_move", args=[obj.pk]),
        "review_add_url": reverse("registers:surveillancereview_add") + f"?pilot={obj.pk}",
    }


@require_safe
def pipeline(request: HttpRequest) -> HttpResponse:
    rows = pilots_input.pipeline_rows(request.user)
    labels = dict(Pilot.Stage.choices)
    columns = [
        {"stage": stage, "label": labels[stage], "rows": found}
        for stage, found in pilots.pipeline_columns(rows)
    ]
    return render(
        request,
        "registers/pilot_pipeline.html",
        {"columns": columns, "total": len(rows), "list_url": reverse("registers:pilot_list")},
    )


@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = Pilot.objects.restrict(request.user, "view").filter(pk=pk).first()
    if pilot is None:
        raise Http404("No such pilot.")
    back = request.POST.get("next") or pilot.get_absolute_url()
    if back not in (pilot.get_absolute_url(), reverse("registers:pilot_pipeline")):
        back = pilot.get_absolute_url()
    to = request.POST.get("to", "")
    note = request.POST.get("note", "")[:500]
    try:
        on = _day(request.POST.get("on", ""))
        moved = pilot_moves.move(request.user, pilot, to, on=on, note=note)
    except PermissionDenied:
        raise
    except ValidationError as error:
        for message in _messages(error):
            messages.error(request, message)
        return HttpResponseRedirect(back)
    messages.success(request, f"{moved} is now at the {moved.get_stage_display().lower()} stage.")
    return HttpResponseRedirect(back)


def _day(text: str) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"on": "The day of the move is a date like 2026-05-01."}) from None


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for found in error.message_dict.values() for m in found]
    return list(error.messages)
