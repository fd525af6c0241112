"""Signed-in sessions: a record of each, the limits an administrator sets, and ending them.

Each browser session that signs in gets a `SignedInSession` (the session holds its id), so
a person sees where they are signed in and ends one or all of them; the record keeps only
a hash of the session's key. `SessionLimitsMiddleware` reads the record on every signed-in
request and ends the session when it was ended elsewhere or passed the idle or absolute
limit of the `SessionPolicy`; it writes the last use at most once a minute.
"""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.http import HttpRequest
from django.utils import timezone

from townhall.accounts.models import SessionPolicy, SignedInSession, User
from townhall.core import services

RECORD = "townhall_session_record"  # the session's own key for its record's id
SEEN_EVERY = datetime.timedelta(minutes=1)
AGENT_LENGTH = 200
# Records of sessions unused for this long are removed when their owner next signs in
# (their ending, when someone ended them, stays in the audit log).
KEEP_DAYS = 90
PASSWORD_CHANGED = "password changed"  # noqa: S105 - why a session ended, not a secret
DEACTIVATED = "account deactivated"


@dataclass(frozen=True)
class Limits:
    idle: datetime.timedelta
    absolute: datetime.timedelta


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def default_policy() -> SessionPolicy:
    """The policy before an administrator sets one: from the settings, within its bounds."""
    idle = min(max(settings.SESSION_IDLE_HOURS * 60, 5), SessionPolicy.MAX_IDLE_MINUTES)
    absolute = min(max(settings.SESSION_MAX_HOURS, 1), SessionPolicy.MAX_ABSOLUTE_HOURS)
    return SessionPolicy(pk=1, idle_minutes=idle, absolute_hours=max(absolute, -(-idle // 60)))


def policy() -> SessionPolicy:
    """The saved policy, or the default one (unsaved)."""
    return SessionPolicy.objects.filter(pk=1).first() or default_policy()


def limits_of(idle_minutes: int | None, absolute_hours: int | None) -> Limits:
    """The limits from a saved policy's values, or the defaults where there is none."""
    if idle_minutes is None or absolute_hours is None:
        default = default_policy()
        idle_minutes, absolute_hours = default.idle_minutes, default.absolute_hours
    return Limits(
        datetime.timedelta(minutes=idle_minutes), datetime.timedelta(hours=absolute_hours)
    )


def limits() -> Limits:
    current = policy()
    return limits_of(current.idle_minutes, current.absolute_hours)


def record_with_limits(record_id: int, owner: User) -> SignedInSession | None:
    """The session's record with the policy's limits beside it (`idle_minutes`,
    `absolute_hours`, None without a saved policy), in one query: a change of the limits
    applies at the next request, and a request reads no more for it."""
    saved = SessionPolicy.objects.filter(pk=1)
    return (
        SignedInSession.objects.filter(pk=record_id, owner=owner)
        .annotate(
            idle_minutes=Subquery(saved.values("idle_minutes")[:1]),
            absolute_hours=Subquery(saved.values("absolute_hours")[:1]),
        )
        .first()
    )


def set_policy(actor: Any, *, idle_minutes: int, absolute_hours: int) -> SessionPolicy:
    """Save the limits (administrators), audited; they apply to sessions already open."""
    values = {"idle_minutes": idle_minutes, "absolute_hours": absolute_hours}
    saved = SessionPolicy.objects.filter(pk=1).first()
    if saved is None:
        result = services.create(actor, SessionPolicy, {"id": 1, **values})
    else:
        result = services.update(actor, saved, values, version=None)
    return result


def _agent(request: HttpRequest) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "") or ""
    agent = "".join(c for c in agent if c.isprintable())
    return agent if len(agent) <= AGENT_LENGTH else agent[: AGENT_LENGTH - 1] + "…"


def start(request: HttpRequest, user: User) -> SignedInSession | None:
    """Record the session `request` just signed in with (or kept after a new password)."""
    from townhall.accounts.throttle import client_address

    session = getattr(request, "session", None)
    if session is None:
        return None
    if not session.session_key:
        session.save()
    assert session.session_key is not None  # saved just above
    now = timezone.now()
    hashed = key_hash(session.session_key)
    try:
        # Not a change anyone made: like the last sign-in, no audit entry.
        with transaction.atomic():
            record = SignedInSession.objects.create(
                owner=user,
                key_hash=hashed,
                last_seen_at=now,
                ip_address=client_address(request),
                user_agent=_agent(request),
            )
    except IntegrityError:  # two first requests of one session at once: the other's record
        found = SignedInSession.objects.filter(key_hash=hashed, owner=user).first()
        if found is None:
            return None
        record = found
    session[RECORD] = record.pk
    SignedInSession.objects.filter(
        owner=user, last_seen_at__lt=now - datetime.timedelta(days=KEEP_DAYS)
    ).delete()
    return record


def on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and isinstance(user, User):
        start(request, user)


def on_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    record_id = session.get(RECORD) if session is not None else None
    if record_id:
        SignedInSession.objects.filter(pk=record_id, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_reason="signed out"
        )


def why_ended(record: SignedInSession, now: datetime.datetime, rules: Limits) -> str | None:
    """Why this session may go no further, in words for the sign-in page, or None."""
    if record.ended_at:
        return (
            "You were signed out: your session was ended from another session "
            "or by an administrator. Sign in again."
        )
    if now - record.created_at >= rules.absolute:
        return (
            "You were signed out: sessions last at most "
            + _span(rules.absolute)
            + ". Sign in again."
        )
    if now - record.last_seen_at >= rules.idle:
        return (
            "You were signed out after " + _span(rules.idle) + " without activity. Sign in again."
        )
    return None


def _span(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


def active(owner: User) -> Any:
    """The owner's sessions still open, by the policy's limits."""
    now = timezone.now()
    rules = limits()
    return SignedInSession.objects.filter(
        owner=owner,
        ended_at__isnull=True,
        created_at__gt=now - rules.absolute,
        last_seen_at__gt=now - rules.idle,
    )


def end(actor: Any, record: SignedInSession, reason: str) -> SignedInSession:
    """End one session (its browser is signed out at its next request); audited."""
    if record.ended_at:
        return record
    return services.update(
        actor, record, {"ended_at": timezone.now(), "ended_reason": reason[:100]}, version=None
    )


def end_all(actor: Any, owner: User, reason: str) -> int:
    """End every open session of `owner`; each browser is signed out at its next request."""
    records = list(SignedInSession.objects.filter(owner=owner, ended_at__isnull=True))
    if not records:
        return 0
    now = timezone.now()
    return services.update_rows(
        actor, [(r, {"ended_at": now, "ended_reason": reason[:100]}) for r in records]
    )


def current_record_id(request: HttpRequest) -> int | None:
    session = getattr(request, "session", None)
    value = session.get(RECORD) if session is not None else None
    return value if isinstance(value, int) else None
