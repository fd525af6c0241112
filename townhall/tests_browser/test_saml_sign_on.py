"""SAML sign-in in a real browser against the test identity provider on 127.0.0.1 (another
site than Townhall's `localhost`, so the provider's post back is a cross-site one): the
button by keyboard, the whole flow, the refusal page and the administrators' page, each of
Townhall's pages checked by axe-core."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from townhall.accounts.models import Role
from townhall.conftest import make_user
from townhall.core import context, services
from townhall.signin import config
from townhall.signin.models import GroupMapping, Identity, SignInRefusal
from townhall.signin.tests.saml_provider import ENTRA_EMAIL, ENTRA_GROUPS, LocalSamlProvider
from townhall.tests_browser.test_single_sign_on import _press_sign_in_with

pytestmark = pytest.mark.browser


@pytest.fixture
def saml_idp(settings) -> Iterator[LocalSamlProvider]:
    running = LocalSamlProvider().start()
    settings.TOWNHALL_SAML_PROVIDERS = [
        config.saml_app("adfs", name="County ADFS", metadata_xml=running.metadata())
    ]
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


def _at_provider_continue(page) -> None:
    """At the provider's page: on to Townhall by keyboard."""
    button = page.get_by_role("button", name="Continue to Townhall")
    expect(button).to_be_visible()
    button.focus()
    page.keyboard.press("Enter")


def test_sign_in_with_a_saml_provider_by_keyboard(
    transactional_db, live_server, new_page, axe_check, saml_idp, pat
):
    saml_idp.person = {
        "name_id": "pat-1",
        "attributes": {ENTRA_EMAIL: ["pat@county.example"], ENTRA_GROUPS: ["PW-Liaison"]},
    }
    page = new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/?next=/estate/services/")
    expect(page.get_by_role("button", name="Sign in with County ADFS")).to_be_visible()
    axe_check(page)
    _press_sign_in_with(page, "County ADFS")
    _at_provider_continue(page)
    expect(page).to_have_url(f"{live_server.url}/estate/services/")
    expect(page.get_by_role("link", name="pat (Department liaison)")).to_be_visible()
    assert Identity.objects.get(provider="adfs").user == pat
    assert saml_idp.requests_seen[0]["acs"] == f"{live_server.url}/sso/saml/adfs/acs/"


def test_a_response_signed_by_someone_else_is_a_clear_page(
    transactional_db, live_server, new_page, axe_check, saml_idp, pat
):
    saml_idp.person = {"name_id": "pat-1", "attributes": {ENTRA_GROUPS: ["PW-Liaison"]}}
    saml_idp.tamper = {"key": "other"}
    page = new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    _press_sign_in_with(page, "County ADFS")
    _at_provider_continue(page)
    expect(page.get_by_role("heading", name="Not signed in")).to_be_visible()
    expect(page.get_by_text("not by the provider's certificate")).to_be_visible()
    axe_check(page)
    assert SignInRefusal.objects.get().reason == SignInRefusal.Reason.BAD_SIGNATURE


def test_the_administrators_page_lists_saml_providers(
    transactional_db, live_server, new_page, axe_check, sign_in, users, saml_idp
):
    page = new_page()
    sign_in(page, live_server, users["admin"])
    page.goto(f"{live_server.url}/single-sign-on/")
    expect(page.get_by_role("heading", name="SAML providers")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Sign in with County ADFS")).to_be_visible()
    axe_check(page)


def test_an_administrator_imports_metadata(
    transactional_db, live_server, new_page, axe_check, sign_in, users, saml_idp, tmp_path
):
    saved = tmp_path / "metadata.xml"
    saved.write_text(saml_idp.metadata(), encoding="utf-8")
    page = new_page()
    sign_in(page, live_server, users["admin"])
    page.goto(f"{live_server.url}/single-sign-on/")
    page.get_by_role("link", name="Import metadata for County ADFS").click()
    expect(page.get_by_role("heading", name="Import the metadata of County ADFS")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Give the metadata's address or its file").first).to_be_visible()
    axe_check(page)
    page.locator("input[name=file]").set_input_files(str(saved))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported the metadata of County ADFS")).to_be_visible()
    expect(page.get_by_text("Imported 20")).to_be_visible()
    axe_check(page)
