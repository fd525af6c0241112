"""The sign-in page's Content-Security-Policy, opened to the providers it sends people to."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from townhall.core.middleware import CSP
from townhall.signin.pages.flow import provider_apps


def provider_origins() -> list[str]:
    """Each provider's origin (scheme, host and port of its issuer), where its authorization
    endpoint lives."""
    origins = []
    for app in provider_apps():
        parts = urlsplit(str(app["settings"]["server_url"]))
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
        origins = provider_origins()
        if origins:
            response["Content-Security-Policy"] = CSP.replace(
                "form-action 'self'", "form-action 'self' " + " ".join(origins)
            )
        return response
