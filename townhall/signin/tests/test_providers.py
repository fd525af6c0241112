"""Sign-in providers added by administrators on a page: their rules, their write-only
sealed secret (never in a page or the audit log), a whole sign-in with each protocol, what
happens when switched off or when SECRET_KEY changes, and who may open the pages."""

from typing import Any
from urllib.parse import urlparse

import pytest
import requests
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.accounts.models import Role
from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.signin import config, providers, saml, sealing
from townhall.signin.models import GroupMapping, Identity, SignInProvider
from townhall.signin.tests.conftest import PROVIDER_ID, SAML_ID, person, saml_sign_in, sign_in
from townhall.signin.tests.provider import CLIENT_ID, CLIENT_SECRET, LocalProvider
from townhall.signin.tests.saml_provider import LocalSamlProvider
from townhall.signin.tests.test_flow import pat, signed_in_as

pytestmark = pytest.mark.django_db
__all__ = ["pat"]  # a fixture shared with the OpenID Connect tests

SECRET = "s3cret-value-never-shown"  # noqa: S105 - a test value


def oidc_values(**more: Any) -> dict[str, Any]:
    return {
        "kind": "oidc",
        "provider_id": "county-page",
        "name": "County page ID",
        "issuer": "https://id.county.example",
        "client_id": "townhall",
        "client_secret": sealing.seal(SECRET),
        **more,
    }


def add(values: dict[str, Any]) -> SignInProvider:
    with context.acting("system"):
        return services.create(context.SYSTEM, SignInProvider, values)


def refused(values: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        add(values)
    return caught.value.message_dict


def entries(obj: SignInProvider) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(SignInProvider), object_id=str(obj.pk)
        ).order_by("id")
    )


# --- rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("more", "field", "words"),
    [
        ({"provider_id": "County"}, "provider_id", "lower-case"),
        ({"provider_id": "scim"}, "provider_id", "Townhall's own use"),
        ({"issuer": "id.county.example"}, "issuer", "https://"),
        ({"client_id": ""}, "client_id", "client ID"),
        ({"client_secret": ""}, "client_secret", "client secret"),
        ({"client_secret": SECRET}, "client_secret", "sealed"),
        ({"tenants": "abc"}, "tenants", "{tenantid}"),
        (
            {"issuer": "https://login.microsoftonline.com/{tenantid}/v2.0"},
            "tenants",
            "list the tenant IDs",
        ),
        ({"scopes": "profile email"}, "scopes", "openid"),
        ({"name": " "}, "name", "button"),
    ],
)
def test_oidc_rules_name_the_field_and_reason(more, field, words):
    errors = refused(oidc_values(**more))
    assert words in " ".join(errors[field])


def test_saml_rules():
    errors = refused({"kind": "saml", "provider_id": "adfs-page", "name": "ADFS", "issuer": "x"})
    assert "no issuer" in " ".join(errors["issuer"])
    errors = refused(
        {"kind": "saml", "provider_id": "adfs-page", "name": "ADFS", "metadata_url": "fs.x/m"}
    )
    assert "https://" in " ".join(errors["metadata_url"])
    ok = add({"kind": "saml", "provider_id": "adfs-page", "name": "ADFS"})
    assert ok.pk


def test_names_are_unique_and_not_the_environments(settings):
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [config.app("entra", name="Entra", issuer="https://e.example", client_id="a", secret="b")]
    )
    settings.TOWNHALL_SAML_PROVIDERS = [config.saml_app("adfs", name="ADFS")]
    for taken in ("entra", "adfs"):
        assert "environment" in " ".join(refused(oidc_values(provider_id=taken))["provider_id"])
    add(oidc_values())
    assert refused(oidc_values())["provider_id"]


def test_a_providers_name_cannot_change():
    row = add(oidc_values())
    with pytest.raises(ValidationError) as caught, context.acting("system"):
        services.update(context.SYSTEM, row, {"provider_id": "other"}, version=row.version)
    assert "cannot change" in " ".join(caught.value.message_dict["provider_id"])


# --- the secret ------------------------------------------------------------------------------


def test_the_secret_is_sealed_and_never_in_the_audit_log():
    row = add(oidc_values())
    row.refresh_from_db()
    assert SECRET not in row.client_secret
    assert sealing.unseal(row.client_secret) == SECRET
    with context.acting("system"):
        services.update(
            context.SYSTEM, row, {"client_secret": sealing.seal("new-one")}, version=row.version
        )
        row.refresh_from_db()
        # A change of the secret alone is still a change, saying only that it changed.
        services.update(context.SYSTEM, row, {"name": "Renamed"}, version=row.version)
    created, secret_change, renamed = entries(row)
    assert "client_secret" not in created.after
    assert "client_secret" not in secret_change.before
    assert secret_change.after["client_secret"] == "changed"
    assert "client_secret" not in renamed.after
    for entry in (created, secret_change, renamed):
        assert SECRET not in str(entry.before) + str(entry.after)
        assert "new-one" not in str(entry.after)
        assert sealing.TOKEN_PREFIX not in str(entry.before) + str(entry.after)


