"""Check an import on SQLite without holding the database's write lock.

A check runs exactly like a commit and then rolls back (see `engine`), so its counts are
what a commit would do. On SQLite that transaction holds the only write lock from its first
statement (`transaction_mode` IMMEDIATE) to its end: while 20,000 rows were checked, every
other change waited, then failed. PostgreSQL has no such lock.

So on SQLite a long check runs against a copy of the database taken with SQLite's own
backup (a consistent snapshot, read while others go on writing, as WAL allows): this
thread's connection points at the copy for the check and back afterwards. Nothing written
during the check reaches the real database, and nobody waits for it. Only this thread's
connection changes; the worker's heartbeat and other threads keep theirs.
"""

import contextlib
import logging
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)


def usable(connection: Any) -> bool:
    """Whether a check on `connection` should run on a snapshot: SQLite on a file, and no
    transaction open around it (a snapshot would not see what that transaction wrote)."""
    return (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()
        and not connection.in_atomic_block
    )


@contextlib.contextmanager
def isolated(alias: str = DEFAULT_DB_ALIAS, connection: Any = None) -> Iterator[bool]:
    """Within the block, this thread's connection reads and writes a fresh copy of the
    SQLite database; the copy is removed afterwards. Yields whether it did (False on
    PostgreSQL, in memory or inside a transaction, where the block runs as it is)."""
    connection = connection if connection is not None else connections[alias]
    if not usable(connection):
        yield False
        return
    original = connection.settings_dict
    name = str(original["NAME"])
    handle, copy = tempfile.mkstemp(
        prefix=".import-check-", suffix=".sqlite3", dir=Path(name).parent
    )
    os.close(handle)
    try:
        timeout = float(original.get("OPTIONS", {}).get("timeout", 20))
        source = sqlite3.connect(name, timeout=timeout)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        connection.close()
        connection.settings_dict = {**original, "NAME": copy}
        try:
            yield True
        finally:
            connection.close()
            connection.settings_dict = original
    finally:
        for path in (copy, f"{copy}-wal", f"{copy}-shm"):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
            except OSError:
                logger.warning("could not remove the check's copy %s", path)
