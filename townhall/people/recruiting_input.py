"""What the recruiting figures (`recruiting.py`) need, read from what one person may see:
requisitions, positions, teams, declined offers and market rates through `restrict`, and
pay only from staff records through `restrict` — so a role that does not see personnel
data gets no pay at all, not merely a hidden column. A fixed number of queries whatever
the number of rows."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from townhall.core import permissions
from townhall.people import recruiting
from townhall.people.models import (
    DeclinedOffer,
    MarketRate,
    Position,
    Requisition,
    StaffRecord,
    Team,
)


@dataclass(frozen=True)
class Rate:
    id: int
    name: str
    market_pay: Decimal
    source: str
    as_of: datetime.date | None


@dataclass(frozen=True)
class Found:
    """The rows the figures are worked out from, with the names a page shows."""

    today: datetime.date
    openings: list[recruiting.Opening]
    seats: list[recruiting.Seat]
    teams: dict[int, str]
    declines: list[tuple[datetime.date, str]]
    rates: list[Rate]
    sees_pay: bool
    # (market rate id, annual pay) of each person in a position linked to a rate; empty
    # for a reader who does not see personnel data.
    pays: list[tuple[int, Decimal | None]] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)  # position id -> title

    def open_for(self) -> dict[int, recruiting.Opening]:
        """Each position's open requisition (the latest opened, if several)."""
        found: dict[int, recruiting.Opening] = {}
        for o in sorted(self.openings, key=lambda o: (o.opened_on, o.id)):
            if o.open and o.position_id is not None:
                found[o.position_id] = o
        return found


def _visible(model: Any, user: Any) -> Any:
    qs = model.objects.all()
    return qs if user is None else qs.restrict(user, "view")


def gather(user: Any, today: datetime.date | None = None) -> Found:
    """Everything `user` may see that the recruiting page counts (`user` None: everything,
    pay included, for the system and the workforce brief's own checks): six queries, or
    five for a reader who does not see pay."""
    today = today or timezone.localdate()
    requisitions = _visible(Requisition, user)
    openings = [
        recruiting.Opening(**row)
        for row in requisitions.values(
            "id",
            "title",
            "kind",
            "stage",
            "team_id",
            "opened_on",
            "filled_on",
            "openings",
            "applicants",
            "interviewed",
            "position_id",
        )
    ]
    positions = _visible(Position, user)
    rows = list(
        positions.values_list(
            "id", "team_id", "funded", "vacant_since", "person_id", "market_rate_id", "title"
        )
    )
    seats = [
        recruiting.Seat(pk, team, funded, None if person else (vacant or today))
        for pk, team, funded, vacant, person, _rate, _title in rows
    ]
    titles = {pk: title for pk, *_rest, title in rows}
    teams = dict(_visible(Team, user).values_list("pk", "name"))
    declines = list(
        _visible(DeclinedOffer, user)
        .filter(requisition__in=requisitions.values("pk"))
        .values_list("declined_on", "reason")
    )
    rates = [
        Rate(*row)
        for row in _visible(MarketRate, user).values_list(
            "pk", "name", "market_pay", "source", "as_of"
        )
    ]
    sees_pay = user is None or permissions.sees_personnel(user)
    pays: list[tuple[int, Decimal | None]] = []
    if sees_pay:
        rate_of = {person: rate for _pk, _t, _f, _v, person, rate, _n in rows if person and rate}
        linked = positions.filter(market_rate__isnull=False, person__isnull=False)
        paid = _visible(StaffRecord, user).filter(person__in=linked.values("person_id"))
        pays = [
            (rate_of[person], pay)
            for person, pay in paid.values_list("person_id", "annual_pay")
            if person in rate_of
        ]
    return Found(today, openings, seats, teams, declines, rates, sees_pay, pays, titles)
