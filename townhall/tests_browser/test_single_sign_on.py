"""Single sign-on in a real browser against the test OpenID Connect provider on 127.0.0.1:
the button on the sign-in page, by keyboard, the whole code flow, the refusal page and the
administrators' page, each checked by axe-core."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from townhall.accounts.models import Role
from townhall.conftest import make_user
from townhall.core import context, services
from townhall.signin import config
from townhall.signin.models import GroupMapping, Identity, SignInRefusal
from townhall.signin.tests.provider import CLIENT_ID, CLIENT_SECRET, LocalProvider

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(settings) -> Iterator[LocalProvider]:
    running = LocalProvider().start()
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(
                "county",
                name="County ID",
                issuer=running.issuer,
                client_id=CLIENT_ID,
                secret=CLIENT_SECRET,
            )
        ]
    )
    yield running
    running.stop()


@pytest.fixture
def pat(departments):
    user = make_user("pat", Role.VIEWER)
    with context.writing():
        user.email = "pat@county.example"
        user.save()
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            GroupMapping,
            {"group": "PW-Liaison", "role": Role.LIAISON, "department": departments["PW"].pk},
        )
    return user


def _press_sign_in_with(page, name: str) -> None:
    """Tab from the top of the page to the provider's button and press Enter."""
    button = page.get_by_role("button", name=f"Sign in with {name}")
    for _ in range(40):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail(f"Tab never reached “Sign in with {name}”")
    page.keyboard.press("Enter")


@pytest.mark.parametrize("passwords", [True, False], ids=["passwords-on", "passwords-off"])
def test_sign_in_with_a_provider_by_keyboard(
    transactional_db, live_server, new_page, axe_check, provider, pat, settings, passwords
):
    settings.TOWNHALL_PASSWORD_SIGN_IN = passwords
    provider.person = {"sub": "pat-1", "email": "pat@county.example", "groups": ["PW-Liaison"]}
    page = new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/?next=/estate/services/")
    expect(page.get_by_role("button", name="Sign in with County ID")).to_be_visible()
    axe_check(page)
    _press_sign_in_with(page, "County ID")
    expect(page).to_have_url(f"{live_server.url}/estate/services/")
    expect(page.get_by_role("link", name="pat (Department liaison)")).to_be_visible()
    pat.refresh_from_db()
    assert pat.department is not None and pat.department.code == "PW"


def test_an_unmapped_person_sees_a_clear_page(
    transactional_db, live_server, new_page, axe_check, provider, pat
):
    provider.person = {"sub": "pat-1", "email": "pat@county.example", "groups": ["Parks"]}
    page = new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    _press_sign_in_with(page, "County ID")
    expect(page.get_by_role("heading", name="Not signed in")).to_be_visible()
    expect(page.get_by_text("none of your groups there gives a role")).to_be_visible()
    axe_check(page)
    assert SignInRefusal.objects.get().reason == SignInRefusal.Reason.UNMAPPED


def test_the_administrators_page(
    transactional_db, live_server, new_page, axe_check, sign_in, users, provider, pat
):
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            SignInRefusal,
            {"provider": "county", "reason": "unmapped", "message": "m", "groups": ["Parks"]},
        )
        services.create(
            context.SYSTEM, Identity, {"provider": "county", "subject": "pat-1", "user": pat.pk}
        )
    page = new_page()
    sign_in(page, live_server, users["admin"])
    page.goto(f"{live_server.url}/single-sign-on/")
    expect(page.get_by_role("heading", name="Single sign-on", exact=True)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Add a group").click()
    axe_check(page)
    page.get_by_label("Group").fill("IT-Staff")
    page.get_by_label("Role").select_option(label="IT staff")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("rowheader", name="IT-Staff")).to_be_visible()
    page.get_by_role("link", name="Delete IT-Staff").click()
    axe_check(page)
    page.get_by_role("button", name="Delete the group").click()
    expect(page.get_by_text("Deleted: IT-Staff")).to_be_visible()
    page.get_by_role("link", name="Edit PW-Liaison").click()
    page.get_by_label("Role").select_option(label="Department liaison")
    page.get_by_label("Department").select_option(label="---------")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A department liaison needs the department").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="See and undo links").click()
    expect(page.get_by_role("rowheader", name="pat")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Unlink pat at county").click()
    expect(page.get_by_text("Unlinked: pat at county")).to_be_visible()
    axe_check(page)


def test_the_providers_pages(transactional_db, live_server, new_page, axe_check, sign_in, users):
    """An administrator adds a provider on the page, by keyboard and checked by axe."""
    page = new_page()
    sign_in(page, live_server, users["admin"])
    page.goto(f"{live_server.url}/single-sign-on/providers/")
    expect(page.get_by_role("heading", name="Sign-in providers")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Add a provider").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Add a sign-in provider")).to_be_visible()
    axe_check(page)
    page.get_by_label("Provider name").fill("county-page")
    page.get_by_label("Button words").fill("County page ID")
    page.get_by_label("Issuer").fill("not-an-address")
    page.get_by_label("Client ID", exact=True).fill("townhall")
    page.get_by_label("Client secret").fill("typed-secret")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Give the provider's https:// address").first).to_be_visible()
    axe_check(page)
    page.get_by_label("Issuer").fill("https://id.county.example")
    page.get_by_label("Client secret").fill("typed-secret")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("rowheader", name="Sign in with County page ID")).to_be_visible()
    assert "typed-secret" not in page.content()
