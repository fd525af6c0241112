"""The one place a member Townhall talks to its hub: signed JSON requests (`protocol.py`).

`send` is how the bytes travel; it is urllib by default (no dependency for one kind of
call) and tests replace it (`use_transport`) to route requests to a hub in the same process,
while the two-server test keeps the real one.
"""

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

from townhall.core.sealing import Sealer
from townhall.exchange import protocol
from townhall.exchange.models import JurisdictionProfile

SIGNING_KEYS = Sealer("townhall.exchange.signing-key", "signing key")
TIMEOUT = 30  # seconds
MAX_ANSWER = 20 * 1024 * 1024  # bytes read from the hub at most

# (method, url, headers, body) -> (status, body); the wait in seconds is `_timeout`'s.
Transport = Callable[[str, str, dict[str, str], bytes], tuple[int, bytes]]


class HubError(Exception):
    """The hub could not be reached or refused the request; the message says why in words
    an administrator can act on."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def _urllib(method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    if urlsplit(url).scheme not in ("http", "https"):
        raise HubError("The hub's address must start with https:// or http://.")
    request = urllib.request.Request(url, data=body or None, headers=headers, method=method)  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=_timeout.get()) as answer:  # noqa: S310
            return answer.status, answer.read(MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(MAX_ANSWER)
    except (urllib.error.URLError, OSError) as exc:
        raise HubError(f"The hub at {url} could not be reached: {exc}.") from exc


_transport: list[Transport] = [_urllib]
# The wait of the call in progress (per thread): a call a person waits on asks for less.
_timeout: ContextVar[float] = ContextVar("hub_timeout", default=TIMEOUT)


@contextmanager
def use_transport(transport: Transport) -> Iterator[None]:
    """Send the hub's requests through `transport` while the block runs (tests)."""
    _transport.insert(0, transport)
    try:
        yield
    finally:
        _transport.remove(transport)


def private_key(profile: JurisdictionProfile) -> str | None:
    """The profile's signing key, or None when it has none or it cannot be opened (the
    SECRET_KEY changed: make a new key and join again)."""
    return SIGNING_KEYS.unseal(profile.signing_key)


def hub_path(profile_or_url: JurisdictionProfile | str, endpoint: str) -> str:
    """The full address of one of the hub's API endpoints (`protocol.JOIN`…)."""
    base = profile_or_url if isinstance(profile_or_url, str) else profile_or_url.hub_url
    return base.rstrip("/") + "/hub/api/" + endpoint


def call(
    profile: JurisdictionProfile,
    method: str,
    endpoint: str,
    doc: Any = None,
    *,
    query: str = "",
    signed: bool = True,
    timeout: float = TIMEOUT,
) -> Any:
    """Send `doc` (JSON) to the hub's `endpoint` and return its JSON answer. Signed with the
    profile's key unless `signed` is False (joining, before the hub knows the key). Waits
    `timeout` seconds at most for the hub (less in a request a person waits on)."""
    if not profile.hub_url:
        raise HubError("No exchange hub is set in the jurisdiction profile.")
    url = hub_path(profile, endpoint) + (f"?{query}" if query else "")
    body = protocol.canonical(doc) if doc is not None else b""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if signed:
        key = private_key(profile)
        if not key or not profile.member_id:
            raise HubError("This Townhall has not joined the hub yet (no member id or key).")
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers |= protocol.request_headers(key, profile.member_id, method, path, body, time.time())
    token = _timeout.set(timeout)
    try:
        status, answer = _transport[0](method, url, headers, body)
    finally:
        _timeout.reset(token)
    try:
        data = json.loads(answer or b"null")
    except ValueError:
        data = None
    if status >= 400:
        detail = data.get("detail") if isinstance(data, dict) else None
        raise HubError(
            f"The hub refused the request ({status}): {detail or 'no reason given'}.", status
        )
    if data is None and answer:
        raise HubError("The hub answered with something other than JSON.", status)
    return data
