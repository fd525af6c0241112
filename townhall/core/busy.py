"""A database that is only busy for a moment, told apart from a real error.

On SQLite one connection writes at a time; a writer waits for the lock up to the busy
timeout and then gets "database is locked". On PostgreSQL a deadlock or a serialization
failure means the same: nothing was saved, and the same request will very likely pass if
sent again. Pages and API calls answer 503 with `Retry-After` for these (never 500), and
the job runner tries such a job again.
"""

import json

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5
MESSAGE = "Townhall is busy saving a large change; nothing was lost; try again in a moment."

_TRANSIENT = (
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not serialize",
    "server closed the connection",
    "connection already closed",
    "terminating connection",
)


def transient(exc: BaseException) -> bool:
    """A database error that may pass if tried again (busy, locked, deadlock, dropped)."""
    if not isinstance(exc, DatabaseError):
        return False
    text = str(exc).lower()
    return any(words in text for words in _TRANSIENT)


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: a plain page, or JSON for the API."""
    if wants_json(request):
        body = json.dumps({"detail": MESSAGE, "code": "busy"})
        answer = HttpResponse(body, status=503, content_type="application/json")
    else:
        try:
            html: str = render_to_string("503.html", {"message": MESSAGE}, request=request)
        except Exception:  # noqa: BLE001 - the page itself may need the busy database
            html = f"<!doctype html><html lang='en'><title>Busy</title><p>{MESSAGE}</p></html>"
        answer = HttpResponse(html, status=503)
    answer["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return answer
