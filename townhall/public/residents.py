"""Residents' input on the write path: a comment, a show of support or an idea is kept
unconfirmed, the resident confirms it through a signed, time-limited link sent by e-mail,
and a moderator publishes or rejects it (`services.transition`, so each decision is in the
audit log). The address is never stored: only a keyed hash, to limit what one address sends.
"""

import datetime
import hashlib
import hmac
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache as shared_cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db.models import Count, Q
from django.utils import timezone

from townhall.core import context, services
from townhall.public import screening
from townhall.public.actors import RESIDENT
from townhall.public.models import (
    COMMENT_TARGETS,
    MAX_INPUT,
    AbuseReport,
    CommentWindow,
    ResidentInput,
)

SALT = "townhall.public.resident-input"
WORDS_FILE = Path(__file__).parent / "reference" / "held_words.txt"
MAX_ADDRESS = 254


class TooMany(Exception):
    """Too much input from one address or one client in the last hour."""


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def address_hash(address: str) -> str:
    """A keyed hash of the address: the same address always hashes alike (to limit it);
    the address cannot be read back from it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.strip().casefold().encode(), hashlib.sha256).hexdigest()


def checked_address(address: str) -> str:
    address = address.strip()
    if not address or len(address) > MAX_ADDRESS:
        raise ValidationError({"email": "Give an e-mail address."})
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            {"email": "Give an e-mail address such as name@example.com."}
        ) from None
    return address


def _count(key: str, limit: int) -> None:
    """Count one more send under `key` for an hour; refuse past `limit`."""
    shared_cache.add(key, 0, 3600)
    try:
        sent = shared_cache.incr(key)
    except ValueError:
        shared_cache.set(key, 1, 3600)
        sent = 1
    if sent > limit:
        raise TooMany


def limit(hashed: str, client: str) -> None:
    """Rate limits per address and per client (the client's network address, hashed)."""
    client_key = hashlib.sha256(client.encode()).hexdigest()
    _count(f"public-input:address:{hashed}", _setting("PUBLIC_INPUT_PER_ADDRESS", 5))
    _count(f"public-input:client:{client_key}", _setting("PUBLIC_INPUT_PER_CLIENT", 20))


@cache
def _words() -> frozenset[str]:
    with WORDS_FILE.open(encoding="utf-8") as lines:
        return screening.read_words(lines)


def open_window(kind: str, pk: int, day: datetime.date | None = None) -> CommentWindow | None:
    """The window open today for a record, if any."""
    day = day or timezone.localdate()
    return (
        CommentWindow.objects.filter(
            target_kind=kind, target_id=pk, opens__lte=day, closes__gte=day
        )
        .order_by("-closes")
        .first()
    )


def _send(address: str, item: ResidentInput, confirm_url: str) -> None:
    """Send the confirmation link; the address is used here and then forgotten."""
    hours = _setting("PUBLIC_INPUT_CONFIRM_HOURS", 48)
    send_mail(
        "Confirm what you sent",
        "Someone, we hope you, sent this to the county's public site. To confirm it, open "
        f"this link within {hours} hours:\n\n{confirm_url}\n\nIf it was not you, ignore this "
        "message; nothing is published without the confirmation.",
        None,
        [address],
    )


def token(item: ResidentInput) -> str:
    return signing.dumps({"i": item.pk}, salt=SALT)


def submit(
    *,
    kind: str,
    address: str,
    client: str,
    confirm_url: Any,
    window: CommentWindow | None = None,
    title: str = "",
    body: str = "",
) -> ResidentInput:
    """Keep a resident's input unconfirmed and send the confirmation link.
    `confirm_url(token)` gives the link's full address."""
    address = checked_address(address)
    if len(body) > MAX_INPUT:
        raise ValidationError({"body": f"Keep it under {MAX_INPUT} characters."})
    hashed = address_hash(address)
    limit(hashed, client)
    with context.acting("public"):
        item = services.create(
            RESIDENT,
            ResidentInput,
            {
                "kind": kind,
                "window": window,
                "title": title.strip(),
                "body": body.strip(),
                "address_hash": hashed,
                "held_words": ", ".join(screening.held_words(f"{title} {body}", _words()))[:300],
            },
        )
    _send(address, item, confirm_url(token(item)))
    return item


def confirm(raw: str) -> ResidentInput | None:
    """Confirm input from its link: it waits for moderation (or is held for a listed word,
    or published at once if the city chose so). None: the link is wrong or too old."""
    max_age = _setting("PUBLIC_INPUT_CONFIRM_HOURS", 48) * 3600
    try:
        data = signing.loads(raw, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    found = data.get("i") if isinstance(data, dict) else None
    if not isinstance(found, int):
        return None
    item = ResidentInput.objects.filter(pk=found).first()
    if item is None:
        return None
    if item.status != ResidentInput.Status.UNCONFIRMED:
        return item
    if item.held_words:
        to = ResidentInput.Status.HELD
    elif _setting("PUBLIC_INPUT_PUBLISH_AT_ONCE", False):
        to = ResidentInput.Status.PUBLISHED
    else:
        to = ResidentInput.Status.PENDING
    with context.acting("public"):
        return services.transition(RESIDENT, item, to, note="the resident confirmed")


def report(item: ResidentInput, reason: str, client: str) -> None:
    """A resident reports published input as abusive; staff see it in the queue."""
    if item.status != ResidentInput.Status.PUBLISHED:
        raise ValidationError("Only published input can be reported.")
    limit(address_hash(f"report:{client}"), client)
    with context.acting("public"):
        services.create(RESIDENT, AbuseReport, {"input": item, "reason": reason.strip()[:300]})


def publish(user: Any, item: ResidentInput, version: int | None = None) -> ResidentInput:
    """A moderator publishes input; dismisses open reports on it."""
    if item.status == ResidentInput.Status.PUBLISHED:
        for found in item.abuse_reports.filter(dismissed=False):
            services.update(user, found, {"dismissed": True}, version=found.version)
        return item
    return services.transition(
        user, item, ResidentInput.Status.PUBLISHED, note="published by a moderator", version=version
    )


def reject(
    user: Any, item: ResidentInput, reason: str, version: int | None = None
) -> ResidentInput:
    """A moderator rejects input, saying why (kept in the audit log)."""
    reason = reason.strip()[:300]
    return services.transition(
        user,
        item,
        ResidentInput.Status.REJECTED,
        note=reason,
        extra={"reason": reason},
        version=version,
    )


def queue() -> list[ResidentInput]:
    """What waits for a moderator: confirmed input not yet decided, and published input
    residents reported."""
    return list(
        ResidentInput.objects.annotate(
            open_reports=Count("abuse_reports", filter=Q(abuse_reports__dismissed=False))
        )
        .filter(
            Q(status__in=[ResidentInput.Status.PENDING, ResidentInput.Status.HELD])
            | Q(status=ResidentInput.Status.PUBLISHED, open_reports__gt=0)
        )
        .select_related("window")
        .order_by("created_at", "pk")[:200]
    )


@dataclass(frozen=True)
class Said:
    """What residents said about one record, for the board."""

    support: int
    comments: int
    waiting: int
    published: list[str]


def said(kind: str, pk: int) -> Said | None:
    """Counts of confirmed support and comments, and the published comments, over every
    window the record was open in; None when it never was."""
    windows = CommentWindow.objects.filter(target_kind=kind, target_id=pk)
    if not windows.exists():
        return None
    confirmed = ResidentInput.objects.filter(window__in=windows).exclude(
        status__in=[ResidentInput.Status.UNCONFIRMED, ResidentInput.Status.REJECTED]
    )
    counts = confirmed.aggregate(
        support=Count("pk", filter=Q(kind=ResidentInput.Kind.SUPPORT)),
        comments=Count("pk", filter=Q(kind=ResidentInput.Kind.COMMENT)),
        waiting=Count("pk", filter=~Q(status=ResidentInput.Status.PUBLISHED)),
    )
    published = list(
        confirmed.filter(kind=ResidentInput.Kind.COMMENT, status=ResidentInput.Status.PUBLISHED)
        .order_by("created_at")
        .values_list("body", flat=True)[:100]
    )
    return Said(counts["support"], counts["comments"], counts["waiting"], published)


def published_comments(window: CommentWindow) -> list[Any]:
    """The published comments on a record, for its public page (body and day only)."""
    return list(
        ResidentInput.objects.filter(
            window__target_kind=window.target_kind,
            window__target_id=window.target_id,
            kind=ResidentInput.Kind.COMMENT,
            status=ResidentInput.Status.PUBLISHED,
        )
        .order_by("created_at", "pk")
        .values("pk", "body", "created_at")[:200]
    )


def to_proposal(user: Any, idea: ResidentInput, values: dict[str, Any]) -> Any:
    """Staff turn a published idea into a draft investment proposal that links back."""
    from townhall.governance.models import Proposal

    if idea.kind != ResidentInput.Kind.IDEA or idea.status != ResidentInput.Status.PUBLISHED:
        raise ValidationError("Only a published idea can become a proposal.")
    if idea.proposal_id is not None:
        raise ValidationError("This idea is already a proposal.")
    if not getattr(user, "pk", None):
        raise PermissionDenied("Staff make proposals from ideas.")
    proposal = services.create(
        user,
        Proposal,
        {
            "title": idea.title,
            "problem": idea.body,
            "status": Proposal.Status.DRAFT,
            "notes": f"From a resident's idea (number {idea.pk}) on the public site.",
            **values,
        },
    )
    services.update(user, idea, {"proposal": proposal}, version=idea.version)
    return proposal


TARGET_KINDS = tuple(COMMENT_TARGETS)
