"""How a member Townhall and an exchange hub talk: JSON over HTTPS, every request signed
with the member's Ed25519 key. Plain Python (no Django), used by both sides.

Why signatures rather than a shared password: the hub keeps only each member's public key,
so a copy of the hub's database lets nobody submit as a member, and every stored
submission carries the signature that proves which member sent it.

A request carries three headers: the member's id at the hub, the time (Unix seconds) and a
signature over the method, path, time and the SHA-256 of the body. The hub refuses a
request signed more than `MAX_SKEW` seconds away from its own clock. A submission's body is
also signed as a document (`sign_document`), and the hub keeps that signature with it.

The contract, which member (`member.py`) and hub both follow; bodies are JSON:

- `POST join/`, unsigned: `{"join_code", "name", "public_key", "profile"}`, the profile
  being `bands.profile(...)` (four bands, never exact figures) → `{"member_id"}`.
- `POST submissions/`, signed: `{"payload": {"year", "metric_set_version", "profile",
  "values"}, "signature": sign_document(key, payload)}` → `{"revision", "status"}`, status
  "accepted" (a new revision) or "unchanged" (the same values again). One submission per
  member, year and version: sending again replaces it.
- `GET statistics/?year=Y&version=V`, signed → `{"year", "metric_set_version",
  "statistics": [{"metric", "cohort", "cohort_label", "members", "q1", "median", "q3"}]}`,
  released statistics only (suppressed cohorts are left out).
- Any error: a status of 400 or more with `{"detail": "…"}` in words.
"""

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PROTOCOL_VERSION = "1"
MAX_SKEW = 300  # seconds
MEMBER_HEADER = "X-Townhall-Member"
TIME_HEADER = "X-Townhall-Time"
SIGNATURE_HEADER = "X-Townhall-Signature"

# The hub's addresses, under its `/hub/api/` (`hub_urls.py`).
JOIN = "join/"
SUBMISSIONS = "submissions/"
STATISTICS = "statistics/"
SURVEY = "survey/"
LIBRARY = "library/"


class BadSignature(Exception):
    """The request or document is not signed by the key it names, or is too old."""


def canonical(doc: Any) -> bytes:
    """One byte string per document: sorted keys, no spaces, UTF-8."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def new_private_key() -> str:
    """A new Ed25519 private key, as base64 text to be kept sealed."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return base64.b64encode(raw).decode()


def _private(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text))


def public_key(private_text: str) -> str:
    """The public half of a private key, as base64 text (what the hub keeps)."""
    raw = (
        _private(private_text)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode()


def _public(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise BadSignature("the public key is not an Ed25519 key in base64") from exc


def valid_public_key(text: object) -> bool:
    if not isinstance(text, str):
        return False
    try:
        _public(text)
    except BadSignature:
        return False
    return True


def _verify(public_text: str, signature: str, message: bytes) -> None:
    try:
        _public(public_text).verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError) as exc:
        raise BadSignature("the signature does not match") from exc


def sign_document(private_text: str, doc: Any) -> str:
    return base64.b64encode(_private(private_text).sign(canonical(doc))).decode()


def verify_document(public_text: str, doc: Any, signature: str) -> None:
    _verify(public_text, signature, canonical(doc))


def _request_message(method: str, path: str, when: int, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{when}\n{digest}".encode()


def request_headers(
    private_text: str, member: str, method: str, path: str, body: bytes, now: float
) -> dict[str, str]:
    """The headers that sign a request to `path` (the full path, query string included)."""
    when = int(now)
    signature = _private(private_text).sign(_request_message(method, path, when, body))
    return {
        MEMBER_HEADER: member,
        TIME_HEADER: str(when),
        SIGNATURE_HEADER: base64.b64encode(signature).decode(),
    }


def verify_request(
    public_text: str, method: str, path: str, body: bytes, headers: dict[str, str], now: float
) -> None:
    """Raises BadSignature unless `headers` sign this request with the key and in time."""
    when_text = headers.get(TIME_HEADER, "")
    if not when_text.isdecimal() or len(when_text) > 12:
        raise BadSignature(f"{TIME_HEADER} must be the time in Unix seconds")
    when = int(when_text)
    if abs(now - when) > MAX_SKEW:
        raise BadSignature("the request was signed too long ago, or the clocks disagree")
    _verify(
        public_text, headers.get(SIGNATURE_HEADER, ""), _request_message(method, path, when, body)
    )
