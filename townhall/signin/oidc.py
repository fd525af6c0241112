"""The parts of the OpenID Connect exchange that allauth leaves out, on its own classes.

allauth's `openid_connect` provider does discovery, the authorization code flow, PKCE and
state. Townhall adds, here:

- a nonce in every authorization request, kept in the sign-in's state and required in the
  ID token (allauth sends none);
- the ID token's signature always checked against the provider's published keys (allauth
  skips it when the token came straight from the token endpoint, which the specification
  allows but the issue asked us not to rely on), with asymmetric algorithms only;
- the issuer found by discovery compared with the one configured, and Entra ID's
  multi-tenant issuer (`{tenantid}`) accepted only for the tenants listed;
- `iat` and `sub` required, `azp` checked when the token names several audiences;
- the request may not change the scope or add authorization parameters; a provider's
  own parameters (`acr_values`, `prompt`) come from its configuration only;
- a `state` of 43 characters (allauth's 16 are too short for Login.gov);
- with a private key configured, the token request authenticated by a signed client
  assertion (`private_key_jwt`) instead of a client secret;
- with `userinfo` on, e-mail and names the ID token lacks taken from the userinfo
  endpoint, whose `sub` must be the ID token's.
- Entra ID's group overage: the groups read from Microsoft Graph (graph.py).
Each refusal raises `TokenRefused` with a reason the refusal page and its record name.
"""

import hmac
import secrets
import time
from typing import Any

import jwt
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import get_request_param
from django.http import HttpRequest, HttpResponse
from requests import RequestException

from townhall.signin.graph import with_graph_groups
from townhall.signin.models import SignInRefusal

Reason = SignInRefusal.Reason

# Public-key algorithms only: a shared-secret (HS*) token could be made by anyone who holds
# the client secret, and "none" by anyone at all.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
# Clocks differ a little between the provider and us.
LEEWAY_SECONDS = 60
TENANT = "{tenantid}"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# A client assertion is used at once: a short life limits what a copied one is worth.
ASSERTION_SECONDS = 60
# What the userinfo endpoint may add to an ID token that lacks it; never groups, which
# count only when signed.
USERINFO_CLAIMS = ["email", "given_name", "family_name", "name", "preferred_username"]


class TokenRefused(OAuth2Error):
    """The provider's answer failed one of our checks; `reason` says which."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class TownhallProvider(OpenIDConnectProvider):
    def get_oauth2_adapter(self, request: HttpRequest) -> "TownhallAdapter":
        return TownhallAdapter(request, self.app.provider_id)

    def get_auth_params_from_request(self, request: HttpRequest, action: Any) -> dict:
        return self.get_auth_params()  # nothing from the address: no nonce or prompt planted

    def get_scope_from_request(self, request: HttpRequest) -> list[str]:
        return self.get_scope()

    def redirect(
        self,
        request: HttpRequest,
        process: Any,
        next_url: str | None = None,
        data: Any = None,
        **kwargs: Any,
    ) -> HttpResponse:
        nonce = secrets.token_urlsafe(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        # Extra keyword arguments are kept in the sign-in's state, beside the PKCE verifier.
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    def stash_redirect_state(
        self,
        request: HttpRequest,
        process: Any,
        next_url: str | None = None,
        data: Any = None,
        state_id: str | None = None,
        **kwargs: Any,
    ) -> str:
        """Login.gov refuses a state shorter than 22 characters; allauth makes 16."""
        return str(
            super().stash_redirect_state(
                request,
                process,
                next_url,
                data,
                state_id=state_id or secrets.token_urlsafe(32),
                **kwargs,
            )
        )


def client_assertion(client_id: str, token_url: str, private_key: str) -> str:
    """private_key_jwt (OpenID Connect Core 9): proof that the token request comes from the
    holder of the application's private key, for this token endpoint only, once, briefly."""
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": token_url,
        "jti": secrets.token_urlsafe(32),
        "iat": now,
        "exp": now + ASSERTION_SECONDS,
    }
    return jwt.encode(claims, private_key, algorithm="RS256")


