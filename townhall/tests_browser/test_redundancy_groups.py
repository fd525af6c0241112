"""Redundancy groups in a real browser: the group's list, add form and page, and the
dependency page that draws a group as "any one of" its members, pass axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from townhall.core import context, services
from townhall.estate import models as m

pytestmark = pytest.mark.browser


def make(model, name, **values):
    return services.create(context.SYSTEM, model, {"name": name, **values})


@pytest.fixture
def group(transactional_db):
    """Web portal runs on a pair of web servers, either one enough."""
    with context.acting("system"):
        portal = make(m.System, "Web portal")
        pair = services.create(
            context.SYSTEM,
            m.RedundancyGroup,
            {
                "name": "Web pair",
                "components": [make(m.Component, "web-a"), make(m.Component, "web-b")],
            },
        )
        services.create(
            context.SYSTEM,
            m.Dependency,
            {"from_system": portal, "to_group": pair, "kind": "runs_on"},
        )
    return {"portal": portal, "pair": pair}


def test_group_pages_and_the_dependency_page_are_accessible(
    live_server, users, group, new_page, sign_in, axe_check
):
    page = new_page()
    sign_in(page, live_server, users["staff"])
    url = live_server.url
    for address in (
        reverse("estate:redundancygroup_list"),
        reverse("estate:redundancygroup_add"),
        reverse("estate:redundancygroup_detail", args=[group["pair"].pk]),
    ):
        page.goto(url + address)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)
    page.goto(f"{url}/estate/systems/{group['portal'].pk}/dependencies/")
    expect(page.get_by_text("any one of", exact=False).first).to_be_visible()
    axe_check(page)
