"""Records the people module's tests stand on, made through the write path."""

import datetime
from typing import Any

from townhall.core import context, services
from townhall.estate.models import Person
from townhall.people.models import Position, Skill, Team


def person(name: str, department: Any = None, **values: Any) -> Person:
    with context.acting("system"):
        return services.create(
            context.SYSTEM, Person, {"name": name, "owner_department": department, **values}
        )


def team(name: str, department: Any = None, **values: Any) -> Team:
    with context.acting("system"):
        return services.create(
            context.SYSTEM, Team, {"name": name, "owner_department": department, **values}
        )


def position(title: str, team_: Team, holder: Person | None = None, **values: Any) -> Position:
    values.setdefault("vacant_since", None if holder else datetime.date(2026, 1, 5))
    with context.acting("system"):
        return services.create(
            context.SYSTEM,
            Position,
            {
                "title": title,
                "team": team_,
                "person": holder,
                "owner_department": team_.owner_department,
                **values,
            },
        )


def skill(code: str, name: str = "", kind: str = "other", **values: Any) -> Skill:
    with context.acting("system"):
        return services.create(
            context.SYSTEM, Skill, {"code": code, "name": name or code, "kind": kind, **values}
        )
