"""Every kind of public page, in English and in Spanish, passes axe-core: the front page,
search, each kind's list and record (the budget year's portfolio page among them), a record
open for comment with its form, the ideas form and the page that says a link was sent.
Other browser tests use these pages by keyboard; this one holds them all to WCAG in both
languages, so a new kind or page is checked too."""

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_every_public_page_passes_axe_in_both_languages(
    transactional_db, live_server, users, departments, new_page, axe_check
):
    from townhall.public import kinds
    from townhall.public.tests import samples
    from townhall.public.tests.input_helpers import open_proposal

    staff = Client()
    staff.force_login(users["staff"])
    proposal = open_proposal(staff)  # the investment sample, open for comment
    records = {"proposal": proposal}
    for kind in kinds.all_kinds():
        if kind.key != "proposal":
            records[kind.key] = samples.make(kind.key)
        samples.publish(kind.key, list(kind.field_names))
    addresses = ["/public/", "/public/search/?q=Zqtitl", "/public/ideas/"]
    for kind in kinds.all_kinds():
        addresses += [f"/public/{kind.slug}/", f"/public/{kind.slug}/{records[kind.key].pk}/"]

    page = new_page()
    for language, check in (("en", "Have your say"), ("es", "Dé su opinión")):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        for address in addresses:
            page.goto(live_server.url + address)
            expect(page.locator("html")).to_have_attribute("lang", language)
            axe_check(page)
        # The comment form and, once sent, the page that asks to confirm.
        page.goto(f"{live_server.url}/public/investments/{proposal.pk}/")
        expect(page.get_by_role("heading", name=check)).to_be_visible()
        page.locator("textarea").first.fill("Zqcomment")
        page.locator("input[type=email]").fill(f"{language}@example.org")
        page.locator("form button[type=submit]").last.click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        axe_check(page)
    assert len(mail.outbox) == 2
