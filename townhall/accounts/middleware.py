"""Sessions end at the administrator's limits, or when ended from elsewhere (sessions.py)."""

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone

from townhall.accounts import sessions
from townhall.accounts.models import SignedInSession, User


class SessionLimitsMiddleware:
    """On every signed-in request: read the session's record and the limits (one query), end
    the session when it was ended elsewhere or is past the idle or absolute limit, and note
    its last use at most once a minute. A session from before records were kept gets one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if isinstance(user, User) and session is not None and session.session_key:
            refusal = self.check(request, user, session.session_key)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def check(self, request: HttpRequest, user: User, key: str) -> HttpResponse | None:
        record_id = sessions.current_record_id(request)
        record = sessions.record_with_limits(record_id, user) if record_id is not None else None
        if record is None:
            sessions.start(request, user)  # signed in before records were kept
            return None
        now = timezone.now()
        rules = sessions.limits_of(
            getattr(record, "idle_minutes", None), getattr(record, "absolute_hours", None)
        )
        reason = sessions.why_ended(record, now, rules)
        if reason is not None:
            if record.ended_at is None:
                SignedInSession.objects.filter(pk=record.pk).update(
                    ended_at=now, ended_reason="limit reached"
                )
            return self.sign_out(request, reason)
        changes: dict[str, object] = {}
        hashed = sessions.key_hash(key)
        if record.key_hash != hashed:  # Django gave the session a new key
            changes["key_hash"] = hashed
        if now - record.last_seen_at >= sessions.SEEN_EVERY:
            changes["last_seen_at"] = now
        if changes:
            # Not a change anyone made: no audit entry (like the last sign-in).
            SignedInSession.objects.filter(pk=record.pk).update(**changes)
        return None

    def sign_out(self, request: HttpRequest, reason: str) -> HttpResponse:
        logout(request)  # the record's signal handler leaves an ended record as it is
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": reason}, status=401)
        messages.info(request, reason)
        login = resolve_url(settings.LOGIN_URL)
        target = f"{login}?next={quote(request.get_full_path())}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


class EnrolFirstMiddleware:
    """A person whose role must use two-step sign-in and who signed in with a password
    without an authenticator app may only set one up (or sign out) until it is done: every
    other page sends them there, and the API (with this session) refuses. API tokens are
    not sessions and are not affected. One session read, no query."""

    ALLOWED = ("accounts:mfa", "accounts:logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from townhall.accounts.views import ENROL_FIRST

        session = getattr(request, "session", None)
        if session is None or not session.get(ENROL_FIRST):
            return self.get_response(request)
        if request.path in {reverse(name) for name in self.ALLOWED}:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Set up two-step sign-in on your account page first."}, status=403
            )
        target = reverse("accounts:mfa")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        messages.info(request, "Your role must use two-step sign-in: set it up to go on.")
        return redirect(target)
