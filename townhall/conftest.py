"""Shared fixtures: a small organization and one signed-in person per role."""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client

from townhall.accounts.models import Role, User
from townhall.core import context, services
from townhall.org.models import Department

PASSWORD = "correct-horse-battery-9"


# Fixtures that give a test the database under test (the closure of a test's fixtures lists
# them whenever one of its fixtures, such as `users`, stands on them).
_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Leave out the tests that never touch the database under test (pure domain "
        "modules, child processes on their own SQLite file). The suite's PostgreSQL run "
        "uses it: those tests have run in its SQLite run and cannot answer otherwise.",
    )


def _uses_the_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db"):
        return True
    return bool(_DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-tests-only"):
        return
    kept = [item for item in items if _uses_the_database(item)]
    left = [item for item in items if not _uses_the_database(item)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def pytest_configure(config: pytest.Config) -> None:
    """Each test process keeps its own cache: the shared file cache under var/ would let
    parallel workers (each on its own database) read each other's kept figures."""
    from django.conf import settings

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _flush_by_delete_on_postgresql()


def _flush_by_delete_on_postgresql() -> None:
    """Tests that commit (the browser's live server, the worker) are cleaned up by Django's
    `flush`, which on PostgreSQL is one TRUNCATE of every table: about a second each time,
    as the server makes new files for a hundred tables. The tables hold a few rows by then,
    and deleting them in the same transaction is far quicker. Foreign keys are checked at
    commit (Django makes them deferrable), so the order of the deletes does not matter.
    Only the suite does this; `townhall flush` and restore keep Django's TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # Table names come from the models, quoted by the backend.
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608

    DatabaseOperations.sql_flush = sql_flush


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # A fast hasher: tests create many accounts; real installs keep Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test client builds its own middleware, and WhiteNoise would list every static file
    # (thousands, from USWDS) each time: most of a test's time. Looked up per request instead,
    # as in development; production keeps the list made once at start-up.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Figures kept until the next change are keyed by the newest audit entry's id, which
    a rolled-back test can hand on to the next: each test starts with nothing kept."""
    cache.clear()


@pytest.fixture
def departments(db) -> dict[str, Department]:
    # Audit entries look up their record's content type once per process: load them all
    # now, so a test that counts queries counts the same whichever tests ran before it.
    ContentType.objects.get_for_models(*apps.get_models())
    with context.acting("system"):
        pw = services.create(context.SYSTEM, Department, {"name": "Public Works", "code": "PW"})
        fin = services.create(context.SYSTEM, Department, {"name": "Finance", "code": "FIN"})
    return {"PW": pw, "FIN": fin}


def make_user(username: str, role: str, department: Department | None = None) -> User:
    with context.writing():
        user = User(username=username, role=role, department=department)
        user.set_password(PASSWORD)
        user.save()
    return user


@pytest.fixture
def users(departments) -> dict[str, User]:
    return {
        "admin": make_user("admin1", Role.ADMIN),
        "manager": make_user("manager1", Role.IT_MANAGER),
        "staff": make_user("staff1", Role.STAFF),
        "liaison": make_user("liaison1", Role.LIAISON, departments["PW"]),
        "board": make_user("board1", Role.BOARD),
        "viewer": make_user("viewer1", Role.VIEWER),
    }


@pytest.fixture
def client_for(users):
    """client_for("staff") -> a Client signed in as that role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated from nothing by the `townhall` command, once per run of the
    suite. The tests of the command line, the deploy check, the production server and the
    migrations start from a copy (`copy_migrated`): migrating from nothing takes tens of
    seconds each time. The parallel workers of a run share the one file (a lock makes the
    first to ask build it); `scripts/test.sh` also shares it between its SQLite and
    PostgreSQL runs through TOWNHALL_TEST_SHARED, a folder it makes and removes."""
    folder = shared_folder(
        tmp_path_factory.getbasetemp(),
        os.environ.get("TOWNHALL_TEST_SHARED"),
        os.environ.get("PYTEST_XDIST_WORKER"),
    )
    return migrated_once(folder / "migrated-sqlite")


def shared_folder(basetemp: Path, shared: str | None, worker: str | None) -> Path:
    """Where one run's processes share files: the folder `scripts/test.sh` gave, else the
    run's own temporary folder (an xdist worker's is one below it). Never pytest's root of
    all runs, which would hand one run's migrated file to every later run."""
    if shared:
        return Path(shared)
    return basetemp.parent if worker else basetemp


def migrated_once(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "db.sqlite3"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if target.exists():
            return target
        work = folder / "building"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        env = {
            **os.environ,
            "TOWNHALL_VAR_DIR": str(work),
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "townhall.cli", "migrate", "-v0"],
            env=env,
            check=True,
            timeout=600,
        )
        os.replace(work / "db.sqlite3", target)
        shutil.rmtree(work, ignore_errors=True)
    return target


def copy_migrated(migrated: Path, folder: Path) -> str:
    """Copy the migrated file into `folder`; its DATABASE_URL."""
    shutil.copyfile(migrated, folder / "db.sqlite3")
    return f"sqlite:///{folder / 'db.sqlite3'}"
