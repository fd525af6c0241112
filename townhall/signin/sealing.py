"""Client secrets and private keys of providers added on the Single sign-on page, sealed
before they are kept (core.sealing says why and what a change of SECRET_KEY does), each kind
under its own key. A secret or key that cannot be opened shows "must be entered again" on the
providers page, and its button is not offered."""

from townhall.core.sealing import TOKEN_PREFIX, Sealer, looks_sealed

_CLIENT_SECRETS = Sealer("townhall.signin.provider-client-secret", "client secret")
seal = _CLIENT_SECRETS.seal
unseal = _CLIENT_SECRETS.unseal

_PRIVATE_KEYS = Sealer("townhall.signin.provider-private-key", "private key")
seal_key = _PRIVATE_KEYS.seal
unseal_key = _PRIVATE_KEYS.unseal

__all__ = ["TOKEN_PREFIX", "looks_sealed", "seal", "seal_key", "unseal", "unseal_key"]
