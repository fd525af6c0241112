"""The request as Townhall's pages receive it, spelled out for the type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from townhall.accounts.models import User


class SignedInRequest(HttpRequest):
    """Every page asks for sign-in (LoginRequiredMiddleware) and passes HtmxMiddleware and
    RequestIdMiddleware, so a page's request carries a real person, `htmx` and the
    `request_id` audit entries record; HttpRequest alone promises none of them.
    Pages marked `login_not_required` keep HttpRequest."""

    user: User
    htmx: HtmxDetails
    request_id: str


def whole_number(raw: object, digits: int = 18) -> int | None:
    """A whole number as typed in an address or a form, or None when it is not one.

    Why not `isdigit()` and `int()`: "²" is a digit to `isdigit()` but not to `int()`, which
    then raises, and a number of many digits overflows the database's integer. Only ASCII
    digits, at most `digits` of them, pass."""
    text = str(raw) if raw is not None else ""
    if not (0 < len(text) <= digits and text.isascii() and text.isdecimal()):
        return None
    return int(text)
