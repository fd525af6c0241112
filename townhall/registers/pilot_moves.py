"""The pilots' verb: moving a pilot to its next stage. Each move is a named state change
(`services.transition`), so it has its own audit entry, sets the day of the stage reached,
and is refused — with the reason — when the move is not allowed or the pilot needs an
approved surveillance review it does not have."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from townhall.core import permissions, services
from townhall.registers import pilots
from townhall.registers.models import Pilot, SurveillanceReview


def review_cleared(pilot: Pilot) -> bool:
    """Whether one of the pilot's surveillance reviews lets it run."""
    decisions = SurveillanceReview.objects.filter(pilot=pilot).values_list("decision", flat=True)
    return pilots.review_cleared(decisions)


def move(
    user: Any, pilot: Pilot, to: str, *, on: datetime.date | None = None, note: str = ""
) -> Pilot:
    """Move `pilot` to stage `to` on day `on` (today by default), as `user`."""
    current = Pilot.objects.get(pk=pilot.pk)
    if not permissions.can(user, "change", current):
        raise PermissionDenied("You may not move this pilot.")
    required = current.review_required
    refusal = pilots.move_refusal(
        current.stage, to, required=required, cleared=required and review_cleared(current)
    )
    if refusal:
        raise ValidationError({"stage": refusal})
    day = on or timezone.localdate()
    return services.transition(
        user, current, to, field="stage", note=note.strip(), extra={pilots.DAY_FIELD[to]: day}
    )
