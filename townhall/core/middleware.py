"""Request id and Content-Security-Policy for every response; sessions kept alive while
used; request bodies over the upload limit refused before they are read; a busy database
answered with 503 rather than 500."""

import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render

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
            request.request_id = request_id  # type: ignore[attr-defined]  # read by pages
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
    which on SQLite is enough to make a background job's writes fail. This renews only
    Django's own expiry, the outer bound (SESSION_COOKIE_AGE); the administrator's idle and
    absolute limits are enforced by accounts.middleware.SessionLimitsMiddleware."""

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


# Room for a form's other fields and the multipart framing beside a file at the limit; the
# form then says "larger than the limit" for a file just over it.
FORM_ALLOWANCE = 1024 * 1024


def body_limit() -> int:
    """The largest request body read, in bytes."""
    return settings.UPLOAD_MAX_MB * 1024 * 1024 + FORM_ALLOWANCE


class UploadLimitMiddleware:
    """Refuse a request whose body is over the upload limit from its Content-Length, before
    anything reads the body: Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out, so a
    200 MB upload was read whole (for 40 s) before the form said it was too large.

    Under WSGI Django reads no more than Content-Length says, and nothing when it is absent;
    a body sent in chunks without one is refused with 411 rather than silently dropped."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared and request.META.get("HTTP_TRANSFER_ENCODING"):
            return _refusal(
                request,
                411,
                "Send the file with its length (a Content-Length header); Townhall does "
                "not read uploads sent in chunks of unknown total size.",
            )
        try:
            length = int(declared) if declared else 0
        except ValueError:
            return _refusal(request, 400, "The request's Content-Length is not a number.")
        if length > body_limit():
            return _refusal(
                request,
                413,
                f"The upload is {length / 1024 / 1024:,.1f} MB, larger than the "
                f"{settings.UPLOAD_MAX_MB} MB limit. Nothing was read or saved. Split the file "
                "or save it without what it does not need (a CSV is much smaller than a "
                "workbook), then upload it again.",
            )
        return self.get_response(request)


def _refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):  # the API answers JSON, as its schema says
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        response = render(request, "413.html", {"message": message}, status=status)
    # No "Connection: close" here: WSGI leaves hop-by-hop headers to the server, which
    # discards (or closes on) the unread body.
    return response
