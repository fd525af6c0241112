"""The replacement forecast, schedule and proposals in the app, on a small hand-made estate.

On 1 December 2026 with a July fiscal year, the forecast runs FY2027–FY2031:

- srv-a (Public Works, server R740, support ends March 2027): FY2027, 10,000 from the R740 price;
- srv-b (Public Works, server R740, support ended January 2026): past due, counted in FY2027;
- sw-1 (Finance, two network devices installed August 2021, 7-year life): FY2029, 4,000 each
  from the kind's price;
- fw (Finance, firewall, support ends February 2028, own replacement cost 7,000): FY2028;
- radio (no date at all): without a date; old (retired): left out.

Permits stands on the Permit app, which runs on srv-a, and on fw directly.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.core import context, services
from townhall.estate.models import Component, Dependency, RedundancyGroup, Service, System, Vendor
from townhall.foundation import forecast_input, renewals, schedule_run
from townhall.foundation.models import (
    CapitalCap,
    Renewal,
    ReplacementSettings,
    ServiceLife,
    UnitCost,
)
from townhall.governance import presets
from townhall.governance import services as gov
from townhall.governance.models import BudgetCycle, Proposal
from townhall.jobs.models import Job

D = datetime.date
TODAY = D(2026, 12, 1)


def create(model, **values):
    return services.create(context.SYSTEM, model, values)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def estate(departments, today) -> dict:
    pw, fin = departments["PW"], departments["FIN"]
    create(ReplacementSettings, inflation_percent=Decimal(10), horizon=5, start_month=7)
    create(ServiceLife, kind="network_device", years=7)
    create(UnitCost, kind="server", model_number="R740", capital=10000, operating=500)
    create(UnitCost, kind="server", capital=99999)  # the model's price wins over this
    create(UnitCost, kind="network_device", capital=4000, operating=-100)
    items = {
        "srv-a": create(
            Component,
            name="srv-a",
            kind="server",
            model_number="R740",
            owner_department=pw,
            end_of_support=D(2027, 3, 1),
        ),
        "srv-b": create(
            Component,
            name="srv-b",
            kind="server",
            model_number="R740",
            owner_department=pw,
            end_of_support=D(2026, 1, 1),
        ),
        "sw-1": create(
            Component,
            name="sw-1",
            kind="network_device",
            owner_department=fin,
            quantity=2,
            install_date=D(2021, 8, 1),
        ),
        "fw": create(
            Component,
            name="fw",
            kind="firewall",
            owner_department=fin,
            end_of_support=D(2028, 2, 1),
            replacement_cost=Decimal(7000),
        ),
        "radio": create(Component, name="radio", kind="radio_system"),
        "old": create(
            Component,
            name="old",
            kind="server",
            status="retired",
            end_of_support=D(2026, 1, 1),
        ),
    }
    permits = create(Service, name="Permits", owner_department=pw)
    app = create(System, name="Permit app", owner_department=pw)
    create(Dependency, from_service=permits, to_system=app)
    create(Dependency, from_system=app, to_component=items["srv-a"])
    create(Dependency, from_service=permits, to_component=items["fw"])
    return items


@pytest.fixture
def cycle(users) -> BudgetCycle:
    criteria_set = gov.load_preset(context.SYSTEM, presets.ORANGE_COUNTY_STYLE)
    return gov.open_cycle(
        context.SYSTEM,
        {
            "name": "FY2027",
            "first_year": 2027,
            "years": 3,
            "criteria_set": criteria_set,
            "status": BudgetCycle.Status.SCORING,
        },
    )


def test_the_forecast_input_reads_the_estate_in_a_fixed_number_of_queries(estate, users):
    with CaptureQueriesContext(connection) as small:
        forecast_input.estate(users["staff"], TODAY)
    service = Service.objects.get(name="Permits")
    app = System.objects.get(name="Permit app")
    pair = create(RedundancyGroup, name="pair", components=[estate["srv-a"], estate["srv-b"]])
    for n in range(30):
        extra = create(Component, name=f"extra-{n}", kind="server", end_of_support=D(2028, 1, 1))
        system = create(System, name=f"app-{n}", end_of_support=D(2029, 1, 1))
        create(Dependency, from_system=system, to_component=extra)
        create(Dependency, from_system=system, to_system=app)
        create(Dependency, from_system=system, to_group=pair)
        create(Dependency, from_component=extra, to_component=estate["srv-a"])
        create(Dependency, from_service=service, to_system=system)
    create(Dependency, from_service=service, to_group=pair)
    with CaptureQueriesContext(connection) as large:
        found = forecast_input.estate(users["staff"], TODAY)
    assert len(found.items) == 65  # the retired one, and the app without a date, left out
    assert len(large) == len(small) == 10


def test_a_service_reaches_components_through_redundancy_groups(estate, users):
    """Records depends on a group of srv-b and the radio, and on a group of the Ledger and
    Permit app systems; Ledger depends on a group of sw-1 and fw. Every member counts, as
    in continuity's graph, and so do the components a system reached so runs on."""
    records = create(Service, name="Records")
    app = System.objects.get(name="Permit app")
    ledger = create(System, name="Ledger", end_of_support=D(2028, 6, 1))
    db = create(RedundancyGroup, name="db", components=[estate["srv-b"], estate["radio"]])
    apps = create(RedundancyGroup, name="apps", systems=[ledger, app])
    net = create(RedundancyGroup, name="net", components=[estate["sw-1"], estate["fw"]])
    create(Dependency, from_service=records, to_group=db)
    create(Dependency, from_service=records, to_group=apps)
    create(Dependency, from_system=ledger, to_group=net)
    found = forecast_input.estate(users["staff"], TODAY)
    services_of = {found.names[i.id]: i.services for i in found.items}
    assert services_of == {
        "srv-a": ("Permits", "Records"),
        "srv-b": ("Records",),
        "sw-1": ("Records",),
        "fw": ("Permits", "Records"),
        "radio": ("Records",),
        "Ledger": ("Records",),
    }


