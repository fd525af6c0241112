"""Governance actions: every workflow step, ballot and decision goes through here, and
every write here goes through townhall.core.services (permission, validation, audit)."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from townhall.core import permissions, services
from townhall.governance.models import (
    Ballot,
    BudgetCycle,
    CriteriaSet,
    Criterion,
    Proposal,
    StatusChange,
)

S = Proposal.Status

# Which step may follow which, and who may take it (the model's rule for its transitions).
STEPS = Proposal.STEPS
DECISIONS = (S.APPROVED, S.DEFERRED, S.REJECTED)
MAX_COMMENT = 2000  # characters in a board member's comment on one criterion


def next_steps(user: Any, proposal: Proposal) -> list[tuple[str, str]]:
    """The steps `user` may take from where the proposal stands, as (status, label)."""
    allowed = []
    for here, there in STEPS:
        if here != proposal.status or not proposal.may_transition(user, "status", here, there):
            continue
        if there == S.APPROVED and here == S.UNDER_REVIEW and not proposal.mandated:
            continue
        allowed.append((there, S(there).label))
    return allowed


def move(
    user: Any,
    proposal: Proposal,
    to_status: str,
    comment: str = "",
    *,
    decision: Mapping[str, Any] | None = None,
) -> Proposal:
    """Take one workflow step, with the comment that explains it (kept with the step and in
    the audit entry): a named state change, `services.transition`, whose rule the model
    gives (`Proposal.transitions`, `may_transition`)."""
    proposal = Proposal.objects.get(pk=proposal.pk)  # the step starts from where it stands now
    here = proposal.status
    if (here, to_status) not in STEPS:
        there = S(to_status).label.lower() if to_status in S.values else f"“{to_status}”"
        raise ValidationError(f"A proposal that is {S(here).label.lower()} cannot become {there}.")
    if not proposal.may_transition(user, "status", here, to_status):
        raise PermissionDenied("You may not take this step for this proposal.")
    if here == S.UNDER_REVIEW and to_status == S.APPROVED and not proposal.mandated:
        raise ValidationError("Only mandated proposals are approved without scoring.")
    values: dict[str, Any] = {}
    if to_status == S.SUBMITTED and here == S.DRAFT:
        _check_complete(proposal)
        values.update(submitted_at=timezone.now(), submitted_by=user if user.pk else None)
    if to_status in DECISIONS:
        decision = dict(decision or {})
        rationale = str(decision.get("rationale") or comment).strip()
        if not rationale:
            raise ValidationError({"rationale": "Record why the board decided this."})
        values.update(
            decided_at=timezone.now(),
            decision_rationale=rationale,
            votes_for=decision.get("votes_for"),
            votes_against=decision.get("votes_against"),
            votes_abstaining=decision.get("votes_abstaining"),
            approved_start=decision.get("approved_start") if to_status == S.APPROVED else None,
        )
    with transaction.atomic():
        # core.services asks the model's rule again on the proposal as it stands (locked),
        # saves the step's values and records the audit entry naming the step.
        updated = services.transition(user, proposal, to_status, note=comment.strip(), extra=values)
        services.create(
            user,
            StatusChange,
            {
                "proposal": updated,
                "from_status": here,
                "to_status": to_status,
                "by": user if getattr(user, "pk", None) else None,
                "by_name": getattr(user, "username", "") or "system",
                "comment": comment.strip(),
            },
        )
        if to_status == S.APPROVED:
            plan_estate_changes(user, updated)
    return updated


def _check_complete(proposal: Proposal) -> None:
    missing = [
        label
        for label, ok in (
            ("the problem", proposal.problem.strip()),
            ("the outcome", proposal.outcome.strip()),
            ("the earliest start year", proposal.earliest_start),
            (
                "at least one cost or staff estimate",
                proposal.one_time_total()
                or proposal.recurring_operating
                or any(any(v) for v in (proposal.effort or {}).values()),
            ),
        )
        if not ok
    ]
    if missing:
        raise ValidationError("Before submitting, add " + ", ".join(missing) + ".")


def plan_estate_changes(user: Any, proposal: Proposal) -> list[str]:
    """An approved proposal plans the end of what it replaces or retires in the estate.

    Systems it replaces or retires move to phase-out; systems it extends are marked for
    investment. Returns what changed, in words, for the step's message."""
    from townhall.estate.models import System

    changed = []
    for system in list(proposal.replaces_systems.all()) + list(proposal.retires_systems.all()):
        if system.lifecycle in (System.Lifecycle.PHASE_OUT, System.Lifecycle.RETIRED):
            continue
        services.update(
            user,
            system,
            {
                "lifecycle": System.Lifecycle.PHASE_OUT,
                "time_rationale": _joined(
                    system.time_rationale, f"To be replaced by approved proposal “{proposal}”."
                ),
            },
            version=None,
        )
        changed.append(f"{system} moves to phase-out")
    for system in proposal.extends_systems.all():
        if system.time_disposition == System.Disposition.INVEST:
            continue
        services.update(
            user,
            system,
            {"time_disposition": System.Disposition.INVEST},
            version=None,
        )
        changed.append(f"{system} is marked for investment")
    return changed


