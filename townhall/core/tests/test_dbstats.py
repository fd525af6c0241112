"""Planner statistics are refreshed on demand, on both databases."""

import logging
import sqlite3

import pytest
from django.db import connection, connections

from townhall.core import context, dbstats
from townhall.estate import models as m


def _believed_rows(table: str) -> float:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return -1
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        row = cursor.fetchone()
        return float(row[0].split()[0]) if row else -1


@pytest.mark.django_db
def test_refresh_statistics_counts_the_rows_loaded():
    with context.writing():
        m.Component.objects.bulk_create([m.Component(name=f"c{i}") for i in range(300)])
    assert _believed_rows("estate_component") != 300
    dbstats.refresh_statistics()
    assert _believed_rows("estate_component") == 300


@pytest.mark.django_db
def test_refresh_statistics_of_named_tables_leaves_the_others():
    with context.writing():
        m.Component.objects.bulk_create([m.Component(name=f"c{i}") for i in range(300)])
        m.Location.objects.bulk_create([m.Location(name=f"l{i}") for i in range(200)])
    before = _believed_rows("estate_location")
    dbstats.refresh_statistics(tables=dbstats.tables_written(m.Component))
    assert _believed_rows("estate_component") == 300
    assert _believed_rows("estate_location") == before != 200


@pytest.mark.django_db
def test_a_busy_sqlite_database_keeps_its_statistics_and_the_command_goes_on(tmp_path, caplog):
    """A restore or import has saved its records when it refreshes the statistics; another
    writer holding the database then must not turn it into a failed command."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's ANALYZE waits for no writer")
    path = tmp_path / "busy.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (a INTEGER)")
    setup.commit()
    setup.close()
    config = dict(connection.settings_dict)
    config.update(NAME=str(path), TEST={"NAME": str(path)})
    config["OPTIONS"] = {**config.get("OPTIONS", {}), "timeout": 0.2}
    connections.settings["busy"] = config
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, in the middle of its work
    try:
        connections["busy"].connect()
        with caplog.at_level(logging.WARNING, logger="townhall.core.dbstats"):
            dbstats.refresh_statistics("busy")
        assert "not refreshed" in caplog.text
        assert "locked" in caplog.text
        holder.execute("COMMIT")
        dbstats.refresh_statistics("busy")  # free again: refreshed, and no rows were lost
        with connections["busy"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1
    finally:
        holder.close()
        connections["busy"].close()
        del connections["busy"]
        del connections.settings["busy"]


def test_the_tables_a_load_writes():
    tables = dbstats.tables_written(m.Component)
    assert {"estate_component", "audit_auditentry"} <= set(tables)
    assert m.Component.tags.through._meta.db_table in tables
    assert "estate_system" not in tables


@pytest.mark.django_db
def test_an_import_refreshes_the_statistics_of_what_it_wrote():
    from townhall.imports.tests.helpers import run_import

    data = "Name\n" + "".join(f"c{i}\n" for i in range(dbstats.IMPORT_ROWS))
    with context.writing():
        m.Location.objects.bulk_create([m.Location(name=f"l{i}") for i in range(200)])
    before = _believed_rows("estate_location")
    run_import(context.SYSTEM, "component", data.encode(), "c.csv")
    assert _believed_rows("estate_component") == dbstats.IMPORT_ROWS
    assert _believed_rows("estate_location") == before != 200


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def _pending_pages(index: str) -> int:
    """Merges the index's pending list and says how many pages it held."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize("named", [False, True])
def test_refresh_statistics_merges_what_gin_indexes_hold_pending(named):
    """A search through a GIN index reads its whole pending list: after a large load the
    trigram searches of components took 13-60 ms instead of 0.1-1."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX test_component_words ON estate_component"
            " USING gin (to_tsvector('simple', name))"
        )
    with context.writing():
        m.Component.objects.bulk_create([m.Component(name=f"c{i} x{i}") for i in range(300)])
    tables = dbstats.tables_written(m.Component) if named else None
    dbstats.refresh_statistics(tables=tables)
    assert _pending_pages("test_component_words") == 0
    with context.writing():
        m.Component.objects.bulk_create([m.Component(name=f"d{i} y{i}") for i in range(300)])
    assert _pending_pages("test_component_words") > 0  # what the test relies on
