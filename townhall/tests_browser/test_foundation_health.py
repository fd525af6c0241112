"""Foundation health in a real browser: axe-core on the front page's health section, a
service's foundation page and the health panel on a component's page, followed from one to
the next by keyboard, and each saying when the kept health is being updated."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from townhall.continuity.tests import factories as f
from townhall.core import context, services
from townhall.cyber import models as cm
from townhall.cyber.tests import factories as cf
from townhall.estate.models import Component
from townhall.foundation import stored

pytestmark = pytest.mark.browser


@pytest.fixture
def weak_estate(departments):
    pw = departments["PW"]
    dispatch = f.service("911 dispatch", pw)
    f.impact(dispatch, rto_hours=1, mission_essential=True)
    cad = f.system("CAD", pw)
    a, b, db = f.component("web-a", pw), f.component("web-b", pw), f.component("db-1", pw)
    f.needs(dispatch, cad)
    f.needs(cad, f.group("Web pair", a, b, department=pw))
    f.needs(cad, db)
    f.recovery(
        db, restore_hours=2, last_restore_test=timezone.localdate() - datetime.timedelta(400)
    )
    vuln = cf.vulnerability("CVE-2024-0001")
    cf.create(cm.Exposure, kind="kev", component=a, vulnerability=vuln, version_status="affected")
    return dispatch


def test_front_page_service_page_and_item_panel(
    transactional_db, live_server, users, weak_estate, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{url}/foundation/")
    expect(page.get_by_role("heading", name="Services whose foundation is weakest")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="911 dispatch").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foundation of 911 dispatch")
    axe_check(page)
    expect(
        page.get_by_text("No redundancy: its loss alone stops 911 dispatch").first
    ).to_be_visible()
    page.get_by_role("link", name="db-1").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("db-1")
    expect(page.get_by_role("heading", name="Health")).to_be_visible()
    axe_check(page)


def test_the_brief_as_a_web_page(
    transactional_db, live_server, users, weak_estate, new_page, sign_in, axe_check
):
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{live_server.url}/foundation/")
    page.get_by_role("link", name="web page").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foundation brief")
    expect(page.get_by_role("heading", name="If the work is deferred")).to_be_visible()
    axe_check(page)


def test_the_pages_say_when_the_health_is_being_updated(
    transactional_db, live_server, users, weak_estate, new_page, sign_in, axe_check, monkeypatch
):
    stored.recompute()
    monkeypatch.setattr(stored, "refresh", lambda: None)  # a worker will run the job
    db = Component.objects.get(name="db-1")
    services.update(context.SYSTEM, db, {"end_of_support": datetime.date(2020, 1, 1)}, version=None)
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    for path in (
        "/foundation/",
        f"/foundation/services/{weak_estate.pk}/",
        f"/estate/components/{db.pk}/",
    ):
        page.goto(f"{url}{path}")
        expect(page.get_by_role("status").filter(has_text="being updated")).to_be_visible()
        axe_check(page)
    stored.recompute()
    page.reload()
    expect(page.get_by_text("Past its vendor's end of support since 2020-01-01")).to_be_visible()
    expect(page.get_by_text("being updated")).to_have_count(0)
