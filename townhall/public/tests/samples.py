"""One record of every kind the public site may publish, each text in it a word found
nowhere else (`zq…`), so a test can tell where each field's value shows. A kind added to
`kinds.KINDS` needs its sample here: test_leaks fails naming it otherwise."""

import datetime
from collections.abc import Callable
from typing import Any

from townhall.core import context, services
from townhall.core.context import SYSTEM
from townhall.estate.models import Vendor
from townhall.governance import presets
from townhall.governance import services as gov
from townhall.governance.models import BudgetCycle, Proposal
from townhall.org.models import Department
from townhall.public.models import Publication
from townhall.registers.models import AIUseCase


def _department() -> Department:
    found = Department.objects.filter(code="ZQD").first()
    return found or services.create(SYSTEM, Department, {"name": "Zqdepartment", "code": "ZQD"})


def proposal() -> Any:
    criteria = gov.load_preset(SYSTEM, presets.ORANGE_COUNTY_STYLE)
    cycle = gov.open_cycle(
        SYSTEM,
        {
            "name": "Zqcycle",
            "first_year": 2027,
            "years": 1,
            "criteria_set": criteria,
            "status": BudgetCycle.Status.DECIDING,
            "budgets": {"2027": {"capital": 1_000_000, "operating": 300_000}},
        },
    )
    return services.create(
        SYSTEM,
        Proposal,
        {
            "cycle": cycle,
            "owner_department": _department(),
            "title": "Zqtitle online permits",
            "problem": "Zqproblem paper forms",
            "outcome": "Zqoutcome residents apply online",
            "kind": Proposal.Kind.MODERNIZATION,
            "status": Proposal.Status.APPROVED,
            "earliest_start": 2027,
            "capital_costs": [100_000],
            "recurring_operating": 12_345,
            "decision_rationale": "Zqrationale it scored highest",
            "approved_start": 2027,
            "notes": "Zqnotes internal only",
        },
    )


def ai_use_case() -> Any:
    vendor = services.create(SYSTEM, Vendor, {"name": "Zqvendor"})
    return services.create(
        SYSTEM,
        AIUseCase,
        {
            "name": "Zqtitle plate readers",
            "owner_department": _department(),
            "topic_area": "law_justice",
            "purpose": "Zqpurpose finds stolen vehicles",
            "outputs": "Zqoutputs alerts",
            "stage": "deployed",
            "implemented_on": datetime.date(2024, 1, 1),
            "high_impact": "no",
            "development": "contracted",
            "vendor": vendor,
            "oversight_notes": "Zqoversight an officer checks",
            "remedy_notes": "Zqremedy ask the clerk",
            "notes": "Zqnotes internal only",
        },
    )


SAMPLES: dict[str, Callable[[], Any]] = {"proposal": proposal, "ai_use_case": ai_use_case}


# --- The registers ---
def dataset() -> Any:
    from townhall.registers.models import Dataset

    return services.create(
        SYSTEM,
        Dataset,
        {
            "title": "Zqtitle building permits",
            "identifier": "zqidentifier-permits",
            "description": "Zqdescription every permit issued",
            "keywords": "zqkeywords, permits",
            "themes": "Zqthemes housing",
            "owner_department": _department(),
            "contact_name": "Zqname Ann Lee",
            "contact_email": "zqmail@example.gov",
            "classification": "public",
            "access_level": "public",
            "accrual_periodicity": "R/P1D",
            "landing_page": "https://data.example.gov/zqlanding",
            "license": "https://creativecommons.org/publicdomain/zero/1.0/",
            "spatial": "Zqspatial the county",
            "temporal": "2015-01-01/2026-12-31",
            "issued": datetime.date(2015, 2, 1),
            "data_modified_on": datetime.date(2026, 3, 1),
            "rights": "Zqrights never public",
            "retention_schedule": "Zqretention GS-1",
            "notes": "Zqnotes internal only",
        },
    )


