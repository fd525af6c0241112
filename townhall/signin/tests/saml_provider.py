"""A SAML identity provider for the tests: a real HTTP server on 127.0.0.1 in a thread that
reads Townhall's AuthnRequest (HTTP-Redirect binding) and answers with a page whose form
posts a signed response back, as ADFS or Okta would. Assertions are signed by python3-saml
with an RSA key and certificate made for the test run. `tamper` makes the next responses
wrong, one way at a time; `response()` builds one directly for server-side tests."""

import base64
import html
import threading
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

NS = {"samlp": OneLogin_Saml2_Constants.NS_SAMLP, "saml": OneLogin_Saml2_Constants.NS_SAML}
ENTRA_GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
ENTRA_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
ENTRA_NAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
ENTRA_OBJECT_ID = "http://schemas.microsoft.com/identity/claims/objectidentifier"


def key_and_cert(common_name: str) -> tuple[str, str]:
    """A fresh RSA key and a self-signed certificate for it, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _cert_body(cert_pem: str) -> str:
    return "".join(line for line in cert_pem.splitlines() if "CERTIFICATE" not in line)


@dataclass
class LocalSamlProvider:
    """`person` is who signs in next: NameID and attributes (name: list of values).
    `tamper` keys: "key": "other", "none" (unsigned) or "response-only" (the response
    signed, its assertion not), "expired", "audience", "recipient",
    "destination", "in_response_to" (value, or None to leave it out), "issuer"."""

    person: dict[str, Any] = field(default_factory=dict)
    tamper: dict[str, Any] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)
    requests_seen: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key, self.cert = key_and_cert("Test identity provider")
        self.other_key, self.other_cert = key_and_cert("Someone else")
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def entity_id(self) -> str:
        return f"{self.address}/idp"

    def start(self) -> "LocalSamlProvider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def metadata(self) -> str:
        return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{self.entity_id}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{_cert_body(self.cert)}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="{self.address}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""

    # --- what the provider sends -----------------------------------------------------------
    def response(
        self,
        *,
        in_response_to: str | None,
        acs_url: str,
        audience: str,
        tamper: dict[str, Any] | None = None,
    ) -> str:
        """A base64 SAML response for `person`, made wrong as `tamper` (merged over the
        provider's own) says."""
        t = {**self.tamper, **(tamper or {})}
        now = datetime.now(UTC)
        if t.get("expired"):
            before, after = now - timedelta(hours=2), now - timedelta(hours=1)
        else:
            before, after = now - timedelta(seconds=30), now + timedelta(minutes=5)
        in_response_to = t.get("in_response_to", in_response_to)
        irt = f" InResponseTo={quoteattr(in_response_to)}" if in_response_to else ""
        recipient = t.get("recipient", acs_url)
        destination = t.get("destination", acs_url)
        issuer = t.get("issuer", self.entity_id)
        assertion_id = t.get("assertion_id") or "_a" + uuid.uuid4().hex
        person = self.person
        attributes = "".join(
            f"<saml:Attribute Name={quoteattr(name)}>"
            + "".join(
                f"<saml:AttributeValue>{escape(str(v))}</saml:AttributeValue>" for v in values
            )
            + "</saml:Attribute>"
            for name, values in (person.get("attributes") or {}).items()
        )
        name_id_format = person.get(
            "name_id_format", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
        )
        assertion = (
            f'<saml:Assertion xmlns:saml="{NS["saml"]}" ID="{assertion_id}" Version="2.0" '
            f'IssueInstant="{_stamp(now)}"><saml:Issuer>{escape(issuer)}</saml:Issuer>'
            f'<saml:Subject><saml:NameID Format="{name_id_format}">'
            f"{escape(person.get('name_id', 'pat-1'))}</saml:NameID>"
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{_stamp(after)}" '
            f"Recipient={quoteattr(recipient)}{irt}/></saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{_stamp(before)}" NotOnOrAfter="{_stamp(after)}">'
            "<saml:AudienceRestriction><saml:Audience>"
            f"{escape(t.get('audience', audience))}</saml:Audience></saml:AudienceRestriction>"
            f'</saml:Conditions><saml:AuthnStatement AuthnInstant="{_stamp(now)}" '
            'SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>'
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion>"
        )
        if t.get("key") not in ("none", "response-only"):
            key, cert = (
                (self.other_key, self.other_cert)
                if t.get("key") == "other"
                else (self.key, self.cert)
            )
            signed = OneLogin_Saml2_Utils.add_sign(
                assertion,
                key,
                cert,
                sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
                digest_algorithm=OneLogin_Saml2_Constants.SHA256,
            )
            assertion = signed.decode() if isinstance(signed, bytes) else str(signed)
            assertion = assertion.replace('<?xml version="1.0"?>', "").strip()
        document = (
            f'<samlp:Response xmlns:samlp="{NS["samlp"]}" xmlns:saml="{NS["saml"]}" '
            f'ID="_r{uuid.uuid4().hex}" Version="2.0" IssueInstant="{_stamp(now)}" '
            f"Destination={quoteattr(destination)}{irt}>"
            f"<saml:Issuer>{escape(issuer)}</saml:Issuer><samlp:Status>"
            '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
            f"</samlp:Status>{assertion}</samlp:Response>"
        )
        if t.get("key") == "response-only":
            signed = OneLogin_Saml2_Utils.add_sign(
                document,
                self.key,
                self.cert,
                sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
                digest_algorithm=OneLogin_Saml2_Constants.SHA256,
            )
            document = signed.decode() if isinstance(signed, bytes) else str(signed)
        encoded = base64.b64encode(document.encode()).decode()
        self.sent.append(encoded)
        return encoded

    def sign_in_page(self, query: dict[str, str]) -> tuple[int, str]:
        """The provider's page after the person signed in there: a form posting back."""
        raw = zlib.decompress(base64.b64decode(query.get("SAMLRequest", "")), -15)
        request = etree.fromstring(raw)
        seen = {
            "id": request.get("ID", ""),
            "acs": request.get("AssertionConsumerServiceURL", ""),
            "issuer": request.findtext("saml:Issuer", namespaces=NS) or "",
            "relay_state": query.get("RelayState", ""),
        }
        self.requests_seen.append(seen)
        saml_response = self.response(
            in_response_to=seen["id"], acs_url=seen["acs"], audience=seen["issuer"]
        )
        page = f"""<!DOCTYPE html><html lang="en"><head><title>Test identity provider</title></head>
<body><main><h1>Signed in at the test identity provider</h1>
<form method="post" action={quoteattr(seen["acs"])}>
<input type="hidden" name="SAMLResponse" value="{html.escape(saml_response)}">
<button type="submit">Continue to Townhall</button></form></main></body></html>"""
        return 200, page


def _handler(provider: LocalSamlProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet tests

        def _send(self, status: int, body: str, content_type: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/metadata":
                self._send(200, provider.metadata(), "application/xml")
            elif url.path == "/sso":
                status, page = provider.sign_in_page(query)
                self._send(status, page, "text/html; charset=utf-8")
            else:
                self._send(404, "not found", "text/plain")

    return Handler
