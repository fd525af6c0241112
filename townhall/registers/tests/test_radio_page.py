"""The emergency communications page: the continuum chart with its table, the matrix of
partners and talkgroups, the gaps, in a fixed number of queries; and the demo county, whose
911 dispatch service the continuity analysis follows down to the county radio system."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.continuity import graph_input
from townhall.continuity.tests import factories as cf
from townhall.core import context
from townhall.estate import demo as estate_demo
from townhall.estate.models import Component, Service
from townhall.org import demo as org_demo
from townhall.registers import demo
from townhall.registers import models as m
from townhall.registers.tests import radio_factories as f

URL = "/registers/emergency-communications/"


def _county() -> None:
    today = timezone.localdate()
    f.assessment(today - datetime.timedelta(days=400), governance=1, technology=3)
    f.assessment(today - datetime.timedelta(days=30), governance=2, technology=4, usage=3)
    p25 = f.radio("County P25")
    aid = f.talkgroup("County Mutual Aid", p25)
    fire = f.talkgroup("Fire Dispatch", p25)
    f.talkgroup("Sheriff Tactical", p25, encrypted=True)
    alder = f.partner("Alder County", "neighbouring")
    hospital = f.partner("Medical Center", "hospital")
    coop = f.partner("Electric Co-op", "utility")
    f.link(alder, aid, "shared_system", today - datetime.timedelta(days=20))
    f.link(hospital, fire, "cache_radios", today - datetime.timedelta(days=40))
    f.link(coop, aid, "shared_channel", None)


def _more(extra: int) -> None:
    today = timezone.localdate()
    p25 = f.radio("Regional")
    for n in range(extra):
        group = f.talkgroup(f"Extra {n}", p25)
        who = f.partner(f"Partner {n}", "state")
        f.link(who, group, "gateway", today - datetime.timedelta(days=n + 1), "partly")


@pytest.mark.django_db
def test_the_page_shows_where_each_lane_stands_and_who_can_talk_to_whom(users):
    _county()
    client = Client()
    client.force_login(users["viewer"])
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'id="radio-continuum-chart-title"' in page
    assert "Technology Level 4 of 5" in page
    assert "3 of 5 lanes rated" in page  # procedures and training never rated
    # Each lane's latest level and its stage in our words, beside the chart.
    table = page.split('id="radio-continuum-table"')[1].split("</table>")[0]
    assert "Shared system" in table and "Key partners meet" not in table
    assert "Informal contacts" in table  # governance: 2 in the latest assessment
    # The matrix: column and row headers, and each cell says how and whether it works.
    grid = page.split('id="radio-matrix-table"')[1].split("</table>")[0]
    assert grid.count('<th scope="col">') == 4  # the corner and three talkgroups
    assert grid.count('<th scope="row">') == 3
    assert "Cache radios: works yes" in grid
    assert "Shared channel: never tested" in grid
    gaps = page.split('id="radio-gaps-list"')[1].split("</ul>")[0]
    assert "Utility: no working link with any of 1 partner" in gaps
    assert "State: no partner of this kind recorded" in gaps
    assert "Medical Center is reached only by handing out cache radios" in gaps
    assert "Sheriff Tactical (County P25) has not been tested" in gaps
    assert "County P25" in page.split('id="radio-systems-list"')[1]


@pytest.mark.django_db
def test_an_empty_county_gets_a_page_too(users):
    client = Client()
    client.force_login(users["viewer"])
    response = client.get(URL)
    assert response.status_code == 200
    assert "No self-assessment yet" in response.content.decode()


@pytest.mark.django_db
def test_a_visitor_is_sent_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_page_reads_in_the_same_number_of_queries_whatever_the_size(users):
    client = Client()
    client.force_login(users["viewer"])
    _county()
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _more(6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(large) == len(small)


@pytest.mark.django_db
def test_the_analysis_reaches_the_radio_system_from_the_911_service():
    radio = f.radio("County P25")
    dispatch = cf.service("911 dispatch")
    cad = cf.system("Computer-aided dispatch")
    cf.needs(dispatch, cad)
    cf.needs(dispatch, radio)
    graph = graph_input.analyze(None).result.graph
    assert ("component", radio.pk) in graph.needs(("service", dispatch.pk))


SIZES = estate_demo.Sizes(
    services=40,
    systems=60,
    components=150,
    vendors=8,
    contracts=6,
    dependencies=300,
    it_staff=14,
    owners_per_department=1,
)


@pytest.mark.django_db
def test_the_demo_tells_the_radio_story_once():
    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        made = demo.load_emergency_communications()
    assert made > 0
    latest = m.ContinuumAssessment.objects.order_by("-assessed_on").first()
    assert dict(latest.lanes.values_list("lane", "level")) == {
        "technology": 4,
        "governance": 2,
        "procedures": 3,
        "training": 2,
        "usage": 3,
    }
    systems = {t.radio_system for t in m.Talkgroup.objects.select_related("radio_system")}
    assert len(systems) == 2 and all(s.kind == "radio_system" for s in systems)
    assert m.Talkgroup.objects.count() == 8
    assert m.PartnerAgency.objects.count() == 7
    hospital = m.PartnerAgency.objects.get(kind="hospital")
    assert set(hospital.links.values_list("how", flat=True)) == {"cache_radios"}
    utility = m.PartnerAgency.objects.get(kind="utility")
    assert not utility.links.filter(tested_on__isnull=False).exists()
    # The 911 dispatch service relies on the county radio system, and the continuity
    # analysis follows that dependency down to it.
    county = Component.objects.get(name=demo.COUNTY_RADIO)
    service = Service.objects.get(name=demo.DISPATCH_SERVICE)
    graph = graph_input.analyze(None).result.graph
    assert ("component", county.pk) in graph.needs(("service", service.pk))
    with context.acting("cli"):
        assert demo.load_emergency_communications() == 0


@pytest.mark.django_db
def test_it_staff_home_page_counts_records_past_review_across_registers(users):
    """With several registers' records past their review, the home notice still answers."""
    long_ago = timezone.localdate() - datetime.timedelta(days=800)
    f.partner("Alder County", last_reviewed_on=long_ago)
    f.talkgroup("Mutual Aid", last_reviewed_on=long_ago)
    client = Client()
    client.force_login(users["staff"])
    response = client.get("/")
    assert response.status_code == 200
    assert "2 register records are past their review day." in response.content.decode()
