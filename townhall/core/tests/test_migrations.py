"""The migrations build the same database the models describe, on each database engine.

The suite builds its test databases straight from the models (`--no-migrations`, which saves
every test process the minutes of replaying the migrations); these tests are what keeps the
migrations honest in its place: they describe the models exactly, and they run from nothing
on the database under test, as `make run` and an upgrade run them.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from townhall.conftest import copy_migrated, shared_folder
from townhall.core import trigram

PROJECT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_the_migrations_describe_the_models_exactly():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:  # Django exits 1 when a model change has no migration
        pytest.fail(f"a model change has no migration:\n{out.getvalue()}", pytrace=False)


def _fresh_database() -> tuple[str, Callable[[], None]]:
    """An empty PostgreSQL database on the server under test, and how to drop it."""
    config = connection.settings_dict
    name = f"townhall_migrations_{uuid.uuid4().hex[:10]}"
    server = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"]}
    if config.get("PASSWORD"):
        server["password"] = config["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    auth = quote(config["USER"] or "")
    if config.get("PASSWORD"):
        auth += ":" + quote(config["PASSWORD"])
    return f"postgres://{auth}@{server['host']}:{server['port']}/{name}", drop


@pytest.mark.django_db
def test_the_migrations_run_from_nothing_on_this_database(tmp_path, request):
    if connection.vendor == "sqlite":
        # The suite's one SQLite file, migrated from nothing by the command (a failure to
        # migrate fails that fixture, and so this test).
        url, drop = copy_migrated(request.getfixturevalue("migrated_sqlite"), tmp_path), None
    else:
        url, drop = _fresh_database()
    env = {**os.environ, "DATABASE_URL": url, "TOWNHALL_VAR_DIR": str(tmp_path / "var")}
    try:
        if drop is not None:
            migrate = subprocess.run(  # noqa: S603 - our own command
                [sys.executable, "-m", "townhall.cli", "migrate", "-v0"],
                cwd=PROJECT,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert migrate.returncode == 0, migrate.stderr
        check = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "townhall.cli", "migrate", "--check", "-v0"],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert check.returncode == 0, check.stdout + check.stderr
        if connection.vendor == "postgresql":
            # Built only by migrations: the trigram indexes that answer searches by any part.
            with psycopg.connect(url) as fresh:
                names = {
                    row[0]
                    for row in fresh.execute(
                        "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"]
                    )
                }
            # Searches rely on what `trigram.INDEXED` says the migrations build.
            assert names == {
                f"{table}_{field}_trgm"
                for table, fields in trigram.INDEXED.items()
                for field in fields
            }
    finally:
        if drop is not None:
            drop()


def test_the_migrated_file_is_shared_within_one_run_only():
    """A run without xdist once kept it in pytest's root of all runs, so a later run, with a
    new migration, started from the old file."""
    run = Path("runs/pytest-7")
    assert shared_folder(run, None, None) == run
    assert shared_folder(run / "popen-gw1", None, "gw1") == run
    assert shared_folder(run, "shared", None) == Path("shared")
