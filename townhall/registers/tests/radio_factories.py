"""Small emergency-communications records for tests, written through the write path."""

import datetime
from typing import Any

from townhall.core import context, services
from townhall.estate import models as e
from townhall.registers import models as m


def radio(name: str = "County P25", department: Any = None) -> e.Component:
    return services.create(
        context.SYSTEM,
        e.Component,
        {"name": name, "kind": e.Component.Kind.RADIO, "owner_department": department},
    )


def talkgroup(name: str, system: e.Component | None = None, **values: Any) -> m.Talkgroup:
    return services.create(
        context.SYSTEM,
        m.Talkgroup,
        {"name": name, "radio_system": system or radio(f"Radio for {name}"), **values},
    )


def partner(name: str, kind: str = "neighbouring", **values: Any) -> m.PartnerAgency:
    return services.create(context.SYSTEM, m.PartnerAgency, {"name": name, "kind": kind, **values})


def link(
    who: m.PartnerAgency,
    group: m.Talkgroup,
    how: str = "shared_system",
    tested_on: datetime.date | None = None,
    works: str = "yes",
) -> m.InteropLink:
    return services.create(
        context.SYSTEM,
        m.InteropLink,
        {"partner": who, "talkgroup": group, "how": how, "tested_on": tested_on, "works": works},
    )


def assessment(on: datetime.date, **levels: int) -> m.ContinuumAssessment:
    made = services.create(context.SYSTEM, m.ContinuumAssessment, {"assessed_on": on})
    for lane, level in levels.items():
        services.create(
            context.SYSTEM,
            m.LaneRating,
            {"assessment": made, "lane": lane, "level": level, "evidence": f"{lane} evidence"},
        )
    return made