def pilot() -> Any:
    from townhall.registers.models import Pilot

    vendor = services.create(SYSTEM, Vendor, {"name": "Zqpilotvendor"})
    made = services.create(
        SYSTEM,
        Pilot,
        {
            "title": "Zqtitle smart bins",
            "technology": "iot",
            "description": "Zqdescription bins that say when full",
            "owner_department": _department(),
            "idea_on": datetime.date(2026, 1, 5),
            "vendor": vendor,
            "data_collected": "Zqcollected fill levels",
            "evaluation_criteria": "Zqcriteria fewer trips",
            "results": "Zqresults a third fewer trips",
            "notes": "Zqnotes internal only",
        },
    )
    return services.transition(
        SYSTEM, made, "pilot", field="stage", extra={"pilot_on": datetime.date(2026, 2, 1)}
    )


def surveillance_review() -> Any:
    from townhall.estate.models import System
    from townhall.registers.models import SurveillanceReview

    system = services.create(SYSTEM, System, {"name": "Zqtitle camera hub"})
    return services.create(
        SYSTEM,
        SurveillanceReview,
        {
            "system": system,
            "owner_department": _department(),
            "collected": "Zqcollected video of intersections",
            "retention": "Zqretention thirty days",
            "access": "Zqaccess two traffic engineers",
            "community_input": "Zqinput two public meetings",
            "community_input_on": datetime.date(2026, 1, 20),
            "decision": "approved_with_conditions",
            "conditions": "Zqconditions no face matching",
            "decided_on": datetime.date(2026, 2, 1),
            "notes": "Zqnotes internal only",
        },
    )


SAMPLES.update({"dataset": dataset, "pilot": pilot, "surveillance_review": surveillance_review})


def publish(key: str, fields: list[str], published: bool = True) -> Publication:
    """Publish a kind with these fields, as an administrator would."""
    found = Publication.objects.filter(kind=key).first()
    data = {"kind": key, "published": published, "fields": fields}
    with context.acting("system"):
        if found is None:
            return services.create(SYSTEM, Publication, data)
        return services.update(SYSTEM, found, data, version=found.version)


def make(key: str) -> Any:
    with context.acting("system"):
        return SAMPLES[key]()


def readiness() -> Any:
    from townhall.public.models import PublicStatement

    return services.create(
        SYSTEM,
        PublicStatement,
        {
            "topic": "cyber",
            "heading": "Zqtitle keeping systems safe",
            "text_en": "Zqenglish we test our backups",
            "text_es": "Zqspanish probamos las copias",
            "last_reviewed_on": datetime.date(2026, 6, 1),
            "notes": "Zqnotes internal only",
        },
    )


# --- The technology investment portfolio ---
from townhall.governance.models import CriteriaSet, Criterion, ProjectUpdate  # noqa: E402


def proposal_with_update() -> Any:
    """The investment sample, funded, with an update for residents on how it is going."""
    found = proposal()
    services.create(
        SYSTEM,
        ProjectUpdate,
        {"proposal": found, "day": datetime.date(2027, 2, 1), "text": "Zqupdate work began"},
    )
    return found


def budget_cycle() -> Any:
    criteria = services.create(
        SYSTEM, CriteriaSet, {"name": "Zqcriteria", "scale_min": 1, "scale_max": 5}
    )
    for order, (name, weight) in enumerate((("Zqvalue to residents", 3), ("Zqrisk", 1)), 1):
        services.create(
            SYSTEM,
            Criterion,
            {"criteria_set": criteria, "name": name, "weight": weight, "order": order},
        )
    return gov.open_cycle(
        SYSTEM,
        {
            "name": "Zqyear 2031",
            "first_year": 2031,
            "years": 2,
            "criteria_set": criteria,
            "status": BudgetCycle.Status.CLOSED,
            "notes": "Zqnotes internal only",
        },
    )


SAMPLES["readiness"] = readiness
SAMPLES["proposal"] = proposal_with_update
SAMPLES["budget_cycle"] = budget_cycle
