"""Public pages kept ready to serve, per address and language, and never served after a
change: each kept page is filed under a version token that any write to what a public page
reads replaces — the records of every kind on the site and the records their published
fields reach (a department's name), and `Publication`, what is public at all. The token is
replaced as the write happens and again once it commits, so a page drawn from the old
records in between is filed under a token no one asks for any more. Writes reach here
through `core.changes.listen` (every save, delete and bulk change reports there); a restore
clears the whole cache.

A page that reads anything else (residents' comments, say) must name it with `depends_on`
before it is kept. Pages that hand out a form token or set a cookie are never kept."""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import translation

from townhall.core import changes
from townhall.public import kinds

VERSION_KEY = "public:pages:version"
# A backstop only: a kept page is dropped after a day even if nothing changed.
TIMEOUT = 24 * 3600
# Pages larger than this are not kept (a long list is cheap to page through anyway).
MAX_KEPT = 512 * 1024

_extra: set[str] = set()


def read_models() -> set[str]:
    """Every model a public page reads: each kind's model, the models its fields reach, and
    what is published."""
    labels = {"public.Publication", *_extra}
    for kind in kinds.KINDS:
        model = apps.get_model(kind.model)
        labels.add(model._meta.label)
        for field in (kind.title, *kind.fields):
            current = model
            for part in field.path.split("__")[:-1]:
                related = current._meta.get_field(part).related_model
                if related is None:
                    break
                current = related
                labels.add(current._meta.label)
    return labels


def depends_on(labels: Iterable[str]) -> None:
    """Name more models public pages read; a write to one of them replaces the version."""
    _extra.update(labels)
    changes.listen(labels, _heard)


def connect() -> None:
    """Hear of every write to what public pages read (the app config calls this)."""
    changes.listen(sorted(read_models()), _heard)


def version() -> str:
    found = cache.get(VERSION_KEY)
    if found is None:
        found = bump()
    return str(found)


def bump() -> str:
    """A new token (never a counter, which a cleared cache would count again from the start)."""
    token = uuid.uuid4().hex
    cache.set(VERSION_KEY, token, None)
    return token


def _heard(model: type[models.Model]) -> None:
    bump()
    transaction.on_commit(bump, robust=True)


def _key(request: HttpRequest, token: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"public:page:{token}:{translation.get_language()}:{digest}"


def kept(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve a public page from the cache when it is there, else draw and keep it. Goes
    inside `language.in_visitor_language`, so the language is the visitor's."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        token = version()  # read before the records, so a change in between is never kept
        key = _key(request, token)
        found = cache.get(key)
        if found is not None:
            content, content_type, status = found
            return HttpResponse(content, content_type=content_type, status=status)
        response = view(request, *args, **kwargs)
        if _keepable(request, response):
            assert isinstance(response, HttpResponse)
            found = (response.content, response["Content-Type"], response.status_code)
            cache.set(key, found, TIMEOUT)
        return response

    return wrapped


def _keepable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a form token
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and len(response.content) <= MAX_KEPT
    )
