"""The estate's systems and components read for the technology derivation
(`technology.py`), in chunks by id so that a county's 100,000 components are never held
as model objects."""

from collections.abc import Iterator
from typing import Any

from townhall.estate.models import Component, System
from townhall.people.technology import Item

CHUNK = 5000


def _chunks(queryset: Any, fields: tuple[str, ...]) -> Iterator[tuple]:
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:CHUNK])
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def items(user: Any) -> list[Item]:
    """The systems and components `user` may see, as the derivation reads them; retired
    components are left out (nobody needs to run them)."""
    found = [
        Item("system", pk, product or "", vendor or "")
        for pk, product, vendor in _chunks(
            System.objects.restrict(user, "view"), ("product", "vendor__name")
        )
    ]
    components = Component.objects.restrict(user, "view").exclude(status=Component.Status.RETIRED)
    found += [
        Item("component", pk, platform or "", maker or "")
        for pk, platform, maker in _chunks(components, ("os_firmware", "manufacturer"))
    ]
    return found
