"""Every sign-in provider in one place: those the server's environment names (read once at
start-up into settings) and those administrators added on the Single sign-on page
(`SignInProvider`). The sign-in page, allauth, the SAML pages, the mapping form and the
sign-in page's Content-Security-Policy all read providers through here, so they agree.

Page-made providers cost one query per request at most: the rows are kept on the request
(allauth's, when the caller has none at hand) for the rest of it.
"""

from typing import Any

from allauth.core import context as allauth_context
from django.conf import settings
from django.http import HttpRequest

from townhall.signin import config, sealing
from townhall.signin.models import SignInProvider

# Names a page-made provider may not take: "scim" stands for provisioning in group mappings.
RESERVED = {"scim"}
_KEPT = "_townhall_signin_providers"


def environment_oidc() -> list[dict[str, Any]]:
    return list(settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", []))


def environment_saml() -> list[dict[str, Any]]:
    return list(settings.TOWNHALL_SAML_PROVIDERS)


def environment_ids() -> set[str]:
    return {app["provider_id"] for app in environment_oidc() + environment_saml()}


def page_made(request: HttpRequest | None = None) -> list[SignInProvider]:
    """Every provider added on the page (on or off), in one query per request."""
    request = request or allauth_context.request
    kept = getattr(request, _KEPT, None) if request is not None else None
    if kept is not None:
        return list(kept)
    rows = list(SignInProvider.objects.order_by("provider_id"))
    if request is not None:
        setattr(request, _KEPT, rows)
    return rows


def forget(request: HttpRequest | None) -> None:
    """After a write on the page: the rest of the request sees the change."""
    if request is not None and hasattr(request, _KEPT):
        delattr(request, _KEPT)


def usable(row: SignInProvider, taken: set[str]) -> bool:
    """Switched on, not shadowed by an environment provider of the same name (one added
    to the environment later wins), and for OpenID Connect with a secret that opens."""
    if not row.enabled or row.provider_id in taken:
        return False
    return row.kind != SignInProvider.Kind.OIDC or sealing.unseal(row.client_secret) is not None


def oidc_app(row: SignInProvider) -> dict[str, Any]:
    """A page-made OpenID Connect provider as allauth reads it (the environment's shape)."""
    return config.app(
        row.provider_id,
        name=row.name,
        issuer=row.issuer,
        client_id=row.client_id,
        secret=sealing.unseal(row.client_secret) or "",
        scopes=row.scope_list() or None,
        groups_claim=row.groups_claim or "groups",
        tenants=row.tenant_list(),
    )


def saml_app(row: SignInProvider) -> dict[str, Any]:
    return config.saml_app(
        row.provider_id,
        name=row.name,
        metadata_url=row.metadata_url,
        groups_attribute=row.groups_attribute,
        entity_id=row.entity_id,
    )


def page_oidc_apps(request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """The page's OpenID Connect providers that are offered."""
    taken = environment_ids()
    return [
        oidc_app(row)
        for row in page_made(request)
        if row.kind == SignInProvider.Kind.OIDC and usable(row, taken)
    ]


def oidc_apps(request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """Every OpenID Connect provider offered: the environment's, then the page's."""
    return environment_oidc() + page_oidc_apps(request)


def saml_apps(request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """Every SAML provider offered: the environment's, then the page's."""
    env = environment_saml()
    taken = environment_ids()
    page = [
        saml_app(row)
        for row in page_made(request)
        if row.kind == SignInProvider.Kind.SAML and usable(row, taken)
    ]
    return env + page
