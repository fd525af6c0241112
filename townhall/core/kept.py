"""Figures that read much of the database and stay the same until something changes.

The dependency page's loss counts, the exposure summary and the home page's counts each
read tens of thousands of rows on a county's estate (0.3 to 2 s) and give the same answer
on every request until a record changes. Every change writes an audit entry (the one write
path), so the newest entry's id says whether one may have (sign-in activity, which changes
no figure, left out): the figures are kept under a key
holding it, in the shared cache (files under the var directory), for `SECONDS` at most.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

SECONDS = 600
_MISSING = object()
T = TypeVar("T")


def kept(key: str, compute: Callable[..., T], *args: Any) -> T:
    """`compute(*args)`, worked out again only after a change (or `SECONDS`)."""
    from townhall.audit.models import AuditEntry

    entries = AuditEntry.objects.without_sign_ins()
    newest = entries.order_by("-id").values_list("id", flat=True).first()
    key = f"{key}:{newest}"
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute(*args)
        cache.set(key, found, SECONDS)
    return found
