"""SCIM Groups: membership gives the role and department through sign-in's group mappings,
as Okta and Entra ID push groups (request shapes written from their published behaviour)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.accounts.models import Role, User
from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.scim.models import ProvisionedGroup
from townhall.scim.tests.conftest import Provider
from townhall.signin.models import GroupMapping

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def mappings(departments):
    with context.acting("system"):
        services.create(
            context.SYSTEM, GroupMapping, {"provider": "", "group": "IT Staff", "role": Role.STAFF}
        )
        services.create(
            context.SYSTEM,
            GroupMapping,
            {
                "provider": "scim",
                "group": "Public Works Liaisons",
                "role": Role.LIAISON,
                "department": departments["PW"].pk,
            },
        )
        # Mapped for another provider only: not for provisioning.
        services.create(
            context.SYSTEM,
            GroupMapping,
            {"provider": "entra", "group": "Admins", "role": Role.ADMIN},
        )


def person(provider: Provider, name: str) -> str:
    response = provider.post("Users", {"userName": name, "active": True})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def group(provider: Provider, name: str, members: list[str] = ()) -> dict:
    body = {"schemas": [GROUP], "displayName": name, "members": [{"value": m} for m in members]}
    response = provider.post("Groups", body)
    assert response.status_code == 201, response.content
    return response.json()


def role_of(pk: str) -> tuple[str, int | None]:
    user = User.objects.get(pk=pk)
    return user.role, user.department_id


@pytest.mark.django_db
def test_okta_pushes_a_group_and_its_members_get_the_mapped_role(provider, mappings):
    ana = person(provider, "ana@x.org")
    made = group(provider, "IT Staff", [ana])
    assert made["members"][0]["value"] == ana
    assert role_of(ana) == (Role.STAFF, None)
    entry = AuditEntry.objects.filter(object_id=ana, action="update").latest("pk")
    assert entry.via == "scim"


@pytest.mark.django_db
def test_okta_patch_adds_and_removes_members_by_the_value_filter_path(
    provider, mappings, departments
):
    ana, sam = person(provider, "ana@x.org"), person(provider, "sam@x.org")
    made = group(provider, "Public Works Liaisons")
    add = {
        "schemas": [PATCH],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": ana}, {"value": sam}]}],
    }
    assert provider.patch(f"Groups/{made['id']}", add).status_code == 200
    assert role_of(ana) == (Role.LIAISON, departments["PW"].pk)
    remove = {
        "schemas": [PATCH],
        "Operations": [{"op": "remove", "path": f'members[value eq "{ana}"]'}],
    }
    response = provider.patch(f"Groups/{made['id']}", remove)
    assert [m["value"] for m in response.json()["members"]] == [sam]
    assert role_of(ana) == (Role.VIEWER, None)
    assert role_of(sam) == (Role.LIAISON, departments["PW"].pk)


@pytest.mark.django_db
def test_entra_patch_capitalised_with_member_lists_and_a_rename(provider, mappings):
    ana, sam = person(provider, "ana@x.org"), person(provider, "sam@x.org")
    made = group(provider, "Helpdesk", [ana])
    assert role_of(ana) == (Role.VIEWER, None)  # not mapped
    body = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "Add", "path": "members", "value": [{"value": sam}]},
            {"op": "Remove", "path": "members", "value": [{"value": ana}]},
            {"op": "Replace", "path": "displayName", "value": "IT Staff"},
        ],
    }
    response = provider.patch(f"Groups/{made['id']}", body)
    assert response.status_code == 200, response.content
    assert response.json()["displayName"] == "IT Staff"
    assert role_of(sam) == (Role.STAFF, None)
    assert role_of(ana) == (Role.VIEWER, None)


@pytest.mark.django_db
def test_okta_path_less_replace_renames_and_the_members_take_the_new_role(provider, mappings):
    ana = person(provider, "ana@x.org")
    made = group(provider, "Helpdesk", [ana])
    body = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "value": {"id": made["id"], "displayName": "IT Staff"}}],
    }
    assert provider.patch(f"Groups/{made['id']}", body).status_code == 200
    assert role_of(ana) == (Role.STAFF, None)


@pytest.mark.django_db
def test_a_mapping_for_another_provider_gives_nothing(provider, mappings):
    ana = person(provider, "ana@x.org")
    group(provider, "Admins", [ana])
    assert role_of(ana) == (Role.VIEWER, None)


@pytest.mark.django_db
def test_put_replaces_members_and_delete_takes_the_role_away(provider, mappings):
    ana, sam = person(provider, "ana@x.org"), person(provider, "sam@x.org")
    made = group(provider, "IT Staff", [ana])
    put = {"schemas": [GROUP], "displayName": "IT Staff", "members": [{"value": sam}]}
    assert provider.put(f"Groups/{made['id']}", put).status_code == 200
    assert (role_of(ana)[0], role_of(sam)[0]) == (Role.VIEWER, Role.STAFF)
    assert provider.delete(f"Groups/{made['id']}").status_code == 204
    assert not ProvisionedGroup.objects.exists()
    assert role_of(sam) == (Role.VIEWER, None)
    assert provider.get(f"Groups/{made['id']}").status_code == 404


@pytest.mark.django_db
def test_list_filter_by_display_name_and_without_members(provider, mappings):
    ana = person(provider, "ana@x.org")
    made = group(provider, "IT Staff", [ana])
    group(provider, "Helpdesk")
    found = provider.get(
        "Groups", filter='displayName eq "IT Staff"', excludedAttributes="members"
    ).json()
    assert found["totalResults"] == 1
    assert found["Resources"][0]["id"] == made["id"]
    assert "members" not in found["Resources"][0]
    user = provider.get(f"Users/{ana}").json()
    assert user["groups"][0]["display"] == "IT Staff"


@pytest.mark.django_db
def test_group_refusals_in_scim_error_form(provider, mappings):
    made = group(provider, "IT Staff")
    cases = [
        ("post", "Groups", {"displayName": "IT Staff"}, 409, "uniqueness"),
        ("post", "Groups", {"displayName": ""}, 400, "invalidValue"),
        (
            "post",
            "Groups",
            {"displayName": "X", "members": [{"value": "999999"}]},
            400,
            "invalidValue",
        ),
        (
            "post",
            "Groups",
            {"displayName": "X", "members": [{"value": "abc"}]},
            400,
            "invalidValue",
        ),
        (
            "patch",
            f"Groups/{made['id']}",
            {"Operations": [{"op": "add", "path": 'members[value eq "1"]', "value": "1"}]},
            400,
            "invalidPath",
        ),
        (
            "patch",
            f"Groups/{made['id']}",
            {"Operations": [{"op": "replace", "path": "owner", "value": "x"}]},
            400,
            "noTarget",
        ),
        (
            "patch",
            f"Groups/{made['id']}",
            {"Operations": [{"op": "remove", "path": "displayName"}]},
            400,
            "mutability",
        ),
    ]
    for method, path, body, status, scim_type in cases:
        response = getattr(provider, method)(path, body)
        assert response.status_code == status, (body, response.content)
        assert response.json()["scimType"] == scim_type, body


@pytest.mark.django_db
def test_the_groups_list_reads_the_same_number_of_queries_however_many_groups(provider):
    ana = person(provider, "ana@x.org")

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert provider.get("Groups").status_code == 200
        return len(seen)

    group(provider, "G0", [ana])
    few = queries()
    for n in range(1, 10):
        group(provider, f"G{n}", [ana])
    assert queries() == few


@pytest.mark.django_db
def test_an_administrator_maps_a_provisioned_group_on_the_single_sign_on_page(provider, client_for):
    page = client_for("admin")
    assert "Provisioning (SCIM)" in page.get(reverse("signin:mapping_add")).content.decode()
    saved = page.post(
        reverse("signin:mapping_add"),
        {"provider": "scim", "group": "Townhall Admins", "role": Role.ADMIN},
    )
    assert saved.status_code == 302
    ana = person(provider, "ana@x.org")
    group(provider, "Townhall Admins", [ana])
    assert role_of(ana) == (Role.ADMIN, None)


@pytest.mark.django_db
def test_adding_one_member_costs_the_same_however_large_the_group(provider, mappings):
    def queries_to_add(size: int) -> int:
        members = [person(provider, f"m{size}-{n}@x.org") for n in range(size)]
        made = group(provider, f"Group of {size}", members)
        joiner = person(provider, f"joiner{size}@x.org")
        body = {"Operations": [{"op": "add", "path": "members", "value": [{"value": joiner}]}]}
        with CaptureQueriesContext(connection) as seen:
            assert provider.patch(f"Groups/{made['id']}", body).status_code == 200
        return len(seen)

    assert queries_to_add(20) == queries_to_add(3)


@pytest.mark.django_db
def test_entra_asks_whether_someone_is_a_member(provider, mappings):
    ana, sam, eve = (person(provider, f"{n}@x.org") for n in ("ana", "sam", "eve"))
    made = group(provider, "IT Staff", [ana, sam])
    group(provider, "Helpdesk", [sam])

    def found(query: str) -> list[str]:
        listed = provider.get("Groups", filter=query, excludedAttributes="members").json()
        return [g["displayName"] for g in listed["Resources"]]

    assert found(f'id eq "{made["id"]}" and members[value eq "{ana}"]') == ["IT Staff"]
    assert found(f'id eq "{made["id"]}" and members[value eq "{eve}"]') == []
    assert found(f'members[value eq "{sam}"] or members[value eq "{ana}"]') == [
        "IT Staff",
        "Helpdesk",
    ]
    assert found('id eq "not-a-number"') == []
    assert provider.get("Groups", filter='id gt "1"').json()["scimType"] == "invalidFilter"
    assert provider.get("Users", filter=f'id eq "{ana}"').json()["totalResults"] == 1


@pytest.mark.django_db
def test_entra_groups_object_id_as_external_id_matches_a_mapping(provider, departments):
    object_id = "5e1f3c2a-9b7d-4e8f-a1c2-3d4e5f6a7b8c"
    with context.acting("system"):
        services.create(
            context.SYSTEM, GroupMapping, {"provider": "", "group": object_id, "role": Role.STAFF}
        )
    ana = person(provider, "ana@x.org")
    body = {
        "schemas": [GROUP],
        "displayName": "Townhall IT",
        "externalId": object_id,
        "members": [{"value": ana}],
    }
    assert provider.post("Groups", body).status_code == 201
    assert role_of(ana) == (Role.STAFF, None)


@pytest.mark.django_db
def test_a_new_external_id_alone_gives_the_members_its_role(provider, departments):
    with context.acting("system"):
        services.create(
            context.SYSTEM, GroupMapping, {"provider": "", "group": "oid-1", "role": Role.STAFF}
        )
    ana = person(provider, "ana@x.org")
    made = group(provider, "Townhall IT", [ana])
    body = {"Operations": [{"op": "Replace", "path": "externalId", "value": "oid-1"}]}
    assert provider.patch(f"Groups/{made['id']}", body).status_code == 200
    assert role_of(ana) == (Role.STAFF, None)


@pytest.mark.django_db
def test_renaming_a_group_writes_only_the_people_whose_role_changes(provider, mappings):
    def queries_to_rename(size: int) -> int:
        members = [person(provider, f"r{size}-{n}@x.org") for n in range(size)]
        made = group(provider, f"Unmapped {size}", members)
        body = {"Operations": [{"op": "Replace", "path": "displayName", "value": f"Still {size}"}]}
        with CaptureQueriesContext(connection) as seen:
            assert provider.patch(f"Groups/{made['id']}", body).status_code == 200
        return len(seen)

    assert queries_to_rename(20) == queries_to_rename(3)


@pytest.mark.django_db
def test_a_provisioned_account_is_the_one_single_sign_on_finds(provider, mappings, settings):
    from townhall.signin.services import sign_in

    settings.TOWNHALL_OIDC_CREATE_ACCOUNTS = False
    made = provider.post(
        "Users",
        {"userName": "ana@x.org", "emails": [{"value": "ana@x.org", "primary": True}]},
    ).json()
    claims = {"sub": "entra-sub-1", "email": "ana@x.org", "groups": ["IT Staff"]}
    with context.acting("web"):
        user = sign_in("okta", "Okta", claims, "groups")
    assert user.pk == int(made["id"])
    assert role_of(made["id"]) == (Role.STAFF, None)


@pytest.mark.django_db
def test_the_audit_log_shows_provisioning_to_administrators(provider, mappings, client_for):
    from townhall.audit.models import AuditEntry

    ana = person(provider, "ana@x.org")
    made = group(provider, "IT Staff", [ana])
    page = client_for("admin")
    listing = page.get("/audit/")
    assert listing.status_code == 200
    assert "IT Staff" in listing.content.decode()
    for entry in AuditEntry.objects.filter(via="scim"):
        assert page.get(f"/audit/{entry.pk}/").status_code == 200
    assert provider.delete(f"Groups/{made['id']}").status_code == 204
    assert page.get("/audit/").status_code == 200
    assert client_for("staff").get("/audit/").content.decode().count("IT Staff") == 0