class TownhallAdapter(OpenIDConnectOAuth2Adapter):
    expected_nonce: str | None = None

    @property
    def openid_config(self) -> dict[str, Any]:
        try:
            config = super().openid_config
        except (AttributeError, ValueError) as exc:  # not a JSON object
            raise OAuth2Error("the provider's discovery document cannot be read") from exc
        if not isinstance(config, dict):
            raise OAuth2Error("the provider's discovery document cannot be read")
        return config

    def config_value(self, name: str) -> str:
        """A discovery document's entry; a provider that left it out cannot be used."""
        value = self.openid_config.get(name)
        if not isinstance(value, str) or not value:
            raise OAuth2Error(f"the provider's discovery document has no {name}")
        return value

    @property
    def access_token_url(self) -> str:
        return self.config_value("token_endpoint")

    @property
    def authorize_url(self) -> str:
        return self.config_value("authorization_endpoint")

    def get_client(self, request: HttpRequest, app: Any) -> OAuth2Client:
        client: OAuth2Client = super().get_client(request, app)
        if app.settings.get("private_key"):
            # The client ID goes in the form beside the assertion, and no secret at all.
            client.basic_auth = False
            client.consumer_secret = ""
        return client

    def get_access_token_data(
        self, request: HttpRequest, app: Any, client: Any, pkce_code_verifier: Any = None
    ) -> Any:
        private_key = app.settings.get("private_key")
        if not private_key:
            return super().get_access_token_data(
                request, app, client, pkce_code_verifier=pkce_code_verifier
            )
        assertion = {
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": client_assertion(app.client_id, self.access_token_url, private_key),
        }
        code = get_request_param(self.request, "code")
        data = client.get_access_token(
            code, pkce_code_verifier=pkce_code_verifier, extra_data=assertion
        )
        self.did_fetch_access_token = True
        return data

    def parse_token(self, data: Any) -> Any:
        """allauth's reading of the token endpoint's answer, which fails on a malformed one
        (an `expires_in` that is not a number) with an error of its own."""
        try:
            return super().parse_token(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise OAuth2Error("the provider's token answer cannot be read") from exc

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        id_token = kwargs["response"].get("id_token")
        if not id_token:
            raise TokenRefused(Reason.INVALID_TOKEN, "the provider sent no ID token")
        claims = self.check_id_token(app, id_token)
        if app.settings.get("userinfo"):
            claims = with_userinfo(claims, self.userinfo(token.token))
        # Entra ID's group overage: the groups are read from Microsoft Graph instead.
        claims = with_graph_groups(app.settings, app.name, claims, token.token)
        return self.get_provider().sociallogin_from_response(request, {"id_token": claims})

    def userinfo(self, access_token: str) -> dict[str, Any]:
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.config_value("userinfo_endpoint"),
                headers={"Authorization": f"Bearer {access_token}"},
            )
            response.raise_for_status()
            try:
                answer = response.json()
            except ValueError as exc:
                raise OAuth2Error("the provider's userinfo answer cannot be read") from exc
        if not isinstance(answer, dict):
            raise OAuth2Error("the provider's userinfo answer cannot be read")
        return answer

    def expected_issuer(self, app: Any, id_token: str) -> str:
        configured = app.settings["issuer"].rstrip("/")
        written = self.config_value("issuer")
        discovered = written.rstrip("/")
        if TENANT not in discovered:
            if discovered != configured:
                raise TokenRefused(
                    Reason.WRONG_ISSUER,
                    f"the provider's discovery document names the issuer {discovered!r}, "
                    f"not the configured {configured!r}",
                )
            # Tokens carry the issuer exactly as discovery writes it: Login.gov's ends in "/".
            return written
        # Entra ID's multi-tenant endpoints: each tenant signs as itself.
        try:
            tenant = str(jwt.decode(id_token, options={"verify_signature": False}).get("tid"))
        except jwt.PyJWTError as exc:
            raise TokenRefused(Reason.INVALID_TOKEN, "the ID token cannot be read") from exc
        if tenant not in app.settings.get("tenants", []):
            raise TokenRefused(
                Reason.WRONG_ISSUER, f"the tenant {tenant!r} is not one this Townhall accepts"
            )
        return discovered.replace(TENANT, tenant)

    def signing_key(self, id_token: str) -> tuple[str, Any]:
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise TokenRefused(Reason.INVALID_TOKEN, "the ID token cannot be read") from exc
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise TokenRefused(
                Reason.BAD_SIGNATURE, f"the ID token is signed with {alg!r}, not a public key"
            )
        with get_adapter().get_requests_session() as session:
            response = session.get(self.config_value("jwks_uri"))
            response.raise_for_status()
            published = response.json()
        keys = published.get("keys") if isinstance(published, dict) else None
        if not isinstance(keys, list):
            raise OAuth2Error("the provider's published keys cannot be read")
        keys = [k for k in keys if isinstance(k, dict)]
        kid = header.get("kid")
        found = [k for k in keys if kid is None or k.get("kid") == kid]
        if len(found) != 1 or found[0].get("alg", alg) != alg:
            raise TokenRefused(
                Reason.BAD_SIGNATURE,
                "the ID token is signed with a key the provider does not publish",
            )
        try:
            return alg, jwt.PyJWK(found[0], algorithm=alg).key
        except jwt.PyJWTError as exc:
            raise TokenRefused(Reason.BAD_SIGNATURE, "the provider's key cannot be read") from exc

    def check_id_token(self, app: Any, id_token: str) -> dict[str, Any]:
        issuer = self.expected_issuer(app, id_token)
        alg, key = self.signing_key(id_token)
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key=key,
                algorithms=[alg],
                audience=app.client_id,
                issuer=issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidSignatureError as exc:
            raise TokenRefused(
                Reason.BAD_SIGNATURE, "its signature does not match the provider's published keys"
            ) from exc
        except jwt.ExpiredSignatureError as exc:
            raise TokenRefused(Reason.EXPIRED, "it has expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise TokenRefused(
                Reason.WRONG_AUDIENCE, "it was issued for another application"
            ) from exc
        except jwt.InvalidIssuerError as exc:
            raise TokenRefused(Reason.WRONG_ISSUER, "it comes from another issuer") from exc
        except jwt.PyJWTError as exc:
            raise TokenRefused(Reason.INVALID_TOKEN, f"it is not acceptable ({exc})") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != app.client_id:
            raise TokenRefused(Reason.WRONG_AUDIENCE, "it was issued for another application")
        nonce = claims.get("nonce")
        if (
            not self.expected_nonce
            or not isinstance(nonce, str)
            or not hmac.compare_digest(nonce, self.expected_nonce)
        ):
            raise TokenRefused(Reason.NONCE, "its nonce is missing or not this sign-in's")
        try:
            jwtkit.verify_jti(claims)
        except OAuth2Error as exc:
            raise TokenRefused(Reason.REPLAYED, "it was already used once") from exc
        return claims


