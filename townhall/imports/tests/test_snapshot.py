"""On SQLite a long check holds no lock: it runs on a snapshot of the database, so another
writer goes on writing at once while the check's own transaction is open, and nothing the
check wrote reaches the database."""

import sqlite3
import threading

from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from townhall.imports import snapshot


def file_database(tmp_path) -> tuple[str, DatabaseWrapper]:
    path = str(tmp_path / "townhall.sqlite3")
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE item (name TEXT)")
        setup.execute("INSERT INTO item VALUES ('before')")
    settings = {
        **connection.settings_dict,
        "NAME": path,
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        "TEST": {},
    }
    return path, DatabaseWrapper(settings, alias="snapshot_test")


def test_a_check_on_the_snapshot_leaves_the_write_lock_to_others(db, tmp_path):
    path, wrapper = file_database(tmp_path)
    with snapshot.isolated(connection=wrapper) as used:
        assert used
        with wrapper.cursor() as cursor:  # the check's transaction, holding its copy's lock
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO item VALUES ('checked')")
            other = sqlite3.connect(path, timeout=0)  # another writer, not willing to wait
            other.execute("INSERT INTO item VALUES ('meanwhile')")
            other.commit()
            other.close()
            cursor.execute("SELECT name FROM item ORDER BY rowid")
            assert [r[0] for r in cursor.fetchall()] == ["before", "checked"]
            cursor.execute("ROLLBACK")
    assert wrapper.settings_dict["NAME"] == path
    with sqlite3.connect(path) as after:
        names = [r[0] for r in after.execute("SELECT name FROM item ORDER BY rowid")]
    assert names == ["before", "meanwhile"]
    assert sorted(p.name for p in tmp_path.iterdir() if "import-check" in p.name) == []
    wrapper.close()


def test_without_the_snapshot_the_other_writer_is_locked_out(db, tmp_path):
    """What the snapshot avoids: the check's open transaction on the database itself."""
    path, wrapper = file_database(tmp_path)
    with wrapper.cursor() as cursor:
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("INSERT INTO item VALUES ('checked')")
        other = sqlite3.connect(path, timeout=0)
        try:
            other.execute("INSERT INTO item VALUES ('meanwhile')")
            locked = False
        except sqlite3.OperationalError as exc:
            locked = "locked" in str(exc)
        other.close()
        cursor.execute("ROLLBACK")
    wrapper.close()
    assert locked


def test_other_threads_keep_the_real_database(db, tmp_path):
    path, wrapper = file_database(tmp_path)
    seen = []
    with snapshot.isolated(connection=wrapper):
        thread = threading.Thread(target=lambda: seen.append(dict(connection.settings_dict)))
        thread.start()
        thread.join()
        assert wrapper.settings_dict["NAME"] != path
    assert seen and seen[0]["NAME"] == connection.settings_dict["NAME"]
    wrapper.close()


def test_no_snapshot_in_memory_or_inside_a_transaction(db):
    with snapshot.isolated() as used:  # the tests' in-memory database
        assert not used


def test_a_refused_commit_on_sqlite_is_decided_on_a_snapshot(db, users, departments, monkeypatch):
    """A background commit of a file whose check found bad rows, without 'only the valid
    rows', is checked again on a snapshot: still refused, the real database is never
    written (nor locked) for it."""
    import contextlib

    from django.core.files.base import ContentFile

    from townhall.imports import engine, services
    from townhall.imports.models import ImportRun

    calls = []
    real_run = engine.run

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(kwargs["commit"])
        return real_run(*args, **kwargs)

    @contextlib.contextmanager
    def fake_isolated(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        yield True  # as on a SQLite file; the test database stands in for the copy

    monkeypatch.setattr(engine, "run", spy)
    monkeypatch.setattr(snapshot, "isolated", fake_isolated)
    data = b"Name,Department\nGood,PW\nBad,Nowhere\n"
    run = ImportRun(
        kind="service",
        filename="s.csv",
        rows=2,
        mapping={"Name": "name", "Department": "owner_department"},
        created_by=users["staff"],
    )
    run.file.save("s.csv", ContentFile(data), save=False)
    run.save()
    services.execute(run, commit=False, isolated=True)
    assert run.counts["rejected"] == 1 and calls == [False]

    services.execute(run, commit=True, isolated=True)
    assert calls == [False, False]  # decided on the snapshot; no import run for real
    assert run.status == "not_committed" and run.counts["rejected"] == 1

    run.valid_only = True
    services.execute(run, commit=True, isolated=True)
    assert calls == [False, False, True]
    assert run.status == "committed"
