"""Two-step sign-in for local accounts: an authenticator app's one-time codes (pyotp,
RFC 6238) with ten recovery codes, the roles that must use it, and the sign-in events
the audit trail keeps.

Written here rather than taken from allauth's MFA: that is built around allauth's own
sign-in flow, which local accounts do not use, and keeps its recovery codes as one seed
rather than one hash per code. Single sign-on does not come here: the provider asks for
its own second factor.
"""

import hashlib
import hmac
import secrets
from typing import Any

import pyotp
import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from townhall.accounts import sessions
from townhall.accounts.models import AuthenticatorApp, Passkey, RecoveryCode, SignInEvent, User
from townhall.core import context, permissions, services
from townhall.core.sealing import Sealer

ISSUER = "Townhall"
RECOVERY_CODES = 10
# Codes of the step before and after the current one are accepted: a phone's clock may
# be off by up to 30 seconds, and a code typed as it changes still works.
WINDOW = 1
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (0/o, 1/l/i)
# Authenticator apps' shared secrets, sealed under a key of their own (core.sealing).
APP_SECRETS = Sealer("townhall.accounts.authenticator-app", "shared secret")


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment address as an inline SVG picture, drawn on the server (no script)."""
    code = segno.make(uri, error="m")
    svg: str = code.svg_inline(scale=4, title="QR code for your authenticator app")
    return svg


def _clean(code: str) -> str:
    return "".join(c for c in (code or "") if c.isalnum()).lower()


def code_matches(secret: str, code: str, after_step: int = 0) -> int | None:
    """The time step whose code `code` is, within the window and later than `after_step`
    (so a code already used is refused), or None."""
    code = _clean(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(timezone.now())
    for step in range(now_step - WINDOW, now_step + WINDOW + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def app_unreadable(user: User) -> bool:
    """The person's app was sealed under a SECRET_KEY this server no longer has: its codes
    cannot be checked until an administrator resets it (recovery codes and passkeys still
    work), and the code page says so instead of calling every code wrong."""
    app = AuthenticatorApp.objects.filter(owner=user).only("totp_secret").first()
    return app is not None and APP_SECRETS.unseal(app.totp_secret) is None


def has_app(user: User) -> bool:
    return AuthenticatorApp.objects.filter(owner=user).exists()


def required_for(user: User) -> bool:
    """Whether the person's role must use two-step sign-in (the session policy's roles)."""
    return permissions.has_one_of(user, sessions.policy().mfa_roles or [])


# --- enrolment, new recovery codes, removal -------------------------------------------------


def _hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def _new_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def _replace_codes(actor: Any, user: User) -> list[str]:
    for old in RecoveryCode.objects.filter(owner=user):
        services.delete(actor, old)
    codes = _new_codes()
    services.create_many(
        actor, RecoveryCode, [{"owner": user, "code_hash": _hash(c)} for c in codes]
    )
    return codes


def enrol(user: User, secret: str, code: str) -> list[str] | None:
    """Keep the person's authenticator app once a first code from it proves it is set up;
    returns the new recovery codes (shown once), or None when the code is wrong."""
    step = code_matches(secret, code)
    if step is None:
        return None
    with transaction.atomic():
        for old in AuthenticatorApp.objects.filter(owner=user):
            services.delete(user, old)
        sealed = APP_SECRETS.seal(secret)
        app = services.create(user, AuthenticatorApp, {"owner": user, "totp_secret": sealed})
        AuthenticatorApp.objects.filter(pk=app.pk).update(last_used_step=step)
        return _replace_codes(user, user)


def regenerate_codes(user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    with transaction.atomic():
        return _replace_codes(user, user)


def remove(actor: Any, user: User) -> bool:
    """Remove the person's authenticator app and recovery codes: themselves (password
    re-entered) or an administrator's reset. Returns whether there was one."""
    with transaction.atomic():
        apps = list(AuthenticatorApp.objects.filter(owner=user))
        for app in apps:
            services.delete(actor, app)
        for old in RecoveryCode.objects.filter(owner=user):
            services.delete(actor, old)
        for key in Passkey.objects.filter(owner=user):
            services.delete(actor, key)
    return bool(apps)


def codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(owner=user, used_at__isnull=True).count()


# --- the second step ------------------------------------------------------------------------


def check_second_step(user: User, code: str) -> str | None:
    """Whether `code` lets the person in: "code" for the app's code, "recovery code" for an
    unused recovery code (now used), or None. Each is accepted once, even by two requests
    at the same moment: the row is updated only if it still allows it."""
    app = AuthenticatorApp.objects.filter(owner=user).first()
    if app is None:
        return None
    secret = APP_SECRETS.unseal(app.totp_secret)
    step = None if secret is None else code_matches(secret, code, app.last_used_step)
    if step is not None:
        # Not a change anyone made (like the last sign-in): no audit entry.
        won = AuthenticatorApp.objects.filter(pk=app.pk, last_used_step__lt=step).update(
            last_used_step=step
        )
        return "code" if won else None
    cleaned = _clean(code)
    if len(cleaned) != 10:
        return None
    found = RecoveryCode.objects.filter(
        owner=user, code_hash=_hash(cleaned), used_at__isnull=True
    ).first()
    if found is None:
        return None
    won = RecoveryCode.objects.filter(pk=found.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return "recovery code" if won else None


# --- the sign-in events ---------------------------------------------------------------------


def record_event(
    request: HttpRequest,
    kind: str,
    *,
    user: User | None = None,
    username: str = "",
    method: str = "",
) -> SignInEvent:
    """Keep a sign-in or a failed one; its audit entry is written by `system`."""
    from townhall.accounts.throttle import client_address

    name = (user.username if user is not None else username)[:150].replace("\x00", "")
    return services.create(
        context.SYSTEM,
        SignInEvent,
        {
            "user": user,
            "username": name,
            "kind": kind,
            "method": method[:40],
            "ip_address": client_address(request),
        },
    )


def require_for_roles(actor: Any, roles: list[str]) -> Any:
    """Save the roles that must use two-step sign-in (administrators), audited. People of
    those roles are asked from their next password sign-in on."""
    from townhall.accounts.models import SessionPolicy

    saved = SessionPolicy.objects.filter(pk=1).first()
    if saved is None:
        default = sessions.default_policy()
        return services.create(
            actor,
            SessionPolicy,
            {
                "id": 1,
                "idle_minutes": default.idle_minutes,
                "absolute_hours": default.absolute_hours,
                "mfa_roles": sorted(roles),
            },
        )
    return services.update(actor, saved, {"mfa_roles": sorted(roles)}, version=None)


SIGN_IN_NOTE = "townhall_sign_in"  # set on the request by the pages that sign people in


def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Keep every sign-in: with a password (the pages say how, on the request) or through
    single sign-on (allauth signs the person in). A test's force_login, with no address to
    its request, is not a sign-in anyone made."""
    if request is None or not isinstance(user, User):
        return
    kind, method = getattr(request, SIGN_IN_NOTE, (None, None))
    if kind is None:
        if not request.path:
            return
        kind, method = SignInEvent.Kind.SIGNED_IN, "single sign-on"
    record_event(request, kind, user=user, method=method or "")
