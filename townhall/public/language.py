"""The visitor's language on the public site: English or Spanish, chosen from a link and
remembered in a cookie, else the browser's preference. Only public pages change language;
staff pages stay in English, so this is a decorator rather than Django's LocaleMiddleware."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

# The public site's languages: (code, the language's own name).
LANGUAGES = (("en", "English"), ("es", "Español"))
CODES = tuple(code for code, _ in LANGUAGES)
DEFAULT = "en"
COOKIE = settings.LANGUAGE_COOKIE_NAME
# A year: the choice is remembered, not a session's.
COOKIE_AGE = 365 * 24 * 3600


def visitor_language(request: HttpRequest) -> str:
    """The cookie's language if it is one of ours, else the browser's first of ours."""
    chosen = request.COOKIES.get(COOKIE, "")
    if chosen in CODES:
        return chosen
    header = request.headers.get("Accept-Language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in CODES:
            return code
    return DEFAULT


def in_visitor_language(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Render a public view in the visitor's language, and say so to caches."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        code = visitor_language(request)
        with translation.override(code):
            request.LANGUAGE_CODE = code
            response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Language", code)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapped


def choose(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the language chosen and go back to the page it was chosen on."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/public/"
    response = HttpResponseRedirect(target or "/public/")
    if code in CODES:
        response.set_cookie(
            COOKIE, code, max_age=COOKIE_AGE, samesite="Lax", secure=request.is_secure()
        )
    return response
