"""Every link in the menu opens for the person it is shown to: no role is offered a page
that answers 403 or 404 (the menu shows only what the role can open)."""

import re

import pytest
from django.urls import reverse

ROLES = ["admin", "staff", "liaison", "board", "viewer"]


def menu_links(page: str) -> list[str]:
    """The addresses in the page's header navigation and footer."""
    header = page.split('<nav aria-label="Primary navigation"')[1].split("</nav>")[0]
    footer = page.split("<footer")[1].split("</footer>")[0]
    found = re.findall(r'href="(/[^"]*)"', header + footer)
    return sorted({h.replace("&amp;", "&") for h in found})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_the_role_it_is_shown_to(role, client_for):
    client = client_for(role)
    links = menu_links(client.get(reverse("core:home")).content.decode())
    assert len(links) > 20
    refused = {}
    for url in links:
        status = client.get(url).status_code
        if status in (403, 404):
            refused[url] = status
    assert not refused, f"{role} is offered pages it cannot open: {refused}"
