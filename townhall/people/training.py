"""Succession and training plans, in plain Python: how far each plan has come.

The rules, written once here and in `docs/people.md`:

- A plan's **current level** is the person's level in the plan's skill today (a skill
  they have no recorded level in counts as 0).
- Its **progress** is the share of the way from the level at the start to the target:
  0 at the start (or below it), 1 at the target (or above it).
- A plan is **met** when the current level has reached the target; an open plan that is
  met is moved to "met" by `services.meet_plans`.
- An open plan is **overdue** when its due date has passed and it is not met yet.
"""

import datetime
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

OPEN = "open"
MET = "met"


@dataclass(frozen=True)
class Plan:
    """One training plan, as the analysis needs it."""

    id: Hashable
    person: Hashable
    skill: Hashable
    target: int
    starting: int
    due: datetime.date
    status: str = OPEN


@dataclass(frozen=True)
class Progress:
    """Where one plan stands today."""

    plan: Plan
    current: int
    share: Fraction  # 0 to 1: the way from the starting level to the target
    met: bool
    overdue: bool

    @property
    def percent(self) -> int:
        """The share as a whole percentage, rounded down (100 only when met)."""
        return int(self.share * 100)


def progress(plan: Plan, current: int | None, today: datetime.date) -> Progress:
    """Where `plan` stands when the person is at `current` (None: no level recorded)."""
    level = current or 0
    met = level >= plan.target
    span = plan.target - plan.starting
    if met:
        share = Fraction(1)
    elif span <= 0:
        share = Fraction(0)
    else:
        share = min(Fraction(1), max(Fraction(0), Fraction(level - plan.starting, span)))
    overdue = plan.status == OPEN and not met and plan.due < today
    return Progress(plan, level, share, met, overdue)


def assess(
    plans: Iterable[Plan],
    levels: Mapping[tuple[Hashable, Hashable], int],
    today: datetime.date,
) -> list[Progress]:
    """Each plan's progress; `levels` maps (person, skill) to the level recorded."""
    return [progress(p, levels.get((p.person, p.skill)), today) for p in plans]


def now_met(
    plans: Iterable[Plan], levels: Mapping[tuple[Hashable, Hashable], int]
) -> list[Hashable]:
    """The ids of the open plans whose person has reached the target level."""
    return [
        p.id for p in plans if p.status == OPEN and levels.get((p.person, p.skill), 0) >= p.target
    ]
