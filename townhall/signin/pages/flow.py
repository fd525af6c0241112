"""The sign-in with a provider: starting it, the provider's return, and the refusal page."""

from typing import Any

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2LoginView
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from requests import RequestException

from townhall.accounts import throttle
from townhall.accounts.models import User
from townhall.signin import providers as signin_providers
from townhall.signin import services
from townhall.signin.models import SignInRefusal
from townhall.signin.oidc import CallbackView, TownhallAdapter

Reason = SignInRefusal.Reason
BACKEND = "django.contrib.auth.backends.ModelBackend"


def provider_apps(request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """The OpenID Connect providers offered, as allauth reads them: the environment's and
    those switched on on the Single sign-on page."""
    return signin_providers.oidc_apps(request)


def providers(request: HttpRequest | None = None) -> list[dict[str, str]]:
    """The providers offered, for the sign-in page's buttons: OpenID Connect ones first,
    then SAML ones, each the environment's first, in the order configured."""
    oidc = [
        {"id": app["provider_id"], "name": app["name"], "kind": "oidc"}
        for app in provider_apps(request)
    ]
    saml = [
        {"id": app["provider_id"], "name": app["name"], "kind": "saml"}
        for app in signin_providers.saml_apps(request)
    ]
    return oidc + saml


def safe_next(request: HttpRequest, url: str | None) -> bool:
    """Only addresses on this site: a sign-in must never end on someone else's page."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def unsafe_next(request: HttpRequest, provider_id: str) -> HttpResponse | None:
    """A sign-in asked to end outside Townhall is refused before the browser leaves."""
    next_url = request.POST.get("next", "")
    if not next_url or safe_next(request, next_url):
        return None
    return refused(
        request,
        provider_id,
        Reason.UNSAFE_NEXT,
        "The address to go to after signing in is outside Townhall, so the sign-in was "
        "not started. Start again from Townhall's own sign-in page.",
    )


def complete(
    request: HttpRequest,
    provider_id: str,
    provider_name: str,
    claims: dict[str, Any],
    groups_claim: str,
    next_url: str,
    *,
    roles_from_groups: bool = True,
) -> HttpResponse:
    """A provider vouched for the person (by either protocol): signed in with the role of
    their groups today (or, for a provider that sends none, the role their account has)
    and sent on to a page of Townhall, or the refusal page."""
    try:
        user = services.sign_in(
            provider_id,
            provider_name,
            claims,
            groups_claim,
            roles_from_groups=roles_from_groups,
        )
    except services.Refused as refusal:
        return refused(
            request,
            provider_id,
            refusal.reason,
            refusal.message,
            claims=claims,
            groups_claim=groups_claim,
            user=refusal.user,
        )
    login(request, user, backend=BACKEND)
    if not safe_next(request, next_url):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    return HttpResponseRedirect(next_url)


def refused(
    request: HttpRequest,
    provider_id: str,
    reason: str,
    message: str,
    *,
    claims: dict[str, Any] | None = None,
    groups_claim: str = "groups",
    user: User | None = None,
) -> HttpResponse:
    """The clear page a refused person sees; the refusal is kept for administrators and
    counts as a failed sign-in from its address, so one address cannot fill the records."""
    busy = throttled(request)
    if busy:
        return busy
    services.record_refusal(request, provider_id, reason, message, claims, groups_claim, user)
    throttle.record_failure(throttle.Attempt(username="", address=throttle.client_address(request)))
    return render(
        request,
        "signin/refused.html",
        {"message": message, "reason": Reason(reason).label},
        status=403,
    )


def throttled(request: HttpRequest) -> HttpResponse | None:
    """The address has failed too often (password or single sign-on): nothing more is done
    or kept for it until the failures age (accounts/throttle.py)."""
    reason = throttle.address_refusal(throttle.client_address(request))
    if not reason:
        return None
    return render(
        request,
        "signin/refused.html",
        {"message": reason, "reason": "Too many failed sign-ins"},
        status=429,
    )


@login_not_required
@never_cache
def start(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The button on the sign-in page posts here (with its CSRF token); allauth sends the
    browser on to the provider with state, nonce and the PKCE challenge."""
    if provider_id not in {app["provider_id"] for app in provider_apps(request)}:
        raise Http404("No such sign-in provider.")
    if request.method != "POST":
        return redirect("accounts:login")
    busy = throttled(request)
    if busy:
        return busy
    unsafe = unsafe_next(request, provider_id)
    if unsafe:
        return unsafe
    try:
        return OAuth2LoginView.adapter_view(TownhallAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404("No such sign-in provider.") from None
    except (RequestException, OAuth2Error):
        # Discovery failed: the provider is down, or its document is not what it should be.
        name = next(p["name"] for p in providers(request) if p["id"] == provider_id)
        return refused(
            request,
            provider_id,
            Reason.PROVIDER,
            f"{name} could not be reached or did not describe itself properly, so the "
            "sign-in was not started. Try again in a moment; if this keeps happening, tell "
            "your Townhall administrator.",
        )


@login_not_required
@never_cache
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Where the provider sends the browser back with its code."""
    if provider_id not in {app["provider_id"] for app in provider_apps(request)}:
        raise Http404("No such sign-in provider.")
    try:
        return CallbackView.adapter_view(TownhallAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404("No such sign-in provider.") from None