def test_a_system_without_an_end_of_support_is_due_at_its_go_live_plus_its_life(estate, users):
    """The "system" expected service life (10 years unless IT staff set it) counts from the
    go-live date, as a component's from its install date."""
    app = System.objects.get(name="Permit app")
    services.update(context.SYSTEM, app, {"go_live": D(2018, 3, 1)}, version=app.version)
    key = forecast_input.system_id(app.pk)
    found = {i.id: i for i in forecast_input.estate(users["staff"], TODAY).items}
    assert found[key].end_of_life == D(2028, 3, 1)
    create(ServiceLife, kind="system", years=12)
    found = {i.id: i for i in forecast_input.estate(users["staff"], TODAY).items}
    assert found[key].end_of_life == D(2030, 3, 1)


def test_the_forecast_page_shows_each_years_figures(estate, client_for):
    response = client_for("viewer").get("/foundation/forecast/")
    assert response.status_code == 200
    years = {y["year"]: y for y in response.context["years"]}
    assert list(years) == [2027, 2028, 2029, 2030, 2031]
    fy27, fy28, fy29 = years[2027]["totals"], years[2028]["totals"], years[2029]["totals"]
    assert (fy27.items, fy27.capital, fy27.operating) == (2, 20000, 1000)
    assert years[2027]["past_due"] == 1
    assert fy28.capital == pytest.approx(7700)  # own price, one year of 10 %
    assert (fy29.quantity, fy29.capital) == (2, pytest.approx(9680))
    assert fy29.operating == pytest.approx(-242)
    assert dict(years[2027]["departments"])["Public Works"].capital == 20000
    by_service = dict(years[2027]["services"])
    assert by_service["Permits"].capital == 10000 and by_service[""].capital == 10000
    assert dict(years[2028]["services"])["Permits"].items == 1
    assert response.context["without_date"] == 1
    assert b"srv-a" in response.content and b"Propose" not in response.content  # viewer


def test_the_forecast_csv_is_safe_in_a_spreadsheet(estate, client_for, departments):
    services.update(context.SYSTEM, departments["FIN"], {"name": "=HYPERLINK(1)"}, version=None)
    response = client_for("staff").get("/foundation/forecast.csv")
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/csv"
    assert "2027,All,All,2,2,20000.0,0.0,20000.0,1000.0,0.0,1000.0,0" in text
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


