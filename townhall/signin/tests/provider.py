"""An OpenID Connect provider for the tests: a real HTTP server on 127.0.0.1 in a thread,
serving discovery, published keys, authorization, token and userinfo endpoints, signing ID
tokens with an RSA key made for the test run (joserfc). It checks what a real provider checks
of us (client, redirect address, PKCE; with `client_key`, a private_key_jwt client assertion
instead of the secret, as Login.gov does; with `require_acr`, the acr_values asked for) and
can be told to answer wrongly, one way at a time."""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

CLIENT_ID = "townhall-test-client"
CLIENT_SECRET = "test-client-secret"  # noqa: S105 - the test provider's own
KID = "test-key-1"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MEMBER_OBJECTS = "v1.0/me/getMemberObjects"


@dataclass
class Grant:
    redirect_uri: str
    challenge: str
    nonce: str | None
    claims: dict[str, Any]
    acr: str | None = None


@dataclass
class LocalProvider:
    """`person` is who signs in at the next authorization; `tamper` changes the next ID
    tokens (keys: "key": "other", "exp", "iat", "aud", "iss", "nonce": value or None
    to leave it out)."""

    person: dict[str, Any] = field(default_factory=dict)
    tamper: dict[str, Any] = field(default_factory=dict)
    deny: bool = False
    # Entra ID's multi-tenant way: discovery names "{tenantid}", each token its own tenant.
    multi_tenant: bool = False
    # A misbehaving provider: values put over the token endpoint's answer, or published keys.
    token_answer: dict[str, Any] = field(default_factory=dict)
    keys_answer: Any = None
    discovery_answer: Any = None
    # Entra ID's group overage: the ID token carries a pointer instead of the groups, and
    # the person's groups are served at {issuer}/graph, a stand-in for Microsoft Graph, two
    # pages at a time. `graph_answer` (status, body) answers Graph calls instead.
    overage: bool = False
    graph_answer: tuple[int, Any] | None = None
    graph_calls: list[str] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    seen: list[dict[str, Any]] = field(default_factory=list)
    # private_key_jwt: the application's registered public key; with it, no secret is taken.
    client_key: RSAKey | None = None
    used_jtis: set[str] = field(default_factory=set)
    # Why token requests were refused, newest last ("invalid_client: ...").
    token_refusals: list[str] = field(default_factory=list)
    # The acr_values every authorization request must carry (Login.gov requires one).
    require_acr: str | None = None
    # Values put over the userinfo endpoint's answer (the person's claims by default), or,
    # not a dict, the whole answer.
    userinfo_answer: Any = field(default_factory=dict)
    # Login.gov's issuer ends in a slash, in discovery and in its tokens alike.
    slash_issuer: bool = False
    # Claims of the person the ID token leaves out, as Login.gov leaves out e-mail.
    userinfo_only: tuple[str, ...] = ()
    access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig"})
        # Same key id, another key: a token signed by someone who does not hold ours.
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig"})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def issuer(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def token_issuer(self) -> str:
        return self.issuer + "/" if self.slash_issuer else self.issuer

    def start(self) -> "LocalProvider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- the endpoints ------------------------------------------------------------------
    def discovery(self) -> Any:
        if self.discovery_answer is not None:
            return self.discovery_answer
        return {
            "issuer": f"{self.issuer}/{{tenantid}}/v2.0"
            if self.multi_tenant
            else self.token_issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": (
                ["private_key_jwt"]
                if self.client_key
                else ["client_secret_post", "client_secret_basic"]
            ),
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> Any:
        if self.keys_answer is not None:
            return self.keys_answer
        return {"keys": [{**self.key.as_dict(private=False), "alg": "RS256"}]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str]]:
        self.seen.append(query)
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != CLIENT_ID or not redirect_uri:
            return 400, {}
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return 400, {}
        if self.require_acr is not None and query.get("acr_values") != self.require_acr:
            return 400, {}
        back = {"state": query.get("state", "")}
        if self.deny:
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(16)
            self.grants[code] = Grant(
                redirect_uri,
                query.get("code_challenge", ""),
                query.get("nonce"),
                dict(self.person),
                query.get("acr_values"),
            )
            back["code"] = code
        return 302, {"Location": f"{redirect_uri}?{urlencode(back)}"}

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[int, dict]:
        refusal = self.client_refusal(form, basic)
        if refusal:
            self.token_refusals.append(f"invalid_client: {refusal}")
            return 401, {"error": "invalid_client", "error_description": refusal}
        grant = self.grants.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if challenge.decode() != grant.challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE check failed"}
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = grant.claims
        groups = grant.claims.get("groups")
        self.members[access_token] = list(groups) if isinstance(groups, list) else []
        answer = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": self.id_token(grant),
            **self.token_answer,
        }
        return 200, {k: v for k, v in answer.items() if v is not None}

    def client_refusal(self, form: dict[str, str], basic: tuple[str, str] | None) -> str:
        """Why the client is not who it says (blank: it is)."""
        if self.client_key is None:
            client_id, secret = basic or (form.get("client_id"), form.get("client_secret"))
            return "" if (client_id, secret) == (CLIENT_ID, CLIENT_SECRET) else "wrong secret"
        if basic or "client_secret" in form:
            return "a secret was sent to a private_key_jwt client"
        if form.get("client_assertion_type") != CLIENT_ASSERTION_TYPE:
            return "no client assertion"
        try:
            token = jwt.decode(form.get("client_assertion", ""), self.client_key, ["RS256"])
        except (JoseError, ValueError):
            return "the client assertion's signature does not match the registered key"
        claims = token.claims
        if claims.get("iss") != CLIENT_ID or claims.get("sub") != CLIENT_ID:
            return "the client assertion names another client"
        if claims.get("aud") != f"{self.issuer}/token":
            return "the client assertion is for another token endpoint"
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= time.time() or exp > time.time() + 600:
            return "the client assertion has expired or lasts too long"
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti or jti in self.used_jtis:
            return "the client assertion has no jti or was used before"
        self.used_jtis.add(jti)
        return ""

    def userinfo(self, authorization: str) -> tuple[int, Any]:
        claims = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, {"error": "invalid_token"}
        if not isinstance(self.userinfo_answer, dict):
            return 200, self.userinfo_answer
        return 200, {**claims, **self.userinfo_answer}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        tenant = grant.claims.get("tid")
        claims: dict[str, Any] = {
            "iss": f"{self.issuer}/{tenant}/v2.0" if self.multi_tenant else self.token_issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            "acr": grant.acr,
            **grant.claims,
        }
        for name in ("exp", "iat", "aud", "iss", "nonce"):
            if name in self.tamper:
                claims[name] = self.tamper[name]
        if self.overage:
            claims.pop("groups", None)
            claims["_claim_names"] = {"groups": "src1"}
            # Where Entra ID points (the retired Azure AD Graph): here, to show it is not used.
            claims["_claim_sources"] = {"src1": {"endpoint": f"{self.issuer}/claim-source"}}
        claims = {k: v for k, v in claims.items() if v is not None and k not in self.userinfo_only}
        key = self.other_key if self.tamper.get("key") == "other" else self.key
        return jwt.encode({"alg": "RS256", "kid": KID}, claims, key)

    def graph(self, path: str, authorization: str, body: Any) -> tuple[int, Any]:
        """getMemberObjects on the signed-in person, for the access token this provider
        issued: the first half of the groups, then the rest behind a nextLink."""
        self.graph_calls.append(path)
        if self.graph_answer is not None:
            return self.graph_answer
        groups = self.members.get(authorization.removeprefix("Bearer "))
        if groups is None:
            return 401, {"error": {"code": "InvalidAuthenticationToken"}}
        first = f"/graph/{MEMBER_OBJECTS}"
        if path == first and body == {"securityEnabledOnly": False}:
            half = len(groups) // 2
            next_link = f"{self.issuer}{first}?$skiptoken=page2"
            return 200, {"value": groups[:half], "@odata.nextLink": next_link}
        if path == f"{first}?$skiptoken=page2" and body is None:
            return 200, {"value": groups[len(groups) // 2 :]}
        return 400, {"error": {"code": "BadRequest"}}


def _handler(provider: LocalProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet tests

        def _send(self, status: int, body: Any = None, headers: dict | None = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path.endswith("/.well-known/openid-configuration"):
                self._send(200, provider.discovery())
            elif url.path == "/jwks":
                self._send(200, provider.jwks())
            elif url.path == "/userinfo":
                self._send(*provider.userinfo(self.headers.get("Authorization", "")))
            elif url.path == "/authorize":
                status, headers = provider.authorize(query)
                self._send(status, None, headers)
            elif url.path.startswith(("/graph/", "/claim-source")):
                auth = self.headers.get("Authorization", "")
                self._send(*provider.graph(self.path, auth, None))
            else:
                self._send(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            if urlparse(self.path).path.startswith(("/graph/", "/claim-source")):
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = "not JSON"
                auth = self.headers.get("Authorization", "")
                self._send(*provider.graph(self.path, auth, body))
                return
            form = {k: v[0] for k, v in parse_qs(raw).items()}
            basic = None
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                basic = (user, password)
            if urlparse(self.path).path == "/token":
                status, body = provider.token(form, basic)
                self._send(status, body)
            else:
                self._send(404, {"error": "not found"})

    return Handler
