"""Administrators import a SAML provider's metadata on the Single sign-on page, from its
address or a file: checked before it is kept, audited, used at the next sign-in."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.signin import config
from townhall.signin.models import ImportedMetadata, SignInRefusal
from townhall.signin.tests.conftest import SAML_ID, saml_sign_in
from townhall.signin.tests.saml_provider import ENTRA_GROUPS, LocalSamlProvider
from townhall.signin.tests.test_saml_flow import mappings, pat, signed_in_as

pytestmark = pytest.mark.django_db
__all__ = ["mappings", "pat"]
URL = reverse("signin:metadata_import", args=[SAML_ID])


@pytest.fixture
def unset_idp(settings):
    """The test provider running, configured with no metadata at all: it is imported."""
    running = LocalSamlProvider().start()
    settings.TOWNHALL_SAML_PROVIDERS = [config.saml_app(SAML_ID, name="County ADFS")]
    yield running
    running.stop()


def test_without_metadata_sign_in_is_a_clear_refusal(unset_idp):
    response = Client().post(f"/sso/saml/{SAML_ID}/start/", {"next": "/"})
    assert response.status_code == 403
    assert b"has not been imported yet" in response.content
    assert SignInRefusal.objects.get().reason == SignInRefusal.Reason.PROVIDER


def test_import_from_a_file_then_sign_in(client_for, unset_idp, mappings, pat):
    admin = client_for("admin")
    assert admin.get(URL).status_code == 200
    upload = SimpleUploadedFile("md.xml", unset_idp.metadata().encode(), "application/xml")
    response = admin.post(URL, {"file": upload})
    assert response.status_code == 302, response.content.decode()
    kept = ImportedMetadata.objects.get(provider=SAML_ID)
    assert kept.entity_id == unset_idp.entity_id and kept.address == ""
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(ImportedMetadata), object_id=str(kept.pk)
    )
    assert entry.action == AuditEntry.Action.CREATE
    assert "Import metadata" in admin.get(reverse("signin:mappings")).content.decode()
    unset_idp.person = {"name_id": "pat-1", "attributes": {ENTRA_GROUPS: ["PW-Liaison"]}}
    unset_idp.person["attributes"]["email"] = ["pat@county.example"]
    client = Client()
    assert saml_sign_in(client, unset_idp).status_code == 302
    assert signed_in_as(client) == pat


def test_import_from_the_address_replaces_the_kept_one(client_for, unset_idp):
    admin = client_for("admin")
    upload = SimpleUploadedFile("md.xml", unset_idp.metadata().encode(), "application/xml")
    assert admin.post(URL, {"file": upload}).status_code == 302
    address = f"{unset_idp.address}/metadata"
    assert admin.post(URL, {"address": address}).status_code == 302
    kept = ImportedMetadata.objects.get()
    assert kept.address == address and kept.version == 2


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, "Give the metadata"),
        ({"file": b"<not xml"}, "not readable XML"),
        ({"file": b"\xff\xfe\x00"}, "not text"),
        (
            {"file": b'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>'},
            "describes no identity provider",
        ),
        ({"address": "http://127.0.0.1:9/metadata"}, "could not be read"),
        ({"address": "not an address"}, "Enter a valid URL"),
    ],
)
def test_bad_metadata_gets_a_message_and_nothing_is_kept(client_for, unset_idp, data, words):
    if "file" in data:
        data = {"file": SimpleUploadedFile("md.xml", data["file"], "application/xml")}
    response = client_for("admin").post(URL, data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not ImportedMetadata.objects.exists()


@pytest.mark.parametrize("role", ["staff", "viewer"])
def test_only_administrators_import(client_for, unset_idp, role):
    assert client_for(role).get(URL).status_code == 403
    assert (
        client_for("admin").get(reverse("signin:metadata_import", args=["nobody"])).status_code
        == 404
    )