def test_the_schedule_job_solves_the_small_estate(estate, client_for):
    # No inflation, to work the answer by hand. Servers (20,000, due 2027, two of them) do
    # not fit 2027's cap; 2028 takes them, the firewall (7,000) moves up into 2027 and the
    # switches (8,000, due 2029, whose cap is 0) wait until 2030: risk 2 + 0 + 1 = 3.
    settings = ReplacementSettings.objects.get()
    services.update(context.SYSTEM, settings, {"inflation_percent": 0}, version=None)
    client = client_for("staff")
    page = client.get("/foundation/schedule/")
    assert page.context["missing_caps"] == [2027, 2028, 2029, 2030, 2031]
    for year, amount in {2027: 10000, 2028: 25000, 2029: 0, 2030: 10000, 2031: 0}.items():
        create(CapitalCap, fiscal_year=year, amount=amount)
    response = client.post("/foundation/schedule/run/")
    job = Job.objects.get(kind=schedule_run.JOB_KIND)
    assert job.status == Job.Status.DONE, job.message
    result = schedule_run.latest().result
    labels = {u["id"]: u["label"] for u in result["units"]}
    years = {labels[k]: v for k, v in result["plan"]["years"].items()}
    assert years == {
        "1 × Firewall, Finance, due FY2028": 2027,
        "1 × Network device, Finance, due FY2029": 2030,
        "2 × R740, Public Works, due FY2027": 2028,
    }
    assert result["status"] == "optimal" and result["plan"]["total_risk"] == 3
    assert result["when_due"]["over_caps"] == {"2027": 10000, "2029": 8000}
    assert result["defer_all"]["total_risk"] == 10 + 4 + 3
    page = client.get("/foundation/schedule/")
    assert response.status_code == 302 and page.status_code == 200
    assert len(page.context["moves"]) == 3
    assert b"Proven optimal" in page.content


def test_a_mission_essential_service_weighs_its_components_more(estate, client_for):
    """Permits made mission-essential: srv-a (under the Permit app) and fw (directly) weigh
    3 each. The plan stays the one worked out above; its risk is now 4 × 1 (the servers,
    3 + 1, a year late) + 1 (the switches) = 5; deferring all: 4 × 5 + 3 × 4 + 1 × 3 = 35."""
    from townhall.continuity.tests import factories as f

    f.impact(Service.objects.get(name="Permits"), rto_hours=24, mission_essential=True)
    settings = ReplacementSettings.objects.get()
    services.update(context.SYSTEM, settings, {"inflation_percent": 0}, version=None)
    for year, amount in {2027: 10000, 2028: 25000, 2029: 0, 2030: 10000, 2031: 0}.items():
        create(CapitalCap, fiscal_year=year, amount=amount)
    client_for("staff").post("/foundation/schedule/run/")
    result = schedule_run.latest().result
    weights = {u["label"]: u["weight"] for u in result["units"]}
    assert weights == {
        "1 × Firewall, Finance, due FY2028": 3,
        "1 × Network device, Finance, due FY2029": 1,
        "2 × R740, Public Works, due FY2027": 4,
    }
    assert result["plan"]["total_risk"] == 5
    assert result["defer_all"]["total_risk"] == 35


def test_the_schedule_job_names_the_years_without_a_cap(estate, client_for):
    client_for("staff").post("/foundation/schedule/run/")
    job = Job.objects.get(kind=schedule_run.JOB_KIND)
    assert job.status == Job.Status.FAILED
    assert "No capital cap for FY2027, FY2028" in job.message


def test_a_years_replacements_become_a_proposal_covered_once_funded(estate, cycle, users):
    staff = users["staff"]
    draft = renewals.draft(staff, TODAY, year=2027)
    assert sorted(draft.item_ids) == sorted([str(estate["srv-a"].pk), str(estate["srv-b"].pk)])
    proposal = renewals.propose(
        staff,
        TODAY,
        draft.item_ids,
        cycle=cycle,
        department=estate["srv-a"].owner_department,
        title="Replace the R740s",
    )
    assert proposal.kind == Proposal.Kind.RENEWAL and proposal.status == Proposal.Status.DRAFT
    assert (proposal.earliest_start, proposal.capital_costs) == (2027, [20000.0])
    assert proposal.recurring_operating == Decimal(1000)
    renewal = Renewal.objects.get(proposal=proposal)
    assert set(renewal.components.all()) == {estate["srv-a"], estate["srv-b"]}
    assert set(proposal.replaces_components.all()) == {estate["srv-a"], estate["srv-b"]}
    # Not funded yet: nothing is covered.
    result, *_ = forecast_input.build(staff, TODAY)
    assert result.year(2027).totals.covered_capital == 0
    for step in ("submitted", "under_review"):
        gov.move(staff, proposal, step)
    services.update(
        context.SYSTEM, proposal, {"mandated": True, "mandate": "State law"}, version=None
    )
    gov.move(staff, proposal, "approved", "Funded", decision={"rationale": "Funded in FY2027"})
    result, *_ = forecast_input.build(staff, TODAY)
    assert result.year(2027).totals.covered_capital == 20000
    assert result.year(2027).totals.uncovered_capital == 0
    # Already funded components are not proposed twice.
    with pytest.raises(ValidationError, match="srv-a: already funded"):
        renewals.propose(
            staff, TODAY, [str(estate["srv-a"].pk)], cycle=cycle, department=None, title="Again"
        )


