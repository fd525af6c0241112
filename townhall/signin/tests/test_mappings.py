"""The administrators' single sign-on page: groups mapped to roles through the write path,
audited; refused sign-ins listed; nobody else may open it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.accounts.models import Role
from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.signin.models import GroupMapping, Identity, SignInRefusal

pytestmark = pytest.mark.django_db


def entries(obj_pk: int) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(GroupMapping), object_id=str(obj_pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_an_administrator_adds_changes_and_deletes_a_mapping(client_for, departments):
    client = client_for("admin")
    response = client.post(
        reverse("signin:mapping_add"),
        {
            "provider": "",
            "group": "PW-Liaison",
            "role": Role.LIAISON,
            "department": departments["PW"].pk,
        },
    )
    assert response.status_code == 302
    mapping = GroupMapping.objects.get(group="PW-Liaison")
    page = client.get(reverse("signin:mappings")).content.decode()
    assert "PW-Liaison" in page and "Public Works" in page
    response = client.post(
        reverse("signin:mapping_edit", args=[mapping.pk]),
        {"group": "PW-Liaison", "role": Role.STAFF, "version": mapping.version},
    )
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.role == Role.STAFF and mapping.department is None
    response = client.post(
        reverse("signin:mapping_delete", args=[mapping.pk]), {"version": mapping.version}
    )
    assert response.status_code == 302
    assert not GroupMapping.objects.exists()
    assert entries(mapping.pk) == ["create", "update", "delete"]


def test_a_liaison_mapping_needs_a_department(client_for):
    response = client_for("admin").post(
        reverse("signin:mapping_add"), {"group": "PW-Liaison", "role": Role.LIAISON}
    )
    assert response.status_code == 400
    assert "A department liaison needs the department" in response.content.decode()
    assert not GroupMapping.objects.exists()


def test_the_same_group_twice_is_refused_with_a_message(client_for):
    client = client_for("admin")
    client.post(reverse("signin:mapping_add"), {"group": "IT-Staff", "role": Role.STAFF})
    response = client.post(reverse("signin:mapping_add"), {"group": "IT-Staff", "role": Role.ADMIN})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert GroupMapping.objects.count() == 1


def test_a_stale_edit_is_a_conflict_not_an_overwrite(client_for):
    client = client_for("admin")
    with context.acting("system"):
        mapping = services.create(
            context.SYSTEM, GroupMapping, {"group": "IT-Staff", "role": Role.STAFF}
        )
        services.update(context.SYSTEM, mapping, {"role": Role.BOARD}, version=mapping.version)
    response = client.post(
        reverse("signin:mapping_edit", args=[mapping.pk]),
        {"group": "IT-Staff", "role": Role.ADMIN, "version": 1},
    )
    assert response.status_code == 400
    mapping.refresh_from_db()
    assert mapping.role == Role.BOARD


@pytest.mark.parametrize("role", ["staff", "liaison", "board", "viewer"])
def test_only_administrators_open_it(client_for, role):
    client = client_for(role)
    assert client.get(reverse("signin:mappings")).status_code == 403
    assert (
        client.post(reverse("signin:mapping_add"), {"group": "X", "role": "admin"}).status_code
        == 403
    )
    assert not GroupMapping.objects.exists()


def test_bad_input_gets_a_message_not_an_error(client_for):
    client = client_for("admin")
    for values in (
        {"group": "x\x00y", "role": Role.STAFF},
        {"group": "x" * 500, "role": Role.STAFF},
        {"group": " padded ", "role": "nonsense"},
        {"group": "ok", "role": Role.STAFF, "department": "not-a-number", "version": "v"},
    ):
        assert client.post(reverse("signin:mapping_add"), values).status_code == 400
    assert client.get(reverse("signin:mapping_edit", args=[999])).status_code == 404
    assert client.post(reverse("signin:mapping_delete", args=[999])).status_code == 404
    assert not GroupMapping.objects.exists()


def _fill(n: int, start: int, departments) -> None:
    with context.acting("system"):
        for i in range(start, start + n):
            services.create(
                context.SYSTEM,
                GroupMapping,
                {"group": f"G{i}", "role": Role.LIAISON, "department": departments["PW"].pk},
            )
            services.create(
                context.SYSTEM,
                SignInRefusal,
                {"provider": "county", "reason": "unmapped", "message": "m", "groups": ["x"]},
            )


def test_the_page_reads_a_fixed_number_of_queries(client_for, departments):
    client = client_for("admin")
    _fill(2, 0, departments)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("signin:mappings")).status_code == 200
    _fill(20, 2, departments)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("signin:mappings")).status_code == 200
    assert len(many) == len(few)


def test_the_menu_offers_it_to_administrators_only(client_for):
    assert 'href="/single-sign-on/"' in client_for("admin").get("/").content.decode()
    assert 'href="/single-sign-on/"' not in client_for("staff").get("/").content.decode()


def test_an_administrator_unlinks_an_identity(client_for, users):
    with context.acting("system"):
        link = services.create(
            context.SYSTEM,
            Identity,
            {"provider": "county", "subject": "s-1", "user": users["staff"].pk},
        )
    client = client_for("admin")
    page = client.get(reverse("signin:links"), {"q": "staff1"}).content.decode()
    assert "s-1" in page
    assert "s-1" not in client.get(reverse("signin:links"), {"q": "nobody"}).content.decode()
    assert client_for("staff").post(reverse("signin:unlink", args=[link.pk])).status_code == 403
    assert client.get(reverse("signin:unlink", args=[link.pk])).status_code == 405
    assert client.post(reverse("signin:unlink", args=[link.pk])).status_code == 302
    assert not Identity.objects.exists()
    actions = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Identity), object_id=str(link.pk)
    ).values_list("action", flat=True)
    assert sorted(actions) == ["create", "delete"]


def test_the_audit_log_shows_single_sign_on_records_to_administrators(client_for, users):
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            SignInRefusal,
            {"provider": "county", "reason": "unmapped", "message": "m", "user": users["staff"].pk},
        )
        services.create(context.SYSTEM, GroupMapping, {"group": "IT-Staff", "role": Role.STAFF})
    page = client_for("admin").get(reverse("audit:list"))
    assert page.status_code == 200
    assert "Sign-in refused at county" in page.content.decode()
    assert "Sign-in refused" not in client_for("staff").get(reverse("audit:list")).content.decode()


def test_the_links_page_reads_a_fixed_number_of_queries(client_for, users):
    client = client_for("admin")

    def link(n: int, start: int) -> None:
        with context.acting("system"):
            for i in range(start, start + n):
                services.create(
                    context.SYSTEM,
                    Identity,
                    {"provider": "county", "subject": f"s-{i}", "user": users["viewer"].pk},
                )

    link(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("signin:links")).status_code == 200
    link(20, 2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("signin:links")).status_code == 200
    assert len(many) == len(few)


def test_the_page_shows_each_provider_and_its_redirect_address(client_for, settings):
    from townhall.signin import config

    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(
                "entra",
                name="Microsoft",
                issuer="https://login.example/t/v2.0",
                client_id="client-123",
                secret="never-shown",
            )
        ]
    )
    page = client_for("admin").get(reverse("signin:mappings")).content.decode()
    assert "Sign in with Microsoft" in page and "client-123" in page
    assert "http://testserver/sso/entra/callback/" in page
    assert "never-shown" not in page


def test_the_page_shows_each_saml_provider_and_the_addresses_to_enter_there(client_for, settings):
    from townhall.signin import config

    settings.TOWNHALL_SAML_PROVIDERS = [
        config.saml_app("adfs", name="County ADFS", metadata_url="https://fs.example/md.xml")
    ]
    page = client_for("admin").get(reverse("signin:mappings")).content.decode()
    assert "Sign in with County ADFS" in page and "https://fs.example/md.xml" in page
    assert "http://testserver/sso/saml/adfs/metadata/" in page
    assert "http://testserver/sso/saml/adfs/acs/" in page
    assert "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups" in page


def test_a_mapping_may_name_a_saml_provider(client_for, settings):
    from townhall.signin import config

    settings.TOWNHALL_SAML_PROVIDERS = [
        config.saml_app("adfs", name="County ADFS", metadata_url="https://fs.example/md.xml")
    ]
    admin = client_for("admin")
    assert (
        '<option value="adfs">County ADFS</option>'
        in admin.get(reverse("signin:mapping_add")).content.decode()
    )
    response = admin.post(
        reverse("signin:mapping_add"), {"provider": "adfs", "group": "IT-Staff", "role": "staff"}
    )
    assert response.status_code == 302
    assert GroupMapping.objects.get().provider == "adfs"


@pytest.mark.django_db
def test_an_it_manager_group_outranks_it_staff_and_yields_to_administrators():
    from townhall.signin.services import grant_for

    with context.acting("system"):
        for group, role in (("IT-Staff", Role.STAFF), ("IT-Managers", Role.IT_MANAGER)):
            services.create(context.SYSTEM, GroupMapping, {"group": group, "role": role})
        services.create(context.SYSTEM, GroupMapping, {"group": "Admins", "role": Role.ADMIN})
    assert grant_for("entra", ["IT-Staff", "IT-Managers"]).role == Role.IT_MANAGER
    assert grant_for("entra", ["IT-Managers", "Admins"]).role == Role.ADMIN
