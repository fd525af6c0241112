"""Succession and training plans: progress in plain Python, plans met when a level is
written through any door, and the plans on the key-person risk page, the "Who can run it"
panel and the calendar feed, in queries that do not grow with the plans."""

import datetime
import re
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.continuity.tests import factories as cf
from townhall.core import context, services
from townhall.estate.models import System
from townhall.people import panel, training, training_input
from townhall.people import services as people_services
from townhall.people.models import Proficiency, TrainingPlan
from townhall.people.tests import factories as f

DAY = datetime.date(2026, 6, 1)


def _plan(target=3, starting=1, due=DAY, status="open", pk=1):
    return training.Plan(pk, "pat", "cad", target, starting, due, status)


# --- the rules, in plain Python ------------------------------------------------------------


def test_progress_is_the_share_of_the_way_from_the_start_to_the_target():
    plan = _plan(target=4, starting=1)
    assert training.progress(plan, 1, DAY).share == 0
    assert training.progress(plan, 2, DAY).share == Fraction(1, 3)
    assert training.progress(plan, 2, DAY).percent == 33
    assert training.progress(plan, 3, DAY).share == Fraction(2, 3)
    done = training.progress(plan, 4, DAY)
    assert done.share == 1 and done.met and done.percent == 100


def test_no_level_recorded_counts_as_nothing_and_a_fall_below_the_start_as_no_progress():
    plan = _plan(target=3, starting=2)
    none = training.progress(plan, None, DAY)
    assert none.current == 0 and none.share == 0 and not none.met
    assert training.progress(_plan(target=3, starting=0), None, DAY).share == 0


def test_above_the_target_is_met_and_counts_as_all_the_way():
    progress = training.progress(_plan(target=3, starting=1), 4, DAY)
    assert progress.met and progress.share == 1 and not progress.overdue


def test_an_open_plan_past_its_day_and_not_met_is_overdue():
    late = _plan(due=DAY - datetime.timedelta(days=1))
    assert training.progress(late, 2, DAY).overdue
    assert not training.progress(_plan(due=DAY), 2, DAY).overdue  # due today: not yet
    assert not training.progress(late, 3, DAY).overdue  # met
    assert not training.progress(_plan(due=DAY.replace(year=2020), status="met"), 2, DAY).overdue
    assert not training.progress(
        _plan(due=DAY.replace(year=2020), status="cancelled"), 0, DAY
    ).overdue


def test_assess_and_now_met_read_the_levels_by_person_and_skill():
    plans = [
        _plan(pk=1),
        training.Plan(2, "bo", "cad", 3, 0, DAY),
        training.Plan(3, "cy", "erp", 2, 0, DAY, "met"),
        training.Plan(4, "pat", "erp", 4, 0, DAY),
    ]
    levels = {("pat", "cad"): 3, ("bo", "cad"): 1, ("cy", "erp"): 4, ("pat", "erp"): 3}
    assert [p.current for p in training.assess(plans, levels, DAY)] == [3, 1, 4, 3]
    assert training.now_met(plans, levels) == [1]  # plan 3 is met already


# --- records -------------------------------------------------------------------------------


def _level(person, skill, level):
    with context.acting("system"):
        existing = Proficiency.objects.filter(person=person, skill=skill).first()
        if existing is None:
            return services.create(
                context.SYSTEM, Proficiency, {"person": person, "skill": skill, "level": level}
            )
        return services.update(context.SYSTEM, existing, {"level": level}, version=existing.version)


def _critical(name):
    with context.acting("system"):
        return services.create(context.SYSTEM, System, {"name": name, "criticality": 1})


def _plan_for(person, skill, system, due, **values):
    with context.acting("system"):
        return services.create(
            context.SYSTEM,
            TrainingPlan,
            {"person": person, "skill": skill, "system": system, "due": due, **values},
        )


def _estate(n):
    """A critical CAD system one person (Ann) runs, a dispatch service on it, and Bo at
    level 2 with a plan to reach 3."""
    cad = _critical(f"CAD {n}")
    with context.acting("system"):
        dispatch = cf.service(f"911 dispatch {n}")
        cf.needs(dispatch, cad)
    skill = f.skill(f"TECH-CAD-{n}", f"CAD platform {n}", "technology", systems=[cad])
    ann, bo = f.person(f"Ann {n}"), f.person(f"Bo {n}")
    _level(ann, skill, 4)
    _level(bo, skill, 2)
    due = timezone.localdate() + datetime.timedelta(days=90)
    plan = _plan_for(bo, skill, cad, due, starting_level=1)
    return cad, skill, bo, plan


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _part(response, element_id: str, end: str = "</table>") -> str:
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    return _text(html[start : html.find(end, start)])


@pytest.mark.django_db
def test_meet_plans_moves_plans_whose_person_reached_the_level_with_history():
    cad, skill, bo, plan = _estate(1)
    with context.acting("system"):
        assert people_services.meet_plans(context.SYSTEM, DAY) == 0
    _level(bo, skill, 3)
    with context.acting("system"):
        assert people_services.meet_plans(context.SYSTEM, DAY) == 1
        assert people_services.meet_plans(context.SYSTEM, DAY) == 0
    plan.refresh_from_db()
    assert plan.status == "met" and plan.met_on == DAY and plan.version == 2
    from townhall.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(object_id=str(plan.pk)).order_by("-pk").first()
    assert "open → met" in entry.after["transition"]