def test_chosen_components_become_a_proposal_from_the_page(estate, cycle, client_for, departments):
    client = client_for("staff")
    ids = [estate["fw"].pk, estate["sw-1"].pk]
    page = client.get("/foundation/forecast/propose/", {"item": ids})
    assert page.status_code == 200 and page.context["form"]["department"].initial.name == "Finance"
    response = client.post(
        "/foundation/forecast/propose/",
        {
            "item": ids,
            "cycle": cycle.pk,
            "department": departments["FIN"].pk,
            "title": "Finance gear",
        },
    )
    proposal = Proposal.objects.get(title="Finance gear")
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    # Starts in FY2028 (the firewall's year): firewall 7,000 and switches 8,000, one year of 10 %.
    assert proposal.earliest_start == 2028
    assert proposal.capital_costs == [pytest.approx(16500)]
    assert proposal.recurring_operating == 0  # the switches get cheaper to run: nothing added
    detail = client.get(proposal.get_absolute_url())
    assert b"Renews 2 foundation items" in detail.content and b"sw-1" in detail.content


def test_a_proposal_outside_the_cycle_is_refused_with_the_reason(
    estate, cycle, client_for, departments
):
    # The cycle plans FY2027–2029; nothing is created for a start it does not plan.
    later = create(
        Component, name="late", kind="firewall", end_of_support=D(2030, 9, 1), replacement_cost=1
    )
    response = client_for("staff").post(
        "/foundation/forecast/propose/",
        {
            "item": [later.pk],
            "cycle": cycle.pk,
            "department": departments["FIN"].pk,
            "title": "Late",
        },
    )
    assert response.status_code == 200
    assert "earliest start" in str(response.context["form"].non_field_errors())
    assert not Proposal.objects.filter(title="Late").exists() and not Renewal.objects.exists()


@pytest.mark.parametrize("role", ["liaison", "viewer", "board"])
def test_only_it_staff_propose_or_schedule(estate, cycle, client_for, users, departments, role):
    client = client_for(role)
    assert client.get("/foundation/forecast/propose/", {"year": 2027}).status_code == 403
    response = client.post(
        "/foundation/forecast/propose/",
        {"year": 2027, "cycle": cycle.pk, "department": departments["PW"].pk, "title": "X"},
    )
    assert response.status_code == 403
    assert client.post("/foundation/schedule/run/").status_code == 403
    with pytest.raises(PermissionDenied):
        renewals.propose(
            users[role],
            TODAY,
            [str(estate["srv-a"].pk)],
            cycle=cycle,
            department=departments["PW"],
            title="X",
        )
    assert not Proposal.objects.exists()


def test_the_settings_page_is_read_by_all_and_changed_by_it_staff(estate, client_for):
    viewer = client_for("viewer")
    assert viewer.get("/foundation/replacement-settings/").status_code == 200
    assert viewer.post("/foundation/replacement-settings/", {"horizon": 7}).status_code == 403
    row = ReplacementSettings.objects.get()
    staff = client_for("staff")
    refused = staff.post(
        "/foundation/replacement-settings/",
        {"inflation_percent": 2, "horizon": 11, "start_month": 7, "version": row.version},
    )
    assert refused.status_code == 200 and "horizon" in refused.context["form"].errors
    saved = staff.post(
        "/foundation/replacement-settings/",
        {"inflation_percent": 2, "horizon": 7, "start_month": 1, "version": row.version},
    )
    assert saved.status_code == 302
    assert forecast_input.settings() == forecast_input.Settings(0.02, 7, 1)
    years = client_for("viewer").get("/foundation/forecast/").context["years"]
    assert [y["year"] for y in years] == list(range(2026, 2033))  # calendar years from 2026


# Systems in the forecast, prerequisites in the schedule, and systems in renewals.


