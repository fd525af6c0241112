"""Continuity on the estate's pages: a service's impact analysis, computed recovery time
against its RTO and latest exercise result; a system's or component's recovery
capability; single points of failure on the dependency page. All worked out by hand on
the small estate in `estate.py`:

    Payroll (RTO 8, mission-essential) → ERP (4 h) → SQL cluster (6 h) → SAN (12 h): 22 h.
    Permits (RTO 72) → Permit system (2 h) → SQL cluster: 20 h.
    Dispatch (RTO 1, mission-essential) → CAD server (unknown): at least 0 h.

So the loss of the SQL cluster or the SAN stops one mission-essential service (Payroll),
as does the loss of ERP; the CAD server's stops Dispatch; nothing Permits alone needs is
a single point of failure. The part of the estate below a few services, read in one query
(`subgraph`), gives the same answers as the whole-estate analysis.
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.accounts.models import Role
from townhall.conftest import make_user
from townhall.continuity import analysis, estate_links, graph_input, stored, subgraph
from townhall.continuity import models as m
from townhall.continuity.tests import estate
from townhall.continuity.tests import factories as f
from townhall.core import context, services
from townhall.estate.models import Location, Service


def seeds(*svcs):
    return Service.objects.filter(pk__in=[s.pk for s in svcs]).values("pk")


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- the part of the estate below some services ---------------------------------------------


@pytest.mark.django_db
def test_below_one_service_is_its_chain(departments, users):
    s = estate.build(departments)
    part = subgraph.below(users["viewer"], seeds(s["payroll"]))
    assert set(part.names.values()) == {"Payroll", "ERP", "SQL cluster", "SAN"}
    assert len(part.edges) == 3
    times = analysis.recovery_times(part.graph())
    key = ("service", s["payroll"].pk)
    assert times.hours(key) == 22 and not times.at_least(key)
    restore = {i.name: i.restore_hours for i in part.items}
    assert restore == {"Payroll": 0, "ERP": 4, "SQL cluster": 6, "SAN": 12}


@pytest.mark.django_db
def test_below_agrees_with_the_whole_estate_analysis(departments, users):
    s = estate.build(departments)
    # A cycle and a diamond: ERP and the permit system need each other; the SAN is reached
    # along two paths.
    f.needs(s["permit_system"], s["erp"])
    f.needs(s["erp"], s["permit_system"])
    f.needs(s["erp"], s["san"])
    whole = graph_input.analyze(users["viewer"]).result
    every = Service.objects.values("pk")
    part = subgraph.below(users["viewer"], every)
    times = analysis.recovery_times(part.graph())
    for svc in ("payroll", "permits", "dispatch"):
        key = ("service", s[svc].pk)
        assert times.hours(key) == whole.times.hours(key), svc
        assert times.at_least(key) == whole.times.at_least(key), svc
        assert times.chain(key) == whole.times.chain(key), svc
    assert subgraph.loss_counts(users["viewer"]) == analysis.loss_counts(whole.graph)


@pytest.mark.django_db
def test_loss_counts_by_hand(departments, users):
    s = estate.build(departments)
    losses = subgraph.loss_counts(users["liaison"])
    assert losses == {
        ("system", s["erp"].pk): 1,
        ("component", s["sql"].pk): 1,
        ("component", s["san"].pk): 1,
        ("component", s["cad"].pk): 1,
    }
    # Permits becomes mission-essential: the SQL cluster and the SAN now stop two.
    permits = s["permits"].impact_analysis
    services.update(context.SYSTEM, permits, {"mission_essential": True}, version=1)
    losses = subgraph.loss_counts(users["liaison"])
    assert losses[("component", s["sql"].pk)] == 2
    assert losses[("component", s["san"].pk)] == 2
    assert losses[("system", s["permit_system"].pk)] == 1


@pytest.mark.django_db
def test_nothing_for_someone_who_may_see_nothing(departments):
    estate.build(departments)
    gone = make_user("gone", Role.STAFF)
    gone.is_active = False
    assert subgraph.below(gone, Service.objects.values("pk")).items == []
    assert subgraph.loss_counts(gone) == {}
    assert subgraph.loss_counts(None)  # the system sees everything


@pytest.mark.django_db
def test_too_large_is_said_before_reading_everything(departments, users):
    s = estate.build(departments)
    with pytest.raises(subgraph.TooLarge):
        subgraph.below(users["viewer"], seeds(s["payroll"]), limit=2)
    assert len(subgraph.below(users["viewer"], seeds(s["payroll"]), limit=4).items) == 4


def _nodes(plan: dict) -> list[dict]:
    """Every node of a plan from PostgreSQL's EXPLAIN (ANALYZE, FORMAT JSON)."""
    return [plan] + [node for child in plan.get("Plans", []) for node in _nodes(child)]


