"""Who is acting, through what, in which request: carried through the write path.

The write path (townhall.core.services) opens a `writing()` block; models refuse to save
outside one, so no code path can change data without permission checks and an audit entry.
"""

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    request_id: str
    via: str  # web, api, cli, import, bulk, task, system


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar(
    "townhall_actor", default=None
)
_writing: contextvars.ContextVar[int] = contextvars.ContextVar("townhall_writing", default=0)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> Actor:
    actor = _actor.get()
    return actor or Actor(request_id=new_request_id(), via="system")


@contextlib.contextmanager
def acting(via: str, request_id: str | None = None) -> Iterator[Actor]:
    actor = Actor(request_id=request_id or new_request_id(), via=via)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def writing() -> Iterator[None]:
    """Allow model saves. Only the write path and restore may use this."""
    token = _writing.set(_writing.get() + 1)
    try:
        yield
    finally:
        _writing.reset(token)


def is_writing() -> bool:
    return _writing.get() > 0


class SystemActor:
    """The actor for changes no person makes: CLI set-up, demo data, restore."""

    is_authenticated = True
    is_active = True
    role = "admin"
    pk = None
    department_id = None
    username = "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


class OutsideWritePath(RuntimeError):
    """Raised when code tries to save a record without going through the write path."""
