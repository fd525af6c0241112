"""The scorecard's figures, read from every module for one person.

Each priority's figures are counts and sums taken in the database through
`restrict(user, "view")`, so a person sees figures of the records they may see, and each
costs one or two queries whatever the size of the estate. Continuity and the foundation
keep their analyses (`current(user)`): their rows read the kept figures, say "being
updated" while the first is worked out, and "not shown" to a role the kept analysis is
not for. The trend compares with the readings the daily job keeps (`tasks.py`), taken as the
system: the whole city as it stands, continuity's and the foundation's kept results
included whoever may see them."""

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Avg, Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from townhall.core import context, permissions
from townhall.exchange import scorecard
from townhall.exchange.priorities import BY_KEY, PRIORITIES
from townhall.exchange.scorecard import Figure, Row


def _list(name: str, query: str = "") -> str:
    """The address of a record list, filtered; empty when that list does not exist."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


# The figure of a kept analysis whose first one is still being worked out: no reading yet.
UPDATING = "Not worked out yet: its own page works it out"

# What each measure answers: (headline value or None, figures behind it).
Measured = tuple[float | None, list[Figure]]


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


def _lifecycle(user: Any, today: datetime.date) -> Measured:
    from townhall.estate.models import Component

    c = Component.objects.restrict(user, "view").filter(status="in_service")
    n = c.aggregate(
        total=Count("pk"),
        past=Count("pk", filter=Q(end_of_support__lt=today)),
        unknown=Count("pk", filter=Q(support_state="unknown")),
    )
    if not n["total"]:
        return None, []
    return n["past"], [
        Figure(
            f"{n['past']} of {n['total']} components in service are past end of support",
            _list("estate:component_list", "status=in_service"),
        ),
        Figure(
            f"{n['unknown']} have no known support state",
            _list("estate:component_list", "support_state=unknown"),
        ),
    ]


def _modernization(user: Any, today: datetime.date) -> Measured:
    from townhall.estate.models import System

    leave = Q(time_disposition__in=("migrate", "eliminate"))
    planned = Q(replaced_by_proposals__isnull=False) | Q(retired_by_proposals__isnull=False)
    n = System.objects.restrict(user, "view").aggregate(
        total=Count("pk", distinct=True),
        leave=Count("pk", filter=leave, distinct=True),
        planned=Count("pk", filter=leave & planned, distinct=True),
    )
    if not n["total"]:
        return None, []
    unplanned = n["leave"] - n["planned"]
    return unplanned, [
        Figure(
            f"{n['leave']} systems rated migrate or eliminate: {n['planned']} with a proposal "
            f"to replace or retire them, {unplanned} without",
            _list("estate:system_list", "time_disposition=migrate"),
        ),
    ]


def _cyber_prevention(user: Any, today: datetime.date) -> Measured:
    from townhall.cyber.models import Assessment, Score

    latest = (
        Assessment.objects.restrict(user, "view")
        .filter(status="complete")
        .order_by("-completed_on", "-pk")
        .first()
    )
    if latest is None:
        return None, []
    avg = Score.objects.filter(
        assessment=latest, not_applicable=False, level__isnull=False
    ).aggregate(a=Avg("level"))["a"]
    if avg is None:
        return None, []
    avg = round(float(avg), 1)
    return avg, [
        Figure(
            f"{latest.name}: average level {avg} against a target of {latest.target}",
            latest.get_absolute_url(),
        )
    ]


def _cyber_staffing(user: Any, today: datetime.date) -> Measured:
    from townhall.cyber.models import TrainingCompletion
    from townhall.estate.models import Person

    people = Person.objects.restrict(user, "view").count()
    trained = (
        TrainingCompletion.objects.restrict(user, "view")
        .filter(completed_on__gte=today - datetime.timedelta(days=365))
        .values("person")
        .distinct()
        .count()
    )
    if not people:
        return None, []
    share = _pct(min(trained, people), people)
    return share, [
        Figure(
            f"{trained} of {people} people finished a course in the last year",
            _list("cyber:trainingcompletion_list"),
        )
    ]


DECIDED = ("approved", "deferred", "rejected", "in_progress", "complete")


def _cycles(user: Any) -> list[Any]:
    from townhall.governance.models import BudgetCycle

    return list(BudgetCycle.objects.restrict(user, "view").order_by("-pk")[:2])


def _governance(user: Any, today: datetime.date) -> Measured:
    from townhall.governance.models import Proposal

    cycles = _cycles(user)
    if not cycles:
        return None, []
    p = Proposal.objects.restrict(user, "view").filter(cycle=cycles[0]).exclude(status="draft")
    n = p.aggregate(total=Count("pk"), decided=Count("pk", filter=Q(status__in=DECIDED)))
    if not n["total"]:
        return None, []
    return _pct(n["decided"], n["total"]), [
        Figure(
            f"{n['decided']} of {n['total']} requests in {cycles[0]} decided by the board",
            _list("governance:proposal_list", f"cycle={cycles[0].pk}"),
        )
    ]


def _portfolio(user: Any, today: datetime.date) -> Measured:
    from townhall.governance.models import Proposal

    cycles = _cycles(user)
    if len(cycles) < 2:
        return None, []
    counts = dict(
        Proposal.objects.restrict(user, "view")
        .filter(cycle__in=cycles)
        .exclude(status="draft")
        .values_list("cycle")
        .annotate(n=Count("pk"))
    )
    now, before = counts.get(cycles[0].pk, 0), counts.get(cycles[1].pk, 0)
    if not before:
        return None, []
    change = round(100 * (now - before) / before, 1)
    return change, [
        Figure(
            f"{now} requests in {cycles[0]}, {before} in {cycles[1]}",
            _list("governance:proposal_list", f"cycle={cycles[0].pk}"),
        )
    ]


def _foundation(user: Any, today: datetime.date) -> Measured:
    from townhall.foundation import stored

    kept = stored.whole(ask=False) if user is context.SYSTEM else stored.current(user, ask=False)
    if kept is None:
        return None, [Figure("Not shown to your role: it reads records you may not see")]
    if kept.health is None:
        return None, [Figure(UPDATING)]
    s = kept.health.summary
    total, weak = s.get("service_count", 0), s.get("weak_service_count", 0)
    if not total:
        return None, []
    updating = " (worked out before the latest changes)" if kept.updating else ""
    return weak, [
        Figure(
            f"{weak} of {total} services rest on a weak foundation{updating}",
            _list("foundation:dashboard"),
        )
    ]


def _continuity(user: Any, today: datetime.date) -> Measured:
    from townhall.continuity import stored

    kept = stored.whole(ask=False) if user is context.SYSTEM else stored.current(user, ask=False)
    if kept is None:
        return None, [Figure("Not shown to your role: it reads records you may not see")]
    if kept.analysis is None:
        return None, [Figure(UPDATING)]
    sections = kept.analysis.summary.get("sections", {})
    total, gaps = sections.get("services", 0), sections.get("rto-gaps", 0)
    if not total:
        return None, []
    updating = " (worked out before the latest changes)" if kept.updating else ""
    return gaps, [
        Figure(
            f"{total - gaps} of {total} services would meet their recovery time{updating}",
            _list("continuity:analysis"),
        )
    ]


def _shadow_it(user: Any, today: datetime.date) -> Measured:
    from townhall.shadowit.models import Merchant

    n = (
        Merchant.objects.restrict(user, "view")
        .exclude(category="unknown", status="dismissed")
        .aggregate(total=Count("pk"), new=Count("pk", filter=Q(status="new")))
    )
    if not n["total"]:
        return None, []
    return n["new"], [
        Figure(
            f"{n['new']} of {n['total']} merchants wait for triage",
            _list("shadowit:merchant_list", "status=new"),
        )
    ]


def _organization(user: Any, today: datetime.date) -> Measured:
    from townhall.people.models import Position

    n = (
        Position.objects.restrict(user, "view")
        .filter(funded=True)
        .aggregate(total=Count("pk"), vacant=Count("pk", filter=Q(person__isnull=True)))
    )
    if not n["total"]:
        return None, []
    return n["vacant"], [
        Figure(
            f"{n['vacant']} of {n['total']} funded positions are vacant",
            _list("people:position_list", "funded=true"),
        )
    ]


def _workforce(user: Any, today: datetime.date) -> Measured:
    from townhall.people import risk_input
    from townhall.people.models import Requisition

    # People's key-person risk reads the estate in a fixed number of queries.
    found = risk_input.analyze(user, today).result
    critical = sum(1 for i in found.items.values() if i.critical)
    open_reqs = (
        Requisition.objects.restrict(user, "view")
        .exclude(stage__in=("filled", "cancelled"))
        .count()
    )
    if not critical and not found.flags:
        return None, [Figure(f"{open_reqs} requisitions open", _list("people:requisition_list"))]
    return len(found.flags), [
        Figure(
            f"{len(found.flags)} critical systems have fewer than two qualified people",
            _list("people:risk"),
        ),
        Figure(f"{open_reqs} requisitions open", _list("people:requisition_list")),
    ]


def _data(user: Any, today: datetime.date) -> Measured:
    from townhall.registers.models import Dataset

    n = Dataset.objects.restrict(user, "view").aggregate(
        total=Count("pk"),
        good=Count("pk", filter=Q(review_owner__isnull=False, next_review_on__gte=today)),
    )
    if not n["total"]:
        return None, []
    return _pct(n["good"], n["total"]), [
        Figure(
            f"{n['good']} of {n['total']} datasets have an owner and a review not yet due",
            _list("registers:dataset_list"),
        )
    ]


def _social(user: Any, today: datetime.date) -> Measured:
    from townhall.registers.models import SocialAccount

    n = SocialAccount.objects.restrict(user, "view").aggregate(
        total=Count("pk"),
        weak=Count("pk", filter=Q(recovery_person__isnull=True) | Q(next_review_on__lt=today)),
    )
    if not n["total"]:
        return None, []
    return n["weak"], [
        Figure(
            f"{n['weak']} of {n['total']} accounts lack a recovery person or are overdue "
            "for review",
            _list("registers:socialaccount_list"),
        )
    ]


def _innovation(user: Any, today: datetime.date) -> Measured:
    from townhall.registers.models import Pilot

    by_stage = dict(
        Pilot.objects.restrict(user, "view").values_list("stage").annotate(n=Count("pk"))
    )
    total = sum(by_stage.values())
    if not total:
        return None, []
    decided = by_stage.get("scaled", 0) + by_stage.get("stopped", 0)
    stages = ", ".join(f"{n} {stage}" for stage, n in sorted(by_stage.items()))
    return _pct(decided, total), [
        Figure(f"{decided} of {total} pilots decided ({stages})", _list("registers:pilot_list"))
    ]


def _emerging(user: Any, today: datetime.date) -> Measured:
    from townhall.registers.models import AIUseCase, SurveillanceReview

    uses = AIUseCase.objects.restrict(user, "view").count()
    reviews = SurveillanceReview.objects.restrict(user, "view").aggregate(
        total=Count("pk"), pending=Count("pk", filter=Q(decided_on__isnull=True))
    )
    if not uses and not reviews["total"]:
        return None, []
    return reviews["pending"], [
        Figure(f"{uses} AI use cases in the inventory", _list("registers:aiusecase_list")),
        Figure(
            f"{reviews['pending']} of {reviews['total']} surveillance reviews wait for a decision",
            _list("registers:surveillancereview_list"),
        ),
    ]


def _emergency(user: Any, today: datetime.date) -> Measured:
    from townhall.registers.models import ContinuumAssessment

    n = ContinuumAssessment.objects.restrict(user, "view").aggregate(
        total=Count("pk"),
        lanes=Count("lanes"),
        overdue=Count("pk", filter=Q(next_review_on__lt=today), distinct=True),
    )
    if not n["total"]:
        return None, []
    return n["overdue"], [
        Figure(
            f"{n['total']} continuum assessments, {n['lanes']} lanes rated, "
            f"{n['overdue']} overdue for review",
            _list("registers:continuumassessment_list"),
        )
    ]


def _civic(user: Any, today: datetime.date) -> Measured:
    from townhall.public.models import Publication, ResidentInput

    waiting = ResidentInput.objects.restrict(user, "view").filter(status="pending").count()
    figures = [
        Figure(
            f"{waiting} residents' comments and ideas wait for moderation",
            _list("publishing:moderation"),
        )
    ]
    if permissions.is_admin(user):  # what is published is set by admins, and seen by them
        kinds = Publication.objects.restrict(user, "view").filter(published=True).count()
        figures.append(Figure(f"{kinds} kinds of records published", _list("publishing:choose")))
    return waiting, figures


MEASURES: dict[str, Callable[[Any, datetime.date], Measured]] = {
    "infrastructure_lifecycle": _lifecycle,
    "modernization": _modernization,
    "cyber_prevention": _cyber_prevention,
    "cyber_staffing": _cyber_staffing,
    "governance": _governance,
    "portfolio_growth": _portfolio,
    "infrastructure_investment": _foundation,
    "continuity": _continuity,
    "shadow_it": _shadow_it,
    "organization": _organization,
    "workforce": _workforce,
    "data": _data,
    "social_media": _social,
    "innovation": _innovation,
    "emerging_technology": _emerging,
    "emergency_communications": _emergency,
    "civic_engagement": _civic,
}


def measure(user: Any, today: datetime.date) -> dict[str, Measured]:
    """Every priority's headline value and figures as `user` may see them."""
    return {p.key: MEASURES[p.key](user, today) for p in PRIORITIES}