@pytest.mark.django_db
def test_a_plan_its_rules_now_refuse_is_left_open_and_the_others_are_met():
    cad, skill, bo, plan = _estate(1)
    other = _plan_for(f.person("Di 1"), skill, None, plan.due)
    with context.acting("system"):
        services.update(context.SYSTEM, skill, {"systems": []}, version=skill.version)
    _level(bo, skill, 3)
    _level(other.person, skill, 3)
    with context.acting("system"):
        assert people_services.meet_plans(context.SYSTEM, DAY) == 1
    plan.refresh_from_db()
    other.refresh_from_db()
    assert plan.status == "open" and other.status == "met"


@pytest.mark.django_db
def test_raising_a_level_to_three_meets_the_plan_and_clears_the_flag(
    client_for, django_capture_on_commit_callbacks
):
    cad, skill, bo, plan = _estate(1)
    client = client_for("staff")
    flags = _part(client.get("/people/key-person-risk/"), "people-risk-flags")
    assert "CAD 1" in flags and "Bo 1 : CAD platform 1 to level 3" in flags
    assert "now at 2 (50% of the way)" in flags
    # Through the page, as a person would record it.
    level = Proficiency.objects.get(person=bo, skill=skill)
    # The test's own set-up never commits: forget what it asked for after a commit.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/people/proficiencies/{level.pk}/edit/",
            {
                "person": bo.pk,
                "skill": skill.pk,
                "level": 3,
                "version": level.version,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.status == "met" and plan.met_on == timezone.localdate()
    response = client.get("/people/key-person-risk/")
    assert "0 critical systems with fewer than two people" in _text(response.content.decode())
    assert 'id="people-risk-flags"' not in response.content.decode()
    panel_text = _text(client.get(f"/estate/systems/{cad.pk}/").content.decode())
    assert "Bus factor: 2" in panel_text


@pytest.mark.django_db
def test_the_risk_page_shows_plans_counts_systems_without_one_and_offers_to_add(client_for):
    cad, skill, bo, plan = _estate(1)
    bare = _critical("Records 1")
    f.skill("TECH-REC-1", "Records platform", "technology", systems=[bare])
    late = _plan_for(
        f.person("Cy 1"), skill, cad, timezone.localdate() - datetime.timedelta(days=3)
    )
    staff = client_for("staff").get("/people/key-person-risk/")
    text = _text(staff.content.decode())
    assert "1 of the flagged critical systems has no open training plan" in text
    flags = _part(staff, "people-risk-flags")
    assert "Cy 1 : CAD platform 1 to level 3" in flags and "overdue" in flags
    assert flags.count("overdue") == 1
    html = staff.content.decode()
    records = [s for s in System.objects.filter(name="Records 1")][0]
    link = f"/people/training-plans/add/?system={records.pk}&amp;skill="
    assert link in html and "No training plan" in flags
    # The link opens the add form with the system and skill chosen.
    form = (
        client_for("staff")
        .get(f"/people/training-plans/add/?system={cad.pk}&skill={skill.pk}")
        .content.decode()
    )
    assert re.search(rf'<option value="{cad.pk}"[^>]*selected', form)
    assert re.search(rf'<option value="{skill.pk}"[^>]*selected', form)
    # Readers who may not add plans see the plans, not the link.
    viewer = client_for("viewer").get("/people/key-person-risk/").content.decode()
    assert "Plan training" not in viewer and late.person.name in viewer


@pytest.mark.django_db
def test_the_panel_shows_the_plans_and_the_link(client_for):
    cad, skill, bo, plan = _estate(1)
    text = _text(client_for("staff").get(f"/estate/systems/{cad.pk}/").content.decode())
    assert "Training plans" in text and "Bo 1 : CAD platform 1 to level 3" in text
    assert "Plan training" in text
    with context.acting("system"):
        server = cf.component("Server 1")
    text = _text(client_for("viewer").get(f"/estate/components/{server.pk}/").content.decode())
    assert "No open training plan answers this component" in text


@pytest.mark.django_db
def test_the_page_and_panel_queries_do_not_grow_with_plans(client_for):
    cad, skill, bo, plan = _estate(1)
    client = client_for("staff")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    page, system = "/people/key-person-risk/", f"/estate/systems/{cad.pk}/"
    queries(page)
    queries(system)
    few_page, few_panel = queries(page), queries(system)
    due = timezone.localdate() + datetime.timedelta(days=200)
    for n in range(2, 6):
        extra = f.person(f"Extra {n}")
        _level(extra, skill, 1)
        _plan_for(extra, skill, cad, due)
    assert queries(system) == few_panel
    for n in range(2, 5):
        _estate(n)
    assert queries(page) == few_page


@pytest.mark.django_db
def test_the_feeder_reads_in_two_queries_and_only_what_the_reader_may_see(users):
    cad, skill, bo, plan = _estate(1)
    with CaptureQueriesContext(connection) as captured:
        shown = training_input.plans(users["viewer"])
    assert len(captured.captured_queries) == 2
    assert [(s.person, s.progress.current) for s in shown] == [("Bo 1", 2)]
    assert shown[0].answers == ("system", cad.pk)


@pytest.mark.django_db
def test_open_plans_go_to_the_calendar_feed(users):
    cad, skill, bo, plan = _estate(1)
    today = timezone.localdate()
    events = panel.training_events(
        users["viewer"], today, today + datetime.timedelta(days=365), "https://th.example"
    )
    assert [e.day for e in events] == [plan.due]
    assert "Training due: Bo 1 to level 3 in CAD platform 1" == events[0].summary
    assert events[0].url == f"https://th.example/people/training-plans/{plan.pk}/"
