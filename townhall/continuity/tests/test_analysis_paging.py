"""The analysis page for a large county: the worst few findings of each kind with a link
to all of them (paged), services a page at a time and filtered, no server error on any
address, and a number of queries that does not grow with the estate. Page sizes are made
small here so a few records fill several pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.continuity.pages import analysis as analysis_pages
from townhall.continuity.tests import factories as f

URL = "/continuity/analysis/"


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(analysis_pages, "TOP", 2)
    monkeypatch.setattr(analysis_pages, "SECTION_PAGE", 3)
    monkeypatch.setattr(analysis_pages, "SERVICE_PAGE", 4)


def build(departments, n, start=0):
    """`n` services, alternately of Public Works and Finance, each on its own system. Even
    ones (RTO 1 h, restore 2 h, backed up daily, RPO 1 h, mission-essential) miss their
    RTO and RPO; their system's own RTO of 5 h is an inversion. Odd ones are fine."""
    made = []
    for i in range(start, start + n):
        dept = departments["PW"] if i % 2 == 0 else departments["FIN"]
        svc = f.service(f"Service {i:03d}", dept)
        system = f.system(f"System {i:03d}", dept)
        if i % 2 == 0:
            f.impact(svc, rto_hours=1, rpo_hours=1, mission_essential=True)
            restore = f"{2 + i / 100:.2f}"
            f.recovery(system, restore_hours=restore, backup_frequency_hours=24, rto_hours=5)
        else:
            f.impact(svc, rto_hours=100)
            f.recovery(system, restore_hours=1)
        f.needs(svc, system)
        made.append(svc)
    return made


def rows(page: str, section: str) -> list[str]:
    """Names in the first column of the table under the heading with id `section`."""
    part = page.split(f'id="{section}"', 1)[1]
    table = part.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a>', table)


def notes(page: str) -> list[str]:
    return re.findall(r'usa-alert__text">([^<]*)<', page)


@pytest.mark.django_db
def test_services_come_a_page_at_a_time(small_pages, client_for, departments):
    build(departments, 10)  # 5 need 2.xx h; 5 need 1 h
    client = client_for("staff")
    first = client.get(URL).content.decode()
    # Slowest first: the even services, 2.08 h down to 2.00 h.
    assert rows(first, "services") == ["Service 008", "Service 006", "Service 004", "Service 002"]
    assert "10 services; page 1 of 3." in first
    assert 'aria-label="Pagination"' in first
    assert "page=2" in first and "page=0" not in first
    last = client.get(URL, {"page": 3}).content.decode()
    assert rows(last, "services") == ["Service 007", "Service 009"]
    assert "page 3 of 3" in last
    assert not notes(last)


@pytest.mark.django_db
def test_filter_by_department_and_by_missing_the_rto(small_pages, client_for, departments):
    build(departments, 10)
    client = client_for("staff")
    fin = departments["FIN"].pk
    page = client.get(URL, {"department": fin}).content.decode()
    assert rows(page, "services") == ["Service 001", "Service 003", "Service 005", "Service 007"]
    assert "5 services match" in page
    assert f'<option value="{fin}" selected>Finance</option>' in page
    # The pages keep the filter.
    assert f"department={fin}&amp;page=2" in page
    page = client.get(URL, {"misses": "1"}).content.decode()
    assert rows(page, "services") == ["Service 008", "Service 006", "Service 004", "Service 002"]
    assert "5 services match" in page
    assert "misses=1&amp;page=2" in page
    both = client.get(URL, {"misses": "1", "department": fin}).content.decode()
    assert "0 services match" in both and "No service matches." in both


@pytest.mark.django_db
def test_departments_offered_are_those_of_services_the_reader_sees(
    small_pages, client_for, departments, monkeypatch
):
    from townhall.estate.models import Service

    def own_services_only(cls, qs, user, action, by_role):
        if user.department_id:
            return by_role.filter(owner_department_id=user.department_id)
        return by_role

    monkeypatch.setattr(Service, "restrict_rows", classmethod(own_services_only), raising=False)
    build(departments, 4)
    client = client_for("liaison")  # of Public Works
    page = client.get(URL).content.decode()
    assert ">Public Works</option>" in page and ">Finance</option>" not in page
    assert "2 services" in page
    assert rows(page, "services") == ["Service 002", "Service 000"]
    page = client.get(URL, {"department": departments["FIN"].pk}).content.decode()
    assert "That department owns no service you can see" in notes(page)[0]
    assert "Finance" in client_for("staff").get(URL).content.decode()


