"""The kept continuity analysis: worked out once per change, read by the pages, never stale
without saying so."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.continuity import graph_input, stored
from townhall.continuity.models import AnalysisChange, StoredAnalysis
from townhall.continuity.tests import estate
from townhall.continuity.tests import factories as f
from townhall.continuity.tests.test_analysis_paging import rows
from townhall.core import changes, context, services
from townhall.estate.models import Dependency, RedundancyGroup, Service, Vendor
from townhall.jobs.models import Job

URL = "/continuity/analysis/"
READINESS = "/continuity/"
S = context.SYSTEM


@pytest.mark.django_db
def test_a_new_dependency_changes_the_pages(departments, client_for):
    s = estate.build(departments)
    client = client_for("viewer")
    page = client.get(URL).content.decode()
    assert rows(page, "rto-gaps") == ["Payroll"]
    assert StoredAnalysis.objects.count() == 1 and not AnalysisChange.objects.exists()
    # Dispatch (RTO 1 h) now needs the SAN (12 h): it cannot meet its RTO any more.
    f.needs(s["dispatch"], s["san"])
    assert AnalysisChange.objects.exists()
    page = client.get(URL).content.decode()
    assert rows(page, "rto-gaps") == ["Payroll", "Dispatch"]
    assert StoredAnalysis.objects.count() == 1  # the one before is gone
    readiness = client.get(READINESS).content.decode()
    assert "0 of 2 mission-essential services with a recovery time objective" in readiness
    job = Job.objects.filter(kind=stored.JOB_KIND).order_by("-pk").first()
    assert job.status == Job.Status.DONE and job.created_by is None
    assert "up to date: 3 services, 8 items and 7 dependencies" in job.message


@pytest.mark.django_db
def test_the_pages_show_the_last_analysis_while_a_new_one_is_worked_out(
    departments, client_for, monkeypatch
):
    s = estate.build(departments)
    client = client_for("staff")
    client.get(URL)
    f.needs(s["dispatch"], s["san"])
    asked = []
    monkeypatch.setattr(stored, "refresh", lambda: asked.append(1))  # a worker will run it
    page = client.get(URL).content.decode()
    assert rows(page, "rto-gaps") == ["Payroll"]  # what was worked out before the change
    assert "it is being updated in the background" in page
    readiness = client.get(READINESS).content.decode()
    assert "they are being updated in the background" in readiness
    assert len(asked) == 2


@pytest.mark.django_db
def test_the_first_analysis_is_announced_until_it_is_ready(departments, client_for, monkeypatch):
    estate.build(departments)
    monkeypatch.setattr(stored, "refresh", lambda: None)
    page = client_for("viewer").get(URL)
    assert page.status_code == 200
    assert "The analysis is being worked out in the background" in page.content.decode()
    assert 'id="rto-gaps"' not in page.content.decode()
    readiness = client_for("viewer").get(READINESS)
    assert readiness.status_code == 200
    assert "being worked out in the background" in readiness.content.decode()


@pytest.mark.django_db
def test_every_write_to_what_it_reads_is_noted_and_nothing_else(departments):
    s = estate.build(departments)
    stored.recompute()
    assert not AnalysisChange.objects.exists()
    services.update(S, s["san"].recovery_capability, {"restore_hours": 3}, version=None)
    assert AnalysisChange.objects.count() == 1
    services.update(S, s["erp"], {"name": "ERP suite"}, version=None)
    services.delete(S, Dependency.objects.get(from_service=s["dispatch"]))
    assert AnalysisChange.objects.count() == 3
    stored.recompute()
    services.create(S, Vendor, {"name": "Acme"})  # vendors are not in the analysis
    assert not AnalysisChange.objects.exists()
    changes.changed(Dependency)  # what the importer's batches report
    assert AnalysisChange.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_computation_keeps_the_changes(departments, monkeypatch):
    estate.build(departments)

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(graph_input, "analyze", broken)
    with pytest.raises(RuntimeError):
        stored.recompute()
    assert AnalysisChange.objects.exists() and not StoredAnalysis.objects.exists()


@pytest.mark.django_db
def test_a_change_made_while_it_is_worked_out_is_not_lost(departments, monkeypatch):
    s = estate.build(departments)
    real = graph_input.analyze

    def with_a_change_meanwhile(*args, **kwargs):
        result = real(*args, **kwargs)
        f.needs(s["dispatch"], s["san"])  # commits after the estate was read
        return result

    monkeypatch.setattr(graph_input, "analyze", with_a_change_meanwhile)
    stored.recompute()
    assert AnalysisChange.objects.count() == 1  # so the next page asks again


@pytest.mark.django_db
def test_a_reader_with_row_rules_gets_an_analysis_of_their_own(
    departments, users, client_for, monkeypatch
):
    estate.build(departments)
    assert stored.current(users["viewer"]) is not None

    def only_public_works(cls, qs, user, action, by_role):
        return by_role.filter(owner_department__code="PW")

    monkeypatch.setattr(Service, "restrict_rows", classmethod(only_public_works), raising=False)
    assert stored.current(users["viewer"]) is None
    page = client_for("viewer").get(URL).content.decode()
    assert "Payroll" not in page and "Dispatch" in page  # worked out for the reader


@pytest.mark.django_db
def test_the_page_reads_the_kept_analysis_in_few_queries(departments, client_for):
    estate.build(departments)
    client = client_for("staff")
    client.get(URL)
    for params in ({}, {"section": "single-points"}, {"misses": "1", "page": "1"}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert "estate_dependency" not in sql  # the estate is not read again
        assert len(queries.captured_queries) <= 10


@pytest.mark.django_db
def test_a_change_to_a_redundancy_group_makes_the_analysis_stale(departments, client_for):
    """The graph reads a group as "any one of" its members: a group created or deleted
    changes what is a single point of failure, so the kept analysis must be worked out again."""
    estate.build(departments)
    client_for("viewer").get(URL)
    assert not AnalysisChange.objects.exists()
    group = services.create(S, RedundancyGroup, {"name": "Core switches"})
    assert AnalysisChange.objects.exists()
    client_for("viewer").get(URL)
    assert not AnalysisChange.objects.exists()
    services.delete(S, group, version=None)
    assert AnalysisChange.objects.exists()
