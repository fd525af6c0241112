"""Providers from environment variables: several at once, secrets from *_FILE, and a
clear message naming what is missing."""

import pytest

from townhall.signin import config


def test_no_provider_by_default(monkeypatch):
    monkeypatch.delenv("TOWNHALL_OIDC_PROVIDERS", raising=False)
    assert config.providers_from_env() == []


def test_several_providers_with_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "entra-secret"
    secret.write_text("s3cret-from-file\n", encoding="utf-8")
    monkeypatch.setenv("TOWNHALL_OIDC_PROVIDERS", "entra, okta")
    monkeypatch.setenv("TOWNHALL_OIDC_ENTRA_ISSUER", "https://login.example/tenant/v2.0/")
    monkeypatch.setenv("TOWNHALL_OIDC_ENTRA_CLIENT_ID", "abc")
    monkeypatch.setenv("TOWNHALL_OIDC_ENTRA_CLIENT_SECRET_FILE", str(secret))
    monkeypatch.setenv("TOWNHALL_OIDC_ENTRA_NAME", "County Microsoft account")
    monkeypatch.setenv("TOWNHALL_OIDC_OKTA_ISSUER", "https://county.okta.example")
    monkeypatch.setenv("TOWNHALL_OIDC_OKTA_CLIENT_ID", "def")
    monkeypatch.setenv("TOWNHALL_OIDC_OKTA_CLIENT_SECRET", "okta-secret")
    monkeypatch.setenv("TOWNHALL_OIDC_OKTA_GROUPS_CLAIM", "roles")
    entra, okta = config.providers_from_env()
    assert entra["provider_id"] == "entra" and entra["name"] == "County Microsoft account"
    assert entra["secret"] == "s3cret-from-file"
    assert entra["settings"]["issuer"] == "https://login.example/tenant/v2.0"
    assert entra["settings"]["oauth_pkce_enabled"] is True
    assert okta["name"] == "Okta" and okta["settings"]["groups_claim"] == "roles"
    assert config.allauth_settings([entra, okta])["openid_connect"]["APPS"] == [entra, okta]


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"TOWNHALL_OIDC_PROVIDERS": "Entra!"}, "not a usable provider name"),
        ({"TOWNHALL_OIDC_PROVIDERS": "a,a"}, "names a provider twice"),
        ({"TOWNHALL_OIDC_PROVIDERS": "okta"}, "TOWNHALL_OIDC_OKTA_ISSUER"),
        (
            {"TOWNHALL_OIDC_PROVIDERS": "okta", "TOWNHALL_OIDC_OKTA_ISSUER": "okta.example"},
            "TOWNHALL_OIDC_OKTA_ISSUER must be",
        ),
        (
            {
                "TOWNHALL_OIDC_PROVIDERS": "okta",
                "TOWNHALL_OIDC_OKTA_ISSUER": "https://okta.example",
                "TOWNHALL_OIDC_OKTA_CLIENT_ID": "x",
            },
            "TOWNHALL_OIDC_OKTA_CLIENT_SECRET",
        ),
    ],
)
def test_what_is_wrong_is_named(monkeypatch, variables, named):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=named):
        config.providers_from_env()
