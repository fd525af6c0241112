"""Memory of long work in one process: what a large load keeps out of the garbage
collector's way. Not a write: the loads that use it (`services.create_many`, the importer)
write through the write path as ever."""

import contextlib
import gc
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def long_lived_set_aside() -> Iterator[Callable[[], None]]:
    """For a large load: leave the objects the process already holds out of the garbage
    collector's full passes (`gc.freeze`), and hand them back at the end (`gc.unfreeze`).
    Yields `set_aside()`, for the load to call after each batch with what it keeps.

    A load makes objects by the million and keeps some of them (what it has indexed and
    saved); each full pass walked every object the process held, start-up's and the
    load's, and those walks took a fifth of an import's time. Young garbage is still
    collected as usual; a cycle that outlived its batch waits for the end of the load.
    Objects someone else froze (a server that freezes before it forks) stay theirs: then
    the load leaves the collector alone, since unfreezing would hand theirs back too."""
    if gc.get_freeze_count():
        yield _nothing
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def _nothing() -> None:
    pass
