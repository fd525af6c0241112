"""The environment's options on page-made providers: the private key (checked as the
environment's key file is, sealed, write-only, never in a page, the audit log or the API),
acr_values, prompt, userinfo, roles kept in Townhall, and the Microsoft Graph address."""

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.test import Client
from django.urls import reverse

from townhall.accounts.models import Role
from townhall.core import context, services
from townhall.signin import config, providers, sealing
from townhall.signin.models import GroupMapping, SignInProvider
from townhall.signin.tests.conftest import PROVIDER_ID, person, sign_in
from townhall.signin.tests.provider import CLIENT_ID, LocalProvider
from townhall.signin.tests.test_flow import signed_in_as
from townhall.signin.tests.test_private_key_jwt import ACR, keys, logingov, pat, pem
from townhall.signin.tests.test_providers import add, entries, oidc_values, refused

pytestmark = pytest.mark.django_db
__all__ = ["keys", "logingov", "pat"]  # fixtures shared with the Login.gov tests


def key_pem(key: Any, password: bytes | None = None) -> str:
    encryption = BestAvailableEncryption(password) if password else NoEncryption()
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption).decode()


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def body_line(pem_text: str) -> str:
    """A line from the middle of a PEM: found in a page only if the key itself is there."""
    return pem_text.splitlines()[5]


def with_key(pem_text: str, **more: Any) -> dict[str, Any]:
    return oidc_values(client_secret="", private_key=sealing.seal_key(pem_text), **more)


# --- rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "words"),
    [
        ("not sealed", "private_key", "sealed"),
        ("not a key", "private_key", "RSA private key in PEM form"),
        ("passphrase", "private_key", "without a passphrase"),
        ("elliptic", "private_key", "RSA private key (RS256 is used)"),
        ("neither", "client_secret", "or a private key"),
        ("roles", "roles", "townhall (the role set in Townhall)"),
        ("graph", "graph_url", "https://"),
    ],
)
def test_option_rules_name_the_field_and_reason(kind, field, words, rsa_key):
    values = {
        "not sealed": oidc_values(private_key=key_pem(rsa_key)),
        "not a key": with_key("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----"),
        "passphrase": with_key(key_pem(rsa_key, b"a passphrase")),
        "elliptic": with_key(key_pem(ec.generate_private_key(ec.SECP256R1()))),
        "neither": oidc_values(client_secret=""),
        "roles": oidc_values(roles="everyone"),
        "graph": oidc_values(graph_url="graph.microsoft.com"),
    }[kind]
    assert words in " ".join(refused(values)[field])


def test_a_private_key_alone_is_enough_and_is_sealed(rsa_key):
    row = add(with_key(key_pem(rsa_key)))
    row.refresh_from_db()
    assert row.client_secret == "" and key_pem(rsa_key) not in row.private_key
    assert sealing.unseal_key(row.private_key) == key_pem(rsa_key)
    # Each kind of secret has its own key: a sealed private key opens nothing else.
    assert sealing.unseal(row.private_key) is None


def test_graph_address_is_https_only_in_production(settings):
    http = "http://graph.test.example"
    settings.PRODUCTION = True
    assert "https://" in " ".join(refused(oidc_values(graph_url=http))["graph_url"])
    add(oidc_values(graph_url="https://graph.microsoft.us/"))
    settings.PRODUCTION = False
    row = add(oidc_values(provider_id="test-graph", graph_url=http))
    assert providers.oidc_app(row)["settings"]["graph_url"] == http


def test_a_saml_provider_takes_none_of_these_options():
    errors = refused(
        {
            "kind": "saml",
            "provider_id": "adfs-page",
            "name": "ADFS",
            "private_key": sealing.seal_key("x"),
            "acr_values": ACR,
            "prompt": "login",
            "graph_url": "https://graph.microsoft.com",
            "userinfo": True,
            "roles": "townhall",
        }
    )
    for name in ("private_key", "acr_values", "prompt", "graph_url", "userinfo", "roles"):
        assert errors[name], name


