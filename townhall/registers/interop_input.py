"""Reads what `interop.py` works on, as the reader may see it (`restrict(user, "view")`):
the lane ratings, partners, talkgroups, links and radio systems, in a fixed number of
queries whatever the number of rows."""

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from townhall.estate.models import Component
from townhall.registers import interop
from townhall.registers.models import (
    ContinuumAssessment,
    InteropLink,
    LaneRating,
    PartnerAgency,
    Talkgroup,
)


@dataclass(frozen=True)
class RadioSystem:
    pk: int
    name: str
    status: str
    talkgroups: int


@dataclass(frozen=True)
class Communications:
    lanes: list[interop.Lane]
    standings: list[interop.Standing]
    partners: list[interop.Partner]
    groups: list[interop.Group]
    links: list[interop.Link]
    matrix: interop.Matrix
    gaps: interop.Gaps
    systems: list[RadioSystem]
    assessments: int


def read(user: Any, today: datetime.date) -> Communications:
    """Six queries: assessments counted, ratings, partners, talkgroups, links, radio systems."""
    lanes = interop.load_continuum()
    seen = ContinuumAssessment.objects.restrict(user, "view")
    assessments = seen.count()
    ratings = [
        interop.Rating(lane, level, on, assessment, evidence, pk)
        for pk, lane, level, on, assessment, evidence in LaneRating.objects.restrict(user, "view")
        .filter(assessment__in=seen)
        .values_list("pk", "lane", "level", "assessment__assessed_on", "assessment_id", "evidence")
    ]
    partners = [
        interop.Partner(pk, name, kind)
        for pk, name, kind in PartnerAgency.objects.restrict(user, "view")
        .order_by("kind", "name", "id")
        .values_list("pk", "name", "kind")
    ]
    groups = [
        interop.Group(pk, name, system, system_id)
        for pk, name, system, system_id in Talkgroup.objects.restrict(user, "view")
        .order_by("radio_system__name", "name", "id")
        .values_list("pk", "name", "radio_system__name", "radio_system_id")
    ]
    links = [
        interop.Link(partner, group, how, tested, works)
        for partner, group, how, tested, works in InteropLink.objects.restrict(user, "view")
        .order_by("how", "id")
        .values_list("partner_id", "talkgroup_id", "how", "tested_on", "works")
    ]
    per_system = Counter(g.system_id for g in groups)
    systems = [
        RadioSystem(pk, name, status, per_system[pk])
        for pk, name, status in Component.objects.restrict(user, "view")
        .filter(kind=Component.Kind.RADIO, pk__in=list(per_system))
        .order_by("name", "id")
        .values_list("pk", "name", "status")
    ]
    return Communications(
        lanes=lanes,
        standings=interop.standings(lanes, ratings),
        partners=partners,
        groups=groups,
        links=links,
        matrix=interop.matrix(partners, groups, links),
        gaps=interop.gaps(partners, groups, links, today),
        systems=systems,
        assessments=assessments,
    )
