"""API tokens, signed-in sessions and the session limits, in a real browser: axe-core on
every page, everything done by keyboard."""

import datetime

import pytest
from playwright.sync_api import expect

from townhall.accounts.models import ApiToken, SessionPolicy, SignedInSession
from townhall.accounts.services import token_for

pytestmark = pytest.mark.browser


def test_making_and_revoking_a_token_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.get_by_role("link", name="viewer1 (Viewer)").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    axe_check(page)

    # A mistake first: an expiry too far away is refused with its reason.
    page.get_by_label("Name").fill("Dashboard feed")
    far = datetime.date.today() + datetime.timedelta(days=500)
    page.get_by_label("Expires on").fill(far.isoformat())
    page.get_by_label("Expires on").press("Enter")
    expect(page.get_by_role("heading", name="Token not made")).to_be_visible()
    expect(page.get_by_role("link", name="Expires on")).to_be_visible()
    axe_check(page)

    page.get_by_label("Expires on").fill(
        (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_label("What it may do").select_option("write")
    page.get_by_label("Name").press("Enter")
    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    secret = page.get_by_label("The token").input_value()
    token = ApiToken.objects.get()
    assert secret.startswith(token.prefix) and token.scope == "write"
    axe_check(page)

    page.get_by_role("link", name="Back to your account").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("row", name="Dashboard feed")).to_be_visible()
    assert secret not in page.content()
    button = page.get_by_role("button", name="Revoke the token Dashboard feed")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The token “Dashboard feed” was revoked")).to_be_visible()
    expect(page.get_by_role("row", name="Dashboard feed")).to_contain_text("Revoked")
    axe_check(page)


def test_ending_another_session_signs_that_browser_out_with_a_reason(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    laptop = new_page()
    phone = new_page()
    sign_in(laptop, live_server, users["viewer"])
    sign_in(phone, live_server, users["viewer"])
    laptop.goto(f"{live_server.url}/accounts/me/")
    expect(laptop.get_by_role("row", name="(this session)")).to_be_visible()
    axe_check(laptop)
    other = SignedInSession.objects.exclude(
        pk__in=[s.pk for s in SignedInSession.objects.order_by("pk")[:1]]
    ).get()
    button = laptop.get_by_role("button", name="End the session signed in")
    expect(button).to_have_count(1)
    button.focus()
    laptop.keyboard.press("Enter")
    expect(laptop.get_by_text("That session was ended")).to_be_visible()
    other.refresh_from_db()
    assert other.ended_at is not None

    phone.goto(f"{live_server.url}/accounts/me/")
    expect(phone).to_have_url(f"{live_server.url}/accounts/sign-in/?next=/accounts/me/")
    expect(phone.get_by_text("your session was ended from another session")).to_be_visible()
    axe_check(phone)


def test_signing_out_everywhere_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    here = new_page()
    elsewhere = new_page()
    sign_in(here, live_server, users["viewer"])
    sign_in(elsewhere, live_server, users["viewer"])
    token_for(users["viewer"], name="Sync")
    here.goto(f"{live_server.url}/accounts/me/")
    here.get_by_label("Keep the API tokens working").focus()
    here.keyboard.press("Space")
    here.get_by_role("button", name="Sign out everywhere").focus()
    here.keyboard.press("Enter")
    expect(here).to_have_url(f"{live_server.url}/accounts/sign-in/")
    expect(
        here.get_by_text("You signed out everywhere: 2 sessions ended; API tokens kept.")
    ).to_be_visible()
    axe_check(here)
    elsewhere.goto(f"{live_server.url}/accounts/me/")
    expect(elsewhere).to_have_url(f"{live_server.url}/accounts/sign-in/?next=/accounts/me/")
    assert ApiToken.objects.get().revoked_at is None


def test_administrators_set_session_limits_and_see_a_persons_access(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    token_for(users["staff"], name="Inventory sync")
    staff = new_page()
    sign_in(staff, live_server, users["staff"])
    page = new_page()
    sign_in(page, live_server, users["admin"])
    page.goto(f"{live_server.url}/accounts/session-policy/")
    expect(page.get_by_role("heading", name="Session limits")).to_be_visible()
    axe_check(page)
    page.get_by_label("Idle limit (minutes)").fill("600")
    page.get_by_label("Absolute limit (hours)").fill("2")
    page.get_by_label("Absolute limit (hours)").press("Enter")
    expect(page.get_by_text("cannot be shorter than the idle one").first).to_be_visible()
    axe_check(page)
    page.get_by_label("Idle limit (minutes)").fill("30")
    page.get_by_label("Absolute limit (hours)").fill("12")
    page.get_by_role("button", name="Save the limits").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The session limits were saved")).to_be_visible()
    assert SessionPolicy.objects.get().idle_minutes == 30

    page.goto(f"{live_server.url}{users['staff'].get_absolute_url()}")
    expect(page.get_by_role("row", name="Inventory sync")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Sign staff1 out everywhere").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("staff1: 1 session ended; 1 API token revoked.")).to_be_visible()
    axe_check(page)
    staff.goto(f"{live_server.url}/")
    expect(staff).to_have_url(f"{live_server.url}/accounts/sign-in/?next=/")
