"""The people module's records join the platform's contract; their own rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.people import models as m
from townhall.people.tests import factories as f


class TestTeamContract(ResourceContract):
    model = m.Team

    def data(self, departments, n=1):
        return {"name": f"Team {n}", "placement": "central"}

    def invalid(self, departments):
        return [
            (
                "owner_department",
                lambda post: {"placement": "embedded", "owner_department": ""},
            )
        ]


class TestPositionContract(ResourceContract):
    model = m.Position

    def data(self, departments, n=1):
        return {
            "title": f"Analyst {n}",
            "grade": "IT3",
            "team": f.team(f"Unit {n}"),
            "funded": True,
            "vacant_since": datetime.date(2026, 2, 1),
            "placement": "central",
            "fte": "1.00",
        }

    def invalid(self, departments):
        def filled_and_vacant(post):
            return {"person": f.person("Pat Filled").pk, "vacant_since": "2026-02-01"}

        return [
            ("vacant_since", lambda post: {"vacant_since": ""}),
            ("vacant_since", filled_and_vacant),
            ("fte", lambda post: {"fte": "1.5"}),
        ]


class TestOperatingModelContract(ResourceContract):
    model = m.OperatingModel

    def data(self, departments, n=1):
        return {"model": "hybrid", "as_of": datetime.date(2020, 1, 1) + datetime.timedelta(days=n)}


class TestSkillContract(ResourceContract):
    shared = True
    model = m.Skill

    def data(self, departments, n=1):
        return {"code": f"SK-{n}", "name": f"Skill {n}", "kind": "other"}


class TestProficiencyContract(ResourceContract):
    shared = True
    model = m.Proficiency

    def data(self, departments, n=1):
        return {
            "person": f.person(f"Person {n}"),
            "skill": f.skill(f"SKILL-{n}"),
            "level": 3,
        }

    def invalid(self, departments):
        return [("level", lambda post: {"level": "5"})]


class TestCertificationContract(ResourceContract):
    shared = True
    model = m.Certification

    def data(self, departments, n=1):
        return {
            "person": f.person(f"Holder {n}"),
            "name": f"Certificate {n}",
            "issuer": "Issuer",
            "earned": datetime.date(2024, 1, 1),
            "expires": datetime.date(2027, 1, 1),
        }

    def invalid(self, departments):
        return [("expires", lambda post: {"expires": "2023-01-01"})]


@pytest.mark.django_db
def test_a_filled_position_has_no_vacant_since_date_and_a_vacant_one_has_one():
    team = f.team("Infrastructure")
    pat = f.person("Pat Rivera")
    with pytest.raises(ValidationError) as refused:
        f.position("Systems Administrator", team, pat, vacant_since=datetime.date(2026, 1, 1))
    assert "vacant_since" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        f.position("Network Engineer", team, None, vacant_since=None)
    assert "vacant_since" in refused.value.message_dict
    filled = f.position("Systems Administrator", team, pat)
    assert not filled.vacant


@pytest.mark.django_db
def test_embedded_positions_and_teams_name_their_department(departments):
    team = f.team("Sheriff's IT", departments["FIN"], placement="embedded")
    with pytest.raises(ValidationError) as refused:
        f.position("Technician", team, placement="embedded", owner_department=None)
    assert "owner_department" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        f.team("Somewhere", None, placement="embedded")
    assert "owner_department" in refused.value.message_dict


@pytest.mark.django_db
def test_reporting_lines_may_not_loop():
    team = f.team("IT")
    cio = f.position("CIO", team)
    manager = f.position("Manager", team, reports_to=cio)
    analyst = f.position("Analyst", team, reports_to=manager)
    with context.acting("system"), pytest.raises(ValidationError) as refused:
        services.update(context.SYSTEM, cio, {"reports_to": analyst}, version=cio.version)
    message = refused.value.message_dict["reports_to"][0]
    assert message == "These reporting lines make a loop: CIO → Analyst → Manager → CIO."
    with context.acting("system"), pytest.raises(ValidationError):
        services.update(context.SYSTEM, cio, {"reports_to": cio}, version=cio.version)


@pytest.mark.django_db
def test_teams_may_not_loop():
    top = f.team("IT")
    middle = f.team("Infrastructure", parent=top)
    with context.acting("system"), pytest.raises(ValidationError) as refused:
        services.update(context.SYSTEM, top, {"parent": middle}, version=top.version)
    assert "loop" in refused.value.message_dict["parent"][0]


@pytest.mark.django_db
def test_one_level_per_person_and_skill():
    pat = f.person("Pat")
    sql = f.skill("TECH-SQL")
    with context.acting("system"):
        services.create(context.SYSTEM, m.Proficiency, {"person": pat, "skill": sql, "level": 2})
        with pytest.raises(ValidationError):
            services.create(
                context.SYSTEM, m.Proficiency, {"person": pat, "skill": sql, "level": 3}
            )


class TestStaffRecordContract(ResourceContract):
    shared = True
    private = True
    model = m.StaffRecord
    readers = ("admin", "manager")
    editors = ("manager", "admin")

    def data(self, departments, n=1):
        return {
            "person": f.person(f"Staff {n}"),
            "retirement_eligible_on": datetime.date(2030, 1, 1) + datetime.timedelta(days=n),
            "annual_pay": "88000.00",
        }

    def invalid(self, departments):
        return [
            ("reviewed_on", lambda post: {**post, "performance_rating": "meets"}),
            ("annual_pay", lambda post: {**post, "annual_pay": "-1"}),
        ]


def _system(name: str):
    from townhall.continuity.tests import factories as cf

    with context.acting("system"):
        return cf.system(name)


def _component(name: str):
    from townhall.continuity.tests import factories as cf

    with context.acting("system"):
        return cf.component(name)


class TestTrainingPlanContract(ResourceContract):
    shared = True
    model = m.TrainingPlan

    def data(self, departments, n=1):
        return {
            "person": f.person(f"Trainee {n}"),
            "skill": f.skill(f"TRAIN-{n}"),
            "starting_level": 1,
            "target_level": 3,
            "due": datetime.date(2027, 3, 1) + datetime.timedelta(days=n),
            "status": "open",
        }

    def invalid(self, departments):
        def both(post):
            system, component = _system("CAD both"), _component("Server both")
            return {"system": system.pk, "component": component.pk}

        def unlinked(post):
            return {"system": _system("CAD unlinked").pk}

        def too_low(post):
            system = _system("CAD low")
            skill = f.skill(f"TRAIN-LOW-{system.pk}", systems=[system])
            return {"system": system.pk, "skill": skill.pk, "target_level": "2"}

        def unlinked_component(post):
            return {"component": _component("Server unlinked").pk}

        return [
            ("target_level", lambda post: {"starting_level": "3", "target_level": "2"}),
            ("target_level", lambda post: {"target_level": "5"}),
            ("component", both),
            ("skill", unlinked),
            ("skill", unlinked_component),
            ("target_level", too_low),
            ("met_on", lambda post: {"status": "met", "met_on": ""}),
            ("met_on", lambda post: {"status": "open", "met_on": "2026-01-01"}),
        ]


@pytest.mark.django_db
def test_a_plan_answering_a_system_trains_in_its_skill_to_level_three():
    cad = _system("CAD")
    platform = f.skill("TECH-CAD", systems=[cad])
    other = f.skill("TECH-OTHER")
    pat = f.person("Pat")
    values = {"person": pat, "system": cad, "due": datetime.date(2027, 1, 1)}
    with context.acting("system"):
        with pytest.raises(ValidationError) as refused:
            services.create(context.SYSTEM, m.TrainingPlan, {**values, "skill": other})
        assert "not among the skills it needs" in refused.value.message_dict["skill"][0]
        with pytest.raises(ValidationError) as refused:
            services.create(
                context.SYSTEM, m.TrainingPlan, {**values, "skill": platform, "target_level": 2}
            )
        assert "level 3 or more" in refused.value.message_dict["target_level"][0]
        plan = services.create(context.SYSTEM, m.TrainingPlan, {**values, "skill": platform})
        assert plan.target_level == 3
        # Without a system or component, any skill and level will do.
        services.create(
            context.SYSTEM,
            m.TrainingPlan,
            {"person": pat, "skill": other, "target_level": 2, "due": datetime.date(2027, 1, 1)},
        )


def _requisition(title="Network engineer", **values):
    with context.acting("system"):
        return services.create(
            context.SYSTEM,
            m.Requisition,
            {"title": title, "opened_on": datetime.date(2026, 1, 5), **values},
        )


class TestRequisitionContract(ResourceContract):
    model = m.Requisition

    def data(self, departments, n=1):
        return {
            "title": f"Analyst hire {n}",
            "kind": "regular",
            "stage": "requested",
            "openings": 1,
            "opened_on": datetime.date(2026, 1, 5),
        }

    def invalid(self, departments):
        return [
            # The stage is the stage buttons' (read-only on the form and the API): a new
            # requisition is requested, so a filled or cancelled day is refused.
            ("filled_on", lambda post: {"filled_on": "2026-02-01"}),
            ("closed_on", lambda post: {"closed_on": "2026-02-01"}),
            ("posted_on", lambda post: {"posted_on": "2025-12-01"}),
            (
                "offer_on",
                lambda post: {"posted_on": "2026-03-01", "offer_on": "2026-02-01"},
            ),
            ("interviewed", lambda post: {"applicants": "3", "interviewed": "5"}),
            ("openings", lambda post: {"openings": "0"}),
        ]


class TestDeclinedOfferContract(ResourceContract):
    shared = True
    model = m.DeclinedOffer

    def data(self, departments, n=1):
        return {
            "requisition": _requisition(f"Engineer {n}"),
            "declined_on": datetime.date(2026, 3, 1),
            "reason": "pay",
        }

    def invalid(self, departments):
        return [("reason", lambda post: {"reason": "bored"})]

    def changed(self, departments):
        return {"note": "Took a county job paying more"}


class TestMarketRateContract(ResourceContract):
    shared = True
    model = m.MarketRate

    def data(self, departments, n=1):
        return {
            "name": f"Kind of job {n}",
            "market_pay": "98000.00",
            "source": "Regional salary survey",
        }

    def invalid(self, departments):
        return [("market_pay", lambda post: {"market_pay": "0"})]