def test_oidc_app_passes_every_option(rsa_key):
    row = add(
        with_key(
            key_pem(rsa_key),
            acr_values=f"  {ACR} ",
            prompt="select_account",
            userinfo=True,
            roles="townhall",
            graph_url="https://graph.microsoft.us",
        )
    )
    options = providers.oidc_app(row)["settings"]
    assert options["private_key"] == key_pem(rsa_key)
    assert options["auth_params"] == {"acr_values": ACR, "prompt": "select_account"}
    assert options["userinfo"] is True and options["roles"] == config.ROLES_FROM_TOWNHALL
    assert options["graph_url"] == "https://graph.microsoft.us"
    plain = providers.oidc_app(add(oidc_values(provider_id="plain")))["settings"]
    assert plain["graph_url"] == config.GRAPH_URL and plain["roles"] == config.ROLES_FROM_GROUPS
    assert plain["private_key"] == "" and plain["auth_params"] == {}


# --- the key on the page ---------------------------------------------------------------------


def form(**more: Any) -> dict[str, Any]:
    return {**oidc_values(client_secret=""), "enabled": "on", "roles": "groups", **more}


def test_the_key_is_write_only_and_never_shown(client_for, rsa_key):
    key = key_pem(rsa_key)
    client = client_for("admin")
    response = client.post(reverse("signin:provider_add"), form(private_key=key))
    assert response.status_code == 302, response.content.decode()
    row = SignInProvider.objects.get()
    assert sealing.unseal_key(row.private_key) == key.strip()
    with context.acting("system"):
        services.update(context.SYSTEM, row, {"name": "Renamed"}, version=row.version)
    row.refresh_from_db()
    edit = reverse("signin:provider_edit", args=[row.pk])
    response = client.post(edit, form(private_key=key_pem(rsa_key), version=row.version))
    assert response.status_code == 302
    audit = entries(row)
    assert "private_key" not in audit[0].after
    assert audit[-1].after.get("private_key") == "changed"
    pages = [
        reverse("signin:providers"),
        edit,
        reverse("signin:mappings"),
        reverse("audit:list"),
        *[reverse("audit:detail", args=[e.pk]) for e in audit],
        "/api/audit/entries/",
    ]
    row.refresh_from_db()
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        assert body_line(key) not in page and row.private_key not in page, address
        assert sealing.TOKEN_PREFIX not in page, address
    page = client.get(edit).content.decode()
    assert "Leave blank to keep the current key" in page
    public = rsa_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    assert body_line(public.decode()) in page
    # Refused input never echoes the key typed.
    response = client.post(edit, form(issuer="nope", private_key=key, version=row.version))
    assert response.status_code == 400
    assert "https://" in response.content.decode()
    assert body_line(key) not in response.content.decode()
    # Blank keeps the key.
    response = client.post(edit, form(prompt="login", version=row.version))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.prompt == "login" and sealing.unseal_key(row.private_key) == key.strip()


def test_a_bad_key_is_refused_on_the_form_with_the_reason(client_for):
    response = client_for("admin").post(
        reverse("signin:provider_add"), form(private_key="-----BEGIN PRIVATE KEY-----\nno")
    )
    assert response.status_code == 400
    assert "RSA private key in PEM form" in response.content.decode()
    assert not SignInProvider.objects.exists()


