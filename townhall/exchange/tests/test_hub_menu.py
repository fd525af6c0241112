"""The hub's administrators' pages are in the Exchange menu when this Townhall is a hub,
for administrators only, and each opens."""

import pytest
from django.urls import reverse

from townhall.core import plugins
from townhall.core.tests.test_menu_links import menu_links
from townhall.exchange.apps import HUB_MENU, MENU, menu_pages


def test_the_hub_pages_are_offered_only_on_a_hub():
    assert menu_pages(False) == MENU
    assert menu_pages(True) == [*MENU, *HUB_MENU]


@pytest.mark.django_db
def test_on_a_hub_administrators_find_its_pages_in_the_menu(monkeypatch, settings, client_for):
    settings.EXCHANGE_HUB = True
    section = plugins.Section("exchange", "Exchange", order=100, pages=menu_pages(True))
    monkeypatch.setitem(plugins._sections, "exchange", section)
    hub_pages = {reverse(name) for _, name, _ in HUB_MENU}
    admin = client_for("admin")
    offered = set(menu_links(admin.get(reverse("core:home")).content.decode()))
    assert hub_pages <= offered
    for url in hub_pages:
        assert admin.get(url).status_code == 200, url
    staff = client_for("staff")
    assert not hub_pages & set(menu_links(staff.get(reverse("core:home")).content.decode()))
