"""Secrets Townhall must read back (a provider's client secret, an authenticator app's shared
secret), sealed before they are kept.

Why: a database copy (a backup, a restored test copy, a report writer's read-only access)
must not hand over what lets anyone act as Townhall at a provider or make a person's sign-in
codes. The key is derived from SECRET_KEY, which lives outside the database, so the copy
alone is not enough; each kind of secret has its own key (`purpose`), so one kind's sealed
value opens nothing else.

If SECRET_KEY changes, secrets sealed with the old key can no longer be opened: keep the old
key in SECRET_KEY_FALLBACKS while rotating (those are tried too). Each user of a `Sealer`
says what happens to a secret that cannot be opened; none answers with a server error.
Fernet (from `cryptography`) is used rather than anything of our own: authenticated
encryption with a timestamp, and MultiFernet for the fallback keys.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

# Every Fernet token starts so (version byte 0x80, base64url).
TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - a format marker, not a secret


class Sealer:
    """Seals and opens one kind of secret, under a key of its own."""

    def __init__(self, purpose: str, value: str) -> None:
        self.purpose = purpose
        self.value = value

    def _fernet(self, secret_key: str) -> Fernet:
        digest = salted_hmac(self.purpose, self.value, secret=secret_key, algorithm="sha256")
        return Fernet(base64.urlsafe_b64encode(digest.digest()))

    def _keys(self) -> MultiFernet:
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return MultiFernet([self._fernet(key) for key in keys])

    def seal(self, plain: str) -> str:
        """The secret as it is kept in the database."""
        return self._keys().encrypt(plain.encode()).decode()

    def unseal(self, sealed: str) -> str | None:
        """The secret, or None when it cannot be opened (SECRET_KEY changed, or never set)."""
        if not sealed:
            return None
        try:
            return self._keys().decrypt(sealed.encode()).decode()
        except (InvalidToken, ValueError):
            return None


def looks_sealed(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)
