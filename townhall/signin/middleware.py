"""The sign-in page's Content-Security-Policy, opened to the providers it sends people to."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from townhall.core.middleware import CSP
from townhall.signin import providers
from townhall.signin.models import ImportedMetadata
from townhall.signin.pages.flow import provider_apps
from townhall.signin.saml_metadata import MetadataError, idp_settings


def saml_sign_in_address(app: dict, imported: dict[str, str]) -> str:
    """A SAML provider's sign-in address: from its imported metadata or its metadata file,
    or (without fetching it here) its metadata's address, on the same host at ADFS, Entra ID
    and Okta."""
    document = imported.get(app["provider_id"]) or app["metadata_xml"]
    if document:
        try:
            return str(idp_settings(document, app["entity_id"])["singleSignOnService"]["url"])
        except MetadataError:
            return ""
    return str(app["metadata_url"])


def provider_origins(request: HttpRequest | None = None) -> list[str]:
    """Each provider's origin (scheme, host and port of its issuer), where its authorization
    endpoint lives."""
    addresses = [str(app["settings"]["server_url"]) for app in provider_apps(request)]
    saml_apps = providers.saml_apps(request)
    if saml_apps:
        imported = dict(ImportedMetadata.objects.values_list("provider", "document"))
        addresses += [saml_sign_in_address(app, imported) for app in saml_apps]
    origins = []
    for address in addresses:
        parts = urlsplit(address)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


class ProviderFormActionMiddleware:
    """A "Sign in with …" button posts to Townhall, which answers with a redirect to the
    provider; browsers hold that redirect to the page's `form-action` too, so on the sign-in
    page it names the providers as well as Townhall. Every other page keeps 'self' alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.sign_in_path = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        self.sign_in_path = self.sign_in_path or reverse("accounts:login")
        if request.path != self.sign_in_path or "Content-Security-Policy" in response:
            return response
        origins = provider_origins(request)
        if origins:
            response["Content-Security-Policy"] = CSP.replace(
                "form-action 'self'", "form-action 'self' " + " ".join(origins)
            )
        return response
