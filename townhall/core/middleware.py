"""Request id and Content-Security-Policy for every response; sessions kept alive while
used; a busy database answered with 503 rather than 500."""

import re
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from townhall.core import busy, context

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class RequestIdMiddleware:
    """Give each request an id (or keep a proxy's X-Request-ID) that audit entries record."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _VALID_ID.match(given) else context.new_request_id()
        via = "api" if request.path.startswith("/api/") else "web"
        with context.acting(via, request_id):
            request.request_id = request_id
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RejectNullCharactersMiddleware:
    """Answer 400 to addresses holding NUL characters, which PostgreSQL cannot store or
    compare; form and API fields refuse them through their own validators."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in query.getlist(key)) for key in query
        ):
            message = "The address contains a NUL character, which Townhall cannot use."
            if request.path.startswith("/api/"):  # the API answers JSON, as its schema says
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """No inline scripts or styles: only files served by Townhall itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        return response


class IdleSessionMiddleware:
    """Keep a session alive while it is used, writing it at most once every few minutes.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) made each page view a
    database write: a job page polling every second wrote a session row every second,
    which on SQLite is enough to make a background job's writes fail. The session still
    expires after TOWNHALL_SESSION_HOURS of idle time, give or take these minutes."""

    REFRESH_SECONDS = 300

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            if time.time() - float(session.get(SEEN, 0)) >= self.REFRESH_SECONDS:
                mark_seen(request)
        return response


SEEN = "townhall_seen"


def mark_seen(request: HttpRequest | None, **kwargs: Any) -> None:
    """Note when the session was last renewed (also on sign-in, which saves it anyway)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SEEN] = int(time.time())


class BusyDatabaseMiddleware:
    """A page or API call that meets a database busy for longer than the wait (SQLite's
    write lock held by a long change, a PostgreSQL deadlock) answers 503 with Retry-After:
    nothing was saved and the same request can be sent again. `core.views.error_500` does
    the same for errors outside views."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if busy.transient(exception):
            return busy.response(request)
        return None