def test_a_system_with_an_end_of_support_is_forecast_under_its_services(estate, users, client_for):
    """The Permit app's support ends in September 2029: FY2030, under Public Works and
    Permits (which depends on it directly), without a price. A retired system, and one
    without an end of support, are left out."""
    app = System.objects.get(name="Permit app")
    services.update(context.SYSTEM, app, {"end_of_support": D(2029, 9, 1)}, version=None)
    create(System, name="gone", lifecycle="retired", end_of_support=D(2027, 1, 1))
    create(System, name="undated")
    result, found, *_ = forecast_input.build(users["staff"], TODAY)
    key = forecast_input.system_id(app.pk)
    year = result.year(2030)
    assert year.due == [key] and found.names[key] == "Permit app"
    assert {k for k, t in year.by_department.items() if t.items} == {"Public Works"}
    assert {k for k, t in year.by_service.items() if t.items} == {"Permits"}
    assert year.without_cost == [key] and year.totals.capital == 0
    assert not any(n in found.names.values() for n in ("gone", "undated"))
    page = client_for("viewer").get("/foundation/forecast/")
    listed = {i["name"]: i for y in page.context["years"] for i in y["items"]}
    assert listed["Permit app"]["url"] == app.get_absolute_url()
    assert listed["Permit app"]["system"] and listed["Permit app"]["without_cost"]
    assert page.context["systems_without_cost"] == 1
    assert b"Permit app</a> (system) \xc2\xb7 no price" in page.content


@pytest.fixture
def rack(departments, today) -> dict:
    """A storage array (10,000, due FY2028) and two R650 servers on it (5,000 each, due
    FY2027), no inflation, caps of 10,000 in FY2027 and FY2028 and none after."""
    pw = departments["PW"]
    create(ReplacementSettings, inflation_percent=0, horizon=5, start_month=7)
    san = create(
        Component,
        name="san",
        kind="storage",
        owner_department=pw,
        end_of_support=D(2028, 3, 1),
        replacement_cost=Decimal(10000),
    )
    hosts = [
        create(
            Component,
            name=f"h{n}",
            kind="server",
            model_number="R650",
            owner_department=pw,
            end_of_support=D(2027, 3, 1),
            replacement_cost=Decimal(5000),
        )
        for n in (1, 2)
    ]
    for host in hosts:
        create(Dependency, from_component=host, to_component=san)
    for year, amount in {2027: 10000, 2028: 10000, 2029: 0, 2030: 0, 2031: 0}.items():
        create(CapitalCap, fiscal_year=year, amount=amount)
    return {"san": san, "hosts": hosts}


def test_the_storage_is_replaced_no_later_than_the_servers_on_it(rack, client_for):
    """Alone, the servers (weight 2, due FY2027) would take FY2027's cap and the storage
    FY2028's, at no risk. The servers run on the storage, so the storage goes first: in
    FY2027, a year early, and the servers in FY2028, a year late each: risk 2."""
    client = client_for("staff")
    client.post("/foundation/schedule/run/")
    job = Job.objects.get(kind=schedule_run.JOB_KIND)
    assert job.status == Job.Status.DONE, job.message
    result = schedule_run.latest().result
    by_label = {u["label"]: u for u in result["units"]}
    servers = by_label["2 × R650, Public Works, due FY2027"]
    storage = by_label["1 × Storage, Public Works, due FY2028"]
    assert servers["prerequisites"] == [storage["id"]] and storage["prerequisites"] == []
    years = result["plan"]["years"]
    assert (years[storage["id"]], years[servers["id"]]) == (2027, 2028)
    assert result["plan"]["total_risk"] == 2 and result["dropped"] == []
    page = client.get("/foundation/schedule/")
    waits, dropped = page.context["prerequisites"]
    assert waits == [
        {
            "label": "2 × R650, Public Works, due FY2027",
            "year": 2028,
            "needs": [("1 × Storage, Public Works, due FY2028", 2027)],
        }
    ]
    assert dropped == [] and b"Runs on (replaced the same year or before)" in page.content


def test_a_system_is_a_unit_waiting_on_the_servers_it_runs_on(rack, users):
    """The permit system (support ends June 2027: FY2027) runs on h1: the servers' unit is
    its prerequisite, and the storage's the servers'."""
    app = create(System, name="Permits app", end_of_support=D(2027, 6, 1))
    create(Dependency, from_system=app, to_component=rack["hosts"][0])
    result, found, costs, _ = forecast_input.build(users["staff"], TODAY)
    units, info, dropped = forecast_input.units(result, found, costs)
    by_label = {info[u.id].label: u for u in units}
    system = by_label["System Permits app, no department, due FY2027"]
    servers = by_label["2 × R650, Public Works, due FY2027"]
    storage = by_label["1 × Storage, Public Works, due FY2028"]
    assert system.prerequisites == (servers.id,) and system.cost == 0
    assert servers.prerequisites == (storage.id,) and dropped == []


