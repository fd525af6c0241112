"""Capacity for governance: derived hours written into a budget cycle through its write
path, traced in the audit, read by the optimizer; the page and who may use it."""

import datetime

import pytest

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.governance import portfolio, presets
from townhall.governance import services as gov
from townhall.governance.models import BudgetCycle, Scenario, SkillPool
from townhall.people import services as people
from townhall.people.models import CapacityApplied, CapacitySettings
from townhall.people.tests import factories as f


@pytest.fixture
def pools(db):
    return {
        code: services.create(context.SYSTEM, SkillPool, {"name": name, "code": code})
        for code, name in (("apps", "Applications"), ("infra", "Infrastructure"), ("gis", "GIS"))
    }


@pytest.fixture
def cycle(users, pools):
    criteria_set = gov.load_preset(context.SYSTEM, presets.ORANGE_COUNTY_STYLE)
    return gov.open_cycle(
        context.SYSTEM,
        {
            "name": "FY2027",
            "first_year": 2027,
            "years": 2,
            "criteria_set": criteria_set,
            "capacities": {
                "apps": {"2026": 50, "2027": 4000, "2028": 4000},
                "gis": {"2027": 300, "2028": 300},
            },
        },
    )


@pytest.fixture
def staffed(pools, departments):
    apps = f.team("Applications")
    infra = f.team("Infrastructure", operations_share="0.80")
    desk = f.team("Desk", parent=infra)  # takes its unit's share
    f.position("Developer", apps, f.person("Ana"), skill_pool=pools["apps"])
    f.position("Analyst", apps, f.person("Bo"), skill_pool=pools["apps"], fte="0.50")
    f.position(
        "Engineer", infra, None, skill_pool=pools["infra"], fill_planned=datetime.date(2027, 7, 1)
    )
    f.position("Technician", desk, f.person("Cy"), skill_pool=pools["infra"])
    f.position("Unplanned", apps, None, skill_pool=pools["apps"])  # vacant, no date
    f.position("No pool", apps, f.person("Di"))
    return apps


def test_apply_writes_the_hours_and_the_optimizer_plans_with_them(users, cycle, staffed):
    staff = users["staff"]
    people.apply_capacity(staff, cycle, version=cycle.version)
    cycle.refresh_from_db()
    # apps: 1.5 FTE × 1720 × 0.4; infra: the technician 1720 × 0.2, the engineer from FY2028.
    assert cycle.capacities == {
        "apps": {"2026": 50, "2027": 1032, "2028": 1032},
        "infra": {"2027": 344, "2028": 688},
        "gis": {"2027": 300, "2028": 300},  # no position in it: left alone
    }
    scenario = services.create(context.SYSTEM, Scenario, {"cycle": cycle, "name": "Base"})
    problem = portfolio.build(scenario).problem
    assert problem["pools"]["apps"] == {"2027": 1032.0, "2028": 1032.0}
    assert problem["pools"]["infra"] == {"2027": 344.0, "2028": 688.0}

    applied = CapacityApplied.objects.get()
    assert applied.hours["infra"] == {"2027": 344, "2028": 688}
    assert applied.basis["hours_per_fte"] == 1720
    titles = {(p["title"], p["year"]) for p in applied.basis["positions"]}
    assert ("Engineer", 2028) in titles and ("Engineer", 2027) not in titles
    assert not any(t == "Unplanned" for t, _ in titles)
    entries = AuditEntry.objects.filter(object_id__in=[str(cycle.pk), str(applied.pk)])
    assert entries.filter(action="update").count() >= 1
    assert entries.filter(action="create").exists()


def test_settings_change_the_count(users, cycle, staffed):
    services.create(
        context.SYSTEM, CapacitySettings, {"hours_per_fte": 1600, "operations_share": "0.5"}
    )
    _, rows = people.capacity_rows(users["staff"], cycle)
    apps = {r.year: r.derived for r in rows if r.code == "apps"}
    assert apps == {2027: 1200, 2028: 1200}  # 1.5 × 1600 × 0.5