@pytest.mark.django_db
def test_top_findings_with_counts_and_a_link_to_all(small_pages, client_for, departments):
    build(departments, 10)
    page = client_for("staff").get(URL).content.decode()
    assert "5 cannot meet their recovery time objective" in page
    assert rows(page, "rto-gaps") == ["Service 008", "Service 006"]
    assert '<a href="?section=rto-gaps">Show all 5 that cannot meet' in page
    assert rows(page, "inversions") == ["System 000", "System 002"]  # equal: as given
    assert '<a href="?section=inversions">Show all 5 RTO inversions</a>' in page
    assert rows(page, "rpo-gaps") == ["Service 000", "Service 002"]
    assert '<a href="?section=rpo-gaps">Show all 5 recovery point gaps</a>' in page
    # Each even service's system stops it (a service is not one for itself): 5 items.
    assert "5 items whose loss alone stops a mission-essential service" in page
    assert '<a href="?section=single-points">Show all 5 single points of failure</a>' in page
    assert len(rows(page, "single-points")) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "section, first, second",
    [
        ("rto-gaps", ["Service 008", "Service 006", "Service 004"], ["Service 002", "Service 000"]),
        ("inversions", ["System 000", "System 002", "System 004"], ["System 006", "System 008"]),
        ("rpo-gaps", ["Service 000", "Service 002", "Service 004"], ["Service 006", "Service 008"]),
    ],
)
def test_one_kind_of_finding_in_full(section, first, second, small_pages, client_for, departments):
    build(departments, 10)
    client = client_for("viewer")
    page = client.get(URL, {"section": section}).content.decode()
    assert rows(page, section) == first
    assert "5 in all" in page and "1 to 3 shown" in page
    assert f"section={section}&amp;page=2" in page
    assert "Back to the whole analysis" in page
    assert 'id="services"' not in page  # only this kind of finding
    page = client.get(URL, {"section": section, "page": "2"}).content.decode()
    assert rows(page, section) == second
    assert "4 to 5 shown" in page


@pytest.mark.django_db
def test_single_points_in_full(small_pages, client_for, departments):
    build(departments, 8)  # 4 mission-essential services, each with its system: 4 items
    client = client_for("staff")
    seen = []
    for number in (1, 2):
        page = client.get(URL, {"section": "single-points", "page": number}).content.decode()
        seen += rows(page, "single-points")
    assert sorted(seen) == [f"System {i:03d}" for i in (0, 2, 4, 6)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, message",
    [
        ({"page": "abc"}, "“abc” is not a page number; showing the first page."),
        ({"page": "0"}, "There is no page 0 (there are 3); showing the first page."),
        ({"page": "-2"}, "There is no page -2 (there are 3); showing the first page."),
        ({"page": "99999999999999999999"}, "showing the first page."),
        ({"page": "1.5"}, "is not a page number"),
        ({"department": "abc"}, "That department owns no service you can see"),
        ({"department": "999999"}, "That department owns no service you can see"),
        ({"misses": "yes"}, "takes 1 or nothing"),
        ({"section": "everything"}, "There is no part of the analysis called “everything”"),
        ({"section": "rto-gaps", "page": "7"}, "There is no page 7 (there are 2)"),
        ({"section": "inversions", "page": "x" * 500}, "is not a page number"),
    ],
)
def test_bad_addresses_fall_back_with_a_message(
    params, message, small_pages, client_for, departments
):
    build(departments, 10)
    response = client_for("staff").get(URL, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert any(message in note for note in notes(page)), notes(page)
    if "section" in params and "everything" not in params["section"]:
        assert "1 to 3 shown" in page  # the first page of that kind of finding
    else:
        assert rows(page, "services")[0] == "Service 008"  # the first page of services


@pytest.mark.django_db
def test_sign_in_needed_for_every_part(client, departments):
    response = client.get(URL, {"section": "rto-gaps"})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2"},
        {"misses": "1"},
        {"section": "rto-gaps", "page": "2"},
        {"section": "single-points"},
    ],
)
def test_queries_do_not_grow_with_the_estate(params, small_pages, client_for, departments):
    build(departments, 8)
    client = client_for("liaison")

    def count() -> int:
        client.get(URL, params)  # the first request after a change works the analysis out
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, params).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    build(departments, 30, start=8)
    assert count() == few


@pytest.mark.django_db
def test_the_page_builds_the_same_entries_as_the_full_report(departments):
    """The page builds only the rows it shows; they must be the report's own entries."""
    from townhall.continuity import graph_input, report
    from townhall.continuity.tests import estate as hand

    hand.build(departments)
    build(departments, 6)
    estate = graph_input.analyze(None, single_points=None)
    data = report.as_data(estate, urls=True)
    ref = report.refs(estate)
    keys = report.service_order(estate)
    assert [(s["kind"], s["id"]) for s in data["services"]] == keys
    assert data["services"] == [report.service_entry(estate, ref, k) for k in keys]
    a = estate.result
    assert data["rto_gaps"] == [report.rto_gap_entry(ref, g) for g in a.rto_gaps]
    assert data["rto_inversions"] == [report.inversion_entry(ref, i) for i in a.rto_inversions]
    assert data["rpo_gaps"] == [report.rpo_gap_entry(ref, g) for g in a.rpo_gaps]
    assert data["single_points"] == [report.single_point_entry(ref, p) for p in a.single_points]
    assert len(data["services"]) == 9 and data["rto_gaps"] and data["single_points"]
