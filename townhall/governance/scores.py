"""Board scores read from the database and handed to `scoring.py` (which has no Django).

Everything here reads a whole budget cycle in a fixed number of queries, whatever the number
of proposals or ballots, and only ever counts *submitted* ballots: a draft is private to its
member and may be incomplete.

Who sees which scores follows `Ballot.restrict_rows` (through `Ballot.objects.restrict`);
`hidden_reason` says in words why a person sees no scores for a proposal, mirroring it.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from townhall.accounts.models import Role
from townhall.core import permissions
from townhall.core.http import whole_number
from townhall.governance import scoring
from townhall.governance.models import Ballot, BudgetCycle, Criterion, Proposal

S = Proposal.Status
# Statuses in which a proposal is (or was) before the board for scoring.
SCORED_STATUSES = (S.UNDER_REVIEW, *Proposal.CLOSED_SCORING)

SUBMIT_FIRST = "Submit your scores to see the board's."
NOT_SCORED_BY_YOU = "You did not score this proposal, so the board's scores are not shown to you."
AFTER_CLOSE = "The board's scores are shown once scoring closes."


def criteria_rows(criteria: Iterable[Criterion]) -> list[tuple[int, str, float]]:
    """(id, name, weight) for scoring.consensus."""
    return [(c.pk, c.name, float(c.weight)) for c in criteria]


def member_labels(members: Iterable[Any]) -> dict[int, str]:
    """A name per member id, unique among them (the username is added where names clash)."""
    members = {m.pk: m for m in members}
    names = {pk: str(m) for pk, m in members.items()}
    clashes = {n for n, count in Counter(names.values()).items() if count > 1}
    return {
        pk: f"{name} ({members[pk].username})" if name in clashes else name
        for pk, name in names.items()
    }


def ballot_scores(ballot: Ballot, criterion_ids: set[int]) -> dict[int, int]:
    """A ballot's scores keyed by criterion id, ignoring anything that is not a score."""
    result = {}
    for key, value in (ballot.scores or {}).items():
        number = whole_number(key)
        if number is not None and number in criterion_ids and type(value) is int:
            result[number] = value
    return result


def consensus_of(
    criteria: list[Criterion],
    scale: tuple[int, int],
    ballots: Iterable[Ballot],
    labels: dict[int, str],
) -> scoring.Consensus:
    """The board's consensus on one proposal from its (submitted) ballots."""
    ids = {c.pk for c in criteria}
    given = {labels[b.member_id]: ballot_scores(b, ids) for b in ballots}
    return scoring.consensus(criteria_rows(criteria), given, scale)


def board_members() -> list[Any]:
    """Everyone who scores: active accounts with the board member role."""
    return list(
        get_user_model()
        .objects.filter(role=Role.BOARD, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def hidden_reason(user: Any, proposal: Proposal, own_submitted: set[int]) -> str | None:
    """Why `user` sees no board scores for `proposal` (None when they see them all).

    Mirrors Ballot.restrict_rows: IT staff and administrators see every ballot; a board
    member sees others' ballots on proposals where they submitted their own; everyone
    sees submitted ballots once the proposal's scoring is closed. `own_submitted` holds the
    proposals on which `user` has submitted a ballot. Proposals never scored (mandated,
    drafts, not yet under review) hide nothing.
    """
    if user is None or proposal.mandated or proposal.status not in SCORED_STATUSES:
        return None
    if permissions.is_it_staff(user):
        return None
    if permissions.is_board(user):
        if proposal.pk in own_submitted or proposal.status in Proposal.CLOSED_SCORING:
            return None
        return SUBMIT_FIRST if proposal.status == S.UNDER_REVIEW else NOT_SCORED_BY_YOU
    return AFTER_CLOSE if proposal.status not in Proposal.CLOSED_SCORING else None


@dataclass
class CycleScores:
    """A cycle's proposals and submitted ballots as `user` may see them, with consensus."""

    cycle: BudgetCycle
    criteria: list[Criterion]
    scale: tuple[int, int]
    proposals: list[Proposal]  # every visible proposal of the cycle, mandated ones too
    ballots: dict[int, list[Ballot]]  # visible submitted ballots by proposal id
    totals: dict[int, scoring.Consensus]  # per proposal that is not mandated
    labels: dict[int, str]  # member id -> name used in the consensus
    hidden: dict[int, str] = field(default_factory=dict)  # proposal id -> why no scores
    own_submitted: set[int] = field(default_factory=set)


def load(cycle: BudgetCycle, user: Any = None, members: Iterable[Any] = ()) -> CycleScores:
    """Read a cycle's criteria, proposals and submitted ballots in four queries.

    With `user`, only the proposals and ballots that person may see; with None, all of them
    (internal computation). `members` (such as the board) are given names alongside the
    ballots' members so that names are the same everywhere on a page.
    """
    criteria_set = cycle.criteria_set
    criteria = list(criteria_set.criteria.all())
    scale = (criteria_set.scale_min, criteria_set.scale_max)
    proposals_qs = Proposal.objects.all() if user is None else Proposal.objects.restrict(user)
    proposals = list(
        proposals_qs.filter(cycle=cycle).select_related("owner_department").order_by("title", "pk")
    )
    ballots_qs = Ballot.objects.all() if user is None else Ballot.objects.restrict(user)
    visible = {p.pk for p in proposals}
    submitted = [
        b
        for b in ballots_qs.filter(proposal__cycle=cycle, submitted_at__isnull=False)
        .select_related("member")
        .order_by("proposal_id", "member_id")
        if b.proposal_id in visible
    ]
    labels = member_labels([*members, *(b.member for b in submitted)])
    by_proposal: dict[int, list[Ballot]] = defaultdict(list)
    for b in submitted:
        by_proposal[b.proposal_id].append(b)
    own = {b.proposal_id for b in submitted if user is not None and b.member_id == user.pk}
    totals = {
        p.pk: consensus_of(criteria, scale, by_proposal.get(p.pk, []), labels)
        for p in proposals
        if not p.mandated
    }
    hidden = {}
    for p in proposals:
        reason = hidden_reason(user, p, own)
        if reason:
            hidden[p.pk] = reason
    return CycleScores(
        cycle, criteria, scale, proposals, dict(by_proposal), totals, labels, hidden, own
    )


def cycle_totals(cycle: BudgetCycle, user: Any = None) -> dict[int, scoring.Consensus]:
    """Each proposal's consensus (weighted total 0–100, per-criterion mean, spread, flags)
    from the board's submitted ballots, keyed by proposal id, in a constant number of queries.

    Every proposal of the cycle that is not mandated has an entry; its `total` is None while
    no ballot is submitted. `user=None` reads every ballot, for internal computation such as
    the optimizer's values or the board packet; with a user, only the proposals and ballots
    that person may see (a board member who has not submitted on a proposal gets an empty
    consensus for it, as if nobody had scored).
    """
    return load(cycle, user).totals
