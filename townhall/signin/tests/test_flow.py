"""The whole OpenID Connect sign-in against a real provider on 127.0.0.1, and each way it
is refused: with a clear page, a kept refusal and its audit entry, and nobody signed in."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from townhall.accounts.models import Role, User
from townhall.audit.models import AuditEntry
from townhall.conftest import make_user
from townhall.core import context, services
from townhall.signin import services as signin_services
from townhall.signin.models import BreakGlassSignIn, GroupMapping, Identity, SignInRefusal
from townhall.signin.tests.conftest import PROVIDER_ID, person, sign_in

pytestmark = pytest.mark.django_db
Reason = SignInRefusal.Reason


@pytest.fixture
def mappings(departments):
    with context.acting("system"):
        staff = services.create(
            context.SYSTEM, GroupMapping, {"group": "IT-Staff", "role": Role.STAFF}
        )
        liaison = services.create(
            context.SYSTEM,
            GroupMapping,
            {
                "provider": PROVIDER_ID,
                "group": "PW-Liaison",
                "role": Role.LIAISON,
                "department": departments["PW"].pk,
            },
        )
    return {"staff": staff, "liaison": liaison}


@pytest.fixture
def pat(departments):
    user = make_user("pat", Role.VIEWER)
    with context.writing():
        user.email = "Pat@County.example"
        user.save()
    return user


def signed_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refusal_entry(reason: str) -> SignInRefusal:
    refusal = SignInRefusal.objects.get()
    assert refusal.reason == reason
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(SignInRefusal), object_id=str(refusal.pk)
    )
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.after["reason"] == reason
    return refusal


def test_existing_account_signs_in_with_its_mapped_role(provider, mappings, pat):
    provider.person = person(groups=["PW-Liaison", "Unrelated"])
    client = Client()
    response = sign_in(client, next_url="/estate/")
    assert response.status_code == 302
    assert response["Location"] == "/estate/"
    pat.refresh_from_db()
    assert signed_in_as(client) == pat
    assert pat.role == Role.LIAISON
    assert pat.department == mappings["liaison"].department
    assert Identity.objects.get(provider=PROVIDER_ID, subject="sub-1").user == pat
    # The role change went through the write path.
    changes = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(pat.pk)
    )
    assert [e.after["role"] for e in changes] == [Role.LIAISON]


def test_the_request_carried_nonce_pkce_and_state(provider, mappings, pat):
    provider.person = person(groups=["IT-Staff"])
    sign_in(Client())
    query = provider.seen[-1]
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    # Login.gov refuses a state or nonce shorter than 22 characters.
    assert len(query["nonce"]) >= 32 and len(query["state"]) >= 22
    assert set(query["scope"].split()) == {"openid", "profile", "email"}


def test_the_request_cannot_change_scope_or_parameters(provider, mappings, pat):
    client = Client()
    start = client.post(
        f"/sso/{PROVIDER_ID}/start/?scope=offline_access&auth_params=nonce%3Dmine%26prompt%3Dnone"
    )
    query = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
    assert set(query["scope"].split()) == {"openid", "profile", "email"}
    assert query["nonce"] != "mine" and "prompt" not in query and "acr_values" not in query


def test_role_follows_the_groups_at_every_sign_in(provider, mappings, pat):
    provider.person = person(groups=["PW-Liaison"])
    sign_in(Client())
    provider.person = person(groups=["PW-Liaison", "IT-Staff"])  # the stronger role wins
    sign_in(Client())
    pat.refresh_from_db()
    assert pat.role == Role.STAFF
    assert Identity.objects.count() == 1


def test_unmapped_groups_are_refused(provider, mappings, pat):
    provider.person = person(groups=["Parks-Staff"])
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    assert "none of your groups there gives a role in Townhall" in response.content.decode()
    assert signed_in_as(client) is None
    refusal = refusal_entry(Reason.UNMAPPED)
    assert refusal.groups == ["Parks-Staff"] and refusal.user == pat
    pat.refresh_from_db()
    assert pat.role == Role.VIEWER  # nothing changed


def test_a_removed_mapping_takes_effect_at_the_next_sign_in(provider, mappings, pat):
    provider.person = person(groups=["IT-Staff"])
    assert sign_in(Client()).status_code == 302
    with context.acting("system"):
        services.delete(context.SYSTEM, mappings["staff"])
    assert sign_in(Client()).status_code == 403
    refusal_entry(Reason.UNMAPPED)


def test_deactivated_account_is_refused(provider, mappings, pat):
    with context.writing():
        pat.is_active = False
        pat.save()
    provider.person = person(groups=["IT-Staff"])
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    assert "The Townhall account pat is deactivated" in response.content.decode()
    assert signed_in_as(client) is None
    assert refusal_entry(Reason.DEACTIVATED).user == pat
    assert not Identity.objects.exists()


def test_no_account_is_made_unless_switched_on(provider, mappings, settings):
    provider.person = person(email="new@county.example", groups=["IT-Staff"])
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    assert "does not create accounts at first sign-in" in response.content.decode()
    refusal_entry(Reason.NO_ACCOUNT)
    assert not User.objects.filter(email="new@county.example").exists()

    settings.TOWNHALL_OIDC_CREATE_ACCOUNTS = True
    provider.person = person(
        email="new@county.example",
        preferred_username="new.person",
        given_name="New",
        family_name="Person",
        groups=["PW-Liaison"],
    )
    assert sign_in(client).status_code == 302
    made = User.objects.get(email="new@county.example")
    assert signed_in_as(client) == made
    assert (made.username, made.first_name, made.role) == ("new.person", "New", Role.LIAISON)
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(made.pk)
    ).exists()


def test_unverified_email_does_not_link_an_account(provider, mappings, pat):
    provider.person = person(email_verified=False, groups=["IT-Staff"])
    assert sign_in(Client()).status_code == 403
    refusal_entry(Reason.NO_ACCOUNT)


@pytest.mark.parametrize(
    ("tamper", "reason", "words"),
    [
        ({"key": "other"}, Reason.BAD_SIGNATURE, "signature does not match"),
        ({"exp": 1_000_000_000, "iat": 999_999_000}, Reason.EXPIRED, "it has expired"),
        ({"aud": "another-app"}, Reason.WRONG_AUDIENCE, "issued for another application"),
        ({"iss": "https://elsewhere.example"}, Reason.WRONG_ISSUER, "another issuer"),
        ({"nonce": None}, Reason.NONCE, "nonce is missing"),
        ({"nonce": "not-this-sign-in"}, Reason.NONCE, "nonce is missing or not this"),
    ],
)
def test_untrustworthy_id_tokens_are_refused(provider, mappings, pat, tamper, reason, words):
    provider.person = person(groups=["IT-Staff"])
    provider.tamper = tamper
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    page = response.content.decode()
    assert "County ID answered, but its answer could not be trusted" in page
    assert words in page
    assert signed_in_as(client) is None
    refusal_entry(reason)
    pat.refresh_from_db()
    assert pat.role == Role.VIEWER


def test_open_redirect_in_next_is_refused_before_leaving(provider, mappings, pat):
    client = Client()
    for i, next_url in enumerate(["https://evil.example/", "//evil.example/x", "/\\evil.example"]):
        response = client.post(f"/sso/{PROVIDER_ID}/start/", {"next": next_url})
        assert response.status_code == 403, next_url
        assert "outside Townhall" in response.content.decode()
        assert SignInRefusal.objects.filter(reason=Reason.UNSAFE_NEXT).count() == i + 1
    assert provider.seen == []  # the browser was never sent to the provider


def test_a_callback_without_its_state_is_refused(provider, mappings, pat):
    provider.person = person(groups=["IT-Staff"])
    start = Client().post(f"/sso/{PROVIDER_ID}/start/")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = urlparse(at_provider.headers["Location"])
    other_browser = Client()
    response = other_browser.get(f"{back.path}?{back.query}")
    assert response.status_code == 403
    assert "not started in this browser" in response.content.decode()
    assert signed_in_as(other_browser) is None
    refusal_entry(Reason.STATE)


def test_cancelled_at_the_provider(provider, mappings, pat):
    provider.deny = True
    response = sign_in(Client())
    assert response.status_code == 403
    assert "cancelled at County ID" in response.content.decode()
    refusal_entry(Reason.CANCELLED)


def test_provider_down_is_a_clear_page_not_an_error(provider, mappings, pat):
    provider.stop()
    response = Client().post(f"/sso/{PROVIDER_ID}/start/")
    assert response.status_code == 403
    assert "County ID could not be reached" in response.content.decode()
    refusal_entry(Reason.PROVIDER)


def test_unknown_provider_and_get_start(provider):
    client = Client()
    assert client.post("/sso/nobody/start/").status_code == 404
    assert client.get("/sso/nobody/callback/").status_code == 404
    assert client.get(f"/sso/{PROVIDER_ID}/start/")["Location"] == "/accounts/sign-in/"


def test_start_needs_the_csrf_token(provider):
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/sso/{PROVIDER_ID}/start/").status_code == 403
    assert provider.seen == []


def test_refusals_count_against_the_address(provider, mappings, pat, settings):
    settings.LOGIN_ADDRESS_LIMIT = 2
    client = Client()
    for _ in range(2):
        assert client.get(f"/sso/{PROVIDER_ID}/callback/?state=x&code=y").status_code == 403
    response = client.get(f"/sso/{PROVIDER_ID}/callback/?state=x&code=y")
    assert response.status_code == 429
    assert "Too many failed sign-ins from your network address" in response.content.decode()
    assert client.post(f"/sso/{PROVIDER_ID}/start/").status_code == 429
    assert SignInRefusal.objects.count() == 2  # nothing more is kept for that address
    assert provider.seen == []


def test_a_token_without_a_usable_subject_is_refused(provider, mappings, pat):
    provider.person = person(sub={"not": "text"}, groups=["IT-Staff"])
    response = sign_in(Client())
    assert response.status_code == 403
    assert "could not be trusted" in response.content.decode()
    refusal_entry(Reason.INVALID_TOKEN)
    assert not Identity.objects.exists()
    # A blank one passes the token's checks; the account is not looked for with it.
    with pytest.raises(signin_services.Refused, match="did not say who you are"):
        signin_services.sign_in(
            PROVIDER_ID, "County ID", person(sub="", groups=["IT-Staff"]), "groups"
        )


def test_an_account_that_cannot_be_saved_is_refused_not_an_error(provider, mappings, settings):
    settings.TOWNHALL_OIDC_CREATE_ACCOUNTS = True
    provider.person = person(email="not an address", groups=["IT-Staff"])
    response = sign_in(Client())
    assert response.status_code == 403
    assert "could not save your account" in response.content.decode()
    refusal_entry(Reason.ACCOUNT_INVALID)
    assert not User.objects.filter(email="not an address").exists()


@pytest.mark.parametrize(
    ("token_answer", "keys_answer", "reason"),
    [
        ({"id_token": None}, None, Reason.INVALID_TOKEN),
        ({"id_token": "not-a-token"}, None, Reason.INVALID_TOKEN),
        ({"id_token": 12345}, None, Reason.INVALID_TOKEN),
        ({"expires_in": "soon"}, None, Reason.PROVIDER),
        ({}, ["not", "an", "object"], Reason.PROVIDER),
        ({}, {"keys": [{"kid": "test-key-1", "kty": "RSA", "n": "x"}]}, Reason.BAD_SIGNATURE),
        ({}, {"keys": []}, Reason.BAD_SIGNATURE),
    ],
)
def test_a_misbehaving_provider_gets_a_clear_page_not_an_error(
    provider, mappings, pat, token_answer, keys_answer, reason
):
    provider.person = person(groups=["IT-Staff"])
    provider.token_answer = token_answer
    provider.keys_answer = keys_answer
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    assert "County ID" in response.content.decode()
    assert signed_in_as(client) is None
    refusal_entry(reason)


def test_provider_gone_before_the_return_is_a_clear_page(provider, mappings, pat):
    provider.person = person(groups=["IT-Staff"])
    client = Client()
    start = client.post(f"/sso/{PROVIDER_ID}/start/")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = urlparse(at_provider.headers["Location"])
    provider.stop()
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 403
    assert "County ID could not be reached" in response.content.decode()
    refusal_entry(Reason.PROVIDER)


@pytest.mark.parametrize("document", [["a", "list"], {"issuer": "x"}, "text"])
def test_a_broken_discovery_document_is_a_clear_page(provider, mappings, document):
    provider.discovery_answer = document
    response = Client().post(f"/sso/{PROVIDER_ID}/start/")
    assert response.status_code == 403
    assert "did not describe itself properly" in response.content.decode()
    refusal_entry(Reason.PROVIDER)


def test_single_sign_on_works_with_passwords_off_and_is_no_break_glass_use(
    provider, mappings, pat, settings
):
    settings.TOWNHALL_PASSWORD_SIGN_IN = False
    provider.person = person(groups=["IT-Staff"])
    client = Client()
    assert sign_in(client).status_code == 302
    assert signed_in_as(client) == pat
    assert not BreakGlassSignIn.objects.exists()


def test_two_first_sign_ins_at_once_make_one_account(mappings, settings, monkeypatch):
    """The other tab's request makes the account and its link between this one's look-up and
    its own save: this one then signs in to that account, and no second account is left."""
    settings.TOWNHALL_OIDC_CREATE_ACCOUNTS = True
    claims = {"sub": "sub-9", "email": "kim@county.example", "preferred_username": "kim"}
    claims["groups"] = ["IT-Staff"]
    looked_up = signin_services._by_email
    calls = []

    def other_tab_wins(found: dict) -> User | None:
        calls.append(1)
        if len(calls) == 1:
            monkeypatch.setattr(signin_services, "_by_email", looked_up)
            with context.acting("system"):
                signin_services._sign_in(PROVIDER_ID, "Test", claims, "sub-9", ["IT-Staff"])
            monkeypatch.setattr(signin_services, "_by_email", other_tab_wins)
            return None  # as this request saw it, before the other one saved
        return looked_up(found)

    monkeypatch.setattr(signin_services, "_by_email", other_tab_wins)
    with context.acting("web"):
        user = signin_services.sign_in(PROVIDER_ID, "Test", claims, "groups")
    assert user.username == "kim" and user.role == Role.STAFF
    assert list(User.objects.filter(email="kim@county.example")) == [user]
    assert Identity.objects.get().user == user