def test_removing_the_key_needs_a_client_secret(client_for, rsa_key):
    row = add(with_key(key_pem(rsa_key)))
    client = client_for("admin")
    edit = reverse("signin:provider_edit", args=[row.pk])
    assert "Remove the current private key" in client.get(edit).content.decode()
    response = client.post(edit, form(remove_private_key="on", version=row.version))
    assert response.status_code == 400
    assert "or a private key" in response.content.decode()
    response = client.post(
        edit, form(remove_private_key="on", client_secret="new-secret", version=row.version)
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.private_key == "" and sealing.unseal(row.client_secret) == "new-secret"


def test_a_key_that_cannot_be_opened_must_be_entered_again(client_for, settings, rsa_key):
    row = add(with_key(key_pem(rsa_key)))
    settings.SECRET_KEY = "another-key-entirely-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = []
    assert providers.page_oidc_apps() == []
    client = client_for("admin")
    assert (
        "private key must be entered again"
        in client.get(reverse("signin:providers")).content.decode()
    )
    edit = reverse("signin:provider_edit", args=[row.pk])
    assert "private key must be entered again" in client.get(edit).content.decode()
    response = client.post(edit, form(private_key=key_pem(rsa_key), version=row.version))
    assert response.status_code == 302
    assert [a["provider_id"] for a in providers.page_oidc_apps()] == ["county-page"]


# --- how roles are given, on the pages -------------------------------------------------------


def test_pages_say_how_each_provider_gives_roles(client_for, settings, rsa_key):
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(
                "logingov",
                name="Login.gov",
                issuer="https://idp.example",
                client_id="a",
                secret="",
                private_key=key_pem(rsa_key),
                roles=config.ROLES_FROM_TOWNHALL,
            ),
            config.app("okta", name="Okta", issuer="https://o.example", client_id="b", secret="c"),
        ]
    )
    add(with_key(key_pem(rsa_key), roles="townhall"))
    add(oidc_values(provider_id="entra-page", groups_claim="roles"))
    client = client_for("admin")
    listing = client.get(reverse("signin:providers")).content.decode()
    assert listing.count("Kept in Townhall") == 2
    assert "From groups (claim roles)" in listing and "From groups (claim groups)" in listing
    single = client.get(reverse("signin:mappings")).content.decode()
    assert single.count("Kept in Townhall") == 2 and "Groups claim" not in single
    assert "From groups (claim roles)" in single


# --- a whole sign-in -------------------------------------------------------------------------


@pytest.fixture
def page_logingov(logingov: LocalProvider, settings, keys) -> LocalProvider:
    """The Login.gov stand-in, added on the page instead of by the environment."""
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings([])
    settings.TOWNHALL_SAML_PROVIDERS = []
    logingov.row = add(
        oidc_values(
            provider_id=PROVIDER_ID,
            name="County ID",
            issuer=logingov.issuer,
            client_id=CLIENT_ID,
            client_secret="",
            private_key=sealing.seal_key(pem(keys["ours"])),
            scopes="openid email",
            acr_values=ACR,
            prompt="select_account",
            userinfo=True,
            roles="townhall",
        )
    )
    return logingov


def test_a_page_made_provider_signs_token_requests_and_keeps_the_role(page_logingov, pat):
    # A group the provider might send is mapped, yet the role stays the one set in Townhall.
    with context.acting("system"):
        services.create(context.SYSTEM, GroupMapping, {"group": "Viewers", "role": Role.VIEWER})
    page_logingov.person = person(groups=["Viewers"])
    client = Client()
    response = sign_in(client, next_url="/estate/")
    assert response.status_code == 302, response.content.decode()
    assert signed_in_as(client) == pat
    pat.refresh_from_db()
    assert pat.role == Role.STAFF
    # The provider took the signed assertion (it refuses a secret or a wrong key).
    assert page_logingov.token_refusals == [] and len(page_logingov.used_jtis) == 1
    asked = page_logingov.seen[-1]
    assert asked["acr_values"] == ACR and asked["prompt"] == "select_account"


def test_a_page_made_provider_with_another_key_is_refused_by_the_provider(page_logingov, pat, keys):
    row = page_logingov.row
    with context.acting("system"):
        services.update(
            context.SYSTEM,
            row,
            {"private_key": sealing.seal_key(pem(keys["other"]))},
            version=row.version,
        )
    page_logingov.person = person()
    client = Client()
    assert sign_in(client).status_code == 403
    assert signed_in_as(client) is None
    assert page_logingov.token_refusals == [
        "invalid_client: the client assertion's signature does not match the registered key"
    ]
