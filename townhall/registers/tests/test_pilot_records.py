"""Innovation pilots, surveillance reviews and readiness assessments join the platform's
contract: permissions, audit, conflicts, API, and each record's own rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.registers import models as m


def pilot(departments, n: int = 1, **values) -> m.Pilot:
    return services.create(
        context.SYSTEM,
        m.Pilot,
        {
            "title": f"Pilot {n}",
            "technology": "drone",
            "owner_department": departments["PW"],
            **values,
        },
    )


class TestPilotContract(ResourceContract):
    model = m.Pilot

    def data(self, departments, n=1):
        return {
            "title": f"Smart bins {n}",
            "technology": "iot",
            "stage": "idea",
            "idea_on": "2026-01-10",
            "data_collected": "Fill levels",
        }

    def invalid(self, departments):
        return [
            ("pilot_on", lambda post: {"stage": "pilot", "pilot_on": ""}),
            ("stopped_on", lambda post: {"stage": "idea", "stopped_on": "2026-02-01"}),
            ("pilot_on", lambda post: {"stage": "pilot", "pilot_on": "2025-01-01"}),
        ]


class TestSurveillanceReviewContract(ResourceContract):
    model = m.SurveillanceReview

    def data(self, departments, n=1):
        return {
            "pilot": pilot(departments, n),
            "collected": "Aerial video",
            "retention": "30 days",
            "access": "Inspectors",
            "decision": "pending",
        }

    def invalid(self, departments):
        return [
            ("decided_on", lambda post: {"decision": "approved", "decided_on": ""}),
            ("decided_on", lambda post: {"decision": "pending", "decided_on": "2026-03-01"}),
            (
                "conditions",
                lambda post: {
                    "decision": "approved_with_conditions",
                    "decided_on": "2026-03-01",
                    "conditions": " ",
                },
            ),
            ("pilot", lambda post: {"pilot": ""}),
        ]


class TestReadinessAssessmentContract(ResourceContract):
    model = m.ReadinessAssessment

    def data(self, departments, n=1):
        return {"title": f"Drone readiness {n}", "technology": "drone", "assessed_on": "2026-04-01"}


@pytest.mark.django_db
def test_a_review_concerns_one_pilot_or_one_system(departments):
    from townhall.estate.models import System

    with context.acting("system"):
        system = services.create(context.SYSTEM, System, {"name": "Plate reader hub"})
    with pytest.raises(ValidationError, match="one pilot or one system"):
        services.create(
            context.SYSTEM,
            m.SurveillanceReview,
            {
                "pilot": pilot(departments),
                "system": system,
                "collected": "Plates",
                "owner_department": departments["PW"],
            },
        )


@pytest.mark.django_db
def test_answers_must_fit_the_questionnaire(departments):
    values = {"title": "AI", "technology": "ai", "owner_department": departments["PW"]}
    with pytest.raises(ValidationError, match="not a question"):
        services.create(context.SYSTEM, m.ReadinessAssessment, {**values, "answers": {"x": 1}})
    with pytest.raises(ValidationError, match="score from 0 to 3"):
        services.create(
            context.SYSTEM, m.ReadinessAssessment, {**values, "answers": {"ai-data": 4}}
        )
    made = services.create(
        context.SYSTEM, m.ReadinessAssessment, {**values, "answers": {"ai-data": 2}}
    )
    assert made.result.total == 2


@pytest.mark.django_db
def test_scaled_pilot_has_its_days_in_order(departments):
    with pytest.raises(ValidationError, match="evaluation started on"):
        pilot(
            departments,
            stage="scaled",
            pilot_on=datetime.date(2026, 1, 1),
            scaled_on=datetime.date(2026, 6, 1),
        )
    made = pilot(
        departments,
        stage="scaled",
        pilot_on=datetime.date(2026, 1, 1),
        evaluation_on=datetime.date(2026, 3, 1),
        scaled_on=datetime.date(2026, 6, 1),
    )
    assert made.stage == "scaled"
