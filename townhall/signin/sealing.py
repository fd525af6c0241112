"""Client secrets of providers added on the Single sign-on page, sealed before they are kept
(core.sealing says why and what a change of SECRET_KEY does). A secret that cannot be opened
shows "secret must be entered again" on the providers page, and its button is not offered."""

from townhall.core.sealing import TOKEN_PREFIX, Sealer, looks_sealed

_CLIENT_SECRETS = Sealer("townhall.signin.provider-client-secret", "client secret")
seal = _CLIENT_SECRETS.seal
unseal = _CLIENT_SECRETS.unseal

__all__ = ["TOKEN_PREFIX", "looks_sealed", "seal", "unseal"]
