"""The kept foundation health: worked out by a job once per change and once a day, read by
the front page, each service's page and the panel on every system and component page in a
few small queries, never stale without saying so."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.continuity.tests import factories as f
from townhall.core import changes, context, services
from townhall.cyber import models as cm
from townhall.cyber.tests import factories as cf
from townhall.estate import models as e
from townhall.foundation import health_input, stored
from townhall.foundation.models import (
    HealthChange,
    ServiceLife,
    StoredHealth,
    StoredItemHealth,
    StoredServiceHealth,
)
from townhall.foundation.pages import health as pages
from townhall.jobs.models import Job

pytestmark = pytest.mark.django_db
S = context.SYSTEM
FRONT = "/foundation/"


def no_worker(monkeypatch) -> list[int]:
    """Jobs wait for a worker instead of running at once: the pages show what was kept."""
    asked: list[int] = []
    monkeypatch.setattr(stored, "refresh", lambda: asked.append(1))
    return asked


def panel_html(client, item) -> str:
    html = client.get(item.get_absolute_url()).content.decode()
    start = html.index('id="health-heading"')
    return html[start : html.index("</section>", start)]


def test_every_write_to_what_it_reads_is_noted_and_nothing_else(estate, departments):
    stored.recompute()
    assert not HealthChange.objects.exists()
    services.update(S, estate["db"], {"end_of_support": datetime.date(2020, 1, 1)}, version=None)
    assert HealthChange.objects.count() == 1
    services.update(S, e.RedundancyGroup.objects.get(), {"name": "Web servers"}, version=None)
    services.update(S, cm.Exposure.objects.first(), {"status": "mitigated"}, version=None)
    services.update(S, cm.Incident.objects.first(), {"title": "Phishing wave"}, version=None)
    services.create(S, ServiceLife, {"kind": "server", "years": 5})
    services.update(S, estate["cad"], {"name": "CAD 2"}, version=None)
    assert HealthChange.objects.count() == 6
    stored.recompute()
    assert not HealthChange.objects.exists()
    services.create(S, e.Vendor, {"name": "Acme"})  # vendors are not in the health
    assert not HealthChange.objects.exists()
    changes.changed(e.Dependency)  # what the importer's batches report
    assert HealthChange.objects.count() == 1


def test_the_job_works_it_out_and_keeps_it(estate, client_for):
    client_for("viewer").get(FRONT)  # no health kept yet: the page asks for it
    job = Job.objects.get(kind=stored.JOB_KIND)
    assert job.status == Job.Status.DONE and job.created_by is None
    assert "up to date: 4 systems and components and 2 services" in job.message
    kept = StoredHealth.objects.get()
    assert kept.computed_for == timezone.localdate()
    assert kept.summary["band_rows"] == [["Systems", [1, 0, 0, 0]], ["Components", [2, 0, 1, 0]]]
    db = StoredItemHealth.objects.get(kind="component", item=estate["db"].pk)
    assert db.band == "critical"
    assert [x["code"] for x in db.factors] == ["redundancy", "restore", "support", "owner"]
    dispatch = StoredServiceHealth.objects.get(service=estate["dispatch"].pk)
    assert dispatch.band == "critical" and dispatch.data["items_under"] == 4
    assert [i["name"] for i in dispatch.data["weakest"]][:2] == ["db-1", "CAD"]
    assert not HealthChange.objects.exists()


def test_a_change_is_announced_then_shown_once_the_job_ran(estate, client_for, monkeypatch):
    client = client_for("viewer")
    b = estate["b"]
    assert "<strong>Watch</strong>" in panel_html(client, b)
    asked = no_worker(monkeypatch)
    services.update(S, b, {"end_of_support": datetime.date(2020, 1, 1)}, version=None)
    panel = panel_html(client, b)
    assert "<strong>Watch</strong>" in panel  # what was worked out before the change
    assert "it is being updated in the background" in panel
    front = client.get(FRONT).content.decode()
    assert "it is being updated in the background" in front
    service = client.get(f"/foundation/services/{estate['dispatch'].pk}/").content.decode()
    assert "it is being updated in the background" in service
    assert len(asked) == 3
    stored.recompute()  # what the worker does
    panel = panel_html(client, b)
    assert "<strong>Critical</strong>" in panel and "being updated" not in panel
    assert "Past its vendor&#x27;s end of support since 2020-01-01" in panel
    page = client.get(FRONT)
    assert page.context["health"]["band_rows"] == [
        ("Systems", [1, 0, 0, 0]),
        ("Components", [3, 0, 0, 0]),
    ]
    assert "being updated" not in page.content.decode()


def test_a_health_of_another_day_is_worked_out_again(estate, users, client_for, monkeypatch):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    stored.recompute(today=yesterday)
    assert not HealthChange.objects.exists()
    asked = no_worker(monkeypatch)
    kept = stored.current(users["viewer"])
    assert kept is not None and kept.updating and asked == [1]
    monkeypatch.undo()
    page = client_for("viewer").get(FRONT)
    assert "being updated" not in page.content.decode()
    assert StoredHealth.objects.get().computed_for == timezone.localdate()


def test_the_first_health_is_announced_until_it_is_ready(estate, client_for, monkeypatch):
    no_worker(monkeypatch)
    client = client_for("viewer")
    front = client.get(FRONT)
    assert front.status_code == 200
    assert "The health is being worked out in the background" in front.content.decode()
    service = client.get(f"/foundation/services/{estate['dispatch'].pk}/")
    assert service.status_code == 200
    assert "Weakest items" not in service.content.decode()
    panel = panel_html(client, estate["db"])
    assert "Its health is being worked out in the background" in panel


def test_a_new_item_waits_for_the_job_and_a_retired_one_has_no_panel(
    estate, client_for, monkeypatch
):
    client = client_for("viewer")
    client.get(FRONT)
    no_worker(monkeypatch)
    pw = estate["db"].owner_department
    new = services.create(S, e.Component, {"name": "new-box", "owner_department": pw})
    assert "Its health is being worked out in the background" in panel_html(client, new)
    retired = services.create(
        S, e.Component, {"name": "old-box", "owner_department": pw, "status": "retired"}
    )
    stored.recompute()
    page = client.get(retired.get_absolute_url()).content.decode()
    assert 'id="health-heading"' not in page
    assert "<strong>Watch</strong>" in panel_html(client, new)


def test_a_failed_computation_keeps_the_changes(estate, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(health_input, "read", broken)
    with pytest.raises(RuntimeError):
        stored.recompute()
    assert HealthChange.objects.exists() and not StoredHealth.objects.exists()


def test_a_change_made_while_it_is_worked_out_is_not_lost(estate, monkeypatch):
    real = health_input.read

    def with_a_change_meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        services.update(S, estate["cad"], {"name": "CAD 2"}, version=None)
        return result

    monkeypatch.setattr(health_input, "read", with_a_change_meanwhile)
    stored.recompute()
    assert HealthChange.objects.count() == 1  # so the next page asks again


def test_a_reader_whose_rows_are_ruled_gets_a_health_of_their_own(estate, users, client_for):
    # A liaison sees only their department's exposures and incidents.
    assert not stored.shared(users["liaison"]) and stored.current(users["liaison"]) is None
    assert not stored.shared()  # not everyone sees everything
    client = client_for("liaison")
    panel = panel_html(client, estate["db"])
    assert "<strong>Critical</strong>" in panel and "No redundancy" in panel
    page = client.get(FRONT)
    assert page.status_code == 200 and "kept" not in page.context["health"]
    assert client.get(f"/foundation/services/{estate['dispatch'].pk}/").status_code == 200
    # Worked out for them on each page: nothing kept, no job asked for.
    assert not StoredHealth.objects.exists() and not Job.objects.exists()
    assert stored.shared(users["viewer"]) and stored.current(users["viewer"]) is not None


def _grow(estate, n: int, prefix: str = "") -> None:
    pw = estate["cad"].owner_department
    for i in range(n):
        system = f.system(f"{prefix}System {i}", pw)
        server = f.component(f"{prefix}server {i}", pw)
        f.needs(system, server)
        f.needs(estate["dispatch"], system)
        f.recovery(server, restore_hours=1)
        cf.create(
            cm.Incident,
            title=f"Incident {i}",
            detected=timezone.now(),
            owner_department=pw,
            systems=[system],
        )


def test_the_panel_reads_a_fixed_few_queries_whatever_the_estate(
    estate, users, django_assert_max_num_queries
):
    request = RequestFactory().get("/")
    request.user = users["viewer"]

    def panel_queries() -> int:
        stored.recompute()
        with CaptureQueriesContext(connection) as queries:
            found = pages.panel(request, estate["db"])
        assert found is not None and found["band"] == "critical" and not found["updating"]
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "estate_dependency" not in sql and "cyber_" not in sql
        return len(queries.captured_queries)

    small = panel_queries()
    with django_assert_max_num_queries(3):
        pages.panel(request, estate["db"])
    _grow(estate, 12)
    assert panel_queries() == small


def test_the_pages_read_the_kept_health_in_few_queries(estate, client_for):
    client = client_for("viewer")
    client.get(FRONT)
    _grow(estate, 5)
    client.get(FRONT)  # the job runs once, here
    urls = (
        FRONT,
        f"/foundation/services/{estate['dispatch'].pk}/",
        estate["cad"].get_absolute_url(),
    )
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "cyber_incident_systems" not in sql  # read only to weigh the health
        counts.append(len(queries.captured_queries))
    _grow(estate, 10, prefix="more ")
    client.get(FRONT)
    for url, before in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries.captured_queries) == before, url
