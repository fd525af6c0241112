"""The governance front page (/governance/): the current budget cycle, where its requests
stand, and what the person signed in has to do next, in the words of their role."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from townhall.core import permissions
from townhall.governance.models import Ballot, BudgetCycle, Proposal, Scenario

S = Proposal.Status


@dataclass
class Todo:
    """One thing to do next: a sentence and, when there is a page for it, a link."""

    text: str
    label: str = ""
    url: str = ""


def current_cycle(user: Any) -> BudgetCycle | None:
    """The cycle people are working on: the latest one not closed, else the latest."""
    cycles = BudgetCycle.objects.restrict(user, "view").order_by("-first_year", "name")
    return cycles.exclude(status=BudgetCycle.Status.CLOSED).first() or cycles.first()


def _list(cycle: BudgetCycle, *statuses: str) -> str:
    query = "&".join(f"status={s}" for s in statuses)
    return f"{reverse('governance:proposal_list')}?cycle={cycle.pk}&{query}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def todo_for(user: Any, cycle: BudgetCycle | None, counts: Counter) -> list[Todo]:
    """What `user` should do next in `cycle`, given its visible proposals by status."""
    if cycle is None:
        if permissions.is_it_staff(user):
            return [
                Todo(
                    "No budget cycle yet. Start with a criteria set (three presets are "
                    "offered), then add the cycle and its budgets.",
                    "Start from a preset",
                    reverse("governance:criteria_presets"),
                ),
                Todo(
                    "Then add the cycle, with its budgets and staff hours.",
                    "Add a budget cycle",
                    reverse("governance:budgetcycle_add"),
                ),
            ]
        return [Todo("No budget cycle has been set up yet.")]
    if permissions.is_board(user):
        return _board_todo(user, cycle)
    if permissions.is_liaison(user):
        return _liaison_todo(user, cycle)
    if permissions.is_it_staff(user):
        return _staff_todo(cycle, counts)
    return [
        Todo(
            "Follow the board's ranking; scores are shown once the board's scoring closes.",
            "Scores and ranking",
            reverse("governance:cycle_scores", args=[cycle.pk]),
        ),
        Todo(
            "See what each portfolio scenario would fund.",
            "Compare scenarios",
            reverse("governance:cycle_compare", args=[cycle.pk]),
        ),
    ]


def _board_todo(user: Any, cycle: BudgetCycle) -> list[Todo]:
    open_ = Proposal.objects.restrict(user, "view").filter(
        cycle=cycle, status=S.UNDER_REVIEW, mandated=False
    )
    submitted = set(
        Ballot.objects.filter(
            member=user, proposal__in=open_, submitted_at__isnull=False
        ).values_list("proposal_id", flat=True)
    )
    waiting = [pk for pk in open_.values_list("pk", flat=True) if pk not in submitted]
    ranking = Todo(
        "Once you have scored a proposal you see the board's scores on it, and the ranking.",
        "Scores and ranking",
        reverse("governance:cycle_scores", args=[cycle.pk]),
    )
    if waiting:
        return [
            Todo(
                f"{_plural(len(waiting), 'proposal waits', 'proposals wait')} for your scores.",
                "Score proposals",
                reverse("governance:my_scoring"),
            ),
            ranking,
        ]
    return [Todo("Nothing waits for your scores in this cycle."), ranking]


def _liaison_todo(user: Any, cycle: BudgetCycle) -> list[Todo]:
    mine = Counter(
        Proposal.objects.filter(cycle=cycle, owner_department_id=user.department_id).values_list(
            "status", flat=True
        )
    )
    out = []
    if mine[S.DRAFT]:
        out.append(
            Todo(
                f"{_plural(mine[S.DRAFT], 'draft is', 'drafts are')} not yet submitted to "
                "the board: finish and submit from the request's page.",
                "Our requests",
                reverse("governance:my_requests"),
            )
        )
    waiting = sum(mine[s] for s in (S.SUBMITTED, S.UNDER_REVIEW, S.SCORED))
    if waiting:
        out.append(
            Todo(
                f"{_plural(waiting, 'request is', 'requests are')} with IT staff and the "
                "board; each step is on the request's page.",
                "Our requests",
                reverse("governance:my_requests"),
            )
        )
    if cycle.status == BudgetCycle.Status.INTAKE and permissions.may_add_any(user, Proposal):
        deadline = f" by {cycle.intake_deadline:%B %-d, %Y}" if cycle.intake_deadline else ""
        out.append(
            Todo(
                f"{cycle} is open for requests{deadline}.",
                "Request an investment",
                reverse("governance:proposal_add"),
            )
        )
    if not out:
        out.append(
            Todo(
                "Nothing waits on your department in this cycle.",
                "Our requests",
                reverse("governance:my_requests"),
            )
        )
    return out


def _staff_todo(cycle: BudgetCycle, counts: Counter) -> list[Todo]:
    out = []
    if counts[S.SUBMITTED]:
        out.append(
            Todo(
                f"{_plural(counts[S.SUBMITTED], 'request waits', 'requests wait')} for "
                "review: move each to the board, or back to its department.",
                "Submitted requests",
                _list(cycle, S.SUBMITTED),
            )
        )
    if counts[S.UNDER_REVIEW]:
        out.append(
            Todo(
                f"{_plural(counts[S.UNDER_REVIEW], 'request is', 'requests are')} with the "
                "board for scoring; the ranking page shows who still has to score what.",
                "Scores and ranking",
                reverse("governance:cycle_scores", args=[cycle.pk]),
            )
        )
    if counts[S.SCORED]:
        out.append(
            Todo(
                f"{_plural(counts[S.SCORED], 'request is', 'requests are')} scored and "
                "wait for the board's decision.",
                "Scored requests",
                _list(cycle, S.SCORED),
            )
        )
    scenarios = Scenario.objects.filter(cycle=cycle).count()
    out.append(
        Todo(
            f"{_plural(scenarios, 'portfolio scenario', 'portfolio scenarios')} for "
            f"{cycle}: solve them, compare them and choose the one for the board packet.",
            "Compare scenarios",
            reverse("governance:cycle_compare", args=[cycle.pk]),
        )
    )
    return out


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    cycle = current_cycle(user)
    counts: Counter = Counter()
    if cycle is not None:
        counts = Counter(
            Proposal.objects.restrict(user, "view")
            .filter(cycle=cycle)
            .values_list("status", flat=True)
        )
    statuses = [(S(s).label, s, counts[s]) for s in S.values if counts[s]]
    others = BudgetCycle.objects.restrict(user, "view").exclude(pk=cycle.pk).count() if cycle else 0
    return render(
        request,
        "governance/home.html",
        {
            "cycle": cycle,
            "statuses": statuses,
            "todo": todo_for(user, cycle, counts),
            "other_cycles": others,
        },
    )
