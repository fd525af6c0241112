"""Entra ID's group overage: a person in too many groups for the ID token gets their groups
read from Microsoft Graph (here the test provider's stand-in) and mapped as usual; when Graph
does not list them, a clear refusal telling the administrator what to fix."""

from typing import Any

import pytest
from django.test import Client

from townhall.accounts.models import Role
from townhall.conftest import make_user
from townhall.core import context, services
from townhall.signin import config, graph
from townhall.signin.models import GroupMapping, SignInRefusal
from townhall.signin.tests.conftest import PROVIDER_ID, person, sign_in
from townhall.signin.tests.provider import CLIENT_ID, CLIENT_SECRET, MEMBER_OBJECTS
from townhall.signin.tests.test_flow import refusal_entry, signed_in_as

pytestmark = pytest.mark.django_db
Reason = SignInRefusal.Reason
STAFF_GROUP = "7d1a2b3c-0000-4000-8000-000000000001"
MANY = [f"00000000-0000-4000-8000-{n:012d}" for n in range(250)]


@pytest.fixture
def entra(provider, settings, departments):
    """The test provider as an Entra-style provider whose Graph is its own stand-in, one
    mapped group, and an account for the person."""
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(
                PROVIDER_ID,
                name="Entra ID",
                issuer=provider.issuer,
                client_id=CLIENT_ID,
                secret=CLIENT_SECRET,
                graph_url=f"{provider.issuer}/graph",
            )
        ]
    )
    with context.acting("system"):
        services.create(context.SYSTEM, GroupMapping, {"group": STAFF_GROUP, "role": Role.STAFF})
    user = make_user("pat", Role.VIEWER)
    with context.writing():
        user.email = "pat@county.example"
        user.save()
    return provider


def test_a_person_with_too_many_groups_gets_the_role_graph_lists(entra):
    # The mapped group is on Graph's second page.
    entra.person = person(groups=[*MANY, STAFF_GROUP])
    entra.overage = True
    client = Client()
    response = sign_in(client)
    assert response.status_code == 302, response.content
    user = signed_in_as(client)
    assert user is not None and user.role == Role.STAFF
    first = f"/graph/{MEMBER_OBJECTS}"
    assert entra.graph_calls == [first, f"{first}?$skiptoken=page2"]  # never the claim source
    assert not SignInRefusal.objects.exists()


def test_groups_from_graph_that_are_not_mapped_are_refused_as_unmapped(entra):
    entra.person = person(groups=MANY)
    entra.overage = True
    response = sign_in(Client())
    assert response.status_code == 403
    assert "none of your groups there gives a role" in response.content.decode()
    assert refusal_entry(Reason.UNMAPPED).groups == MANY[:100]


def test_no_graph_call_when_the_token_carries_the_groups(entra):
    entra.person = person(groups=[STAFF_GROUP])
    assert sign_in(Client()).status_code == 302
    assert entra.graph_calls == []


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ((403, {"error": {"code": "Authorization_RequestDenied"}}), "GroupMember.Read.All"),
        ((401, {"error": {"code": "InvalidAuthenticationToken"}}), "GroupMember.Read.All"),
        ((500, {"error": {"code": "ServiceUnavailable"}}), "answered with an error"),
        ((200, {"value": "not a list"}), "could not be read"),
        ((200, {"value": [1, 2]}), "could not be read"),
        ((200, ["value"]), "could not be read"),
        ((200, None), "could not be read"),
        ((200, {"value": [], "@odata.nextLink": "https://elsewhere.example/x"}), "be read"),
        ((200, {"value": [], "@odata.nextLink": 7}), "could not be read"),
    ],
)
def test_graph_not_listing_the_groups_is_a_clear_refusal(entra, answer, words):
    entra.person = person(groups=[STAFF_GROUP])
    entra.overage = True
    entra.graph_answer = answer
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    page = response.content.decode()
    assert "more groups than Entra ID puts in its sign-in answer" in page
    assert words in page
    assert "Groups assigned to the application" in page
    assert signed_in_as(client) is None
    refusal = refusal_entry(Reason.GRAPH_GROUPS)
    assert refusal.subject == "sub-1" and refusal.email == "pat@county.example"
    assert len(entra.graph_calls) == 1  # a next page elsewhere is not followed


def test_graph_unreachable_is_a_clear_refusal(entra, settings):
    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
    app["settings"]["graph_url"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    entra.person = person(groups=[STAFF_GROUP])
    entra.overage = True
    response = sign_in(Client())
    assert response.status_code == 403
    assert "Microsoft Graph could not be reached" in response.content.decode()
    refusal_entry(Reason.GRAPH_GROUPS)


def test_a_next_page_without_end_is_refused(monkeypatch):
    class Answer:
        status_code = 200

        def json(self) -> Any:
            return {"value": ["g"], "@odata.nextLink": "https://graph.example/v1.0/next"}

    class Session:
        def __enter__(self) -> "Session":
            return self

        def __exit__(self, *args: Any) -> None:
            pass

        def post(self, *args: Any, **kwargs: Any) -> Answer:
            return Answer()

        get = post

    monkeypatch.setattr(
        graph, "get_adapter", lambda: type("A", (), {"get_requests_session": Session})
    )
    with pytest.raises(graph.GraphError, match="malformed"):
        graph.member_objects("https://graph.example", "token")


@pytest.mark.parametrize(
    ("claims", "overage"),
    [
        ({"_claim_names": {"groups": "src1"}}, True),
        ({"_claim_names": {"groups": "src1"}, "groups": ["a"]}, False),
        ({"_claim_names": {"roles": "src1"}}, False),
        ({"_claim_names": "groups"}, False),
        ({}, False),
    ],
)
def test_the_overage_pointer_is_for_the_configured_groups_claim(claims, overage):
    assert graph.has_overage(claims, "groups") is overage


def test_the_graph_address_is_configurable_and_https_in_production(monkeypatch):
    monkeypatch.setenv("TOWNHALL_OIDC_PROVIDERS", "entra")
    monkeypatch.setenv("TOWNHALL_OIDC_ENTRA_ISSUER", "https://login.example/t/v2.0")
    monkeypatch.setenv("TOWNHALL_OIDC_ENTRA_CLIENT_ID", "abc")
    monkeypatch.setenv("TOWNHALL_OIDC_ENTRA_CLIENT_SECRET", "s")
    monkeypatch.delenv("TOWNHALL_PRODUCTION", raising=False)
    (entra,) = config.providers_from_env()
    assert entra["settings"]["graph_url"] == "https://graph.microsoft.com"
    monkeypatch.setenv("TOWNHALL_OIDC_ENTRA_GRAPH_URL", "http://127.0.0.1:8080/graph/")
    (entra,) = config.providers_from_env()
    assert entra["settings"]["graph_url"] == "http://127.0.0.1:8080/graph"
    monkeypatch.setenv("TOWNHALL_PRODUCTION", "on")
    with pytest.raises(RuntimeError, match="TOWNHALL_OIDC_ENTRA_GRAPH_URL must be an https"):
        config.providers_from_env()
    monkeypatch.setenv("TOWNHALL_OIDC_ENTRA_GRAPH_URL", "https://graph.microsoft.us")
    (entra,) = config.providers_from_env()
    assert entra["settings"]["graph_url"] == "https://graph.microsoft.us"
