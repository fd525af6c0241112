"""The decisions due on the CIO's home, read from every module for one person.

Each source reads at most `PER_SOURCE` rows in one query, whatever the size of the estate,
through `restrict(user, "view")`; the sentences and order are in `decisions_text.py`."""

import datetime
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from townhall.continuity.models import Campaign
from townhall.cyber.models import Evidence, Risk
from townhall.estate.models import Contract
from townhall.exchange.decisions_text import PER_SOURCE, Decision, soonest, when
from townhall.governance.models import Proposal
from townhall.people.models import Certification
from townhall.registers import reviews
from townhall.registers.models import SurveillanceReview

AHEAD = 60  # days: how far ahead a date counts as coming up


def _contracts(user: Any, today: datetime.date, until: datetime.date) -> list[Decision]:
    rows = (
        Contract.objects.restrict(user, "view")
        .filter(notice_deadline__lte=until, end__gte=today)
        .select_related("vendor")
        .order_by("notice_deadline", "pk")[:PER_SOURCE]
    )
    found = []
    for row in rows:
        assert row.notice_deadline is not None  # filtered above
        late = row.notice_deadline < today
        verb = "was due" if late else "is due"
        on = when(row.notice_deadline, today)
        text = f"Notice on the contract {row} with {row.vendor} {verb} {on}."
        found.append(Decision(text, row.notice_deadline, row.get_absolute_url(), late, "contract"))
    return found


def _proposals(user: Any, today: datetime.date, until: datetime.date) -> list[Decision]:
    waiting = (Proposal.Status.SUBMITTED, Proposal.Status.UNDER_REVIEW)
    rows = (
        Proposal.objects.restrict(user, "view")
        .filter(status__in=waiting)
        .order_by("updated_at", "pk")[:PER_SOURCE]
    )
    return [
        Decision(
            f"The proposal {row} is {row.get_status_display().lower()}: it waits for a step.",
            timezone.localdate(row.updated_at),
            row.get_absolute_url(),
            False,
            "proposal",
        )
        for row in rows
    ]


def _risks(user: Any, today: datetime.date, until: datetime.date) -> list[Decision]:
    rows = (
        Risk.objects.restrict(user, "view")
        .filter(treatment=Risk.Treatment.ACCEPT)
        .exclude(status__in=(Risk.Status.ACCEPTED, Risk.Status.CLOSED))
        .order_by("due_date", "pk")[:PER_SOURCE]
    )
    found = []
    for row in rows:
        due = row.due_date or today
        late = due < today
        text = f"The risk {row} waits for someone to accept it on the government's behalf."
        found.append(Decision(text, due, row.get_absolute_url(), late, "risk"))
    return found


def _evidence(user: Any, today: datetime.date, until: datetime.date) -> list[Decision]:
    rows = (
        Evidence.objects.restrict(user, "view")
        .filter(expires__lte=until, expires__gte=today - datetime.timedelta(days=AHEAD))
        .order_by("expires", "pk")[:PER_SOURCE]
    )
    found = []
    for row in rows:
        assert row.expires is not None  # filtered above
        late = row.expires < today
        verb = "expired" if late else "expires"
        text = f"The evidence {row} {verb} {when(row.expires, today)}: renew it."
        found.append(Decision(text, row.expires, row.get_absolute_url(), late, "evidence"))
    return found


def _reviews(user: Any, today: datetime.date, until: datetime.date) -> list[Decision]:
    """One query per register (a fixed number of registers)."""
    found = []
    for model in reviews.reviewed_models():
        rows = (
            model.objects.restrict(user, "view")
            .filter(next_review_on__lte=until)
            .order_by("next_review_on", "pk")[:PER_SOURCE]
        )
        kind = str(model._meta.verbose_name)
        for row in rows:
            due = row.next_review_on or today
            late = due < today
            verb = "was due" if late else "is due"
            text = f"The review of the {kind} {row} {verb} {when(due, today)}."
            found.append(Decision(text, due, row.get_absolute_url(), late, "review"))
    return found


def _surveillance(user: Any, today: datetime.date, until: datetime.date) -> list[Decision]:
    """Reviews of surveillance technology still waiting for a decision, oldest first: an
    ordinance asks for the decision before the technology is used."""
    rows = (
        SurveillanceReview.objects.restrict(user, "view")
        .filter(decision=SurveillanceReview.Decision.PENDING)
        .select_related("pilot", "system")
        .order_by("created_at", "pk")[:PER_SOURCE]
    )
    return [
        Decision(
            f"The surveillance review of {row.subject} waits for a decision.",
            timezone.localdate(row.created_at),
            row.get_absolute_url(),
            False,
            "surveillance",
        )
        for row in rows
    ]


def _campaigns(user: Any, today: datetime.date, until: datetime.date) -> list[Decision]:
    rows = (
        Campaign.objects.restrict(user, "view")
        .filter(status=Campaign.Status.OPEN, due_on__lte=until)
        .order_by("due_on", "pk")[:PER_SOURCE]
    )
    found = []
    for row in rows:
        late = row.due_on < today
        verb = "was due" if late else "is due"
        text = f"The impact-analysis campaign {row} {verb} {when(row.due_on, today)}."
        found.append(Decision(text, row.due_on, row.get_absolute_url(), late, "campaign"))
    return found


def _certifications(user: Any, today: datetime.date, until: datetime.date) -> list[Decision]:
    rows = (
        Certification.objects.restrict(user, "view")
        .filter(expires__lte=until, expires__gte=today - datetime.timedelta(days=AHEAD))
        .select_related("person")
        .order_by("expires", "pk")[:PER_SOURCE]
    )
    found = []
    for row in rows:
        assert row.expires is not None  # filtered above
        late = row.expires < today
        verb = "expired" if late else "expires"
        text = f"{row.person}'s {row.name} certification {verb} {when(row.expires, today)}."
        found.append(Decision(text, row.expires, row.get_absolute_url(), late, "certification"))
    return found


SOURCES: tuple[Callable[[Any, datetime.date, datetime.date], list[Decision]], ...] = (
    _contracts,
    _proposals,
    _risks,
    _evidence,
    _reviews,
    _campaigns,
    _certifications,
    _surveillance,
)


def due(user: Any, today: datetime.date | None = None) -> tuple[list[Decision], int]:
    """The decisions due for `user`, soonest first, and how many more were left off."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=AHEAD)
    found: list[Decision] = []
    for source in SOURCES:
        found += source(user, today, until)
    return soonest(found)


def list_url() -> str:
    """Every date coming up, for the "and N more" link."""
    return reverse("estate:calendar")
