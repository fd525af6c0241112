"""Residents' input in a real browser: a resident comments on a proposal open for comment
by keyboard alone, confirms from the e-mailed link, and a moderator publishes it from the
queue by keyboard; those pages, the ideas form and the page that opens a record for comment
pass axe-core."""

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_comment_form_and_moderation_queue_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    from townhall.public.models import ResidentInput
    from townhall.public.tests.input_helpers import ADDRESS, last_link, open_proposal

    staff = Client()
    staff.force_login(users["staff"])
    proposal = open_proposal(staff)
    url = live_server.url
    resident = new_page()
    resident.goto(f"{url}/public/investments/{proposal.pk}/")
    resident.goto(f"{url}/public/ideas/")
    expect(resident.get_by_label("Your idea in a few words")).to_be_visible()
    axe_check(resident)
    resident.goto(f"{url}/public/investments/{proposal.pk}/")
    expect(resident.get_by_role("heading", name="Have your say")).to_be_visible()
    axe_check(resident)

    # By keyboard: the comment, the address, then Enter on the button.
    resident.get_by_label("Your comment").focus()
    resident.keyboard.type("Zqcomment fund the permits")
    resident.keyboard.press("Tab")
    resident.keyboard.type(ADDRESS)
    resident.keyboard.press("Tab")
    expect(resident.get_by_role("button", name="Send")).to_be_focused()
    resident.keyboard.press("Enter")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert len(mail.outbox) == 1

    resident.goto(url + last_link())
    resident.get_by_role("button", name="Yes, I sent it").focus()
    resident.keyboard.press("Enter")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Thank you")

    moderator = new_page()
    sign_in(moderator, live_server, users["staff"])
    moderator.goto(f"{url}/publishing/moderation/")
    item = ResidentInput.objects.get()
    expect(moderator.locator("#moderation-queue")).to_contain_text("Zqcomment fund the permits")
    axe_check(moderator)
    moderator.get_by_role("button", name=f"Publish comment {item.pk}").focus()
    moderator.keyboard.press("Enter")
    expect(moderator.get_by_text("Nothing is waiting.")).to_be_visible()
    moderator.goto(f"{url}/publishing/comment-windows/")
    expect(moderator.locator("table")).to_contain_text(f"proposal {proposal.pk}")
    axe_check(moderator)

    resident.goto(f"{url}/public/investments/{proposal.pk}/")
    expect(resident.locator(".th-public-comments")).to_contain_text("Zqcomment fund the permits")
    axe_check(resident)