def test_a_cycle_of_dependencies_drops_the_closing_link_and_says_so(rack, client_for):
    """The storage made to depend on h2 too: storage and servers wait on each other. The
    link read first (by unit number) stays, the other is dropped and named; the job runs."""
    create(Dependency, from_component=rack["san"], to_component=rack["hosts"][1])
    client = client_for("staff")
    client.post("/foundation/schedule/run/")
    job = Job.objects.get(kind=schedule_run.JOB_KIND)
    assert job.status == Job.Status.DONE, job.message
    result = schedule_run.latest().result
    ids = {u["label"]: u["id"] for u in result["units"]}
    servers, storage = (
        ids["2 × R650, Public Works, due FY2027"],
        ids["1 × Storage, Public Works, due FY2028"],
    )
    assert (servers, storage) == ("U1", "U2")
    assert result["dropped"] == [[storage, servers]]
    page = client.get("/foundation/schedule/")
    assert page.status_code == 200
    assert page.context["prerequisites"][1] == [
        ("1 × Storage, Public Works, due FY2028", "2 × R650, Public Works, due FY2027")
    ]
    assert b"1 link was left out" in page.content


def test_acyclic_keeps_links_in_order_and_drops_each_closing_a_cycle():
    kept, dropped = forecast_input.acyclic(
        [("U1", "U2"), ("U2", "U3"), ("U3", "U1"), ("U1", "U3"), ("U4", "U4")]
    )
    assert kept == {"U1": ["U2", "U3"], "U2": ["U3"]}
    assert dropped == [("U3", "U1"), ("U4", "U4")]


def test_a_proposal_renews_a_system_covered_once_funded(estate, cycle, users, client_for):
    """The Permit app (support ends March 2028: FY2028) proposed with the firewall (7,000,
    FY2028, 7,700 with a year of inflation): the renewal links both; once funded the
    forecast shows the app as covered."""
    staff = users["staff"]
    app = System.objects.get(name="Permit app")
    services.update(context.SYSTEM, app, {"end_of_support": D(2028, 3, 1)}, version=None)
    key = forecast_input.system_id(app.pk)
    client = client_for("staff")
    page = client.get("/foundation/forecast/propose/", {"item": [key, estate["fw"].pk]})
    assert page.status_code == 200
    assert page.context["form"]["title"].initial == (
        "Replace 2 components and systems chosen from the forecast"
    )
    proposal = renewals.propose(
        staff,
        TODAY,
        [key, str(estate["fw"].pk)],
        cycle=cycle,
        department=estate["fw"].owner_department,
        title="Permits",
    )
    renewal = Renewal.objects.get(proposal=proposal)
    assert list(renewal.systems.all()) == [app]
    assert list(renewal.components.all()) == [estate["fw"]]
    assert list(proposal.replaces_systems.all()) == [app]
    # The firewall's 7,000 with a year of 10 %; the app has no price.
    assert proposal.capital_costs == [pytest.approx(7700)]
    assert "1 of them have no price recorded" in proposal.problem
    detail = client.get(proposal.get_absolute_url())
    assert b"Renews 2 foundation items" in detail.content
    assert b"Permit app</a> (system)" in detail.content
    for step in ("submitted", "under_review"):
        gov.move(staff, proposal, step)
    services.update(
        context.SYSTEM, proposal, {"mandated": True, "mandate": "State law"}, version=None
    )
    gov.move(staff, proposal, "approved", "Funded", decision={"rationale": "Funded in FY2028"})
    result, found, *_ = forecast_input.build(staff, TODAY)
    assert found.funded_by[key] == proposal.pk
    assert result.year(2028).totals.covered_capital == pytest.approx(7700)
    listed = {
        i["name"]: i
        for y in client.get("/foundation/forecast/").context["years"]
        for i in y["items"]
    }
    assert listed["Permit app"]["covered"]
    with pytest.raises(ValidationError, match="Permit app: already funded"):
        renewals.propose(staff, TODAY, [key], cycle=cycle, department=None, title="Again")


