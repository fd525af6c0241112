"""Independent board scoring: a member's ballot, the board's consensus on a cycle, and the
list of proposals a member still has to score.

Scores are independent: a board member sees the others' scores on a proposal only after
submitting their own (Ballot.restrict_rows decides; every read here starts from
`Ballot.objects.restrict`). Ballots are written only by `services.save_ballot`.
"""

from collections import defaultdict
from typing import Any, TypedDict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from townhall.core import exports, permissions, plugins
from townhall.core.http import SignedInRequest
from townhall.governance import scores, scoring, services
from townhall.governance.models import Ballot, BudgetCycle, Criterion, Proposal
from townhall.governance.views import proposal_facts

S = Proposal.Status
MISSING = "{name}: choose a score; every criterion needs one before you submit."


# --- one proposal: the member's ballot and, when they may see them, the board's scores ------


def ballot(request: SignedInRequest, pk: int) -> HttpResponse:
    """A board member scores one proposal; afterwards (or for those who may) the scores."""
    user = request.user
    proposal = get_object_or_404(
        Proposal.objects.restrict(user, "view").select_related(
            "cycle__criteria_set", "owner_department", "sponsor"
        ),
        pk=pk,
    )
    criteria_set = proposal.cycle.criteria_set
    criteria = list(criteria_set.criteria.all())
    scale = (criteria_set.scale_min, criteria_set.scale_max)
    is_board = permissions.is_board(user)
    own = services.ballot_for(user, proposal) if is_board else None

    posted: dict[str, dict[int, str]] | None = None
    errors: dict[int, list[str]] = defaultdict(list)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not is_board:
            raise PermissionDenied("Only board members score proposals.")
        submit = request.POST.get("action") == "submit"
        posted = {
            "scores": {c.pk: request.POST.get(f"score-{c.pk}", "").strip() for c in criteria},
            "comments": {c.pk: request.POST.get(f"comment-{c.pk}", "") for c in criteria},
        }
        try:
            services.save_ballot(
                user, proposal, posted["scores"], posted["comments"], submit=submit
            )
        except ValidationError as exc:
            _sort_errors(exc, criteria, errors, problems)
            if submit:
                for c in criteria:
                    if not posted["scores"][c.pk] and not errors[c.pk]:
                        errors[c.pk].append(MISSING.format(name=c.name))
            status = 400
        else:
            if submit:
                messages.success(
                    request, f"Your scores for “{proposal}” are submitted. The board's are below."
                )
            else:
                messages.success(
                    request,
                    "Draft saved. Other board members do not see it; submit when you are done.",
                )
            return redirect("governance:proposal_scores", pk=proposal.pk)

    can_score = (
        is_board
        and proposal.status == S.UNDER_REVIEW
        and not proposal.mandated
        and not (own and own.submitted_at)
    )
    context: dict[str, Any] = {
        "proposal": proposal,
        "criteria_set": criteria_set,
        "scale": scale,
        "own": own,
        "is_board": is_board,
        "can_score": can_score,
        "problems": problems,
        "has_errors": bool(problems or any(errors.values())),
        "rows": _ballot_rows(criteria, scale, own, posted, errors) if can_score else [],
        "error_links": [
            (f"score-{c.pk}-{scale[0]}", message) for c in criteria for message in errors[c.pk]
        ],
    }
    context.update(_board_scores(user, proposal, criteria, scale, own))
    context.update(proposal_facts(user, proposal))
    # What later modules show beside the ballot (`core.plugins.register_panel`): what
    # residents said about the proposal on the public site.
    context["panels"] = plugins.panels(request, proposal)
    return render(request, "governance/ballot.html", context, status=status)


def _sort_errors(
    exc: ValidationError,
    criteria: list[Criterion],
    errors: dict[int, list[str]],
    problems: list[str],
) -> None:
    """Messages about one criterion go beside it; the rest above the form."""
    ids = {str(c.pk) for c in criteria}
    if not hasattr(exc, "error_dict"):
        problems.extend(exc.messages)
        return
    for key, messages_ in exc.message_dict.items():
        if key in ids:
            errors[int(key)].extend(messages_)
        else:
            problems.extend(messages_)


