"""Reviews across every register: each record's next review in the calendar feed, the
overdue ones counted for IT staff's home page and the registers' front page. Works on any
register's model that is `Reviewed`, so a new register joins by taking those fields."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from townhall.core import permissions, registry
from townhall.estate import calendar
from townhall.registers.models import Reviewed

SOON = 30  # days: a review due within this many days is "due soon"


def reviewed_models() -> list[type[Reviewed]]:
    """The registers' records, in the order their apps declare them."""
    found = apps.get_app_config("registers").get_models()
    return [m for m in found if issubclass(m, Reviewed) and registry.for_model(m) is not None]


def list_url(model: type[Reviewed]) -> str:
    resource = registry.for_model(model)
    assert resource is not None  # reviewed_models() keeps registered records only
    return reverse(resource.url_name("list"))


@dataclass(frozen=True)
class RegisterReviews:
    """One register's records and their reviews, for what a person may see."""

    label: str
    url: str
    records: int
    overdue: int
    due_soon: int
    never_reviewed: int


def summaries(user: Any, today: datetime.date | None = None) -> list[RegisterReviews]:
    """One query per register, whatever the number of records."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=SOON)
    found = []
    for model in reviewed_models():
        counts = model.objects.restrict(user, "view").aggregate(
            records=Count("pk"),
            overdue=Count("pk", filter=Q(next_review_on__lt=today)),
            due_soon=Count("pk", filter=Q(next_review_on__gte=today, next_review_on__lte=soon)),
            never=Count("pk", filter=Q(last_reviewed_on__isnull=True)),
        )
        found.append(
            RegisterReviews(
                label=capfirst(str(model._meta.verbose_name_plural)),  # "AI", not "Ai"
                url=list_url(model),
                records=counts["records"],
                overdue=counts["overdue"],
                due_soon=counts["due_soon"],
                never_reviewed=counts["never"],
            )
        )
    return found


@dataclass(frozen=True)
class Overdue:
    """A record past its review day."""

    name: str
    url: str
    kind: str
    due: datetime.date
    owner: str
    department: str


def overdue(user: Any, today: datetime.date, limit: int = 50) -> list[Overdue]:
    """The records past their review day, the longest overdue first: a query per register."""
    found: list[Overdue] = []
    for model in reviewed_models():
        rows = (
            model.objects.restrict(user, "view")
            .filter(next_review_on__lt=today)
            .select_related("review_owner", "owner_department")
            .order_by("next_review_on", "pk")[:limit]
        )
        found += [
            Overdue(
                name=str(row),
                url=row.get_absolute_url(),
                kind=str(model._meta.verbose_name),
                due=row.next_review_on or today,
                owner=str(row.review_owner) if row.review_owner_id else "",
                department=str(row.owner_department) if row.owner_department_id else "",
            )
            for row in rows
        ]
    found.sort(key=lambda r: (r.due, r.kind, r.name))
    return found[:limit]


def review_events(
    user: Any, start: datetime.date, stop: datetime.date, base_url: str
) -> list[calendar.Event]:
    """One event per register record whose review falls between `start` and `stop`."""
    events = []
    for model in reviewed_models():
        rows = (
            model.objects.restrict(user, "view")
            .filter(next_review_on__gte=start, next_review_on__lte=stop)
            .select_related("review_owner")
            .order_by("next_review_on", "pk")
        )
        kind = str(model._meta.verbose_name)
        for row in rows:
            assert row.next_review_on is not None  # filtered above
            owner = f" ({row.review_owner})" if row.review_owner_id else ""
            events.append(
                calendar.Event(
                    uid=f"registers-{model._meta.model_name}-{row.pk}-review@townhall",
                    day=row.next_review_on,
                    summary=f"Review due: {kind} {row}{owner}",
                    description=f"The {kind} {row} is due for its review. Review it, then "
                    "record the day on its page.",
                    url=base_url + row.get_absolute_url(),
                    stamp=row.updated_at,
                    categories=("Register review",),
                )
            )
    return events


def home_notice(user: Any) -> Any:
    """IT staff's notice of register records past their review: one query, none for others."""
    from townhall.core.plugins import HomeNotice

    models = reviewed_models()
    if not permissions.is_it_staff(user) or not models:
        return None
    today = timezone.localdate()
    # Without ordering: a model's default order in a part of a union is refused by SQLite
    # ("ORDER BY not allowed in subqueries of compound statements").
    parts = [
        # No ordering: SQLite refuses ORDER BY inside the parts of a UNION.
        m.objects.restrict(user, "view").filter(next_review_on__lt=today).order_by().values("pk")
        for m in models
    ]
    first, *rest = parts
    count = first.union(*rest, all=True).count() if rest else first.count()
    if not count:
        return None
    return HomeNotice(
        text="1 register record is past its review day."
        if count == 1
        else f"{count} register records are past their review day.",
        url=reverse("registers:home"),
        action="See the reviews due",
    )
