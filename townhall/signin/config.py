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
GRAPH_URL = "https://graph.microsoft.com"
# Where a person's role comes from: their groups in the ID token (the default), or, for a
# provider that sends no groups (Login.gov), the role their Townhall account already has.
ROLES_FROM_GROUPS = "groups"
ROLES_FROM_TOWNHALL = "townhall"


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
    private_key = _private_key(prefix + "PRIVATE_KEY")
    roles = (envstr(prefix + "ROLES") or ROLES_FROM_GROUPS).strip().lower()
    if roles not in (ROLES_FROM_GROUPS, ROLES_FROM_TOWNHALL):
        raise RuntimeError(
            f"{prefix}ROLES must be {ROLES_FROM_GROUPS} (roles from the provider's groups) or "
            f"{ROLES_FROM_TOWNHALL} (the role set in Townhall), not {roles!r}."
        )
    return app(
        provider_id,
        name=envstr(prefix + "NAME") or provider_id.title(),
        issuer=issuer,
        client_id=_required(prefix + "CLIENT_ID"),
        # With a private key the token request is signed with it and sends no secret.
        secret="" if private_key else _required(prefix + "CLIENT_SECRET"),
        scopes=envlist(prefix + "SCOPES", DEFAULT_SCOPES),
        groups_claim=envstr(prefix + "GROUPS_CLAIM") or "groups",
        tenants=envlist(prefix + "TENANTS", []),
        graph_url=graph_url(prefix),
        private_key=private_key,
        acr_values=(envstr(prefix + "ACR_VALUES") or "").strip(),
        prompt=(envstr(prefix + "PROMPT") or "").strip(),
        userinfo=envbool(prefix + "USERINFO", False),
        roles=roles,
    )


def graph_url(prefix: str) -> str:
    """Where Entra ID's groups are read when a person has too many for the ID token
    (signin/graph.py): Microsoft Graph itself, or a stand-in for tests. The person's access
    token is sent there, so production accepts only https."""
    url = (envstr(prefix + "GRAPH_URL") or GRAPH_URL).strip().rstrip("/")
    schemes = ("https://",) if envbool("TOWNHALL_PRODUCTION", False) else ("https://", "http://")
    if not url.startswith(schemes):
        raise RuntimeError(f"{prefix}GRAPH_URL must be an https:// address.")
    return url


