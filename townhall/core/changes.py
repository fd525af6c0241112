"""Who must hear of a write. A module that keeps something worked out from records (the
stored continuity analysis, the kept foundation health) registers which kinds of record it
reads with `listen`; every door that writes calls `changed(model)` inside the writing
transaction — the guard every save, delete and bulk change of a `TrackedModel` passes
(`core.models.guard`) and the importer's batches — so what the module keeps can never
silently disagree with the records.
Restore needs no report: it puts back what was kept together with the records it came
from. The platform imports no module: modules come to it.

A listener runs inside the writer's transaction, once per write, and must be cheap and
never block another writer (the continuity analysis and the foundation health each insert
one small row).
"""

from collections.abc import Callable, Iterable

from django.db import models

Listener = Callable[[type[models.Model]], None]

_listeners: dict[str, list[Listener]] = {}


def listen(labels: Iterable[str], listener: Listener) -> None:
    """Call `listener(model)` on every write to a record of one of `labels` ("estate.System")."""
    for label in labels:
        found = _listeners.setdefault(label, [])
        if listener not in found:
            found.append(listener)


def changed(model: type[models.Model]) -> None:
    """Tell the listeners of `model` that one or more of its records are being written."""
    concrete = model._meta.concrete_model or model
    for listener in _listeners.get(concrete._meta.label, ()):
        listener(concrete)