@pytest.mark.django_db
@pytest.mark.parametrize("wide", [30, 90])
def test_too_large_walks_no_further_than_the_limit(departments, users, wide):
    """On PostgreSQL the walk below a service stops once more than `limit` items are
    reached, however much lies below, and nothing more is read (the most needed service of
    the large demo has 34,000 items below it: reading them all cost its page 0.15 s to say
    "too large")."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite limits the walk inside the recursive query itself")
    top = f.service("Everything", departments["FIN"])
    for n in range(wide):
        item = f.system(f"System {n}", departments["FIN"])
        f.needs(top, item)
        f.recovery(item, restore_hours=n + 1)
        f.needs(item, f.component(f"Server {n}", departments["FIN"]))
    with connection.cursor() as cursor:  # plans as a county's estate would be planned
        cursor.execute("ANALYZE")
    limit = 10
    sql, params = subgraph._query(users["viewer"], seeds(top), limit)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes = _nodes(plan[0]["Plan"])
    walked = [n["Actual Rows"] for n in nodes if n["Node Type"] == "Recursive Union"]
    assert walked and max(walked) <= limit + 1
    # Nor are the items' restore times read, which the page will not show.
    capabilities = m.RecoveryCapability._meta.db_table
    read = [n for n in nodes if n.get("Relation Name") == capabilities]
    assert read and all(n["Actual Loops"] == 0 for n in read)
    with pytest.raises(subgraph.TooLarge):
        subgraph.below(users["viewer"], seeds(top), limit=limit)
    assert len(subgraph.below(users["viewer"], seeds(top), limit=4 * wide).items) == 2 * wide + 1


# --- a service's page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_service_page_shows_analysis_computed_time_and_latest_result(departments, client_for):
    s = estate.build(departments)
    ex = services.create(
        context.SYSTEM,
        m.Exercise,
        {"name": "Outage drill", "scenario": "man_made", "held_on": datetime.date(2026, 2, 2)},
    )
    res = services.create(
        context.SYSTEM,
        m.ExerciseResult,
        {"exercise": ex, "service": s["payroll"], "measured_hours": 30},
    )
    page = client_for("viewer").get(s["payroll"].get_absolute_url()).content.decode()
    analysis_url = s["payroll"].impact_analysis.get_absolute_url()
    assert f'<a href="{analysis_url}">Draft</a>' in page
    assert "Primary mission-essential" not in page and "Not essential · mission-essential" in page
    assert "<dt>Recovery time objective (RTO)</dt><dd>8 h</dd>" in page
    assert "<dt>Recovery point objective (RPO)</dt><dd>1 h</dd>" in page
    assert "<dt>Maximum tolerable downtime (MTD)</dt><dd>24 h</dd>" in page
    assert "<strong>Cannot meet its RTO: 14 h too slow.</strong>" in page
    assert "it can be back in 22 h; the objective is 8 h, so it would be 14 h late." in page
    assert f'<a href="{s["san"].get_absolute_url()}">SAN</a>' in page
    assert f'<a href="{res.get_absolute_url()}">30 h</a>: missed by 22 h.' in page
    assert "Add impact analysis" not in page


@pytest.mark.django_db
def test_service_without_analysis_offers_to_add_one_to_editors(departments, client_for):
    svc = f.service("Library", departments["PW"])
    add = reverse("continuity:impactanalysis_add_for", args=[svc.pk])
    for role, offered in (("staff", True), ("liaison", True), ("viewer", False), ("board", False)):
        page = client_for(role).get(svc.get_absolute_url()).content.decode()
        assert (add in page) is offered, role
        assert "No business impact analysis yet" in page
        assert "Not yet timed in an exercise." in page
    other = f.service("Payroll", departments["FIN"])  # not the liaison's department
    page = client_for("liaison").get(other.get_absolute_url()).content.decode()
    assert "Add impact analysis" not in page


@pytest.mark.django_db
def test_unknown_restore_times_leave_the_rto_unconfirmed(departments, client_for):
    s = estate.build(departments)
    page = client_for("viewer").get(s["dispatch"].get_absolute_url()).content.decode()
    assert "<strong>Not confirmed.</strong>" in page
    assert "it can be back in at least 0 h" in page


@pytest.mark.django_db
def test_service_with_too_much_below_sends_to_the_analysis(departments, client_for, monkeypatch):
    """Only when the kept analysis cannot answer (a worker is updating it, or the reader
    has an analysis of their own): the page then works the time out below the service."""
    s = estate.build(departments)
    monkeypatch.setattr(estate_links, "COMPUTE_LIMIT", 2)
    monkeypatch.setattr(stored, "current", lambda user: None)
    page = client_for("viewer").get(s["payroll"].get_absolute_url()).content.decode()
    assert "worked out on the" in page and reverse("continuity:analysis") in page
    assert "Cannot meet its RTO" not in page


@pytest.mark.django_db
def test_service_panel_reads_the_kept_analysis_with_the_same_figures(
    departments, users, monkeypatch
):
    """The panel reads the service's row of the kept analysis (no walk below the service
    per view) and shows what the walk would: same hours, lower bound and chain."""
    s = estate.build(departments)
    viewer = users["viewer"]
    assert stored.current(viewer).analysis is not None  # worked out (immediate backend)
    kept = {}
    with monkeypatch.context() as patch:

        def walk(*args, **kwargs):
            raise AssertionError("worked out again")

        patch.setattr(subgraph, "recovery_times", walk)
        for name in ("payroll", "permits", "dispatch"):
            kept[name] = estate_links.computed_time(viewer, s[name])
    monkeypatch.setattr(stored, "current", lambda user: None)  # the walk below the service
    for name, (computed, too_large) in kept.items():
        walked, _ = estate_links.computed_time(viewer, s[name])
        assert not too_large
        assert (computed.hours, computed.at_least) == (walked.hours, walked.at_least), name
        assert computed.chain == walked.chain, name
    assert kept["payroll"][0].text == "22 h" and kept["dispatch"][0].text == "at least 0 h"


@pytest.mark.django_db
def test_service_panel_works_its_time_out_while_the_kept_one_is_updated(
    departments, client_for, monkeypatch
):
    """With a worker, a change leaves the kept analysis out of date until the job runs: the
    page then walks below the service, so it never shows an old figure."""
    s = estate.build(departments)
    client = client_for("viewer")
    client.get(s["payroll"].get_absolute_url())
    monkeypatch.setattr(stored, "refresh", lambda: None)  # the job waits for a worker
    erp = m.RecoveryCapability.objects.get(system=s["erp"])
    services.update(context.SYSTEM, erp, {"restore_hours": 10}, version=erp.version)
    page = client.get(s["payroll"].get_absolute_url()).content.decode()
    assert "it can be back in 28 h" in page  # 10 + 6 + 12, not the kept 22 h


def _deepen(departments, svc, n, start):
    """n more systems below `svc`, each with a restore time."""
    previous = svc
    for i in range(n):
        system = f.system(f"Layer {start + i}", departments["PW"])
        f.recovery(system, restore_hours=1)
        f.needs(previous, system)
        previous = system


@pytest.mark.django_db
def test_service_page_queries_do_not_grow(departments, client_for):
    svc = f.service("Deep service", departments["PW"])
    f.impact(svc, rto_hours=4)
    client = client_for("liaison")
    _deepen(departments, svc, 3, 0)
    client.get(svc.get_absolute_url())  # the kept analysis worked out after the change
    few = _queries(client, svc.get_absolute_url())
    _deepen(departments, svc, 30, 100)  # a second, much longer chain
    client.get(svc.get_absolute_url())
    assert _queries(client, svc.get_absolute_url()) == few
    page = client.get(svc.get_absolute_url()).content.decode()
    assert "it can be back in 30 h" in page  # the longer chain: 30 systems of 1 h


@pytest.mark.django_db
def test_service_page_queries_do_not_grow_when_it_walks_below(departments, client_for, monkeypatch):
    """When the kept analysis cannot answer, the page walks below the service in one query,
    whether what lies below fits under the limit or goes far past it."""
    monkeypatch.setattr(stored, "current", lambda user: None)
    monkeypatch.setattr(estate_links, "COMPUTE_LIMIT", 10)
    svc = f.service("Deep service", departments["PW"])
    f.impact(svc, rto_hours=4)
    client = client_for("liaison")
    _deepen(departments, svc, 3, 0)
    few = _queries(client, svc.get_absolute_url())
    assert "it can be back in 3 h" in client.get(svc.get_absolute_url()).content.decode()
    _deepen(departments, svc, 60, 100)  # far more than the page works out itself
    assert _queries(client, svc.get_absolute_url()) == few
    assert "worked out on the" in client.get(svc.get_absolute_url()).content.decode()


# --- a system's or component's page -----------------------------------------------------------


@pytest.mark.django_db
def test_system_page_shows_recovery_capability(departments, client_for):
    s = estate.build(departments)
    site = services.create(context.SYSTEM, Location, {"name": "Backup data centre"})
    cap = s["erp"].recovery_capability
    services.update(
        context.SYSTEM,
        cap,
        {
            "last_restore_test": datetime.date(2020, 1, 1),
            "recovery_site": site,
            "procedure_link": "https://wiki.example.org/erp-restore",
            "backup_frequency_hours": 24,
        },
        version=cap.version,
    )
    page = client_for("board").get(s["erp"].get_absolute_url()).content.decode()
    assert f'<a href="{cap.get_absolute_url()}">Recovery of ERP</a>' in page
    assert "<dt>Restore time</dt><dd>4 h</dd>" in page
    assert "<dt>Backed up every</dt><dd>24 h</dd>" in page
    assert "1 January 2020" in page and "<strong>more than a year ago</strong>" in page
    assert f'<a href="{site.get_absolute_url()}">Backup data centre</a>' in page
    assert '<a href="https://wiki.example.org/erp-restore">' in page
    assert "<dt>Own recovery time objective</dt><dd>48 h</dd>" in page


@pytest.mark.django_db
def test_component_without_capability_offers_to_add_one(departments, client_for):
    s = estate.build(departments)
    add = reverse("continuity:recoverycapability_add_for_component", args=[s["cad"].pk])
    page = client_for("liaison").get(s["cad"].get_absolute_url()).content.decode()
    assert "No recovery capability recorded" in page and add in page
    page = client_for("viewer").get(s["cad"].get_absolute_url()).content.decode()
    assert add not in page
    # The add page starts from the component; saving records it for the component.
    client = client_for("liaison")
    form = client.get(add).content.decode()
    assert f'value="{s["cad"].pk}" checked' in form
    response = client.post(add, {"component": s["cad"].pk, "restore_hours": "3"})
    assert response.status_code == 302
    assert m.RecoveryCapability.objects.get(component=s["cad"]).restore_hours == 3
    assert client.get(add).status_code == 302  # now opens the one recorded
    page = client.get(s["cad"].get_absolute_url()).content.decode()
    assert "<dt>Last successful restore test</dt><dd><strong>Never tested</strong></dd>" in page


@pytest.mark.django_db
def test_add_for_a_missing_item_is_404(departments, client_for):
    client = client_for("staff")
    for name in ("recoverycapability_add_for_system", "recoverycapability_add_for_component"):
        assert client.get(reverse(f"continuity:{name}", args=[99999])).status_code == 404
        assert client.post(reverse(f"continuity:{name}", args=[99999]), {}).status_code == 404


# --- single points of failure on the dependency page ----------------------------------------


def graph_data(html):
    start = html.index('<script id="graph-data" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


@pytest.mark.django_db
def test_dependency_page_marks_single_points_of_failure(departments, client_for):
    s = estate.build(departments)
    permits = s["permits"].impact_analysis
    services.update(context.SYSTEM, permits, {"mission_essential": True}, version=1)
    url = reverse("estate:system_dependencies", args=[s["erp"].pk])
    page = client_for("viewer").get(url).content.decode()
    # The list: each single point of failure says how many it stops.
    assert (
        "SQL cluster</a> (component) — <strong>single point of failure</strong>: its loss "
        "stops 2 mission-essential services" in page
    )
    # Payroll, mission-essential itself, is not a single point of failure for itself.
    assert "Payroll</a> (service) — <strong>single point" not in page
    assert "Payroll</a> (service) runs on ERP </li>" in page  # listed, with no mark
    # The focus: a notice with the count.
    assert "<strong>ERP is a single point of failure:</strong> losing it alone stops 1" in page
    # The picture: a count and a caption on each marked node; the legend explains them.
    nodes = {n["label"]: n for n in graph_data(page)["nodes"]}
    assert nodes["SAN"]["loss"] == 2 and nodes["SAN"]["caption"] == "SAN (stops 2)"
    assert nodes["ERP"]["caption"] == "ERP (stops 1)"
    assert "Single point of failure for mission-essential services: double outline" in page


@pytest.mark.django_db
def test_dependency_page_without_mission_essential_services(departments, client_for):
    svc = f.service("Library", departments["PW"])
    system = f.system("Catalogue", departments["PW"])
    f.needs(svc, system)
    page = (
        client_for("viewer")
        .get(reverse("estate:service_dependencies", args=[svc.pk]))
        .content.decode()
    )
    assert "single point of failure" not in page.lower()
    assert all(n["loss"] == 0 for n in graph_data(page)["nodes"])


@pytest.mark.django_db
def test_dependency_page_queries_do_not_grow_with_mission_essential_services(
    departments, client_for
):
    s = estate.build(departments)
    client = client_for("viewer")
    url = reverse("estate:component_dependencies", args=[s["san"].pk])
    few = _queries(client, url)
    for n in range(15):
        svc = f.service(f"Essential {n}", departments["FIN"])
        f.impact(svc, rto_hours=2, mission_essential=True)
        f.needs(svc, s["erp"])
    assert _queries(client, url) == few
    page = client.get(url).content.decode()
    assert "<strong>SAN is a single point of failure:</strong> losing it alone stops 16" in page


@pytest.mark.django_db
def test_dependency_page_leaves_marks_to_the_analysis_when_too_much_is_below(
    departments, client_for, monkeypatch
):
    s = estate.build(departments)
    monkeypatch.setattr(estate_links, "LOSS_LIMIT", 3)
    url = reverse("estate:system_dependencies", args=[s["erp"].pk])
    page = client_for("viewer").get(url).content.decode()
    assert "single points of failure are not marked here" in page
    assert "single point of failure</strong>" not in page
    assert all(n["loss"] == 0 for n in graph_data(page)["nodes"])
