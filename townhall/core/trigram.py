"""Trigram indexes on PostgreSQL, for searches by any part of a text (`icontains`).

Search asks for `UPPER(field) LIKE UPPER('%text%')`, which no ordinary index answers: on
the large estate it read every row (about 250 ms over 100,000 components, 85 ms over
43,000 exposures). A pg_trgm GIN index on `UPPER(field)` answers it for texts of three
characters or more. pg_trgm is a trusted extension (the database's owner may create it);
where it cannot be created, search works as before, without the indexes. Nothing is done
on SQLite. Used from migrations: `trigram.indexes("estate_component", ["name"])`.
"""

import re
from collections.abc import Sequence
from typing import Any

from django.db import DatabaseError, migrations, transaction

# The fields the migrations give a trigram index, by table: what searches may rely on. Kept
# in step with the migrations that call `indexes` (a migration test compares them).
INDEXED: dict[str, tuple[str, ...]] = {
    "estate_component": ("name", "manufacturer", "model_number", "asset_tag", "external_id"),
    "cyber_exposure": ("matched_on",),
}


# What a trigram index can look up: a text without three letters or digits in a row gives
# it no trigram, and the index would be read whole.
WORD = re.compile(r"[^\W_]{3}")


def indexed(table: str, fields: Sequence[str]) -> bool:
    """Whether each of `fields` of `table` has a trigram index (on PostgreSQL)."""
    return bool(fields) and set(fields) <= set(INDEXED.get(table, ()))


def indexes(table: str, fields: Sequence[str]) -> migrations.RunPython:
    """A migration operation creating (and on reversal dropping) the indexes."""

    def create(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except DatabaseError:
                return
            for field in fields:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_{field}_trgm ON {table} "
                    f"USING gin (UPPER({field}) gin_trgm_ops)"
                )

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for field in fields:
                cursor.execute(f"DROP INDEX IF EXISTS {table}_{field}_trgm")

    return migrations.RunPython(create, drop)