def _private_key(name: str) -> str:
    """The PEM private key Townhall signs its token requests with (private_key_jwt), read
    and checked now so a wrong file stops Townhall at start rather than at a sign-in."""
    pem = (envstr(name) or "").strip()
    if not pem:
        return ""
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise RuntimeError(
            f"{name}_FILE must hold an RSA private key in PEM form without a passphrase "
            f"(-----BEGIN PRIVATE KEY-----); it could not be read ({exc})."
        ) from None
    if not isinstance(key, RSAPrivateKey):
        raise RuntimeError(f"{name}_FILE must hold an RSA private key (RS256 is used).")
    return pem


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
    graph_url: str = GRAPH_URL,
    private_key: str = "",
    acr_values: str = "",
    prompt: str = "",
    userinfo: bool = False,
    roles: str = ROLES_FROM_GROUPS,
) -> dict[str, Any]:
    """One provider as allauth's `openid_connect` provider reads it. `secret` is blank
    when `private_key` (PEM) is given: the token request is then signed (private_key_jwt)."""
    auth_params = {"acr_values": acr_values, "prompt": prompt}
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": client_id,
        "secret": "" if private_key else secret,
        "settings": {
            "server_url": issuer,
            "issuer": issuer,
            "oauth_pkce_enabled": True,
            # allauth's own userinfo call is never made: oidc.py makes it, when `userinfo`
            # is on, for e-mail and names only; groups never come from it.
            "fetch_userinfo": False,
            "scope": scopes or DEFAULT_SCOPES,
            "groups_claim": groups_claim,
            "tenants": tenants or [],
            "graph_url": graph_url,
            # Sent with every authorization request (Login.gov requires acr_values).
            "auth_params": {k: v for k, v in auth_params.items() if v},
            "private_key": private_key,
            "userinfo": userinfo,
            "roles": roles,
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


# --- SAML 2.0 --------------------------------------------------------------------------------

# Where ADFS, Entra ID and most others put a person's groups, tried in this order when the
# provider's own attribute is not named.
SAML_GROUP_ATTRIBUTES = [
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    "http://schemas.xmlsoap.org/claims/Group",
    "groups",
]


def saml_provider(provider_id: str) -> dict[str, Any]:
    """One SAML identity provider from TOWNHALL_SAML_<ID>_* variables. Metadata given as a
    file is read (and so checked) now; one given by address is fetched at first use."""
    if not PROVIDER_ID.match(provider_id):
        raise RuntimeError(
            f"TOWNHALL_SAML_PROVIDERS: {provider_id!r} is not a usable provider name; use "
            "lower-case letters, digits and dashes, starting with a letter (such as adfs)."
        )
    prefix = "TOWNHALL_SAML_" + provider_id.upper().replace("-", "_") + "_"
    metadata_url = (envstr(prefix + "METADATA_URL") or "").strip()
    # TOWNHALL_SAML_<ID>_METADATA_FILE: a saved copy, read as any *_FILE variable is.
    metadata_xml = (envstr(prefix + "METADATA") or "").strip()
    # Neither: an administrator imports the metadata on the Single sign-on page.
    if metadata_url and metadata_xml:
        raise RuntimeError(
            f"Set one of {prefix}METADATA_URL (the provider's metadata address) or "
            f"{prefix}METADATA_FILE (a saved copy of it) for the SAML provider {provider_id}, "
            "not both."
        )
    if metadata_url and not metadata_url.startswith(("https://", "http://")):
        raise RuntimeError(f"{prefix}METADATA_URL must be the metadata's https:// address.")
    provider = saml_app(
        provider_id,
        name=envstr(prefix + "NAME") or provider_id.title(),
        metadata_url=metadata_url,
        metadata_xml=metadata_xml,
        groups_attribute=(envstr(prefix + "GROUPS_ATTRIBUTE") or "").strip(),
        entity_id=(envstr(prefix + "ENTITY_ID") or "").strip(),
    )
    if metadata_xml:
        from townhall.signin.saml_metadata import MetadataError, idp_settings

        try:
            idp_settings(metadata_xml, provider["entity_id"])
        except MetadataError as exc:
            raise RuntimeError(f"{prefix}METADATA_FILE: {exc}") from None
    return provider


def saml_app(
    provider_id: str,
    *,
    name: str,
    metadata_url: str = "",
    metadata_xml: str = "",
    groups_attribute: str = "",
    entity_id: str = "",
) -> dict[str, Any]:
    """One SAML identity provider as Townhall keeps it (settings.TOWNHALL_SAML_PROVIDERS)."""
    return {
        "provider_id": provider_id,
        "name": name,
        "metadata_url": metadata_url,
        "metadata_xml": metadata_xml,
        "groups_attributes": [groups_attribute] if groups_attribute else SAML_GROUP_ATTRIBUTES,
        # Which IdP of a metadata file holding several (blank: the first).
        "entity_id": entity_id,
    }


def saml_providers_from_env(oidc_ids: list[str]) -> list[dict[str, Any]]:
    ids = envlist("TOWNHALL_SAML_PROVIDERS", [])
    if len(set(ids)) != len(ids):
        raise RuntimeError("TOWNHALL_SAML_PROVIDERS names a provider twice.")
    both = set(ids) & set(oidc_ids)
    if both:
        raise RuntimeError(
            f"{', '.join(sorted(both))} is named in both TOWNHALL_OIDC_PROVIDERS and "
            "TOWNHALL_SAML_PROVIDERS; give each provider its own name."
        )
    return [saml_provider(provider_id) for provider_id in ids]


def saml_service_provider() -> dict[str, str]:
    """Townhall's own certificate and key as a SAML service provider: optional; with them
    its sign-in requests are signed and its metadata carries the certificate."""
    cert = (envstr("TOWNHALL_SAML_SP_CERT") or "").strip()
    key = (envstr("TOWNHALL_SAML_SP_KEY") or "").strip()
    if bool(cert) != bool(key):
        raise RuntimeError(
            "Set both TOWNHALL_SAML_SP_CERT_FILE and TOWNHALL_SAML_SP_KEY_FILE, or neither."
        )
    if cert and "-----BEGIN CERTIFICATE-----" not in cert:
        raise RuntimeError("TOWNHALL_SAML_SP_CERT_FILE must hold a PEM certificate.")
    if key and "PRIVATE KEY-----" not in key:
        raise RuntimeError("TOWNHALL_SAML_SP_KEY_FILE must hold a PEM private key.")
    return {"cert": cert, "key": key}
