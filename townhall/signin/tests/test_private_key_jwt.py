"""A provider like Login.gov: the token request signed with Townhall's private key instead
of a secret, acr_values and prompt sent, e-mail from the userinfo endpoint, and roles kept
in Townhall because the provider sends no groups."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import RSAKey

from townhall.accounts.models import Role, User
from townhall.conftest import make_user
from townhall.core import context, services
from townhall.signin import config
from townhall.signin.models import GroupMapping, Identity, SignInRefusal
from townhall.signin.oidc import client_assertion
from townhall.signin.tests.conftest import PROVIDER_ID, person, sign_in
from townhall.signin.tests.provider import CLIENT_ID, LocalProvider
from townhall.signin.tests.test_flow import refusal_entry, signed_in_as

pytestmark = pytest.mark.django_db
Reason = SignInRefusal.Reason
ACR = "urn:acr.login.gov:auth-only"


@pytest.fixture(scope="module")
def keys() -> dict[str, RSAKey]:
    """Townhall's key pair (the public half registered at the provider), and another."""
    return {"ours": RSAKey.generate_key(2048), "other": RSAKey.generate_key(2048)}


def pem(key: RSAKey) -> str:
    return key.as_pem(private=True).decode()


def configure(settings: Any, provider: LocalProvider, private_key: str, **options: Any) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(
                PROVIDER_ID,
                name="County ID",
                issuer=provider.issuer,
                client_id=CLIENT_ID,
                secret="",
                private_key=private_key,
                **options,
            )
        ]
    )


@pytest.fixture
def logingov(settings, keys) -> Iterator[LocalProvider]:
    """The test provider acting as Login.gov: it takes only a client assertion signed with
    Townhall's registered key, requires acr_values, leaves e-mail out of the ID token, and
    writes its issuer with a final slash."""
    running = LocalProvider(
        client_key=RSAKey.import_key(keys["ours"].as_dict(private=False)),
        require_acr=ACR,
        userinfo_only=("email", "email_verified"),
        slash_issuer=True,
    ).start()
    configure(
        settings,
        running,
        pem(keys["ours"]),
        scopes=["openid", "email"],
        acr_values=ACR,
        prompt="select_account",
        userinfo=True,
        roles=config.ROLES_FROM_TOWNHALL,
    )
    yield running
    running.stop()


@pytest.fixture
def pat(departments) -> User:
    user = make_user("pat", Role.STAFF)
    with context.writing():
        user.email = "pat@county.example"
        user.save()
    return user


def test_whole_sign_in_with_a_signed_client_assertion(logingov, pat):
    # A group the provider might send is mapped, yet the role stays the one set in Townhall.
    with context.acting("system"):
        services.create(context.SYSTEM, GroupMapping, {"group": "Viewers", "role": Role.VIEWER})
    logingov.person = person(groups=["Viewers"])
    client = Client()
    response = sign_in(client, next_url="/estate/")
    assert response.status_code == 302, response.content
    assert response["Location"] == "/estate/"
    assert signed_in_as(client) == pat
    pat.refresh_from_db()
    assert pat.role == Role.STAFF
    assert Identity.objects.get(provider=PROVIDER_ID, subject="sub-1").user == pat
    assert logingov.token_refusals == [] and len(logingov.used_jtis) == 1
    asked = logingov.seen[-1]
    assert asked["acr_values"] == ACR and asked["prompt"] == "select_account"
    assert len(asked["state"]) >= 22 and len(asked["nonce"]) >= 22
    assert set(asked["scope"].split()) == {"openid", "email"}


def test_a_wrong_key_is_refused_by_the_provider(logingov, pat, settings, keys):
    configure(settings, logingov, pem(keys["other"]), acr_values=ACR, userinfo=True)
    logingov.person = person()
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    assert "County ID answered with an error" in response.content.decode()
    assert signed_in_as(client) is None
    assert logingov.token_refusals == [
        "invalid_client: the client assertion's signature does not match the registered key"
    ]
    refusal_entry(Reason.PROVIDER)


def test_userinfo_about_someone_else_is_refused(logingov, pat):
    logingov.person = person()
    logingov.userinfo_answer = {"sub": "sub-2"}
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    assert "userinfo answer is about someone else" in response.content.decode()
    assert signed_in_as(client) is None
    refusal_entry(Reason.INVALID_TOKEN)
    assert not Identity.objects.exists()


@pytest.mark.parametrize("answer", [["not", "an", "object"], "text"])
def test_an_unreadable_userinfo_answer_is_a_clear_page(logingov, pat, answer):
    logingov.person = person()
    logingov.userinfo_answer = answer
    response = sign_in(Client())
    assert response.status_code == 403
    assert "County ID answered with an error" in response.content.decode()
    refusal_entry(Reason.PROVIDER)


def test_without_userinfo_the_account_is_not_found(logingov, pat, settings, keys):
    """The ID token alone has no e-mail: proof the address above came from userinfo."""
    configure(
        settings, logingov, pem(keys["ours"]), acr_values=ACR, roles=config.ROLES_FROM_TOWNHALL
    )
    logingov.person = person()
    response = sign_in(Client())
    assert response.status_code == 403
    refusal_entry(Reason.NO_ACCOUNT)


def test_a_provider_without_groups_makes_no_accounts(logingov, pat, settings):
    settings.TOWNHALL_OIDC_CREATE_ACCOUNTS = True
    logingov.person = person(sub="sub-9", email="someone@example.com")
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    assert "only for people who already have one" in response.content.decode()
    refusal_entry(Reason.NO_ACCOUNT)
    assert not User.objects.filter(email="someone@example.com").exists()


def test_a_deactivated_account_is_refused_by_a_provider_without_groups(logingov, pat):
    with context.writing():
        pat.is_active = False
        pat.save()
    logingov.person = person()
    assert sign_in(Client()).status_code == 403
    refusal_entry(Reason.DEACTIVATED)


def test_by_default_a_person_without_groups_is_still_refused(logingov, pat, settings, keys):
    configure(settings, logingov, pem(keys["ours"]), acr_values=ACR, userinfo=True)
    logingov.person = person()
    response = sign_in(Client())
    assert response.status_code == 403
    refusal_entry(Reason.UNMAPPED)
    pat.refresh_from_db()
    assert pat.role == Role.STAFF


def test_the_provider_checks_each_part_of_the_assertion(logingov, keys):
    """What the test provider refuses, so the tests above prove what they claim."""
    token_url = f"{logingov.issuer}/token"
    form = {"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}

    def refusal(assertion: str, **extra: str) -> str:
        return logingov.client_refusal({**form, "client_assertion": assertion, **extra}, None)

    good = client_assertion(CLIENT_ID, token_url, pem(keys["ours"]))
    assert refusal(good) == ""
    assert "used before" in refusal(good)
    assert "another token endpoint" in refusal(
        client_assertion(CLIENT_ID, logingov.issuer, pem(keys["ours"]))
    )
    assert "names another client" in refusal(
        client_assertion("someone-else", token_url, pem(keys["ours"]))
    )
    assert "secret was sent" in refusal(
        client_assertion(CLIENT_ID, token_url, pem(keys["ours"])), client_secret="x"
    )
    now = int(time.time())
    expired = jwt.encode(
        {"alg": "RS256"},
        {"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": token_url, "jti": "j", "exp": now - 5},
        keys["ours"],
    )
    assert "expired" in refusal(expired)
