"""The ORM side of the capacity count (`capacity.py`): the settings, and the positions in
a skill pool with the hours and operations share each one takes, read in three queries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from townhall.foundation.models import ReplacementSettings
from townhall.people import capacity
from townhall.people.models import MAX_DEPTH, CapacitySettings, Position, Team


@dataclass(frozen=True)
class Basis:
    """What the count reads: the city's settings and the seats."""

    hours_per_fte: int
    operations_share: Decimal
    start_month: int
    seats: list[capacity.Seat]
    settings: CapacitySettings | None


def settings() -> CapacitySettings | None:
    return CapacitySettings.objects.order_by("pk").first()


def start_month() -> int:
    """The month the city's fiscal year starts, as foundation's replacement settings say
    (July until they are saved): one fiscal calendar for the whole workbench."""
    row = ReplacementSettings.objects.order_by("pk").values_list("start_month", flat=True).first()
    return int(row) if row else ReplacementSettings().start_month


def team_shares(default: Decimal) -> dict[int, Decimal]:
    """Each team's operations share: its own, else its nearest unit's, else `default`."""
    rows = {
        pk: (parent, share)
        for pk, parent, share in Team.objects.values_list("pk", "parent_id", "operations_share")
    }
    out: dict[int, Decimal] = {}
    for pk in rows:
        current: Any = pk
        share = None
        for _ in range(MAX_DEPTH):
            if current is None or current not in rows:
                break
            parent, own = rows[current]
            if own is not None:
                share = own
                break
            current = parent
        out[pk] = default if share is None else share
    return out


def basis(user: Any) -> Basis:
    """The seats of the positions `user` may see that belong to a skill pool."""
    row = settings()
    defaults = row or CapacitySettings()
    shares = team_shares(defaults.operations_share)
    positions = (
        Position.objects.restrict(user, "view")
        .filter(skill_pool__isnull=False)
        .select_related("skill_pool")
        .order_by("pk")
    )
    seats = [
        capacity.Seat(
            position=p.pk,
            title=p.title,
            pool=p.skill_pool.code,
            fte=p.fte,
            hours=p.available_hours or defaults.hours_per_fte,
            operations=shares.get(p.team_id, defaults.operations_share),
            filled=p.person_id is not None,
            fill_planned=p.fill_planned,
        )
        for p in positions
    ]
    return Basis(defaults.hours_per_fte, defaults.operations_share, start_month(), seats, row)