def test_a_secret_only_change_in_a_bulk_update_is_recorded_without_the_value():
    row = add(oidc_values())
    with context.acting("system"):
        services.update_many(context.SYSTEM, [row], {"client_secret": sealing.seal("other")})
    entry = entries(row)[-1]
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.after["client_secret"] == "changed"


def test_the_form_never_shows_the_secret_and_blank_keeps_it(client_for):
    client = client_for("admin")
    response = client.post(
        reverse("signin:provider_add"),
        {**oidc_values(), "client_secret": SECRET, "enabled": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    row = SignInProvider.objects.get()
    assert sealing.unseal(row.client_secret) == SECRET
    for address in (
        reverse("signin:providers"),
        reverse("signin:provider_edit", args=[row.pk]),
        reverse("signin:mappings"),
        reverse("audit:list"),
        *[reverse("audit:detail", args=[e.pk]) for e in entries(row)],
    ):
        page = client.get(address).content.decode()
        assert SECRET not in page and row.client_secret not in page
    page = client.get(reverse("signin:provider_edit", args=[row.pk])).content.decode()
    assert "Leave blank to keep the current secret" in page
    response = client.post(
        reverse("signin:provider_edit", args=[row.pk]),
        {**oidc_values(name="Renamed"), "client_secret": "", "version": row.version},
    )
    assert response.status_code == 302, response.content.decode()
    row.refresh_from_db()
    assert row.name == "Renamed" and sealing.unseal(row.client_secret) == SECRET
    # Refused input is answered with the field and reason, and the typed secret not echoed.
    response = client.post(
        reverse("signin:provider_edit", args=[row.pk]),
        {**oidc_values(issuer="nope"), "client_secret": "typed-now", "version": row.version},
    )
    assert response.status_code == 400
    assert "https://" in response.content.decode() and "typed-now" not in response.content.decode()


def test_a_changed_secret_key_asks_for_the_secret_again(client_for, settings):
    row = add(oidc_values())
    settings.SECRET_KEY = "another-key-entirely-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = []
    assert providers.page_oidc_apps() == []
    client = client_for("admin")
    listing = client.get(reverse("signin:providers"))
    assert listing.status_code == 200
    assert "secret must be entered again" in listing.content.decode()
    page = client.get(reverse("signin:provider_edit", args=[row.pk])).content.decode()
    assert "must be entered again" in page
    assert "County page ID" not in Client().get(reverse("accounts:login")).content.decode()
    assert Client().post("/sso/county-page/start/").status_code == 404
    # Entered again, it is offered again.
    response = client.post(
        reverse("signin:provider_edit", args=[row.pk]),
        {**oidc_values(), "client_secret": SECRET, "enabled": "on", "version": row.version},
    )
    assert response.status_code == 302
    assert [a["provider_id"] for a in providers.page_oidc_apps()] == ["county-page"]


def test_the_old_key_as_a_fallback_still_opens_it(settings):
    row = add(oidc_values())
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-entirely-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    assert sealing.unseal(row.client_secret) == SECRET


# --- sign-in with page-made providers --------------------------------------------------------


@pytest.fixture
def page_oidc(settings):
    """The test provider, running, added on the page as "county" (the environment has none)."""
    running = LocalProvider().start()
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings([])
    settings.TOWNHALL_SAML_PROVIDERS = []
    row = add(
        oidc_values(
            provider_id=PROVIDER_ID,
            name="County ID",
            issuer=running.issuer,
            client_id=CLIENT_ID,
            client_secret=sealing.seal(CLIENT_SECRET),
        )
    )
    with context.acting("system"):
        services.create(context.SYSTEM, GroupMapping, {"group": "IT-Staff", "role": Role.STAFF})
    running.row = row
    yield running
    running.stop()


def test_a_page_made_oidc_provider_signs_people_in(page_oidc, pat):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Sign in with County ID" in page
    client = Client()
    page_oidc.person = person(groups=["IT-Staff"])
    response = sign_in(client)
    assert response.status_code == 302, response.content.decode()
    pat.refresh_from_db()
    assert signed_in_as(client) == pat and pat.role == Role.STAFF
    assert Identity.objects.get(provider=PROVIDER_ID).user == pat


def test_a_switched_off_provider_is_not_offered_and_its_callback_refuses(page_oidc, pat):
    page_oidc.person = person(groups=["IT-Staff"])
    client = Client()
    start = client.post(f"/sso/{PROVIDER_ID}/start/", {"next": "/"})
    assert start.status_code == 302
    row = page_oidc.row
    with context.acting("system"):
        services.update(context.SYSTEM, row, {"enabled": False}, version=row.version)
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = urlparse(at_provider.headers["Location"])
    assert client.get(f"{back.path}?{back.query}").status_code == 404
    assert signed_in_as(client) is None
    assert "County ID" not in Client().get(reverse("accounts:login")).content.decode()
    assert Client().post(f"/sso/{PROVIDER_ID}/start/").status_code == 404


def test_the_sign_in_page_reads_page_made_providers_in_one_query(page_oidc, settings):
    add({"kind": "saml", "provider_id": "adfs-page", "name": "County ADFS"})
    with CaptureQueriesContext(connection) as queries:
        page = Client().get(reverse("accounts:login"))
    assert page.status_code == 200
    assert "County ADFS" in page.content.decode()
    reads = [q for q in queries.captured_queries if "signin_signinprovider" in q["sql"]]
    assert len(reads) == 1


@pytest.fixture
def page_saml(settings):
    """The test SAML identity provider, added on the page as "adfs", metadata imported."""
    running = LocalSamlProvider().start()
    settings.TOWNHALL_SAML_PROVIDERS = []
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings([])
    add({"kind": "saml", "provider_id": SAML_ID, "name": "County ADFS"})
    app = saml.provider(SAML_ID)
    assert app is not None
    with context.acting("system"):
        saml.import_metadata(context.SYSTEM, app, running.metadata())
        services.create(context.SYSTEM, GroupMapping, {"group": "PW-Liaison", "role": Role.STAFF})
    yield running
    running.stop()


def test_a_page_made_saml_provider_signs_people_in(page_saml, pat):
    from townhall.signin.tests.test_saml_flow import entra_person

    page_saml.person = entra_person(["PW-Liaison"])
    client = Client()
    response = saml_sign_in(client, page_saml)
    assert response.status_code == 302, response.content.decode()
    assert signed_in_as(client) == pat


# --- pages and permissions -------------------------------------------------------------------


def test_only_administrators_open_the_pages(client_for):
    row = add(oidc_values())
    addresses = [
        reverse("signin:providers"),
        reverse("signin:provider_add"),
        reverse("signin:provider_edit", args=[row.pk]),
        reverse("signin:provider_delete", args=[row.pk]),
    ]
    for role in ("staff", "liaison", "board", "viewer"):
        client = client_for(role)
        for address in addresses:
            assert client.get(address).status_code in (403, 404), (role, address)
        assert client.post(addresses[3]).status_code in (403, 404)
    assert SignInProvider.objects.count() == 1
    anonymous = Client().get(addresses[0])
    assert anonymous.status_code == 302


def test_environment_providers_are_listed_read_only(client_for, settings):
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [config.app("entra", name="Entra", issuer="https://e.example", client_id="a", secret="b")]
    )
    add(oidc_values())
    page = client_for("admin").get(reverse("signin:providers")).content.decode()
    assert (
        "set by the server&#x27;s environment" in page or "set by the server's environment" in page
    )
    assert "Sign in with Entra" in page and "County page ID" in page


def test_a_provider_people_are_linked_to_cannot_be_deleted(client_for, users):
    row = add(oidc_values())
    with context.acting("system"):
        services.create(
            context.SYSTEM,
            Identity,
            {"provider": row.provider_id, "subject": "sub-1", "user": users["viewer"].pk},
        )
    client = client_for("admin")
    response = client.post(
        reverse("signin:provider_delete", args=[row.pk]), {"version": row.version}, follow=True
    )
    assert "Switch it off instead" in response.content.decode()
    assert SignInProvider.objects.filter(pk=row.pk).exists()
    with context.acting("system"):
        services.delete(context.SYSTEM, Identity.objects.get())
    response = client.post(
        reverse("signin:provider_delete", args=[row.pk]), {"version": row.version}
    )
    assert response.status_code == 302
    assert not SignInProvider.objects.exists()
    assert [e.action for e in entries(row)] == ["create", "delete"]


def test_mapping_form_offers_page_made_providers_on_and_off(client_for):
    add(oidc_values())
    add(oidc_values(provider_id="off-one", name="Old ID", enabled=False))
    page = client_for("admin").get(reverse("signin:mapping_add")).content.decode()
    assert 'value="county-page"' in page and 'value="off-one"' in page


def test_a_switched_off_saml_providers_metadata_can_be_imported_first(client_for):
    add({"kind": "saml", "provider_id": "adfs-page", "name": "ADFS", "enabled": False})
    client = client_for("admin")
    assert client.get(reverse("signin:metadata_import", args=["adfs-page"])).status_code == 200
    assert client.get(reverse("signin:metadata_import", args=["nobody"])).status_code == 404
    assert "Import metadata" in client.get(reverse("signin:providers")).content.decode()
