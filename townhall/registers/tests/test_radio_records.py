"""The emergency communications register's records join the platform's contract; their
own rules: a talkgroup lives on a radio system, a lane is rated 1 to 5 once per
assessment, a link is not tested in the future, and a review comes after the last one."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from townhall.continuity.tests import factories as cf
from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.registers import models as m
from townhall.registers.tests import radio_factories as f

LATER_REVIEW = (
    "next_review_on",
    lambda post: {"last_reviewed_on": "2026-03-01", "next_review_on": "2026-01-15"},
)


class TestContinuumAssessmentContract(ResourceContract):
    model = m.ContinuumAssessment

    def data(self, departments, n=1):
        return {"assessed_on": datetime.date(2026, 1, 1) + datetime.timedelta(days=n)}

    def invalid(self, departments):
        return [LATER_REVIEW, ("assessed_on", lambda post: {"assessed_on": "not a day"})]


class TestLaneRatingContract(ResourceContract):
    model = m.LaneRating
    shared = True

    def data(self, departments, n=1):
        return {
            "assessment": f.assessment(datetime.date(2025, 1, 1) + datetime.timedelta(days=n)),
            "lane": "technology",
            "level": 3,
            "evidence": "Shared P25 system",
        }

    def invalid(self, departments):
        return [
            ("level", lambda post: {"level": 6}),
            ("level", lambda post: {"level": 0}),
        ]


class TestTalkgroupContract(ResourceContract):
    model = m.Talkgroup

    def data(self, departments, n=1):
        return {
            "name": f"Dispatch {n}",
            "radio_system": f.radio(f"Radio {n}"),
            "purpose": "dispatch",
            "encrypted": False,
            "identifier": f"10{n}",
        }

    def invalid(self, departments):
        def not_a_radio(post):
            return {"radio_system": cf.component("File server", kind="server").pk}

        return [("radio_system", not_a_radio), LATER_REVIEW]


class TestPartnerAgencyContract(ResourceContract):
    model = m.PartnerAgency

    def data(self, departments, n=1):
        return {"name": f"Neighbour County {n}", "kind": "neighbouring"}

    def invalid(self, departments):
        return [("kind", lambda post: {"kind": "alien"}), LATER_REVIEW]


class TestInteropLinkContract(ResourceContract):
    model = m.InteropLink
    shared = True

    def data(self, departments, n=1):
        return {
            "partner": f.partner(f"Partner {n}"),
            "talkgroup": f.talkgroup(f"Mutual aid {n}"),
            "how": "gateway",
            "tested_on": datetime.date(2026, 1, 1),
            "works": "yes",
        }

    def invalid(self, departments):
        future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        return [("tested_on", lambda post: {"tested_on": future})]


@pytest.mark.django_db
def test_a_talkgroup_refuses_a_server_on_the_write_path():
    server = cf.component("File server", kind="server")
    with pytest.raises(ValidationError) as refused:
        services.create(context.SYSTEM, m.Talkgroup, {"name": "Dispatch", "radio_system": server})
    assert "radio_system" in refused.value.message_dict


@pytest.mark.django_db
def test_an_assessment_rates_each_lane_once():
    made = f.assessment(datetime.date(2026, 1, 5), technology=3)
    with pytest.raises(ValidationError):
        services.create(
            context.SYSTEM, m.LaneRating, {"assessment": made, "lane": "technology", "level": 4}
        )


@pytest.mark.django_db
def test_the_next_review_defaults_to_a_year_after_the_last():
    who = f.partner("State Patrol", "state", last_reviewed_on=datetime.date(2026, 2, 1))
    assert who.next_review_on == datetime.date(2027, 2, 1)