def test_a_stale_version_or_a_closed_cycle_writes_nothing(users, cycle, staffed):
    stale = cycle.version
    services.update(
        context.SYSTEM, cycle, {"intake_deadline": datetime.date(2026, 9, 1)}, version=None
    )
    cycle.refresh_from_db()
    with pytest.raises(services.ConflictError):
        people.apply_capacity(users["staff"], cycle, version=stale)
    assert not CapacityApplied.objects.exists()
    services.update(context.SYSTEM, cycle, {"status": BudgetCycle.Status.CLOSED}, version=None)
    cycle.refresh_from_db()
    with pytest.raises(people.CapacityRefused):
        people.apply_capacity(users["staff"], cycle, version=cycle.version)
    cycle.refresh_from_db()
    assert cycle.capacities["apps"]["2027"] == 4000


def test_only_it_staff_apply(users, cycle, staffed):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        people.apply_capacity(users["viewer"], cycle, version=cycle.version)


def test_page_shows_both_and_applies(
    client_for, users, cycle, staffed, django_assert_max_num_queries
):
    page = client_for("viewer").get(f"/people/capacity/?cycle={cycle.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "1032" in text and "4000" in text
    assert "Set FY2027" not in text  # viewers do not apply
    assert (
        client_for("viewer")
        .post("/people/capacity/apply/", {"cycle": cycle.pk, "version": cycle.version})
        .status_code
        == 403
    )

    staff = client_for("staff")
    stale = staff.post(
        "/people/capacity/apply/", {"cycle": cycle.pk, "version": cycle.version + 5}, follow=True
    )
    assert "changed FY2027 meanwhile" in stale.content.decode()
    done = staff.post(
        "/people/capacity/apply/", {"cycle": cycle.pk, "version": cycle.version}, follow=True
    )
    assert "now come from the people" in done.content.decode()
    cycle.refresh_from_db()
    assert cycle.capacities["apps"]["2027"] == 1032


@pytest.mark.parametrize("query", ["", "?cycle=abc", "?cycle=999999", "?cycle=-1"])
def test_page_answers_any_cycle(client_for, cycle, query):
    assert client_for("staff").get("/people/capacity/" + query).status_code == 200


def test_bad_apply_input_is_no_error(client_for, cycle):
    staff = client_for("staff")
    for data in ({}, {"cycle": "x", "version": "1"}, {"cycle": 999999, "version": 1}):
        assert staff.post("/people/capacity/apply/", data).status_code == 302


def test_settings_form(client_for, users):
    staff = client_for("staff")
    bad = staff.post("/people/capacity/", {"hours_per_fte": "1600", "operations_share": "1.5"})
    assert bad.status_code == 200 and "at most 1" in bad.content.decode()
    ok = staff.post("/people/capacity/", {"hours_per_fte": "1600", "operations_share": "0.55"})
    assert ok.status_code == 302
    row = CapacitySettings.objects.get()
    assert row.hours_per_fte == 1600
    again = staff.post(
        "/people/capacity/",
        {"hours_per_fte": "1500", "operations_share": "0.55", "version": row.version + 3},
    )
    assert "changed the settings meanwhile" in again.content.decode()
    assert client_for("viewer").post("/people/capacity/", {"hours_per_fte": "1"}).status_code == 403


def test_page_queries_do_not_grow_with_positions(
    client_for, cycle, pools, django_assert_max_num_queries
):
    team = f.team("Ops")
    client = client_for("staff")

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/people/capacity/?cycle={cycle.pk}").status_code == 200
        return len(ctx.captured_queries)

    f.position("One", team, f.person("P0"), skill_pool=pools["apps"])
    few = queries()
    for i in range(1, 15):
        f.position(f"More {i}", team, f.person(f"P{i}"), skill_pool=pools["infra"])
    assert queries() == few


def test_the_cycle_page_says_where_its_hours_came_from(client_for, users, cycle, staffed):
    page = client_for("board").get(cycle.get_absolute_url()).content.decode()
    assert "Staff hours from the people" in page
    assert "Not yet set from the positions" in page
    assert f"/people/capacity/?cycle={cycle.pk}" in page
    people.apply_capacity(users["staff"], cycle, version=cycle.version)
    page = client_for("board").get(cycle.get_absolute_url()).content.decode()
    assert "Last set from the positions in each skill pool on" in page