def with_userinfo(claims: dict[str, Any], userinfo: dict[str, Any]) -> dict[str, Any]:
    """The ID token's claims, with e-mail and names the token lacks taken from the userinfo
    answer, which must be about the same person (OpenID Connect Core 5.3.2)."""
    sub = userinfo.get("sub")
    if not isinstance(sub, str) or sub != claims.get("sub"):
        raise TokenRefused(
            Reason.INVALID_TOKEN,
            "its userinfo answer is about someone else than its ID token",
        )
    merged = dict(claims)
    for name in USERINFO_CLAIMS:
        if name not in merged and name in userinfo:
            merged[name] = userinfo[name]
            if name == "email" and "email_verified" in userinfo:
                merged["email_verified"] = userinfo["email_verified"]
    return merged


class CallbackView(OAuth2CallbackView):
    """allauth's callback, handing the nonce kept in the sign-in's state to the adapter."""

    adapter: TownhallAdapter

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # allauth reads the discovery document again (for the token endpoint) before its
        # own error handling starts: a provider gone since the person left is refused too.
        try:
            return super().dispatch(request, *args, **kwargs)
        except (RequestException, OAuth2Error) as exc:
            return render_authentication_error(request, self.adapter.get_provider(), exception=exc)

    def _get_state(self, request: HttpRequest, provider: Any) -> tuple[Any, Any]:
        state, response = super()._get_state(request, provider)
        if state is not None:
            self.adapter.expected_nonce = state.get("nonce")
        return state, response
