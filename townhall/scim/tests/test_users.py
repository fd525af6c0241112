"""SCIM Users: create, read, filter, page, replace, patch and deactivate, as Entra ID and Okta
send them (request shapes written from their published SCIM behaviour)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.accounts.models import ApiToken, SignedInSession, User
from townhall.audit.models import AuditEntry
from townhall.scim.models import ProvisionedUser
from townhall.scim.tests.conftest import Provider, token_secret

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

# Entra ID's create: UPN as userName, the enterprise extension beside the core schema.
ENTRA_CREATE = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    "externalId": "0a21f0f2-8d2a-4f8e-bf1e-7e7d6c7f2b11",
    "userName": "Test_User_ab6490ee@city.example.gov",
    "active": True,
    "displayName": "Ana Reyes",
    "emails": [{"primary": True, "type": "work", "value": "ana.reyes@city.example.gov"}],
    "meta": {"resourceType": "User"},
    "name": {"formatted": "Ana Reyes", "familyName": "Reyes", "givenName": "Ana"},
    "roles": [],
    ENTERPRISE: {"employeeNumber": "4711", "department": "Public Works"},
}
# Okta's create: login as userName, a password Townhall does not keep.
OKTA_CREATE = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "sam.lee@county.example.org",
    "name": {"givenName": "Sam", "familyName": "Lee"},
    "emails": [{"primary": True, "value": "sam.lee@county.example.org", "type": "work"}],
    "displayName": "Sam Lee",
    "locale": "en-US",
    "externalId": "00ujl29u0le5T6Aj10h7",
    "groups": [],
    "password": "1mz050nq",
    "active": True,
}


def create(provider: Provider, body: dict) -> dict:
    response = provider.post("Users", body)
    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("application/scim+json")
    return response.json()


@pytest.mark.django_db
def test_entra_creates_a_user_with_the_enterprise_extension(provider):
    made = create(provider, ENTRA_CREATE)
    user = User.objects.get(pk=made["id"])
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "Test_User_ab6490ee@city.example.gov",
        "Ana",
        "Reyes",
        "ana.reyes@city.example.gov",
    )
    assert user.role == "viewer" and user.is_active
    record = ProvisionedUser.objects.get(user=user)
    assert record.external_id == ENTRA_CREATE["externalId"]
    assert (record.employee_number, record.department_name) == ("4711", "Public Works")
    assert made[ENTERPRISE] == {"employeeNumber": "4711", "department": "Public Works"}
    assert made["externalId"] == ENTRA_CREATE["externalId"]
    entry = AuditEntry.objects.filter(object_id=str(user.pk), action="create").first()
    assert entry is not None and entry.via == "scim"


@pytest.mark.django_db
def test_okta_creates_a_user_and_the_password_is_not_the_one_sent(provider):
    made = create(provider, OKTA_CREATE)
    user = User.objects.get(pk=made["id"])
    assert not user.check_password("1mz050nq")
    assert made["emails"] == [
        {"value": "sam.lee@county.example.org", "type": "work", "primary": True}
    ]


@pytest.mark.django_db
def test_a_taken_user_name_is_a_uniqueness_error(provider):
    create(provider, OKTA_CREATE)
    again = provider.post("Users", {**OKTA_CREATE, "userName": "SAM.LEE@county.example.org"})
    assert again.status_code == 409
    assert again.json()["scimType"] == "uniqueness"
    assert again.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        'userName eq "sam.lee@county.example.org"',
        'externalId eq "00ujl29u0le5T6Aj10h7"',
        'emails[type eq "work"].value eq "sam.lee@county.example.org"',
    ],
)
def test_filters_find_the_one_user(provider, query):
    create(provider, ENTRA_CREATE)
    made = create(provider, OKTA_CREATE)
    found = provider.get("Users", filter=query).json()
    assert found["totalResults"] == 1
    assert [r["id"] for r in found["Resources"]] == [made["id"]]


@pytest.mark.django_db
def test_a_filter_on_another_email_type_or_nobody_finds_nothing(provider):
    create(provider, OKTA_CREATE)
    home = 'emails[type eq "home"].value eq "sam.lee@county.example.org"'
    assert provider.get("Users", filter=home).json()["totalResults"] == 0
    nobody = provider.get("Users", filter='userName eq "nobody@x"').json()
    assert nobody["totalResults"] == 0 and nobody["Resources"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        'title eq "x"',
        "userName eq",
        'userName zz "x"',
        '"',
        'active eq "maybe"',
        "active eq null",
        'userName eq "a" or meta.created gt "2020"',
        "x" * 2000,
    ],
)
def test_a_filter_townhall_cannot_read_is_refused_never_widened(provider, query):
    response = provider.get("Users", filter=query)
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"


@pytest.mark.django_db
def test_deeply_nested_filters_are_read_or_refused_never_a_server_error(provider):
    create(provider, OKTA_CREATE)
    wanted = 'userName eq "sam.lee@county.example.org"'
    for query in ["(" * 400 + wanted + ")" * 400, "not(" * 100 + wanted + ")" * 100]:
        response = provider.get("Users", filter=query)
        assert response.status_code in (200, 400), query[:20]
        if response.status_code == 200:
            assert response.json()["totalResults"] == 1  # an even number of nots


@pytest.mark.django_db
def test_paging_by_start_index_and_count(provider, users):
    for n in range(5):
        create(provider, {**OKTA_CREATE, "userName": f"p{n}@x.org", "externalId": f"e{n}"})
    everyone = provider.get("Users").json()
    page = provider.get("Users", startIndex=3, count=2).json()
    assert page["totalResults"] == everyone["totalResults"] == User.objects.count()
    assert page["startIndex"] == 3 and page["itemsPerPage"] == 2
    assert [r["id"] for r in page["Resources"]] == [r["id"] for r in everyone["Resources"][2:4]]
    assert provider.get("Users", count="many").status_code == 400


@pytest.mark.django_db
def test_the_users_list_reads_the_same_number_of_queries_however_many_users(provider):
    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert provider.get("Users").status_code == 200
        return len(seen)

    create(provider, OKTA_CREATE)
    few = queries()
    for n in range(12):
        create(provider, {**OKTA_CREATE, "userName": f"q{n}@x.org", "externalId": f"q{n}"})
    assert queries() == few


@pytest.mark.django_db
def test_entra_patch_with_capitalised_ops_path_less_values_and_active_as_text(provider):
    made = create(provider, ENTRA_CREATE)
    body = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "Replace", "path": "name.familyName", "value": "Reyes-Ortiz"},
            {
                "op": "Add",
                "value": {
                    "name.givenName": "Ana María",
                    f"{ENTERPRISE}:employeeNumber": "4712",
                },
            },
            {
                "op": "Replace",
                "path": 'emails[type eq "work"].value',
                "value": "ana.ortiz@city.example.gov",
            },
            {"op": "Replace", "path": "title", "value": "Analyst"},
        ],
    }
    response = provider.patch(f"Users/{made['id']}", body)
    assert response.status_code == 200, response.content
    user = User.objects.get(pk=made["id"])
    assert (user.first_name, user.last_name, user.email) == (
        "Ana María",
        "Reyes-Ortiz",
        "ana.ortiz@city.example.gov",
    )
    assert user.provisioned.employee_number == "4712"


@pytest.mark.django_db
def test_patch_operation_errors_say_what_is_wrong(provider):
    made = create(provider, OKTA_CREATE)
    cases = [
        ({"Operations": [{"op": "Remove"}]}, "noTarget"),
        ({"Operations": [{"op": "move", "path": "active"}]}, "invalidValue"),
        ({"Operations": [{"op": "replace", "path": "active", "value": "perhaps"}]}, "invalidValue"),
        ({"Operations": [{"op": "replace", "path": "id", "value": "9"}]}, "mutability"),
        ({"Operations": [{"op": "replace", "path": "userName", "value": ""}]}, "invalidValue"),
        ({"Operations": []}, "invalidValue"),
        ({"Operations": [{"op": "replace", "path": "userName", "value": "a b!"}]}, "invalidValue"),
    ]
    for body, scim_type in cases:
        response = provider.patch(f"Users/{made['id']}", body)
        assert response.status_code == 400, (body, response.content)
        assert response.json()["scimType"] == scim_type, body
    assert provider.patch(f"Users/{made['id']}", "[not json").json()["scimType"] == "invalidSyntax"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200
    return client


def deactivation_cases() -> list:
    return [
        (
            "entra patch",
            "patch",
            {"Operations": [{"op": "Replace", "path": "active", "value": "False"}]},
        ),
        (
            "entra path-less",
            "patch",
            {"Operations": [{"op": "Replace", "value": {"active": "False"}}]},
        ),
        ("okta patch", "patch", {"Operations": [{"op": "replace", "value": {"active": False}}]}),
        ("okta put", "put", {**OKTA_CREATE, "active": False}),
        ("delete", "delete", None),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name,method,body", deactivation_cases())
def test_deactivation_locks_the_person_out_at_once(provider, name, method, body):
    made = create(provider, OKTA_CREATE)
    user = User.objects.get(pk=made["id"])
    browser = signed_in(user)
    secret = token_secret(user, scope="read")
    assert (
        Client()
        .get("/api/org/departments/", headers={"Authorization": f"Token {secret}"})
        .status_code
        == 200
    )
    path = f"Users/{made['id']}"
    response = (
        provider.delete(path) if method == "delete" else getattr(provider, method)(path, body)
    )
    assert response.status_code in (200, 204), response.content
    user.refresh_from_db()
    assert not user.is_active
    assert User.objects.filter(pk=user.pk).exists()  # kept, never deleted
    assert browser.get("/").status_code == 302  # sent to sign in on the next request
    refused = Client().get("/api/org/departments/", headers={"Authorization": f"Token {secret}"})
    assert refused.status_code == 401
    assert not ApiToken.objects.filter(owner=user, revoked_at__isnull=True).exists()
    assert not SignedInSession.objects.filter(owner=user, ended_at__isnull=True).exists()
    assert provider.get(path).json()["active"] is False


@pytest.mark.django_db
def test_reactivation_through_scim(provider):
    made = create(provider, {**OKTA_CREATE, "active": False})
    assert made["active"] is False
    body = {"Operations": [{"op": "replace", "path": "active", "value": True}]}
    assert provider.patch(f"Users/{made['id']}", body).json()["active"] is True


@pytest.mark.django_db
def test_an_account_switched_off_in_townhall_stays_off_whatever_the_provider_pushes(
    provider, users
):
    from townhall.accounts.tests.test_passwords import edit_post

    made = create(provider, OKTA_CREATE)
    user = User.objects.get(pk=made["id"])
    admin = Client()
    admin.force_login(users["admin"])
    edit = reverse("accounts:user_edit", args=[user.pk])
    assert admin.post(edit, {**edit_post(user), "is_active": ""}).status_code == 302
    # The provider's next push still says active, with a new name.
    body = {"Operations": [{"op": "Replace", "value": {"active": "True", "name.givenName": "Al"}}]}
    pushed = provider.patch(f"Users/{user.pk}", body)
    assert pushed.status_code == 200, pushed.content
    assert pushed.json()["active"] is False and pushed.json()["name"]["givenName"] == "Al"
    assert provider.put(f"Users/{user.pk}", OKTA_CREATE).json()["active"] is False
    user.refresh_from_db()
    assert not user.is_active and user.first_name == "Sam"  # the PUT set the name back
    # An administrator lifts the hold; from then on the provider decides again.
    user.refresh_from_db()
    assert admin.post(edit, {**edit_post(user), "is_active": "on"}).status_code == 302
    off = {"Operations": [{"op": "replace", "path": "active", "value": False}]}
    assert provider.patch(f"Users/{user.pk}", off).json()["active"] is False
    on = {"Operations": [{"op": "replace", "path": "active", "value": True}]}
    assert provider.patch(f"Users/{user.pk}", on).json()["active"] is True


@pytest.mark.django_db
def test_put_replaces_the_user_and_blanks_what_it_leaves_out(provider):
    made = create(provider, ENTRA_CREATE)
    body = {"userName": ENTRA_CREATE["userName"], "name": {"givenName": "Ana"}}
    response = provider.put(f"Users/{made['id']}", body)
    assert response.status_code == 200, response.content
    got = response.json()
    assert got["name"]["familyName"] == "" and got["emails"] == [] and ENTERPRISE in got
    assert got[ENTERPRISE] == {}


@pytest.mark.django_db
def test_manager_is_kept_as_a_link_to_the_account(provider, users):
    made = create(
        provider, {**ENTRA_CREATE, ENTERPRISE: {"manager": {"value": str(users["staff"].pk)}}}
    )
    assert made[ENTERPRISE]["manager"] == {"value": str(users["staff"].pk)}
    body = {"Operations": [{"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": "999999"}]}
    assert provider.patch(f"Users/{made['id']}", body).json()["scimType"] == "invalidValue"


@pytest.mark.django_db
def test_entra_path_less_map_with_an_email_filter_key_and_the_extension_nested(provider):
    made = create(provider, ENTRA_CREATE)
    body = {
        "schemas": [PATCH],
        "Operations": [
            {
                "op": "Replace",
                "value": {
                    'emails[type eq "work"].value': "ana.new@city.example.gov",
                    ENTERPRISE: {"department": "Finance", "employeeNumber": 4800},
                    "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName": "Ruiz",
                },
            },
            {"op": "Remove", "path": f"{ENTERPRISE}:manager", "value": [{"value": "1"}]},
        ],
    }
    response = provider.patch(f"Users/{made['id']}", body)
    assert response.status_code == 200, response.content
    got = response.json()
    assert got["emails"][0]["value"] == "ana.new@city.example.gov"
    assert got["name"]["familyName"] == "Ruiz"
    assert got[ENTERPRISE] == {"employeeNumber": "4800", "department": "Finance"}
