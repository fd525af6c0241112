"""Fresh planner statistics after large loads.

The database chooses how to run a query from what it believes the tables hold. Nothing
refreshes that belief by itself soon enough after a bulk load: right after the large demo,
PostgreSQL assumed about 5,000 components where there were 100,000 and picked plans for the
wrong size. So the demo loader, `restore` and large imports call `refresh_statistics()`.

On PostgreSQL the same call merges what the load left in the GIN indexes' pending lists
(the trigram indexes searches use): rows added to such an index wait in an unsorted list,
up to 4 MB, that every search through the index reads in full until a vacuum merges it.
After the large demo each of the components' five lists was full, and a search through
them took 13-60 ms instead of 0.1-1 ms; on a database without autovacuum they stay so.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, models, transaction

logger = logging.getLogger(__name__)

# An import of at least this many new or changed rows refreshes the statistics after it.
IMPORT_ROWS = 1000


def refresh_statistics(using: str = DEFAULT_DB_ALIAS, tables: Iterable[str] | None = None) -> None:
    """ANALYZE every table (PostgreSQL), or ANALYZE and `PRAGMA optimize` (SQLite); with
    `tables`, only those: a load that wrote to a few tables changed no other table's
    statistics, and sampling all of the database's tables after each import took two to
    four times as long as sampling the four an import of components writes.

    On PostgreSQL it samples each table (a few seconds on the large estate) and blocks no
    reader or writer; on SQLite it samples each index, so the write lock it takes is short.
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    # Table names from the models' own metadata, quoted.
    targets = ["ANALYZE"] if tables is None else [f"ANALYZE {qn(t)}" for t in sorted(set(tables))]
    if connection.vendor == "postgresql" and len(targets) > 1:
        targets = ["ANALYZE " + ", ".join(t.removeprefix("ANALYZE ") for t in targets)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in targets:
                cursor.execute(statement)
            merge_pending_entries(cursor, None if tables is None else sorted(set(tables)))
        elif connection.vendor == "sqlite":
            _refresh_sqlite(using, cursor, targets)


def _refresh_sqlite(using: str, cursor: Any, targets: list[str]) -> None:
    """The statistics are a help to the planner, not part of the change just committed: the
    write lock is taken first (waiting for other writers as any write does), and when the
    database stays busy (the worker, another import) the refresh is left for the next load
    with a warning, rather than failing a restore or an import whose records are saved."""
    try:
        with transaction.atomic(using=using):
            # A sample of each index is enough for the planner and keeps the write lock short.
            cursor.execute("PRAGMA analysis_limit=1000")
            for statement in targets:
                cursor.execute(statement)
            cursor.execute("PRAGMA optimize")
    except OperationalError as exc:
        logger.warning("Planner statistics not refreshed: %s", exc)


def merge_pending_entries(cursor: Any, tables: list[str] | None) -> None:
    """Merge the pending entries of the GIN indexes of `tables` (all when `None`) that
    this database user owns (as a vacuum would, without the vacuum's other work)."""
    sql = (
        "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_am a ON a.oid = c.relam AND a.amname = 'gin'"
        " JOIN pg_class t ON t.oid = i.indrelid"
        " WHERE c.relnamespace = current_schema()::regnamespace"
        " AND pg_has_role(c.relowner, 'USAGE')"
    )
    if tables is None:
        cursor.execute(sql)
    else:
        cursor.execute(sql + " AND t.relname = ANY(%s)", [tables])


def tables_written(model: type[models.Model]) -> list[str]:
    """The tables a load of `model`'s records writes to: its own, its many-to-many links
    and what they link to (a tag may be added on the way), and the audit history."""
    from townhall.audit.models import AuditEntry

    tables = [model._meta.db_table, AuditEntry._meta.db_table]
    for f in model._meta.many_to_many:
        for linked in (f.remote_field.through, f.related_model):  # set once models load
            if linked is not None:
                tables.append(linked._meta.db_table)
    return tables