def _joined(text: str, addition: str) -> str:
    return f"{text}\n{addition}".strip() if addition not in text else text


# --- budget cycles and criteria -------------------------------------------------------


def open_cycle(user: Any, values: Mapping[str, Any]) -> BudgetCycle:
    """Create a budget cycle; from then on its criteria set is frozen (CriteriaSet.frozen)."""
    return services.create(user, BudgetCycle, values)


def new_edition(user: Any, criteria_set: CriteriaSet) -> CriteriaSet:
    """Copy a set and its criteria into the next edition, open for change."""
    latest = (
        CriteriaSet.objects.filter(name=criteria_set.name).order_by("-edition").first()
        or criteria_set
    )
    with transaction.atomic():
        copy = services.create(
            user,
            CriteriaSet,
            {
                "name": criteria_set.name,
                "edition": latest.edition + 1,
                "description": criteria_set.description,
                "scale_min": criteria_set.scale_min,
                "scale_max": criteria_set.scale_max,
                "previous": criteria_set,
            },
        )
        for criterion in criteria_set.criteria.all():
            services.create(
                user,
                Criterion,
                {
                    "criteria_set": copy,
                    "name": criterion.name,
                    "weight": criterion.weight,
                    "description": criterion.description,
                    "anchors": criterion.anchors,
                    "order": criterion.order,
                },
            )
    return copy


def load_preset(user: Any, preset: Mapping[str, Any]) -> CriteriaSet:
    """Create a criteria set from one of the presets in governance/presets.py."""
    with transaction.atomic():
        criteria_set = services.create(
            user,
            CriteriaSet,
            {
                "name": preset["name"],
                "description": preset["description"],
                "scale_min": preset["scale"][0],
                "scale_max": preset["scale"][1],
            },
        )
        for order, item in enumerate(preset["criteria"], 1):
            services.create(
                user,
                Criterion,
                {
                    "criteria_set": criteria_set,
                    "name": item["name"],
                    "weight": item["weight"],
                    "description": item["description"],
                    "anchors": [{"score": s, "text": t} for s, t in item["anchors"]],
                    "order": order,
                },
            )
    return criteria_set


# --- ballots --------------------------------------------------------------------------


def ballot_for(user: Any, proposal: Proposal) -> Ballot | None:
    return Ballot.objects.filter(proposal=proposal, member=user).first()


def save_ballot(
    user: Any,
    proposal: Proposal,
    scores: Mapping[int, int | str | None],
    comments: Mapping[int, str] | None = None,
    *,
    submit: bool = False,
) -> Ballot:
    """Keep a board member's scores; submitting needs a score for every criterion and
    makes the ballot final (others' scores become visible to them)."""
    if not permissions.is_board(user):
        raise PermissionDenied("Only board members score proposals.")
    if proposal.status != S.UNDER_REVIEW:
        raise ValidationError("This proposal is not open for scoring.")
    if proposal.mandated:
        raise ValidationError("Mandated proposals are funded first and are not scored.")
    criteria = list(proposal.cycle.criteria_set.criteria.all())
    low, high = proposal.cycle.criteria_set.scale_min, proposal.cycle.criteria_set.scale_max
    clean_scores: dict[str, int] = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                {str(criterion.pk): f"{criterion}: {value!r} is not a score."}
            ) from None
        if not low <= number <= high:
            raise ValidationError(
                {str(criterion.pk): f"{criterion}: scores run from {low} to {high}."}
            )
        clean_scores[str(criterion.pk)] = number
    if submit:
        missing = [c.name for c in criteria if str(c.pk) not in clean_scores]
        if missing:
            raise ValidationError(
                "Score every criterion before submitting: " + ", ".join(missing) + "."
            )
    known = {str(c.pk): c for c in criteria}
    clean_comments: dict[str, str] = {}
    for key, text in (comments or {}).items():
        text = str(text or "").strip()
        if not text or str(key) not in known:
            continue
        if len(text) > MAX_COMMENT:
            raise ValidationError(
                {str(key): f"{known[str(key)]}: keep the comment under {MAX_COMMENT} characters."}
            )
        clean_comments[str(key)] = text
    values = {
        "scores": clean_scores,
        "comments": clean_comments,
        "submitted_at": timezone.now() if submit else None,
    }
    existing = ballot_for(user, proposal)
    if existing is None:
        try:
            with transaction.atomic():
                return services.create(
                    user, Ballot, {"proposal": proposal, "member": user, **values}
                )
        except (IntegrityError, ValidationError) as exc:
            # A second first save at the same moment (a double click) finds the other one.
            existing = ballot_for(user, proposal)
            if existing is None:
                raise exc from None
    if existing.submitted_at:
        raise ValidationError("You have submitted your scores for this proposal; they are final.")
    return services.update(user, existing, values, version=None)


def latest_steps(proposals: list[Proposal]) -> list[StatusChange]:
    """The most recent step of each proposal, in one query."""
    ids = [p.pk for p in proposals]
    latest: dict[int, StatusChange] = {}
    for change in StatusChange.objects.filter(proposal_id__in=ids).order_by("at", "id"):
        latest[change.proposal_id] = change
    return list(latest.values())
