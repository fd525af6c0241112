"""Every page asks for sign-in, except the few listed here as public.

Sign-in is required by `LoginRequiredMiddleware` for every view, so a new page is closed
until it is marked `login_not_required`. This walks every address the project routes and
asks each, signed out: it must send the person to sign in (the API: answer 401), or be
one of PUBLIC.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Addresses open without signing in, by URL name, and why.
PUBLIC = {
    "accounts:login": "the sign-in page itself",
    "accounts:sign_in_code": "the second step of signing in, after a right password",
    "accounts:sign_in_passkey_options": "a passkey's challenge at the second step",
    "accounts:sign_in_passkey": "the second step with a passkey",
    "healthz": "the load balancer's health check",
    "estate:calendar_feed": "calendar apps fetch it alone; its secret key is the permission",
    "openid_connect_login": "starts single sign-on from the sign-in page",
    "openid_connect_callback": "where the sign-in provider sends the person back",
    "saml_start": "starts SAML sign-in from the sign-in page",
    "saml_acs": "where the SAML provider posts the person's assertion",
    "saml_finish": "finishes SAML sign-in once the session's cookie is back",
    "saml_metadata": "Townhall's SAML metadata, which the provider reads",
    "hub:api_survey": "the hub's survey API: members' Townhalls sign each request instead",
    "hub:survey_report": "the published survey report, counts only, is for everyone",
    "hub:survey_report_csv": "the published survey report's counts as CSV",
    # --- library ---
    "hub:api_library": "the hub's library API: a member's signature is the permission",
    "hub:api_library_file": "a library file for a member: its signature is the permission",
    "hub:api_library_withdraw": "a member withdraws its own document, signed",
    # --- hub ---
    "hub:api_join": "a government joins the hub with its join code, before it has a key there",
    "hub:api_submissions": "members' Townhalls call it; the request's signature is the permission",
    "hub:api_statistics": "members' Townhalls call it; the request's signature is the permission",
    "hub:privacy": "anyone may read what the hub releases and its privacy budget",
}


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(route with sample arguments, URL name) for every routed view."""
    found = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _walk(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else route
            found.append((_sample(route), name))
    return found


def _sample(route: str) -> str:
    """A concrete address for a route: a primary key becomes 1, a format json, the rest x."""
    route = re.sub(r"\(\?P<format>[^)]*\)", "json", route)  # the API router's regex routes
    route = re.sub(r"\(\?P<pk>[^)]*\)", "1", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)
    route = re.sub(r"<drf_format_suffix:[^>]+>", ".json", route)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<[^>]+>", "x", route)
    route = route.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")
    return "/" + route


def addresses() -> list[tuple[str, str]]:
    return sorted(set(_walk(get_resolver().url_patterns)))


@pytest.mark.django_db
def test_signed_out_is_sent_to_sign_in():
    client = Client(raise_request_exception=False)
    login = reverse("accounts:login") + "?next="
    wrong = []
    for url, name in addresses():
        response = client.get(url)
        # Open (the public site is for everyone): it answers, and does not ask to sign in.
        if name in PUBLIC or name.startswith("public:"):
            ok = response.status_code < 500 and not response.get("Location", "").startswith(login)
        elif url.startswith("/scim/"):
            ok = response.status_code == 401  # provisioning answers for itself, in SCIM's JSON
        elif url.startswith("/api/") and not url.startswith("/api/docs/"):
            ok = response.status_code == 401  # the API answers for itself, in JSON
        else:
            ok = response.status_code == 302 and response["Location"].startswith(login)
        if not ok:
            wrong.append(f"{url} ({name}): {response.status_code}")
    assert not wrong, "open without signing in: " + "; ".join(wrong)


def test_the_walk_finds_the_pages():
    names = {name for _, name in addresses()}
    assert {"core:home", "accounts:login", "healthz", "estate:calendar_feed"} <= names
    assert len(names) > 200