def _ballot_rows(
    criteria: list[Criterion],
    scale: tuple[int, int],
    own: Ballot | None,
    posted: dict[str, dict[int, str]] | None,
    errors: dict[int, list[str]],
) -> list[dict[str, Any]]:
    """One row per criterion: its radio options (with what each score means), the value
    chosen so far (what was just posted, else the saved draft) and its comment."""
    total = sum(float(c.weight) for c in criteria) or 1.0
    rows = []
    for c in criteria:
        if posted is not None:
            value, comment = posted["scores"][c.pk], posted["comments"][c.pk]
        else:
            value = str((own.scores or {}).get(str(c.pk), "")) if own else ""
            comment = (own.comments or {}).get(str(c.pk), "") if own else ""
        rows.append(
            {
                "criterion": c,
                "share": round(100 * float(c.weight) / total, 1),
                "options": [
                    {
                        "value": v,
                        "id": f"score-{c.pk}-{v}",
                        "anchor": c.anchor_for(v),
                        "checked": value == str(v),
                    }
                    for v in range(scale[0], scale[1] + 1)
                ],
                "comment": comment,
                "errors": errors.get(c.pk, []),
            }
        )
    return rows


def _board_scores(
    user: Any, proposal: Proposal, criteria: list[Criterion], scale: tuple[int, int], own: Any
) -> dict[str, Any]:
    """The board's submitted scores on the proposal, as far as `user` may see them."""
    if proposal.mandated:
        return {"hidden": None, "consensus": None}
    own_submitted = {proposal.pk} if own is not None and own.submitted_at else set()
    hidden = scores.hidden_reason(user, proposal, own_submitted)
    visible = list(
        Ballot.objects.restrict(user, "view").filter(proposal=proposal).select_related("member")
    )
    submitted = [b for b in visible if b.submitted_at]
    members = scores.board_members()
    labels = scores.member_labels([*members, *(b.member for b in visible)])
    result: dict[str, Any] = {"hidden": hidden, "consensus": None, "board_size": len(members)}
    if permissions.is_it_staff(user):
        by_member = {b.member_id: b for b in visible}
        result["progress"] = [(labels[m.pk], by_member.get(m.pk)) for m in members]
    if hidden or not submitted:
        return result
    consensus = scores.consensus_of(criteria, scale, submitted, labels)
    comments = []
    for c in criteria:
        said = [
            (labels[b.member_id], (b.comments or {}).get(str(c.pk), ""))
            for b in submitted
            if (b.comments or {}).get(str(c.pk))
        ]
        if said:
            comments.append((c.name, said))
    result.update(
        consensus=consensus,
        table=_score_table(consensus),
        comments=comments,
        submitted_count=len(submitted),
        flag_spread=scoring.flag_spread(scale),
    )
    return result


def _score_table(consensus: scoring.Consensus) -> list[dict[str, Any]]:
    return [
        {
            "view": view,
            "share": round(100 * view.weight_share, 1),
            "cells": [view.scores.get(m) for m in consensus.members],
        }
        for view in consensus.criteria
    ]


# --- a budget cycle: ranking, disagreements and who still has to score ---------------------


class RankedRow(TypedDict):
    """A scored proposal's line in the board's ranking."""

    proposal: Proposal
    rank: int | None
    total: float | None
    ballots: int | None
    flagged: list[scoring.CriterionView]
    hidden: str | None  # why its scores are not shown
    score_first: bool


def consensus(request: SignedInRequest, pk: int) -> HttpResponse:
    """The board's ranking of a cycle's proposals, where it disagrees, and who must still
    score; `?export=csv` downloads the ranking."""
    user = request.user
    cycle = get_object_or_404(
        BudgetCycle.objects.restrict(user, "view").select_related("criteria_set"), pk=pk
    )
    members = scores.board_members()
    data = scores.load(cycle, user, members)
    ranks = scoring.rank({pid: c.total for pid, c in data.totals.items() if pid not in data.hidden})
    rows: list[RankedRow] = []
    mandated: list[Proposal] = []
    waiting_review = 0
    for p in data.proposals:
        if p.mandated:
            if p.status != S.DRAFT:
                mandated.append(p)
            continue
        if p.status not in scores.SCORED_STATUSES:
            waiting_review += 1
            continue
        hidden = data.hidden.get(p.pk)
        result = data.totals[p.pk]
        rows.append(
            {
                "proposal": p,
                "rank": ranks.get(p.pk),
                "total": None if hidden else result.total,
                "ballots": None if hidden else len(data.ballots.get(p.pk, [])),
                "flagged": [] if hidden else result.flagged,
                "hidden": hidden,
                "score_first": hidden == scores.SUBMIT_FIRST,
            }
        )
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["proposal"].title.lower()))
    if request.GET.get("export") == "csv":
        return _export(cycle, rows, mandated, len(members))
    context = {
        "cycle": cycle,
        "rows": rows,
        "mandated": mandated,
        "waiting_review": waiting_review,
        "board_size": len(members),
        "flag_spread": scoring.flag_spread(data.scale),
        "scale": data.scale,
        "discussion": [
            (r["proposal"], [_disagreement(v) for v in r["flagged"]]) for r in rows if r["flagged"]
        ],
        "csv_url": f"{reverse('governance:cycle_scores', args=[cycle.pk])}?export=csv",
    }
    context.update(_still_to_score(user, data, members))
    return render(request, "governance/consensus.html", context)


