"""The SCIM service itself: who may use it, what it says it offers, and that no input,
however malformed, gets a server error."""

import json

import pytest
from django.test import Client

from townhall.accounts.models import LoginFailure
from townhall.scim.tests.conftest import Provider, token_secret

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(response.status_code)
    return body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer not-a-token-at-all", "Token abc", "Bearer a b", "Bearer \x7f\x00"],
)
def test_anything_but_a_valid_token_is_refused_with_401(users, header):
    client = Client()
    response = client.get("/scim/v2/Users", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["detail"]


@pytest.mark.django_db
def test_an_unknown_token_counts_against_the_address(users):
    Provider("x" * 43).get("Users")
    assert LoginFailure.objects.count() == 1


@pytest.mark.django_db
def test_a_session_cookie_is_not_enough(client_for):
    assert client_for("admin").get("/scim/v2/Users").status_code == 401


@pytest.mark.django_db
def test_only_an_administrators_write_token_provisions(users):
    staff = Provider(token_secret(users["staff"]))
    assert staff.get("Users").status_code == 403
    reader = Provider(token_secret(users["admin"], scope="read"))
    assert reader.get("Users").status_code == 200
    refused = reader.post("Users", {"userName": "a@x.org"})
    assert refused.status_code == 403
    assert "read-only" in error_of(refused)["detail"]


@pytest.mark.django_db
def test_discovery_documents(provider):
    config = provider.get("ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True and config["filter"]["supported"] is True
    types = provider.get("ResourceTypes").json()
    assert {r["id"] for r in types["Resources"]} == {"User", "Group"}
    assert provider.get("ResourceTypes/User").json()["endpoint"] == "/Users"
    schemas = provider.get("Schemas").json()
    assert len(schemas["Resources"]) == 3
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    assert provider.get(f"Schemas/{enterprise}").json()["id"] == enterprise
    assert provider.get("Schemas/nope").status_code == 404


@pytest.mark.django_db
def test_an_administrator_cannot_deactivate_their_own_account_through_scim(provider, users):
    response = provider.patch(
        f"Users/{users['admin'].pk}",
        {"Operations": [{"op": "replace", "value": {"active": False}}]},
    )
    assert response.status_code == 400
    assert error_of(response)["scimType"] == "invalidValue"
    users["admin"].refresh_from_db()
    assert users["admin"].is_active


BAD_BODIES = [
    "",
    "[" * 100_000,
    "null",
    "[]",
    '"text"',
    "{",
    b"\xff\xfe",
    {"userName": None},
    {"userName": ["a"]},
    {"userName": "a\x00b"},
    '{"userName": "ok@x.org", "name": {"givenName": "\\ud800"}}',
    '{"displayName": "G\\udfff"}',
    {"userName": "x" * 300},
    {"userName": "ok@x.org", "emails": "not-a-list-but-text"},
    {"userName": "ok@x.org", "emails": [1, None, {"value": 5}]},
    {"userName": "ok@x.org", "active": "yes"},
    {"userName": "ok@x.org", "name": "plain"},
    {"userName": "ok@x.org", "externalId": {"a": 1}},
    {"userName": "ok@x.org", "externalId": "e" * 500},
    {"userName": "ok@x.org", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": 5},
    {
        "userName": "ok@x.org",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": [1]},
    },
    {"displayName": ["x"], "members": "all"},
    {"displayName": "G", "members": [{"value": True}]},
    {"displayName": "G", "members": [{"value": "9" * 40}]},
    {"Operations": "all"},
    {"Operations": [None]},
    {"Operations": [{"op": 5}]},
    {"Operations": [{"op": "add", "path": 5, "value": 1}]},
    {"Operations": [{"op": "add", "value": [1]}]},
    {"Operations": [{"op": "add", "path": "members", "value": {"value": None}}]},
    {"Operations": [{"op": "replace", "path": "name", "value": {"givenName": {"x": 1}}}]},
    {
        "Operations": [
            {"op": "replace", "path": "emails", "value": [{"value": "a", "primary": True}]}
        ]
    },
]


@pytest.mark.django_db
def test_no_body_or_address_gets_a_server_error(provider, users):
    client = Client(raise_request_exception=False)
    user = provider.post("Users", {"userName": "target@x.org"}).json()["id"]
    group = provider.post("Groups", {"displayName": "Target"}).json()["id"]
    paths = [
        "Users",
        f"Users/{user}",
        "Groups",
        f"Groups/{group}",
        "Users/abc",
        "Users/99999999999999999999",
        "Nope/1",
    ]
    for body in BAD_BODIES:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        for path in paths:
            for method in ("post", "put", "patch"):
                response = getattr(client, method)(
                    f"/scim/v2/{path}",
                    data,
                    content_type="application/scim+json",
                    headers=provider.headers,
                )
                assert response.status_code < 500, (method, path, body, response.content)
                if response.status_code >= 400:
                    error_of(response)
    for query in [
        "startIndex=-5",
        "count=-1",
        "count=99999",
        "startIndex=x",
        "filter=",
        "filter=%00",
        f"startIndex={10**30}",
        f"startIndex={'9' * 5000}",
        f"count={10**30}",
    ]:
        response = client.get(f"/scim/v2/Users?{query}", headers=provider.headers)
        assert response.status_code < 500, query
    assert client.delete("/scim/v2/Users/abc", headers=provider.headers).status_code == 404
    assert client.generic("OPTIONS", "/scim/v2/Users", headers=provider.headers).status_code == 405


@pytest.mark.django_db
def test_an_address_guessing_tokens_is_held_back(users, settings):
    settings.LOGIN_ADDRESS_LIMIT = 3
    guesser = Provider("y" * 43)
    assert [guesser.get("Users").status_code for _ in range(4)] == [401, 401, 401, 429]
    assert error_of(guesser.get("Users"))["status"] == "429"


@pytest.mark.django_db
def test_a_base_address_given_with_a_trailing_slash_still_works(provider):
    found = provider.client.get("/scim/v2//Users", headers=provider.headers)
    assert found.status_code == 200 and found.json()["totalResults"] >= 1
    assert provider.get("Nothing/here").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_requests_making_the_same_account_at_once_get_a_uniqueness_error(provider, monkeypatch):
    """The second of two simultaneous POSTs passes the checks before the first commits; the
    database's unique key then refuses it, answered as SCIM's uniqueness error."""
    from townhall.accounts.models import User
    from townhall.scim import services
    from townhall.scim.models import ProvisionedGroup

    assert provider.post("Users", {"userName": "twin@x.org"}).status_code == 201
    assert provider.post("Groups", {"displayName": "Twins"}).status_code == 201
    monkeypatch.setattr(services, "_check_unique_username", lambda *a: None)
    monkeypatch.setattr(User, "validate_unique", lambda *a, **k: None)
    monkeypatch.setattr(ProvisionedGroup, "validate_unique", lambda *a, **k: None)
    monkeypatch.setattr(ProvisionedGroup.objects, "filter", ProvisionedGroup.objects.none().filter)
    again = provider.post("Users", {"userName": "twin@x.org"})
    assert again.status_code == 409 and error_of(again)["scimType"] == "uniqueness"
    group = provider.post("Groups", {"displayName": "Twins"})
    assert group.status_code == 409 and error_of(group)["scimType"] == "uniqueness"


@pytest.mark.django_db
def test_head_answers_as_get(provider):
    assert provider.client.head("/scim/v2/Users", headers=provider.headers).status_code == 200
    assert provider.client.head("/scim/v2/Groups", headers=provider.headers).status_code == 200


def test_the_addresses_pass_djangos_checks():
    from django.core.checks import run_checks

    assert [str(m) for m in run_checks(tags=["urls"])] == []
