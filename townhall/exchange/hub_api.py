"""The hub's API for member Townhalls: JSON in and out, every call but joining signed by
the member's key (`protocol.py`, `hub_auth.py`). It answers only on a Townhall that runs as
a hub (`settings.EXCHANGE_HUB`), and never with another member's values."""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from townhall.core.http import whole_number
from townhall.exchange import hub, metrics, protocol
from townhall.exchange.hub_auth import signed_member

MAX_BODY = 1024 * 1024  # bytes


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _endpoint(method: str) -> Callable:
    """Hub only, one method, bounded body, open to no session (the signature is the
    permission) and exempt from CSRF (no cookie is used)."""

    def wrap(view: Callable[[HttpRequest], JsonResponse]) -> Callable:
        @csrf_exempt
        @login_not_required
        def inner(request: HttpRequest) -> JsonResponse:
            if not settings.EXCHANGE_HUB:
                return _error(404, "This Townhall is not an exchange hub.")
            if request.method != method:
                return _error(405, f"Use {method}.")
            length = whole_number(request.headers.get("Content-Length") or "0") or 0
            if length > MAX_BODY:
                return _error(413, f"The body must be at most {MAX_BODY} bytes.")
            return view(request)

        inner.__name__ = view.__name__
        inner.__doc__ = view.__doc__
        return inner

    return wrap


def _json(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


@_endpoint("POST")
def join(request: HttpRequest) -> JsonResponse:
    """A government joins with a join code from the hub's administrator."""
    body = _json(request)
    if body is None:
        return _error(400, "The body must be a JSON object.")
    try:
        member = hub.join(
            body.get("join_code"), body.get("name"), body.get("public_key"), body.get("profile")
        )
    except hub.Refused as exc:
        return _error(400, str(exc))
    return JsonResponse({"member_id": member.member_id}, status=201)


@_endpoint("POST")
def submissions(request: HttpRequest) -> JsonResponse:
    """A member sends its signed metrics for a year."""
    try:
        member = signed_member(request)
    except protocol.BadSignature as exc:
        return _error(401, str(exc))
    body = _json(request)
    if body is None:
        return _error(400, "The body must be a JSON object.")
    try:
        revision, status = hub.submit(member, body.get("payload"), body.get("signature"))
    except hub.Refused as exc:
        return _error(400, str(exc))
    return JsonResponse({"revision": revision, "status": status})


@_endpoint("GET")
def statistics(request: HttpRequest) -> JsonResponse:
    """The released cohort statistics of a year and metric set version."""
    try:
        signed_member(request)
    except protocol.BadSignature as exc:
        return _error(401, str(exc))
    year = whole_number(request.GET.get("year"), 4)
    if year is None or not 2000 <= year <= 2100:
        return _error(400, "year must be a whole number from 2000 to 2100.")
    version = request.GET.get("version", "")
    if version not in metrics.VERSIONS:
        return _error(400, f"version: unknown metric set version {version[:20]!r}.")
    return JsonResponse(
        {"year": year, "metric_set_version": version, "statistics": hub.statistics(year, version)}
    )
