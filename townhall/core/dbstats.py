"""Fresh planner statistics after large loads.

The database chooses how to run a query from what it believes the tables hold. Nothing
refreshes that belief by itself soon enough after a bulk load: right after the large demo,
PostgreSQL assumed about 5,000 components where there were 100,000 and picked plans for the
wrong size. So the demo loader, `restore` and large imports call `refresh_statistics()`.
"""

from django.db import DEFAULT_DB_ALIAS, connections

# An import of at least this many new or changed rows refreshes the statistics after it.
IMPORT_ROWS = 1000


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE every table (PostgreSQL), or ANALYZE and `PRAGMA optimize` (SQLite).

    On PostgreSQL it samples each table (a few seconds on the large estate) and blocks no
    reader or writer; on SQLite it samples each index, so the write lock it takes is short.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            # A sample of each index is enough for the planner and keeps the write lock short.
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