def test_a_plan_stored_before_prerequisites_still_shows(rack, client_for):
    """A plan kept before units had prerequisites (no key for them, no dropped links)."""
    client = client_for("staff")
    client.post("/foundation/schedule/run/")
    plan = schedule_run.latest()
    for unit in plan.result["units"]:
        del unit["prerequisites"]
    del plan.result["dropped"]
    services.update(context.SYSTEM, plan, {"result": plan.result}, version=None)
    page = client.get("/foundation/schedule/")
    assert page.status_code == 200 and page.context["prerequisites"] == ([], [])
    assert b"No group depends on another group" in page.content


def test_an_unknown_system_is_refused_by_name(estate, client_for):
    page = client_for("staff").get("/foundation/forecast/propose/", {"item": ["s999999", "sx"]})
    assert page.status_code == 200
    assert page.context["draft"].refused == ["system s999999: not found, or not yours to see"]


@pytest.mark.parametrize("change", ["component", "cost", "cap", "settings", "deleted"])
def test_a_schedule_says_when_the_estate_changed_since_it_was_solved(
    estate, client_for, change, django_assert_max_num_queries
):
    """A kept schedule is the answer for the estate as it was read: any later write to what
    it is worked out from (components, unit costs, caps, settings; a deletion too) marks it
    stale on its page, which asks to solve again. A write elsewhere does not."""
    for year in range(2027, 2032):
        create(CapitalCap, fiscal_year=year, amount=50000)
    client = client_for("staff")
    client.post("/foundation/schedule/run/")
    plan = schedule_run.latest()
    assert plan is not None and not schedule_run.stale(plan)
    warning = "The estate changed since this schedule was solved; solve again."
    assert warning not in client.get("/foundation/schedule/").content.decode()
    create(Vendor, name="A vendor the schedule does not read")
    assert not schedule_run.stale(plan)

    if change == "component":
        services.update(context.SYSTEM, estate["sw-1"], {"quantity": 3}, version=None)
    elif change == "cost":
        cost = UnitCost.objects.get(kind="network_device")
        services.update(context.SYSTEM, cost, {"capital": 5000}, version=None)
    elif change == "cap":
        cap = CapitalCap.objects.get(fiscal_year=2028)
        services.update(context.SYSTEM, cap, {"amount": 1000}, version=None)
    elif change == "settings":
        settings = ReplacementSettings.objects.get()
        services.update(context.SYSTEM, settings, {"inflation_percent": 3}, version=None)
    else:
        services.delete(context.SYSTEM, estate["radio"])
    with django_assert_max_num_queries(2):  # the content types are cached after the first
        assert schedule_run.stale(plan)
    page = client.get("/foundation/schedule/")
    assert page.context["stale"] and warning in page.content.decode()
    client.post("/foundation/schedule/run/")
    assert not schedule_run.stale(schedule_run.latest())


def test_the_brief_and_the_forecast_page_agree_on_an_estate_with_a_system(
    estate, users, client_for
):
    """With the Permit app's support ending in September 2029 (FY2030, no price), the brief
    counts it in its year as the page does: the same items, capital and items without a
    price, year by year, and the same five-year capital."""
    from townhall.foundation import brief

    app = System.objects.get(name="Permit app")
    services.update(context.SYSTEM, app, {"end_of_support": D(2029, 9, 1)}, version=None)
    page = client_for("viewer").get("/foundation/forecast/")
    shown = [
        (y["year"], y["totals"].items, round(y["totals"].capital), y["without_cost"])
        for y in page.context["years"]
    ]
    data = brief.facts(users["viewer"], TODAY)
    said = [(y["year"], y["items"], y["capital"], y["without_cost"]) for y in data["years"]]
    assert said == shown
    assert shown[3] == (2030, 1, 0, 1)
    assert data["total_capital"] == round(sum(y["totals"].capital for y in page.context["years"]))
    assert data["without_cost"] == len(page.context["forecast"].without_cost) == 1
    text = " ".join(t for _, paragraphs in brief.sections(data) for _, t in paragraphs)
    assert "FY2030: $0 for 1 system; 1 has no cost recorded." in text
    assert "1 system without a replacement cost recorded (the estate records none for a" in text


