"""Two-step sign-in in a real browser, by keyboard, with axe-core on every page: an
administrator requires it for a role, a person of that role sets up an app right after the
password, signs in with a code from it and with a recovery code, and an administrator
resets it."""

import datetime
import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from townhall.accounts.models import AuthenticatorApp, SessionPolicy
from townhall.conftest import PASSWORD

pytestmark = pytest.mark.browser


def type_password(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/sign-in/")
    page.get_by_label("Username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def test_two_step_sign_in_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    url = live_server.url
    admin = new_page()
    sign_in(admin, live_server, users["admin"])
    admin.goto(f"{url}/accounts/session-policy/")
    expect(admin.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    axe_check(admin)
    admin.get_by_label("IT staff").focus()
    admin.keyboard.press("Space")
    admin.get_by_role("button", name="Save the roles").focus()
    admin.keyboard.press("Enter")
    expect(admin.get_by_text("The roles that must use two-step sign-in were saved")).to_be_visible()
    assert SessionPolicy.objects.get().mfa_roles == ["staff"]

    # Right after the password, the person of that role sets up an app, and nothing else.
    staff = new_page()
    type_password(staff, url, "staff1")
    staff.wait_for_url(f"{url}/accounts/me/two-step/")
    expect(staff.get_by_text("Your role must use two-step sign-in.")).to_be_visible()
    expect(staff.locator("svg title")).to_have_text("QR code for your authenticator app")
    axe_check(staff)
    staff.goto(f"{url}/")
    expect(staff).to_have_url(f"{url}/accounts/me/two-step/")
    secret = staff.locator("#mfa-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    staff.get_by_label("Code").focus()
    staff.keyboard.type("123")
    staff.keyboard.press("Enter")
    expect(staff.get_by_role("heading", name="Not set up yet")).to_be_visible()
    axe_check(staff)
    staff.get_by_label("Code").fill("")
    staff.get_by_label("Code").focus()
    staff.keyboard.type(totp.now())
    staff.keyboard.press("Enter")
    expect(staff.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    codes = [c.strip() for c in staff.locator("ol.th-recovery-codes code").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    axe_check(staff)
    staff.get_by_role("link", name="I have kept them").focus()
    staff.keyboard.press("Enter")
    expect(staff.get_by_text("Recovery codes left")).to_be_visible()
    axe_check(staff)
    staff.goto(f"{url}/")
    expect(staff).to_have_url(f"{url}/")

    # Next time: the password, then a code (the next one: each is accepted once).
    laptop = new_page()
    type_password(laptop, url, "staff1")
    laptop.wait_for_url(f"{url}/accounts/sign-in/code/")
    axe_check(laptop)
    laptop.get_by_label("Code").focus()
    laptop.keyboard.type("000000")
    laptop.keyboard.press("Enter")
    expect(laptop.get_by_role("heading", name="Not signed in")).to_be_visible()
    axe_check(laptop)
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=30)
    laptop.get_by_label("Code").fill("")
    laptop.get_by_label("Code").focus()
    laptop.keyboard.type(totp.at(later))
    laptop.keyboard.press("Enter")
    laptop.wait_for_url(f"{url}/")

    # Without the phone: a recovery code, once.
    phone_lost = new_page()
    type_password(phone_lost, url, "staff1")
    phone_lost.wait_for_url(f"{url}/accounts/sign-in/code/")
    phone_lost.get_by_label("Code").focus()
    phone_lost.keyboard.type(codes[0])
    phone_lost.keyboard.press("Enter")
    phone_lost.wait_for_url(f"{url}/")
    expect(phone_lost.get_by_text("You used a recovery code; 9 left")).to_be_visible()
    axe_check(phone_lost)

    # An administrator resets it.
    admin.goto(f"{url}/accounts/users/{users['staff'].pk}/")
    button = admin.get_by_role("button", name="Reset two-step sign-in")
    button.focus()
    admin.keyboard.press("Enter")
    expect(admin.get_by_text("staff1: two-step sign-in was reset.")).to_be_visible()
    axe_check(admin)
    assert not AuthenticatorApp.objects.exists()


def test_a_passkey_stands_in_for_the_code(
    transactional_db, live_server, users, new_page, axe_check
):
    from townhall.accounts import mfa
    from townhall.accounts.models import Passkey, SignInEvent

    url = live_server.url
    secret = pyotp.random_base32()
    assert mfa.enrol(users["staff"], secret, pyotp.TOTP(secret).now()) is not None
    page = new_page()
    # Chromium's own virtual authenticator, standing in for a laptop's built-in one.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    type_password(page, url, "staff1")
    page.wait_for_url(f"{url}/accounts/sign-in/code/")
    expect(page.get_by_role("button", name="Use a passkey")).to_have_count(0)  # none yet
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=30)
    page.get_by_label("Code").focus()
    page.keyboard.type(pyotp.TOTP(secret).at(later))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/")

    page.goto(f"{url}/accounts/me/two-step/")
    expect(page.get_by_text("You have no passkeys.")).to_be_visible()
    axe_check(page)
    page.get_by_label("Name of the new passkey").focus()
    page.keyboard.type("Work laptop")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The passkey “Work laptop” was added.")).to_be_visible()
    expect(page.get_by_role("row", name="Work laptop")).to_be_visible()
    axe_check(page)
    assert Passkey.objects.get().owner == users["staff"]

    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")
    # Signed out first: a new address while the sign-out is still loading aborts it.
    expect(page).to_have_url(f"{url}/accounts/sign-in/")
    type_password(page, url, "staff1")
    page.wait_for_url(f"{url}/accounts/sign-in/code/")
    axe_check(page)
    page.get_by_role("button", name="Use a passkey").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/")
    event = SignInEvent.objects.filter(kind=SignInEvent.Kind.SIGNED_IN).latest("id")
    assert event.method == "password and passkey"
    assert Passkey.objects.get().last_used_at is not None
