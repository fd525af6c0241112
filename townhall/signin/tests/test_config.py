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


def _login_gov(monkeypatch) -> None:
    monkeypatch.setenv("TOWNHALL_OIDC_PROVIDERS", "logingov")
    monkeypatch.setenv("TOWNHALL_OIDC_LOGINGOV_ISSUER", "https://idp.int.identitysandbox.gov/")
    monkeypatch.setenv(
        "TOWNHALL_OIDC_LOGINGOV_CLIENT_ID",
        "urn:gov:gsa:openidconnect.profiles:sp:sso:county:townhall",
    )


def test_a_private_key_provider_needs_no_secret_and_sends_its_options(monkeypatch, tmp_path):
    from joserfc.jwk import RSAKey

    key = tmp_path / "logingov.key"
    key.write_bytes(RSAKey.generate_key(2048).as_pem(private=True))
    _login_gov(monkeypatch)
    monkeypatch.setenv("TOWNHALL_OIDC_LOGINGOV_PRIVATE_KEY_FILE", str(key))
    monkeypatch.setenv("TOWNHALL_OIDC_LOGINGOV_ACR_VALUES", "urn:acr.login.gov:auth-only")
    monkeypatch.setenv("TOWNHALL_OIDC_LOGINGOV_PROMPT", "select_account")
    monkeypatch.setenv("TOWNHALL_OIDC_LOGINGOV_USERINFO", "on")
    monkeypatch.setenv("TOWNHALL_OIDC_LOGINGOV_ROLES", "townhall")
    (app,) = config.providers_from_env()
    assert app["secret"] == ""
    assert app["settings"]["private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert app["settings"]["auth_params"] == {
        "acr_values": "urn:acr.login.gov:auth-only",
        "prompt": "select_account",
    }
    assert app["settings"]["userinfo"] is True
    assert app["settings"]["roles"] == config.ROLES_FROM_TOWNHALL


def test_the_defaults_are_unchanged(monkeypatch):
    monkeypatch.setenv("TOWNHALL_OIDC_PROVIDERS", "okta")
    monkeypatch.setenv("TOWNHALL_OIDC_OKTA_ISSUER", "https://okta.example")
    monkeypatch.setenv("TOWNHALL_OIDC_OKTA_CLIENT_ID", "x")
    monkeypatch.setenv("TOWNHALL_OIDC_OKTA_CLIENT_SECRET", "y")
    (app,) = config.providers_from_env()
    assert app["secret"] == "y"
    assert app["settings"]["auth_params"] == {} and app["settings"]["private_key"] == ""
    assert app["settings"]["userinfo"] is False
    assert app["settings"]["roles"] == config.ROLES_FROM_GROUPS


@pytest.mark.parametrize(
    ("key_file", "roles", "named"),
    [
        ("missing", None, "TOWNHALL_OIDC_LOGINGOV_PRIVATE_KEY_FILE points to"),
        ("not a key", None, "must hold an RSA private key in PEM form"),
        ("ec", None, "must hold an RSA private key"),
        (None, None, "TOWNHALL_OIDC_LOGINGOV_CLIENT_SECRET"),
        ("rsa", "everyone", "TOWNHALL_OIDC_LOGINGOV_ROLES must be groups"),
    ],
)
def test_a_wrong_key_or_option_is_named_at_start(monkeypatch, tmp_path, key_file, roles, named):
    from joserfc.jwk import ECKey, RSAKey

    _login_gov(monkeypatch)
    path = tmp_path / "key.pem"
    if key_file == "rsa":
        path.write_bytes(RSAKey.generate_key(2048).as_pem(private=True))
    elif key_file == "ec":
        path.write_bytes(ECKey.generate_key("P-256").as_pem(private=True))
    elif key_file == "not a key":
        path.write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n", encoding="utf-8")
    if key_file:
        monkeypatch.setenv("TOWNHALL_OIDC_LOGINGOV_PRIVATE_KEY_FILE", str(path))
    if roles:
        monkeypatch.setenv("TOWNHALL_OIDC_LOGINGOV_ROLES", roles)
    with pytest.raises(RuntimeError, match=named):
        config.providers_from_env()
