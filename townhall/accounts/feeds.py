"""Calendar feed keys: the secret in a person's calendar address, made and found.

A calendar app fetches the feed without a session, so the address carries a secret. Only
its SHA-256 hash is kept (`FeedKey`): the address is shown once, when it is made, and a
person who lost it makes a new one, which ends the old one.
"""

import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction

from townhall.accounts.models import FeedKey, User
from townhall.core import services

# Shorter keys are refused before any query (every key made is 43 characters).
MIN_LENGTH = 20


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def reset(user: User) -> str:
    """Give `user` a new feed key, through the write path; the old address stops working
    at once. Returns the key, which is not kept and cannot be shown again. The audit
    entries say that the address was replaced, never the key or its hash."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        old = FeedKey.objects.filter(owner=user).first()
        if old is not None:
            services.delete(user, old)
        services.create(user, FeedKey, {"owner": user, "key_hash": hash_key(key)})
    return key


def has_key(user: User) -> bool:
    return FeedKey.objects.filter(owner=user).exists()


def owner_of(key: str) -> Any:
    """The active person whose feed key `key` is, or None."""
    if len(key) < MIN_LENGTH:
        return None
    wanted = hash_key(key)
    found = (
        FeedKey.objects.select_related("owner")
        .filter(key_hash=wanted, owner__is_active=True)
        .first()
    )
    if found is None or not hmac.compare_digest(found.key_hash, wanted):
        return None
    return found.owner
