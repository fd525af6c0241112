"""Every cyber record's list, add form and a record's page pass axe-core, for IT staff:
the generic pages with the module's fields (date-and-time inputs, pickers, choices)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from townhall.core import registry
from townhall.cyber import models as m
from townhall.cyber.tests import factories as f

pytestmark = pytest.mark.browser


def test_cyber_record_pages_are_accessible(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    system = f.system(1)
    risk = f.create(m.Risk, title="Flat network", owner_department=departments["PW"])
    f.create(
        m.Incident,
        title="Phishing wave",
        detected=datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC),
        risks=[risk],
        systems=[system],
    )
    f.create(m.Evidence, title="Backup test report", link="https://example.org/report")
    f.create(m.Exposure, kind="kev", system=system, vulnerability=f.vulnerability())
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    for resource in registry.all_resources():
        if resource.app_label != "cyber":
            continue
        for action in ("list", "add"):
            page.goto(url + reverse(resource.url_name(action)))
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            axe_check(page)
        first = resource.model.objects.order_by("pk").first()
        if first is not None:
            page.goto(url + reverse(resource.url_name("detail"), args=[first.pk]))
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            axe_check(page)
