"""Sign-in throttling that an attacker cannot turn against the people it protects.

Locking an account after a few wrong passwords lets anyone keep anyone out, administrators
included. Instead, over the last `LOGIN_LOCKOUT_MINUTES`:

- **account and address**: `LOGIN_FAILURE_LIMIT` failures for one account from one address
  refuse that account *from that address* only; the person signs in from anywhere else;
- **address**: `LOGIN_ADDRESS_LIMIT` failures from one address, whatever the accounts, refuse
  every sign-in and API token from it (trying many accounts from one place);
- **account, from everywhere**: once an account has twice `LOGIN_FAILURE_LIMIT` failures
  from browsers it does not know (more than one address may make), each further attempt
  on it waits twice as long as the last, up to `LOGIN_MAX_DELAY_SECONDS`: guessing from
  many addresses stays slow, and the person waits a minute at most;
- **known browsers**: a browser that has signed in to the account before carries a signed
  cookie saying so; only its own failures count against it, so nobody else's attempts can
  keep a person out of their usual browser.

The address is the connection's, or the one a trusted reverse proxy (`TRUSTED_PROXIES`)
forwards in X-Forwarded-For.
"""

import datetime
import ipaddress
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions

from townhall.accounts.models import LoginFailure

KNOWN_COOKIE = "townhall_known"
KNOWN_SALT = "townhall.accounts.known-browser"
KNOWN_DAYS = 365
KNOWN_MAX = 5  # accounts remembered per browser
TOKEN_ATTEMPT = ""  # the username recorded for a failed API token


# --- the client's address ---------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _ip(text: str) -> Any:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from: REMOTE_ADDR, or, when that is a trusted proxy,
    the right-most address in X-Forwarded-For that is not a trusted proxy itself."""
    meta = getattr(request, "META", {})
    remote = _ip(meta.get("REMOTE_ADDR", "") or "")
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None:
        return None
    if not trusted or not any(remote in net for net in trusted):
        return str(remote)
    hops = [h for h in (meta.get("HTTP_X_FORWARDED_FOR", "") or "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            break  # a forged or garbled entry: trust nothing left of it
        if not any(address in net for net in trusted):
            return str(address)
    return str(remote)


# --- browsers that signed in before -------------------------------------------------------------


def known_accounts(request: HttpRequest) -> list[str]:
    try:
        value = request.get_signed_cookie(KNOWN_COOKIE, salt=KNOWN_SALT, max_age=KNOWN_DAYS * 86400)
        names = signing.loads(value) if value else []
    except (KeyError, signing.BadSignature, ValueError):
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def remember_browser(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a successful sign-in: this browser is known to the account from now on."""
    names = [username.lower(), *(n for n in known_accounts(request) if n != username.lower())]
    response.set_signed_cookie(
        KNOWN_COOKIE,
        signing.dumps(names[:KNOWN_MAX]),
        salt=KNOWN_SALT,
        max_age=KNOWN_DAYS * 86400,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


# --- the rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    username: str
    address: str | None
    known: bool = False

    @classmethod
    def of(cls, request: HttpRequest, username: str) -> "Attempt":
        name = username[:150].lower()
        return cls(name, client_address(request), name in known_accounts(request))


def _recent() -> Any:
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return LoginFailure.objects.filter(at__gte=since)


def _minutes() -> int:
    return settings.LOGIN_LOCKOUT_MINUTES


def address_refusal(address: str | None) -> str | None:
    if address is None:
        return None
    if _recent().filter(ip_address=address).count() >= settings.LOGIN_ADDRESS_LIMIT:
        return (
            "Too many failed sign-ins from your network address. "
            f"Wait {_minutes()} minutes and try again."
        )
    return None


def refusal(attempt: Attempt) -> str | None:
    """Why this attempt is refused before the password is even checked, or None."""
    recent = _recent().filter(username=attempt.username)
    limit = settings.LOGIN_FAILURE_LIMIT
    if attempt.known:
        if recent.filter(known_browser=True).count() >= limit:
            return (
                "Too many failed sign-ins for this account from this browser. "
                f"Wait {_minutes()} minutes and try again, or ask an administrator to "
                "reset your password."
            )
        return None
    reason = address_refusal(attempt.address)
    if reason:
        return reason
    unknown = recent.filter(known_browser=False)
    if attempt.address and unknown.filter(ip_address=attempt.address).count() >= limit:
        return (
            "Too many failed sign-ins for this account from your network address. "
            f"Wait {_minutes()} minutes and try again, or ask an administrator to reset "
            "your password."
        )
    # More failures than one address may make: guessing from several places.
    summary = unknown.aggregate(last=Max("at"), count=Count("pk"))
    if summary["count"] >= 2 * limit:
        wait = min(2 ** (summary["count"] - 2 * limit), settings.LOGIN_MAX_DELAY_SECONDS)
        ready = summary["last"] + datetime.timedelta(seconds=wait)
        left = (ready - timezone.now()).total_seconds()
        if left > 0:
            return (
                "This account has had many failed sign-ins. "
                f"Wait {math.ceil(left)} seconds and try again."
            )
    return None


def record_failure(attempt: Attempt) -> None:
    LoginFailure.objects.create(
        username=attempt.username, ip_address=attempt.address, known_browser=attempt.known
    )
    LoginFailure.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=30)).delete()


def record_success(attempt: Attempt) -> None:
    """The person is in: forget their own failures (this address, this browser); attempts
    from elsewhere keep counting."""
    mine = LoginFailure.objects.filter(username=attempt.username)
    if attempt.known:
        mine.filter(known_browser=True).delete()
    if attempt.address:
        mine.filter(ip_address=attempt.address, known_browser=False).delete()


# --- API tokens --------------------------------------------------------------------------------


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <secret>` (accounts/tokens.py), refused from an address over the
    limit; a secret no token has counts as a failure of that address."""

    keyword = "Token"

    def authenticate(self, request: Any) -> Any:
        from townhall.accounts import tokens

        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as `Authorization: Token <secret>`, with one space."
            )
        address = client_address(request._request)
        reason = address_refusal(address)
        if reason:
            raise exceptions.Throttled(detail=reason)
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        try:
            token = tokens.authenticate(secret)
        except tokens.Refused as refused:
            if refused.unknown:
                record_failure(Attempt(TOKEN_ATTEMPT, address))
            raise exceptions.AuthenticationFailed(str(refused)) from None
        return (token.owner, token)

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class TokenScope(permissions.BasePermission):
    """A read-only token reads: any other method is refused (403), whatever the role."""

    message = "This API token is read-only: it cannot change anything. Use a read-and-write token."

    def has_permission(self, request: Any, view: Any) -> bool:
        from townhall.accounts.models import ApiToken

        token = request.auth
        if not isinstance(token, ApiToken) or token.can_write:
            return True
        return request.method in permissions.SAFE_METHODS
