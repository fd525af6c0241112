"""Single sign-on verbs on the write path: who a provider's answer is in Townhall, with which
role, and the record of each refusal. Pages call these; they call `core.services`."""

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse

from townhall.accounts.models import User
from townhall.accounts.throttle import client_address
from townhall.core import context, services
from townhall.signin.models import (
    ROLE_STRENGTH,
    BreakGlassSignIn,
    GroupMapping,
    Identity,
    SignInRefusal,
)

Reason = SignInRefusal.Reason
USERNAME_CHARACTERS = re.compile(r"[^\w.@+-]")


class Refused(Exception):
    """The provider vouched for the person, but Townhall will not sign them in."""

    def __init__(self, reason: str, message: str, user: User | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.user = user


@dataclass(frozen=True)
class Grant:
    role: str
    department_id: int | None
    group: str


def groups_of(claims: dict[str, Any], claim: str) -> list[str]:
    """The person's groups as the provider sends them: a list, or one value (Google's `hd`)."""
    value = claims.get(claim)
    values = value if isinstance(value, list) else [value]
    # A NUL character can be neither looked up nor kept on PostgreSQL: no group holds one.
    return [str(v) for v in values if isinstance(v, str | int) and "\x00" not in str(v)]


def grant_for(provider_id: str, groups: list[str]) -> Grant | None:
    """The strongest role any of the groups is mapped to; a mapping for this provider wins
    over one for every provider with the same role."""
    if not groups:
        return None
    rows = GroupMapping.objects.filter(
        Q(provider=provider_id) | Q(provider=""), group__in=groups
    ).order_by("pk")
    best = max(
        rows,
        key=lambda m: (ROLE_STRENGTH.get(m.role, 0), m.provider == provider_id, -m.pk),
        default=None,
    )
    if best is None:
        return None
    return Grant(role=best.role, department_id=best.department_id, group=best.group)


def text(claims: dict[str, Any], name: str, limit: int) -> str:
    """A claim as text that fits its column (and holds no NUL, which PostgreSQL refuses)."""
    value = claims.get(name)
    return str(value).replace("\x00", "")[:limit] if isinstance(value, str | int) else ""


def who(claims: dict[str, Any]) -> str:
    return (
        text(claims, "email", 254)
        or text(claims, "preferred_username", 150)
        or text(claims, "sub", 255)
    )


def _by_email(claims: dict[str, Any]) -> User | None:
    """An account an administrator made beforehand, found by the e-mail address the provider
    vouches for (never one it says it has not verified)."""
    email = text(claims, "email", 254)
    if not email or claims.get("email_verified") is False:
        return None
    found = list(User.objects.filter(email__iexact=email).order_by("pk")[:2])
    if len(found) > 1:
        raise Refused(
            Reason.AMBIGUOUS,
            f"Several Townhall accounts have the e-mail address {email}, so this sign-in "
            "cannot tell which one is yours. Ask a Townhall administrator to sort it out.",
        )
    return found[0] if found else None


def _free_username(claims: dict[str, Any], provider_id: str) -> str:
    base = text(claims, "preferred_username", 150) or text(claims, "email", 254)
    base = USERNAME_CHARACTERS.sub("", base)[:140] or f"{provider_id}-user"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def sign_in(
    provider_id: str,
    provider_name: str,
    claims: dict[str, Any],
    groups_claim: str,
    *,
    roles_from_groups: bool = True,
) -> User:
    """The account for a provider's verified ID token, its role and department set again from
    the person's groups today; raises Refused, with nothing changed, otherwise. Without
    `roles_from_groups` (a provider that sends no groups) only an existing account signs
    in, keeping the role set in Townhall."""
    subject = text(claims, "sub", 255)
    if not subject:
        raise Refused(
            Reason.INVALID_TOKEN,
            f"{provider_name} did not say who you are (its answer names no lasting "
            "identifier for you). Tell your Townhall administrator.",
        )
    # None: the provider gives no roles (the account's own role stays).
    given = groups_of(claims, groups_claim) if roles_from_groups else None
    try:
        try:
            return _sign_in(provider_id, provider_name, claims, subject, given)
        except (IntegrityError, ValidationError):
            # The same person's first sign-in in two tabs at once: the other request made the
            # account and its link first (a clash the write path or the database reports), so
            # this one, tried again, finds them. Any other fault repeats and is refused below.
            return _sign_in(provider_id, provider_name, claims, subject, given)
    except IntegrityError:
        raise Refused(
            Reason.ACCOUNT_INVALID,
            f"Townhall could not save your account with what {provider_name} sent, as "
            "another account clashes with it. Tell your Townhall administrator.",
        ) from None
    except ValidationError as exc:
        raise Refused(
            Reason.ACCOUNT_INVALID,
            "Townhall could not save your account with what "
            f"{provider_name} sent ({'; '.join(exc.messages)}). Tell your Townhall "
            "administrator.",
        ) from None


def _sign_in(
    provider_id: str,
    provider_name: str,
    claims: dict[str, Any],
    subject: str,
    groups: list[str] | None,
) -> User:
    """`groups` None: the provider gives no roles; the account's own role stays."""
    with transaction.atomic():
        identity = (
            Identity.objects.select_related("user")
            .filter(provider=provider_id, subject=subject)
            .first()
        )
        user = identity.user if identity else _by_email(claims)
        if user is not None and not user.is_active:
            raise Refused(
                Reason.DEACTIVATED,
                f"The Townhall account {user.username} is deactivated, so it cannot sign in. "
                "Ask a Townhall administrator if you need it again.",
                user,
            )
        if groups is None:
            if user is None:
                raise Refused(
                    Reason.NO_ACCOUNT,
                    f"There is no Townhall account for {who(claims)}. Signing in with "
                    f"{provider_name} is only for people who already have one: ask a Townhall "
                    "administrator to add an account with your e-mail address, and a role.",
                )
        else:
            user = _with_role(provider_id, provider_name, claims, user, groups)
        if identity is None:
            services.create(
                context.SYSTEM,
                Identity,
                {"provider": provider_id, "subject": subject, "user": user.pk},
            )
    return user


def _with_role(
    provider_id: str,
    provider_name: str,
    claims: dict[str, Any],
    user: User | None,
    groups: list[str],
) -> User:
    """The account given the role its groups map to today: made now if it is new and
    accounts are made at first sign-in."""
    grant = grant_for(provider_id, groups)
    if grant is None:
        raise Refused(
            Reason.UNMAPPED,
            f"You signed in at {provider_name} as {who(claims)}, but none of your groups "
            "there gives a role in Townhall. Ask your Townhall administrator to map one of "
            "your groups to a role, or your IT team to add you to a group that is mapped.",
            user,
        )
    values = {"role": grant.role, "department": grant.department_id}
    if user is not None:
        return services.update(context.SYSTEM, user, values, version=None)
    if not settings.TOWNHALL_OIDC_CREATE_ACCOUNTS:
        raise Refused(
            Reason.NO_ACCOUNT,
            f"There is no Townhall account for {who(claims)}, and this Townhall does "
            "not create accounts at first sign-in. Ask a Townhall administrator to add "
            "an account with your e-mail address.",
        )
    return services.create(
        context.SYSTEM,
        User,
        {
            **values,
            "username": _free_username(claims, provider_id),
            "email": text(claims, "email", 254),
            "first_name": text(claims, "given_name", 150),
            "last_name": text(claims, "family_name", 150),
            # Nobody knows it: the person signs in through the provider.
            "password": secrets.token_urlsafe(32),
        },
    )


def record_refusal(
    request: HttpRequest,
    provider_id: str,
    reason: str,
    message: str,
    claims: dict[str, Any] | None = None,
    groups_claim: str = "groups",
    user: User | None = None,
) -> SignInRefusal:
    """Keep a refused sign-in (and so its audit entry) for administrators to see."""
    claims = claims or {}
    return services.create(
        context.SYSTEM,
        SignInRefusal,
        {
            "provider": provider_id[:30],
            "reason": reason,
            "message": message.replace("\x00", ""),
            "subject": text(claims, "sub", 255),
            "email": text(claims, "email", 254),
            "groups": groups_of(claims, groups_claim)[:100],
            "ip_address": client_address(request),
            "user": user.pk if user else None,
        },
    )


def keep_break_glass_use(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """On every sign-in: one with a password while password sign-in is off can only be the
    break-glass account's (signin.policy), and is kept for administrators."""
    if settings.TOWNHALL_PASSWORD_SIGN_IN or request is None:
        return
    if request.path not in (reverse("accounts:login"), reverse("accounts:sign_in_code")):
        return  # single sign-on, or a test's force_login (the code step follows a password)
    services.create(
        context.SYSTEM,
        BreakGlassSignIn,
        {"user": user.pk, "username": user.username, "ip_address": client_address(request)},
    )