def _disagreement(view: scoring.CriterionView) -> dict[str, Any]:
    """A flagged criterion in words: its range, mean and who is furthest from the mean."""
    return {
        "name": view.name,
        "lowest": view.lowest,
        "highest": view.highest,
        "spread": view.spread,
        "mean": view.mean,
        "outliers": [f"{m} ({view.scores[m]})" for m in view.outliers],
    }


def _still_to_score(user: Any, data: scores.CycleScores, members: list[Any]) -> dict[str, Any]:
    """Per board member, the proposals under review they have not submitted scores for, as
    far as `user` may know: a board member learns whether others have scored a proposal
    only once they have scored it themselves."""
    if not (permissions.is_it_staff(user) or permissions.is_board(user)):
        return {"show_waiting": False}
    open_ = [p for p in data.proposals if p.status == S.UNDER_REVIEW and not p.mandated]
    done = {
        p.pk: {b.member_id for b in data.ballots.get(p.pk, [])}
        for p in open_
        if p.pk not in data.hidden
    }
    waiting = []
    for m in members:
        todo = [
            p
            for p in open_
            if (p.pk in done and m.pk not in done[p.pk]) or (p.pk not in done and m.pk == user.pk)
        ]
        waiting.append({"member": data.labels[m.pk], "me": m.pk == user.pk, "todo": todo})
    return {
        "show_waiting": True,
        "open_count": len(open_),
        "waiting": waiting,
        "unknown": sum(1 for p in open_ if p.pk not in done),
    }


def _export(
    cycle: BudgetCycle, rows: list[RankedRow], mandated: list[Proposal], board_size: int
) -> HttpResponse:
    header = [
        "Rank",
        "Proposal",
        "Requesting department",
        "Status",
        "Weighted total (0-100)",
        "Ballots submitted",
        "Board members",
        "Criteria flagged for discussion",
        "Note",
    ]
    body = []
    for r in rows:
        p = r["proposal"]
        note = r["hidden"] or ("" if r["total"] is not None else "No scores submitted yet.")
        body.append(
            _safe_row(
                [
                    r["rank"],
                    p.title,
                    p.owner_department,
                    p.get_status_display(),
                    r["total"],
                    r["ballots"],
                    board_size,
                    "; ".join(v.name for v in r["flagged"]),
                    note,
                ]
            )
        )
    for p in mandated:
        body.append(
            _safe_row(
                [
                    None,
                    p.title,
                    p.owner_department,
                    p.get_status_display(),
                    None,
                    None,
                    board_size,
                    "",
                    f"Mandated ({p.mandate}): funded first, not scored.",
                ]
            )
        )
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(
        "".join(exports.csv_lines(header, body)), content_type="text/csv; charset=utf-8"
    )
    name = slugify(cycle.name) or f"cycle-{cycle.pk}"
    response["Content-Disposition"] = f'attachment; filename="scores-{name}-{stamp}.csv"'
    return response


def _safe_row(values: list[Any]) -> list[Any]:
    """Numbers as numbers, blanks empty, all text neutralised against spreadsheet formulas."""
    return [
        "" if v is None else v if isinstance(v, int | float) else exports.safe_cell(str(v))
        for v in values
    ]


# --- a board member's list of proposals to score ------------------------------------------


def queue(request: SignedInRequest) -> HttpResponse:
    """For a board member, the proposals under review they have not submitted scores for."""
    user = request.user
    context: dict[str, Any] = {"is_board": permissions.is_board(user)}
    cycles = list(
        BudgetCycle.objects.restrict(user, "view").filter(status=BudgetCycle.Status.SCORING)
    )
    context["scoring_cycles"] = cycles
    if context["is_board"]:
        mine = dict(Ballot.objects.filter(member=user).values_list("proposal_id", "submitted_at"))
        open_ = list(
            Proposal.objects.restrict(user, "view")
            .filter(status=S.UNDER_REVIEW, mandated=False)
            .select_related("cycle", "owner_department")
            .order_by("-cycle__first_year", "cycle__name", "title")
        )
        context["todo"] = [
            {"proposal": p, "draft": p.pk in mine} for p in open_ if mine.get(p.pk) is None
        ]
        context["done_count"] = sum(1 for p in open_ if mine.get(p.pk) is not None)
    return render(request, "governance/queue.html", context)
