"""API tokens: made, found, used and revoked.

A token is a long random secret a program sends as `Authorization: Token <secret>`. Townhall
keeps only its SHA-256 hash and its first characters (the prefix), by which it is found in
one indexed read whatever the number of tokens; the hashes are compared in constant time.
The secret is shown once, when the token is made, and cannot be read again.
"""

import datetime
import hashlib
import hmac
import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from townhall.accounts.models import ApiToken, User
from townhall.core import services

PREFIX_LENGTH = 12
DEFAULT_DAYS = 90
MAX_DAYS = 366
# What a secret is made of (new ones: URL-safe base64; those from before: hexadecimal).
SECRET_CHARACTERS = re.compile(r"[A-Za-z0-9_-]{12,200}")
# The last use is written at most this often per token, so reading the API is not a write.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


def prefix_of(secret: str) -> str:
    return secret[:PREFIX_LENGTH]


def new_secret() -> str:
    """43 URL-safe characters: 256 random bits."""
    return secrets.token_urlsafe(32)


def check_expiry(expires_at: datetime.datetime) -> None:
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": "Choose an expiry date in the future."})
    if expires_at > now + datetime.timedelta(days=MAX_DAYS):
        raise ValidationError(
            {"expires_at": f"A token may last at most {MAX_DAYS} days; choose an earlier date."}
        )


def create(
    actor: Any, owner: User, *, name: str, scope: str, expires_at: datetime.datetime
) -> tuple[ApiToken, str]:
    """Make a token for `owner`; returns it and its secret, which is never shown again."""
    check_expiry(expires_at)
    if not owner.is_active:
        raise ValidationError(f"{owner.username}’s account is deactivated: it cannot have tokens.")
    while True:
        secret = new_secret()
        if not ApiToken.objects.filter(prefix=prefix_of(secret)).exists():
            break
    token = services.create(
        actor,
        ApiToken,
        {
            "owner": owner,
            "name": name.strip(),
            "prefix": prefix_of(secret),
            "secret_hash": hash_secret(secret),
            "scope": scope,
            "expires_at": expires_at,
        },
    )
    return token, secret


def revoke(actor: Any, token: ApiToken, reason: str = "revoked") -> ApiToken:
    """Stop a token working at once; it stays listed as revoked."""
    if token.revoked_at:
        return token
    return services.update(
        actor,
        token,
        {"revoked_at": timezone.now(), "revoked_reason": reason[:100]},
        version=None,
    )


def revoke_all(actor: Any, owner: User, reason: str) -> int:
    """Revoke every token of `owner` still standing (a new password, a deactivated account)."""
    standing = list(ApiToken.objects.filter(owner=owner, revoked_at__isnull=True))
    if not standing:
        return 0
    now = timezone.now()
    return services.update_rows(
        actor, [(t, {"revoked_at": now, "revoked_reason": reason[:100]}) for t in standing]
    )


class Refused(Exception):
    """Why a token was not accepted, in words for the program's owner; `unknown` when no
    token has that secret (which counts as a guess, for throttling)."""

    def __init__(self, message: str, *, unknown: bool = False) -> None:
        super().__init__(message)
        self.unknown = unknown


def authenticate(secret: str) -> ApiToken:
    """The token for `secret`, with its owner read in the same query, or Refused.

    One read by the prefix's unique index, whatever the number of tokens; its last use is
    written at most once a minute."""
    row = (
        ApiToken.objects.select_related("owner").filter(prefix=prefix_of(secret)).first()
        if SECRET_CHARACTERS.fullmatch(secret)
        else None  # no token has it; and PostgreSQL cannot compare a NUL, say
    )
    given = hash_secret(secret)
    if row is None or not hmac.compare_digest(row.secret_hash, given):
        raise Refused("This API token is not valid.", unknown=True)
    now = timezone.now()
    if row.revoked_at:
        raise Refused(
            f"This API token ({row.name}) was revoked on {row.revoked_at:%Y-%m-%d}; "
            "make a new one on your account page."
        )
    if row.expires_at <= now:
        raise Refused(
            f"This API token ({row.name}) expired on {row.expires_at:%Y-%m-%d}; "
            "make a new one on your account page."
        )
    if not row.owner.is_active:
        raise Refused("The account this API token belongs to is deactivated.")
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
        # Not a change anyone made: no audit entry, and no write path (like last sign-in).
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