def _earlier(today: datetime.date) -> tuple[dict[str, tuple[str, float | None]], bool]:
    """Per priority, the reading about TREND_DAYS before `today` (or the oldest kept
    since), and whether every priority has today's reading. One query."""
    from townhall.exchange.models import ScorecardReading

    since = today - datetime.timedelta(days=scorecard.TREND_DAYS)
    earlier: dict[str, tuple[str, float | None]] = {}
    read_today = set()
    for day, key, status, value in (
        ScorecardReading.objects.filter(day__gte=since)
        .order_by("day")
        .values_list("day", "priority", "status", "value")
    ):
        if day == today:
            read_today.add(key)
        elif key not in earlier:
            earlier[key] = (status, value)
    return earlier, len(read_today) == len(PRIORITIES)


def rows_for(user: Any) -> list[Row]:
    """The scorecard as `user` may see it, one row per priority. Asks for today's readings
    when they are missing (one job however many ask)."""
    today = timezone.localdate()
    earlier, has_today = _earlier(today)
    if not has_today:
        from townhall.exchange import tasks

        tasks.ask_for_readings()
    rows = []
    for key, (value, figures) in measure(user, today).items():
        status = scorecard.status_of(key, value)
        then = earlier.get(key)
        trend = scorecard.trend_of(
            key, status, value, then[0] if then else None, then[1] if then else None
        )
        first = figures[0] if figures else Figure(scorecard.STATUSES["no_data"])
        rows.append(
            Row(
                priority=BY_KEY[key],
                status=status,
                figure=first.text,
                trend=trend,
                url=first.url or reverse("exchange:scorecard") + f"#{key}",
                action="See the records" if first.url else "See the details",
                value=value,
                figures=tuple(figures),
            )
        )
    return rows
