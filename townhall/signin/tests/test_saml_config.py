"""SAML providers from environment variables: several at once, metadata from an address or
a file (checked at start), and a clear message naming what is wrong."""

import pytest

from townhall.signin import config
from townhall.signin.tests.saml_provider import LocalSamlProvider


@pytest.fixture(scope="module")
def metadata() -> str:
    # Not started: only its metadata document is wanted.
    idp = LocalSamlProvider()
    idp.server.server_close()
    return idp.metadata()


def test_no_saml_provider_by_default(monkeypatch):
    monkeypatch.delenv("TOWNHALL_SAML_PROVIDERS", raising=False)
    assert config.saml_providers_from_env([]) == []


def test_several_providers_from_an_address_and_a_file(monkeypatch, tmp_path, metadata):
    saved = tmp_path / "okta.xml"
    saved.write_text(metadata, encoding="utf-8")
    monkeypatch.setenv("TOWNHALL_SAML_PROVIDERS", "adfs, okta-saml")
    monkeypatch.setenv("TOWNHALL_SAML_ADFS_METADATA_URL", "https://fs.county.example/md.xml")
    monkeypatch.setenv("TOWNHALL_SAML_ADFS_NAME", "County network account")
    monkeypatch.setenv(
        "TOWNHALL_SAML_ADFS_GROUPS_ATTRIBUTE", "http://schemas.xmlsoap.org/claims/Group"
    )
    monkeypatch.setenv("TOWNHALL_SAML_OKTA_SAML_METADATA_FILE", str(saved))
    adfs, okta = config.saml_providers_from_env(["entra"])
    assert adfs["name"] == "County network account"
    assert adfs["metadata_url"] == "https://fs.county.example/md.xml"
    assert adfs["groups_attributes"] == ["http://schemas.xmlsoap.org/claims/Group"]
    assert okta["name"] == "Okta-Saml" and okta["metadata_xml"].startswith("<?xml")
    assert okta["groups_attributes"] == config.SAML_GROUP_ATTRIBUTES


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"TOWNHALL_SAML_PROVIDERS": "ADFS!"}, "not a usable provider name"),
        ({"TOWNHALL_SAML_PROVIDERS": "a,a"}, "names a provider twice"),
        ({"TOWNHALL_SAML_PROVIDERS": "entra"}, "both TOWNHALL_OIDC_PROVIDERS"),
        (
            {
                "TOWNHALL_SAML_PROVIDERS": "adfs",
                "TOWNHALL_SAML_ADFS_METADATA_URL": "https://fs.example/md",
                "TOWNHALL_SAML_ADFS_METADATA": "<x/>",
            },
            "not both",
        ),
        (
            {"TOWNHALL_SAML_PROVIDERS": "adfs", "TOWNHALL_SAML_ADFS_METADATA_URL": "fs.example"},
            "https:// address",
        ),
        (
            {"TOWNHALL_SAML_PROVIDERS": "adfs", "TOWNHALL_SAML_ADFS_METADATA_FILE": "/nowhere"},
            "TOWNHALL_SAML_ADFS_METADATA_FILE points to",
        ),
        (
            {"TOWNHALL_SAML_PROVIDERS": "adfs", "TOWNHALL_SAML_ADFS_METADATA": "<not xml"},
            "TOWNHALL_SAML_ADFS_METADATA_FILE: the metadata is not readable XML",
        ),
        (
            {
                "TOWNHALL_SAML_PROVIDERS": "adfs",
                "TOWNHALL_SAML_ADFS_METADATA": '<md:EntityDescriptor xmlns:md="urn:oasis:'
                'names:tc:SAML:2.0:metadata" entityID="x"/>',
            },
            "describes no identity provider",
        ),
        ({"TOWNHALL_SAML_SP_CERT": "PEM"}, "TOWNHALL_SAML_SP_KEY_FILE"),
    ],
)
def test_a_broken_setting_stops_start_with_its_name(monkeypatch, variables, named):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=named):
        config.saml_providers_from_env(["entra"])
        config.saml_service_provider()


def test_metadata_without_a_signing_certificate_is_refused(monkeypatch, metadata):
    unsigned = metadata.split("<md:KeyDescriptor")[0] + metadata.split("</md:KeyDescriptor>")[1]
    monkeypatch.setenv("TOWNHALL_SAML_PROVIDERS", "adfs")
    monkeypatch.setenv("TOWNHALL_SAML_ADFS_METADATA", unsigned)
    with pytest.raises(RuntimeError, match="no signing certificate"):
        config.saml_providers_from_env([])
