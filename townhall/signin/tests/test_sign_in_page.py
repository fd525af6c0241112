"""The sign-in page: one button per provider (none configured: the page as it always was),
and password sign-in switched off for all but the break-glass administrator."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.conftest import PASSWORD
from townhall.signin import config
from townhall.signin.models import BreakGlassSignIn
from townhall.signin.tests.saml_provider import LocalSamlProvider

pytestmark = pytest.mark.django_db


def test_no_provider_no_button(settings):
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings([])
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Sign in with" not in page and 'name="password"' in page


def test_a_button_per_provider_carrying_next(settings):
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(p, name=n, issuer="https://x.example", client_id="c", secret="s")
            for p, n in (("entra", "Microsoft"), ("okta", "Okta"))
        ]
    )
    page = Client().get(reverse("accounts:login") + "?next=/estate/").content.decode()
    assert "Sign in with Microsoft" in page and "Sign in with Okta" in page
    assert 'action="/sso/entra/start/"' in page and 'action="/sso/okta/start/"' in page
    assert page.count('name="next" value="/estate/"') == 3  # the password form's and two


def test_buttons_come_first_when_passwords_are_off(settings):
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [config.app("okta", name="Okta", issuer="https://x.example", client_id="c", secret="s")]
    )
    page = Client().get(reverse("accounts:login")).content.decode()
    assert page.index('name="password"') < page.index("Sign in with Okta")
    settings.TOWNHALL_PASSWORD_SIGN_IN = False
    page = Client().get(reverse("accounts:login")).content.decode()
    assert page.count("Sign in with Okta") == 1
    assert page.index("Sign in with Okta") < page.index("Break-glass administrator")
    assert page.index("Break-glass administrator") < page.index('name="password"')


def test_password_sign_in_switched_off_but_for_break_glass(users, settings):
    settings.TOWNHALL_PASSWORD_SIGN_IN = False
    settings.TOWNHALL_BREAK_GLASS_USERNAME = "Admin1"
    refused = Client().post(reverse("accounts:login"), {"username": "staff1", "password": PASSWORD})
    assert refused.status_code == 400
    assert "Password sign-in is switched off here" in refused.content.decode()
    client = Client()
    allowed = client.post(reverse("accounts:login"), {"username": "admin1", "password": PASSWORD})
    assert allowed.status_code == 302
    assert client.get("/").status_code == 200
    # Each use is kept, with its audit entry, and shown to administrators.
    use = BreakGlassSignIn.objects.get()
    assert (use.user, use.username, use.ip_address) == (users["admin"], "admin1", "127.0.0.1")
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(BreakGlassSignIn), object_id=str(use.pk)
    ).exists()
    assert "admin1" in client.get(reverse("signin:mappings")).content.decode()


def test_password_sign_ins_are_not_kept_while_passwords_are_on(users):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "admin1", "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert not BreakGlassSignIn.objects.exists()


def test_the_break_glass_account_must_be_an_administrator(users, settings):
    settings.TOWNHALL_PASSWORD_SIGN_IN = False
    settings.TOWNHALL_BREAK_GLASS_USERNAME = "staff1"
    response = Client().post(
        reverse("accounts:login"), {"username": "staff1", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Password sign-in is switched off here" in response.content.decode()


def test_password_off_with_no_break_glass_named_lets_nobody_in(users, settings):
    settings.TOWNHALL_PASSWORD_SIGN_IN = False
    settings.TOWNHALL_BREAK_GLASS_USERNAME = ""
    response = Client().post(
        reverse("accounts:login"), {"username": "admin1", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_a_wrong_password_still_says_so_when_password_sign_in_is_off(users, settings):
    settings.TOWNHALL_PASSWORD_SIGN_IN = False
    response = Client().post(reverse("accounts:login"), {"username": "staff1", "password": "no"})
    assert b"correct username and password" in response.content


def test_only_the_sign_in_page_lets_forms_lead_to_the_providers(settings):
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(p, name=p, issuer=i, client_id="c", secret="s")
            for p, i in (
                ("entra", "https://login.microsoftonline.com/t/v2.0"),
                ("okta", "https://county.okta.example:8443/oauth2/default"),
            )
        ]
    )
    policy = Client().get(reverse("accounts:login"))["Content-Security-Policy"]
    assert (
        "form-action 'self' https://county.okta.example:8443 https://login.microsoftonline.com"
        in policy
    )
    assert "script-src 'self'" in policy
    assert "form-action 'self';" in Client().get("/healthz")["Content-Security-Policy"]
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings([])
    assert (
        "form-action 'self';" in Client().get(reverse("accounts:login"))["Content-Security-Policy"]
    )


def test_a_button_per_saml_provider_and_its_sign_in_address_allowed(settings):
    idp = LocalSamlProvider()
    idp.server.server_close()
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [config.app("okta", name="Okta", issuer="https://x.example", client_id="c", secret="s")]
    )
    settings.TOWNHALL_SAML_PROVIDERS = [
        config.saml_app("adfs", name="County ADFS", metadata_xml=idp.metadata()),
        config.saml_app("entra-saml", name="Entra", metadata_url="https://login.example/md"),
    ]
    response = Client().get(reverse("accounts:login") + "?next=/estate/")
    page = response.content.decode()
    assert page.index("Sign in with Okta") < page.index("Sign in with County ADFS")
    assert 'action="/sso/saml/adfs/start/"' in page
    assert 'action="/sso/saml/entra-saml/start/"' in page
    assert page.count('name="next" value="/estate/"') == 4
    policy = response["Content-Security-Policy"]
    assert f"{idp.address}" in policy and "https://login.example" in policy
