"""OpenID Connect providers and sign-in policy, read from environment variables.

Plain Python (no Django imports) because settings.py reads it before Django starts. Each
provider becomes one allauth "app" of its `openid_connect` provider; what Townhall adds
beyond allauth (the issuer we expect, the claim holding groups, the Entra tenants allowed)
travels in that app's `settings`, so there is one description of each provider.
"""

import re
from typing import Any

from townhall.env import envbool, envlist, envstr

PROVIDER_ID = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
DEFAULT_SCOPES = ["openid", "profile", "email"]


def _required(name: str) -> str:
    value = envstr(name)
    if not value:
        raise RuntimeError(f"{name} must be set for the OpenID Connect provider it names.")
    return value.strip()


def provider_app(provider_id: str) -> dict[str, Any]:
    """One provider's allauth app description, from TOWNHALL_OIDC_<ID>_* variables."""
    if not PROVIDER_ID.match(provider_id):
        raise RuntimeError(
            f"TOWNHALL_OIDC_PROVIDERS: {provider_id!r} is not a usable provider name; use "
            "lower-case letters, digits and dashes, starting with a letter (such as entra)."
        )
    prefix = "TOWNHALL_OIDC_" + provider_id.upper().replace("-", "_") + "_"
    issuer = _required(prefix + "ISSUER").rstrip("/")
    if not issuer.startswith(("https://", "http://")):
        raise RuntimeError(f"{prefix}ISSUER must be the provider's https:// address.")
    return app(
        provider_id,
        name=envstr(prefix + "NAME") or provider_id.title(),
        issuer=issuer,
        client_id=_required(prefix + "CLIENT_ID"),
        secret=_required(prefix + "CLIENT_SECRET"),
        scopes=envlist(prefix + "SCOPES", DEFAULT_SCOPES),
        groups_claim=envstr(prefix + "GROUPS_CLAIM") or "groups",
        tenants=envlist(prefix + "TENANTS", []),
    )


def app(
    provider_id: str,
    *,
    name: str,
    issuer: str,
    client_id: str,
    secret: str,
    scopes: list[str] | None = None,
    groups_claim: str = "groups",
    tenants: list[str] | None = None,
) -> dict[str, Any]:
    """One provider as allauth's `openid_connect` provider reads it."""
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {
            "server_url": issuer,
            "issuer": issuer,
            "oauth_pkce_enabled": True,
            # Groups and names come from the signed ID token alone.
            "fetch_userinfo": False,
            "scope": scopes or DEFAULT_SCOPES,
            "groups_claim": groups_claim,
            "tenants": tenants or [],
        },
    }


def providers_from_env() -> list[dict[str, Any]]:
    ids = envlist("TOWNHALL_OIDC_PROVIDERS", [])
    if len(set(ids)) != len(ids):
        raise RuntimeError("TOWNHALL_OIDC_PROVIDERS names a provider twice.")
    return [provider_app(provider_id) for provider_id in ids]


def allauth_settings(apps: list[dict[str, Any]]) -> dict[str, Any]:
    """SOCIALACCOUNT_PROVIDERS for these apps, on Townhall's provider class."""
    return {
        "openid_connect": {
            "provider_class": "townhall.signin.oidc.TownhallProvider",
            "OAUTH_PKCE_ENABLED": True,
            "APPS": apps,
        }
    }


def create_accounts() -> bool:
    return envbool("TOWNHALL_OIDC_CREATE_ACCOUNTS", False)


def password_sign_in() -> bool:
    return envbool("TOWNHALL_PASSWORD_SIGN_IN", True)


def break_glass_username() -> str:
    return (envstr("TOWNHALL_BREAK_GLASS_USERNAME") or "").strip()
