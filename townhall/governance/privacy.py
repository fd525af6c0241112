"""What of governance a person may not see, for the history of records that hold it.

A saved scenario's plan holds each funded proposal's value, which is the board's weighted
total (or computed from it), and the titles of the proposals it weighed. Its history shows
these only as the records themselves do: a proposal's title to people who may see the
proposal (another department's draft stays private), its board scores as
`scores.hidden_reason` allows (not before the person has scored, or before scoring closes).
Links to proposals are handled for every record by `audit.models.redact`.
"""

from collections.abc import Iterable
from typing import Any

from townhall.audit.models import HIDDEN_VALUE, AuditEntry
from townhall.core import permissions
from townhall.governance import portfolio, scores
from townhall.governance.models import Ballot, Proposal

RESULT_LISTS = ("funded", "commitments", "left_out")


def sees_everything(user: Any) -> bool:
    return permissions.is_it_staff(user)


def hidden_proposals(user: Any, ids: Iterable[int]) -> set[int]:
    """Of the proposals `ids`, those whose title or board scores `user` may not see."""
    ids = set(ids)
    if not ids or sees_everything(user):
        return set()
    visible = {
        p.pk: p
        for p in Proposal.objects.restrict(user, "view")
        .filter(pk__in=ids)
        .only("pk", "status", "mandated")
    }
    own: set[int] = set()
    if permissions.is_board(user) and visible:
        own = set(
            Ballot.objects.filter(
                member=user, submitted_at__isnull=False, proposal_id__in=list(visible)
            ).values_list("proposal_id", flat=True)
        )
    return {pk for pk in ids if pk not in visible or scores.hidden_reason(user, visible[pk], own)}


def result_ids(result: Any) -> set[int]:
    """Every proposal a saved plan mentions."""
    if not isinstance(result, dict):
        return set()
    found = {portfolio.pk_of(i) for i in result.get("titles") or {}}
    for key in RESULT_LISTS:
        found |= {portfolio.pk_of(item.get("id", "")) for item in result.get(key) or []}
    found |= {portfolio.pk_of(i) for i in (result.get("baseline") or {}).get("funded") or []}
    return {pk for pk in found if pk is not None}


def redact_results(user: Any, entries: list[AuditEntry]) -> None:
    """A saved plan is shown whole or not at all: its totals add up the values of every
    proposal it funds, so one hidden proposal hides the plan in history (the scenario's
    page shows what the person may see of it)."""
    if sees_everything(user):
        return
    sides = [side for entry in entries for side in (entry.before, entry.after)]
    plans = [side for side in sides if isinstance(side, dict) and side.get("result")]
    hidden = hidden_proposals(user, {pk for side in plans for pk in result_ids(side["result"])})
    for side in plans:
        if result_ids(side["result"]) & hidden:
            side["result"] = HIDDEN_VALUE