def test_a_department_shows_where_it_has_items_or_a_running_operating_change(estate, client_for):
    """Parks' UPS (own cost 300, no operating change) is due in FY2027 and nothing after:
    Parks has a row in FY2027 only. FY2028: the firewall (Finance, 7,700 with a year of
    inflation, no operating change) is due; Public Works has nothing due but still pays the
    servers' 1,000 a year from FY2027, 1,100 with inflation: its row shows that cost."""
    from townhall.org.models import Department

    parks = create(Department, name="Parks", code="PRK")
    create(
        Component,
        name="ups",
        kind="other",
        owner_department=parks,
        end_of_support=D(2027, 5, 1),
        replacement_cost=Decimal(300),
    )
    page = client_for("viewer").get("/foundation/forecast/")
    years = {y["year"]: y for y in page.context["years"]}
    assert [name for name, _ in years[2027]["departments"]] == ["Public Works", "Parks"]
    rows = [
        (name, t.items, round(t.capital), round(t.running_operating))
        for name, t in years[2028]["departments"]
    ]
    assert rows == [("Finance", 1, 7700, 0), ("Public Works", 0, 0, 1100)]
    assert not any("Parks" in dict(years[y]["departments"]) for y in range(2028, 2032))
    assert (
        b'<th scope="row">Public Works</th><td class="th-num">0</td><td class="th-num">$0</td>'
        b'<td class="th-num">$0</td><td class="th-num">$0</td><td class="th-num">$1,100</td>'
    ) in page.content


def test_a_year_with_nothing_due_shows_the_running_operating_change_it_carries(estate, client_for):
    """Nothing is due in FY2031, but the servers replaced in FY2027 and the switches in
    FY2029 still change its operating budget: its department and service tables show it."""
    page = client_for("viewer").get("/foundation/forecast/")
    years = {y["year"]: y for y in page.context["years"]}
    assert years[2031]["totals"].items == 0 and years[2031]["departments"]
    text = page.content.decode()
    section = text[text.index('<h2 id="fy-2031">') :]
    assert "FY2031 by department" in section and "FY2031 by service" in section
    assert "Nothing is due this year." in section
    assert "The components and systems due in FY2031" not in section


def test_a_unit_waits_on_the_groups_members_and_the_systems_it_depends_on(rack, users):
    """Beside the rack: the Portal system (support ends June 2027: FY2027) depends on the
    Identity system (June 2028: FY2028) and on a web pair, a redundancy group of w1 and w2
    (two R640, FY2029) and w3 (support ends in 2040, after the horizon). h1 depends on the
    pair too. Units, numbered in order of kind, model, department and year: U1 the R640s,
    U2 the R650s, U3 the storage, U4 Portal, U5 Identity. Portal waits on the pair's unit
    and on Identity's; the servers on the storage and on the pair's unit (w3, due after the
    horizon, is in no unit); Identity, the storage and the pair wait on nothing."""
    from townhall.continuity.tests import factories as f

    pw = rack["san"].owner_department
    web = [
        create(
            Component,
            name=name,
            kind="server",
            model_number="R640",
            owner_department=pw,
            end_of_support=eos,
            replacement_cost=Decimal(4000),
        )
        for name, eos in (("w1", D(2029, 3, 1)), ("w2", D(2029, 3, 1)), ("w3", D(2040, 1, 1)))
    ]
    pair = f.group("web pair", *web)
    portal = create(System, name="Portal", end_of_support=D(2027, 6, 1))
    identity = create(System, name="Identity", end_of_support=D(2028, 6, 1))
    create(Dependency, from_system=portal, to_system=identity)
    create(Dependency, from_system=portal, to_group=pair)
    create(Dependency, from_component=rack["hosts"][0], to_group=pair)
    result, found, costs, _ = forecast_input.build(users["staff"], TODAY)
    units, info, dropped = forecast_input.units(result, found, costs)
    waits = {info[u.id].label: [info[p].label for p in u.prerequisites] for u in units}
    assert waits == {
        "2 × R640, Public Works, due FY2029": [],
        "2 × R650, Public Works, due FY2027": [
            "2 × R640, Public Works, due FY2029",
            "1 × Storage, Public Works, due FY2028",
        ],
        "1 × Storage, Public Works, due FY2028": [],
        "System Portal, no department, due FY2027": [
            "2 × R640, Public Works, due FY2029",
            "System Identity, no department, due FY2028",
        ],
        "System Identity, no department, due FY2028": [],
    }
    assert dropped == []
    assert found.needs[forecast_input.system_id(portal.pk)] == {
        str(web[0].pk),
        str(web[1].pk),
        str(web[2].pk),
        forecast_input.system_id(identity.pk),
    }
