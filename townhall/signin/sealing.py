"""Client secrets of providers added on the Single sign-on page, sealed before they are kept.

Why: a database copy (a backup, a restored test copy, a report writer's read-only access)
must not hand over the secret that lets anyone act as Townhall at the provider. The key is
derived from SECRET_KEY, which lives outside the database, so the copy alone is not enough.

If SECRET_KEY changes, secrets sealed with the old key can no longer be opened: keep the old
key in SECRET_KEY_FALLBACKS while rotating (those are tried too), or an administrator enters
each secret again. Until then the provider shows "secret must be entered again" on the
providers page and its button is not offered; nothing fails with a server error.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "townhall.signin.provider-client-secret"
# Every Fernet token starts so (version byte 0x80, base64url).
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - a format marker, not a secret


def _fernet(secret_key: str) -> Fernet:
    digest = salted_hmac(SALT, "client secret", secret=secret_key, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def seal(plain: str) -> str:
    """The secret as it is kept in the database."""
    return _keys().encrypt(plain.encode()).decode()


def unseal(sealed: str) -> str | None:
    """The secret, or None when it cannot be opened (SECRET_KEY changed, or never set)."""
    if not sealed:
        return None
    try:
        return _keys().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def looks_sealed(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)
