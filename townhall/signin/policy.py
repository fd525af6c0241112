"""Whether a person may sign in with a password here (single sign-on may replace it)."""

from typing import Any

from django.conf import settings

from townhall.core import permissions

# A message, not a password.
PASSWORD_OFF = "Password sign-in is switched off here: use a “Sign in with …” button instead. Only the break-glass administrator account signs in with a password."  # noqa: E501, S105


def password_allowed(user: Any) -> bool:
    """With TOWNHALL_PASSWORD_SIGN_IN off, only the named break-glass account may use its
    password, and only while it is an administrator, so an administrator still gets in
    when the provider is down and nobody else keeps a way around it."""
    if settings.TOWNHALL_PASSWORD_SIGN_IN:
        return True
    name = settings.TOWNHALL_BREAK_GLASS_USERNAME
    named = bool(name) and user.get_username().lower() == name.lower()
    return named and permissions.is_admin(user)
