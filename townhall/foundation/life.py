"""An item's expected end of life and its age against its expected life, in plain Python.

The vendor's end of support comes first: past it, the item runs without fixes whatever its
age. Without one, the install date plus the expected service life (the item's own, else its
kind's) gives the end. Either may be unknown, and the answer says so rather than guessing.
"""

import calendar
import datetime
from dataclasses import dataclass

# Expected service life in years by kind of component (`estate.Component.Kind`), the
# defaults a county starts from: network gear outlasts servers, endpoints wear out sooner,
# a radio system is bought for a decade. Seeded by migration 0002 as `ServiceLife` rows,
# which IT staff then change.
DEFAULT_YEARS: dict[str, int] = {
    "server": 5,
    "virtual_machine": 5,
    "storage": 5,
    "network_device": 7,
    "firewall": 5,
    "endpoint_fleet": 4,
    "radio_system": 10,
    "iot_fleet": 7,
    "database": 5,
    "cloud_service": 5,
    "other": 5,
}

# Expected service life of a business application (`estate.System`), counted from its
# go-live date: applications are commonly replaced or re-platformed within a decade of going
# live. The default of the `ServiceLife` entry of kind `SYSTEM_KIND` (seeded by migration
# 0006), which IT staff change like the components' kinds; used when the entry is missing.
SYSTEM_KIND = "system"
SYSTEM_YEARS = 10


def system_years(lives: dict[str, int]) -> int:
    """A system's expected service life from the `ServiceLife` entries by kind."""
    return lives.get(SYSTEM_KIND) or SYSTEM_YEARS


def add_years(day: datetime.date, years: int) -> datetime.date:
    """`day` moved on by whole years; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Life:
    """What is known of one item's end: `end` and why (`basis`: "support", "life" or
    "unknown"), and its age in years against its expected life (`life_years`, None when
    neither its own nor its kind's is known; `age_years` None without an install date)."""

    end: datetime.date | None
    basis: str
    life_years: int | None
    age_years: float | None

    @property
    def used_share(self) -> float | None:
        """How much of its expected life the item has used (1.0 = all of it)."""
        if self.age_years is None or not self.life_years:
            return None
        return self.age_years / self.life_years


def life_years(own: int | None, kind_default: int | None) -> int | None:
    """The item's own expected service life overrides its kind's."""
    return own if own else kind_default


def expected_life(
    *,
    today: datetime.date,
    end_of_support: datetime.date | None = None,
    install_date: datetime.date | None = None,
    own_years: int | None = None,
    kind_years: int | None = None,
) -> Life:
    """The item's expected end of life and its age against its expected life on `today`."""
    years = life_years(own_years, kind_years)
    age = None
    if install_date is not None and install_date <= today:
        age = round((today - install_date).days / 365.25, 2)
    elif install_date is not None:
        age = 0.0
    if end_of_support is not None:
        return Life(end_of_support, "support", years, age)
    if install_date is not None and years:
        return Life(add_years(install_date, years), "life", years, age)
    return Life(None, "unknown", years, age)


def past_or_within(end: datetime.date | None, today: datetime.date, months: int = 12) -> str | None:
    """Whether an end is "past", "soon" (within `months`), or neither (None)."""
    if end is None:
        return None
    if end < today:
        return "past"
    if end <= add_months(today, months):
        return "soon"
    return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved on by whole months, kept within the shorter month's end."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
