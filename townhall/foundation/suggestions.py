"""Support suggestions from endoflife.date: the verbs, on the write path.

The release data cyber imports (`cyber.ProductRelease`) and cyber's matching of the estate
to it (by product and version cycle, through the alias table) say, for many systems and
components, when support ends or that no end is announced. `make_suggestions` turns each
match that differs from what the estate records into a pending suggestion; IT staff accept
(the item is changed through `core.services.update`) or reject it. A rejected suggestion
stays, so the same release is never suggested again for the same item.

Each run first tidies what is still pending (never a decided suggestion): one whose item is
retired or gone, whose item no longer matches that release or whose release no longer says
the same (the item's version or product changed, the release left the data or changed its
date), or whose item already records what it suggests, is deleted through the write path
(`services.delete_many`); one whose item's support a person set otherwise after it was made
is rejected, with a note saying so, as that person's answer: it is not suggested again.

The date suggested is the release's end of life on endoflife.date (the last day of any
fixes, security ones included): the day the item runs unsupported. A release with no date
but marked as not ended is "supported, no end date announced"; one with neither says
nothing and suggests nothing.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from townhall.audit.models import AuditEntry
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
    removed: int = 0
    superseded: int = 0

    def text(self) -> str:
        text = (
            f"{self.made:,} new suggestions; {self.agreed:,} matched items already record "
            f"the same support; {self.decided:,} already pending or rejected."
        )
        if self.removed or self.superseded:
            text += (
                f" {self.removed:,} pending suggestions no longer held and were removed; "
                f"{self.superseded:,} were answered by a person setting the item's support."
            )
        return text


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
    _tidy(user, found, report)
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


def _recorded(
    found: Iterable[tuple[str, int]], in_service: bool = False
) -> dict[tuple[str, int], tuple[str, Any]]:
    """(kind, pk) -> (support status, end of support) the estate records for the items
    (`in_service`: only those not retired)."""
    recorded: dict[tuple[str, int], tuple[str, Any]] = {}
    keys = list(found)
    for kind, model in ITEM_MODELS.items():
        ids = [pk for k, pk in keys if k == kind]
        chosen = model.objects.all()
        if in_service and model is System:
            chosen = chosen.exclude(lifecycle=System.Lifecycle.RETIRED)
        elif in_service:
            chosen = chosen.exclude(status=Component.Status.RETIRED)
        for start in range(0, len(ids), 1000):
            rows = chosen.filter(pk__in=ids[start : start + 1000]).values_list(
                "pk", "support_state", "end_of_support"
            )
            recorded.update({(kind, pk): (state, end) for pk, state, end in rows})
    return recorded


def _tidy(user: Any, found: dict[tuple[str, int], tuple], report: Report) -> None:
    """Delete the pending suggestions that no longer hold, and reject those a person
    answered by setting the item's support (see the module's doc)."""
    waiting = list(SupportSuggestion.objects.filter(status=Status.PENDING).order_by("pk"))
    if not waiting:
        return
    keys = [_key(s) for s in waiting]
    recorded = _recorded(keys, in_service=True)
    gone, answered = [], []
    for s, key in zip(waiting, keys, strict=True):
        now = found.get(key)
        wanted = (s.support_state, s.end_of_support)
        if (
            key not in recorded
            or now is None
            or (now[0], now[1], now[2]) != (s.release_id, *wanted)
            or recorded[key] == wanted
        ):
            gone.append(s)
        else:
            answered.append(s)
    setters = _support_set_since(answered)
    superseded = [s for s in answered if s.pk in setters]
    with transaction.atomic():
        if gone:
            services.delete_many(user, gone)
        for s in superseded:
            who, when = setters[s.pk]
            services.transition(
                user,
                s,
                Status.REJECTED,
                note=f"superseded: {who} set the item's support on {when:%Y-%m-%d}",
                extra={"decided_at": timezone.now()},
            )
    report.removed, report.superseded = len(gone), len(superseded)


def _key(s: SupportSuggestion) -> tuple[str, int]:
    if s.system_id:
        return ("system", s.system_id)
    return ("component", s.component_id or 0)


def _support_set_since(waiting: list[SupportSuggestion]) -> dict[int, tuple[str, Any]]:
    """Suggestion pk -> (who, when) for those whose item's support status or end of support a
    person changed after the suggestion was made (read from the items' history)."""
    out: dict[int, tuple[str, Any]] = {}
    for kind, model in ITEM_MODELS.items():
        mine = [s for s in waiting if getattr(s, f"{kind}_id")]
        if not mine:
            continue
        by_item: dict[str, list[SupportSuggestion]] = {}
        for s in mine:
            by_item.setdefault(str(getattr(s, f"{kind}_id")), []).append(s)
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=list(by_item),
            action="update",
            actor__isnull=False,
            at__gte=min(s.created_at for s in mine),
        ).values_list("object_id", "at", "actor_name", "after")
        for object_id, at, who, after in entries.order_by("at"):
            if not isinstance(after, dict) or not {"support_state", "end_of_support"} & set(after):
                continue
            for s in by_item.get(object_id, ()):
                if at > s.created_at and s.pk not in out:
                    out[s.pk] = (who, at)
    return out


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
