"""Support suggestions from endoflife.date: the verbs, on the write path.

The release data cyber imports (`cyber.ProductRelease`) and cyber's matching of the estate
to it (by product and version cycle, through the alias table) say, for many systems and
components, when support ends or that no end is announced. `make_suggestions` turns each
match that differs from what the estate records into a pending suggestion; IT staff accept
(the item is changed through `core.services.update`) or reject it. A rejected suggestion
stays, so the same release is never suggested again for the same item.

The date suggested is the release's end of life on endoflife.date (the last day of any
fixes, security ones included): the day the item runs unsupported. A release with no date
but marked as not ended is "supported, no end date announced"; one with neither says
nothing and suggests nothing.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from townhall.core import permissions, services
from townhall.cyber import exposure
from townhall.cyber.models import ProductRelease
from townhall.estate.models import Component, SupportState, System
from townhall.foundation.models import SupportSuggestion

JOB_KIND = "foundation_suggestions"
ITEM_MODELS: dict[str, Any] = {"system": System, "component": Component}
Status = SupportSuggestion.Status


@dataclass
class Report:
    """What one run found: suggestions made, matches the estate already agrees with, and
    matches already pending or rejected."""

    made: int = 0
    agreed: int = 0
    decided: int = 0

    def text(self) -> str:
        return (
            f"{self.made:,} new suggestions; {self.agreed:,} matched items already record "
            f"the same support; {self.decided:,} already pending or rejected."
        )


def _require_staff(user: Any) -> None:
    if not permissions.is_it_staff(user):
        raise PermissionDenied("Only IT staff decide support suggestions.")


def suggested_values(
    end_of_life: datetime.date | None, ended_flag: bool | None
) -> tuple[str, datetime.date | None] | None:
    """(support status, end of support) a release suggests, or None when it says nothing."""
    if end_of_life is not None:
        return SupportState.DATED, end_of_life
    if ended_flag is False:
        return SupportState.NO_END_DATE, None
    return None


def make_suggestions(user: Any, today: datetime.date | None = None) -> Report:
    """Match the estate to the release data and add a pending suggestion for every item
    whose recorded support differs from its release's (see the module's doc)."""
    _require_staff(user)
    result = exposure.matcher(today).run(exposure.estate_items())
    releases = {
        (product, cycle): (pk, end, flag)
        for pk, product, cycle, end, flag in ProductRelease.objects.values_list(
            "pk", "product", "cycle", "end_of_life", "end_of_life_passed"
        )
    }
    found: dict[tuple[str, int], tuple[int, str, datetime.date | None, str]] = {}
    for match in result.matches():
        if match.kind != "eol" or match.ref in found:
            continue
        release = releases.get((match.record.product, match.record.cycle))
        if release is None:
            continue
        values = suggested_values(release[1], release[2])
        if values is not None:
            found[match.ref] = (release[0], values[0], values[1], match.reason[:300])
    report = Report()
    if not found:
        return report
    recorded = _recorded(found)
    taken = set(
        SupportSuggestion.objects.filter(status__in=[Status.PENDING, Status.REJECTED]).values_list(
            "system_id", "component_id", "release_id"
        )
    )
    rows = []
    for (kind, pk), (release_id, state, end, reason) in sorted(found.items()):
        if recorded.get((kind, pk)) == (state, end):
            report.agreed += 1
            continue
        key = (pk, None, release_id) if kind == "system" else (None, pk, release_id)
        if key in taken:
            report.decided += 1
            continue
        if (kind, pk) not in recorded:  # retired or gone since the match
            continue
        rows.append(
            {
                kind: pk,
                "release": release_id,
                "support_state": state,
                "end_of_support": end,
                "matched_on": reason,
            }
        )
    services.create_many(user, SupportSuggestion, rows)
    report.made = len(rows)
    return report


def _recorded(found: dict[tuple[str, int], Any]) -> dict[tuple[str, int], tuple[str, Any]]:
    """(kind, pk) -> (support status, end of support) the estate records for the items."""
    recorded: dict[tuple[str, int], tuple[str, Any]] = {}
    for kind, model in ITEM_MODELS.items():
        ids = [pk for k, pk in found if k == kind]
        for start in range(0, len(ids), 1000):
            rows = model.objects.filter(pk__in=ids[start : start + 1000]).values_list(
                "pk", "support_state", "end_of_support"
            )
            recorded.update({(kind, pk): (state, end) for pk, state, end in rows})
    return recorded


def pending(user: Any) -> Any:
    """The pending suggestions `user` may see, with their items and releases."""
    return permissions.restrict(
        SupportSuggestion.objects.filter(status=Status.PENDING), user, "view"
    ).select_related("system", "component", "release")


def accept(user: Any, suggestion: SupportSuggestion, version: int | None = None) -> None:
    """Record the suggested support on the item and mark the suggestion accepted."""
    _require_staff(user)
    if suggestion.status != Status.PENDING:
        raise ValidationError({"status": f"This suggestion is already {suggestion.status}."})
    with transaction.atomic():
        item = suggestion.item
        values = {
            "support_state": suggestion.support_state,
            "end_of_support": suggestion.end_of_support,
        }
        services.update(user, item, values, version=item.version)
        services.transition(
            user,
            suggestion,
            Status.ACCEPTED,
            note=f"{item} now records: {suggestion.suggestion_text}",
            extra={"decided_by": user, "decided_at": timezone.now()},
            version=version,
        )


def reject(user: Any, suggestion: SupportSuggestion, version: int | None = None) -> None:
    """Mark the suggestion rejected: the item keeps what it records, and the same release
    is not suggested for it again."""
    _require_staff(user)
    services.transition(
        user,
        suggestion,
        Status.REJECTED,
        extra={"decided_by": user, "decided_at": timezone.now()},
        version=version,
    )


def decide_many(user: Any, ids: Iterable[int], accepted: bool) -> int:
    """Accept or reject the pending suggestions among `ids`, all or none; how many."""
    _require_staff(user)
    chosen = list(pending(user).filter(pk__in=list(ids)).order_by("pk"))
    with transaction.atomic():
        for suggestion in chosen:
            (accept if accepted else reject)(user, suggestion)
    return len(chosen)
