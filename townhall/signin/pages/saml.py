"""The SAML sign-in's pages: starting it, the provider's post back, and Townhall's metadata."""

import xmlsec
from allauth.socialaccount.sessions import LoginSession
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from onelogin.saml2.errors import OneLogin_Saml2_Error

from townhall.signin import saml
from townhall.signin.models import SignInRefusal
from townhall.signin.pages.flow import complete, refused, throttled, unsafe_next
from townhall.signin.services import Refused

Reason = SignInRefusal.Reason
PENDING = "signin_saml_pending"
# The provider posts from its own site, so the browser may leave the session cookie out;
# the post is kept under a cookie of its own and picked up after a redirect (allauth's way).
STASH = ("signin_saml_stash", "townhall-saml")


def _app(provider_id: str) -> dict:
    app = saml.provider(provider_id)
    if app is None:
        raise Http404("No such sign-in provider.")
    return app


@login_not_required
@never_cache
def start(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The button posts here; the browser goes on to the provider with our AuthnRequest,
    whose ID is kept in the session so the answer can be matched to it."""
    app = _app(provider_id)
    if request.method != "POST":
        return redirect("accounts:login")
    busy = throttled(request) or unsafe_next(request, provider_id)
    if busy:
        return busy
    try:
        url, request_id = saml.login_url(request, app)
    except Refused as refusal:
        return refused(request, provider_id, refusal.reason, refusal.message)
    request.session[PENDING] = {
        "provider": provider_id,
        "request_id": request_id,
        "next": request.POST.get("next", ""),
    }
    return HttpResponseRedirect(url)


@csrf_exempt  # the provider's form posts here; the response's own checks protect it
@login_not_required
@never_cache
def acs(request: HttpRequest, provider_id: str) -> HttpResponse:
    """The assertion consumer service: keeps the post and sends the browser on to finish."""
    _app(provider_id)
    if request.method != "POST":
        return redirect("accounts:login")
    response = HttpResponseRedirect(reverse("saml_finish", args=[provider_id]))
    stash = LoginSession(request, *STASH)
    stash.store["response"] = str(request.POST.get("SAMLResponse", ""))
    stash.save(response)
    return response


@login_not_required
@never_cache
def finish(request: HttpRequest, provider_id: str) -> HttpResponse:
    app = _app(provider_id)
    busy = throttled(request)
    if busy:
        return busy
    stash = LoginSession(request, *STASH)
    saml_response = str(stash.store.get("response") or "")
    stash.delete()
    pending = request.session.pop(PENDING, None) or {}
    if not saml_response or pending.get("provider") != provider_id:
        return refused(
            request,
            provider_id,
            Reason.STATE,
            "This sign-in was not started in this browser, was already used, or took too "
            "long. Start again from the sign-in page.",
        )
    try:
        claims = saml.verify(request, app, saml_response, str(pending.get("request_id")))
    except Refused as refusal:
        return refused(request, provider_id, refusal.reason, refusal.message)
    return complete(
        request, provider_id, app["name"], claims, "groups", str(pending.get("next") or "")
    )


@login_not_required
def metadata(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Townhall's service-provider metadata, to import at the identity provider."""
    _app(provider_id)
    try:
        document = saml.sp_metadata(request, provider_id)
    except (OneLogin_Saml2_Error, xmlsec.Error) as exc:
        return HttpResponse(
            f"Townhall's SAML certificate or key cannot be used ({exc}); see docs/sign-in.md.",
            content_type="text/plain; charset=utf-8",
            status=503,
        )
    return HttpResponse(document, content_type="application/xml")
