"""The test database, opened to other processes: a real `townhall worker`, a real server,
the command line. On SQLite the in-memory test database is copied into a file (in WAL
mode, as Townhall runs it); on PostgreSQL the test database is used as it is. The test then
reads and writes that database through its own connection alias, `outside.alias`.

Needs a test with `transaction=True`, so that what the test wrote is committed.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection, connections

PROJECT = Path(__file__).resolve().parents[3]
ALIAS = "outside"


class Outside:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.alias = ALIAS
        self.processes: list[subprocess.Popen[bytes]] = []
        connection.ensure_connection()
        config = dict(connection.settings_dict)
        if connection.vendor == "sqlite":
            path = directory / "townhall.sqlite3"
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
            target.close()
            url = f"sqlite:///{path}"
            config["NAME"] = str(path)
        else:
            auth = quote(config["USER"] or "")
            if config.get("PASSWORD"):
                auth += ":" + quote(config["PASSWORD"])
            url = f"postgres://{auth}@{config['HOST']}:{config['PORT']}/{config['NAME']}"
        config["TEST"] = {**config.get("TEST", {}), "NAME": config["NAME"]}
        connections.settings[ALIAS] = config
        # Connected here, not on first use: Django's test case refuses to open connections
        # to aliases the test did not declare, and this one exists only for this test.
        connections[ALIAS].connect()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": settings.SECRET_KEY,
            "TOWNHALL_VAR_DIR": str(directory / "var"),
            "TOWNHALL_MEDIA_DIR": str(settings.MEDIA_ROOT),
            "TOWNHALL_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
            "PYTHONUNBUFFERED": "1",
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "townhall.cli", *args]

    def run(self, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
        """Run `townhall ARGS` to its end."""
        return subprocess.run(  # noqa: S603 - our own command
            self.command(*args),
            cwd=PROJECT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str, log: IO[Any] | None = None, **env: str) -> subprocess.Popen:
        """Start `townhall ARGS` beside the test; it is stopped when the test ends."""
        process = subprocess.Popen(  # noqa: S603 - our own command
            self.command(*args),
            cwd=PROJECT,
            env={**self.env, **env},
            stdout=log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def close(self) -> None:
        """Stop what was started and drop the connection (once; later calls do nothing)."""
        if ALIAS not in connections.settings:
            return
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


def wait_for(check: Callable[[], Any], seconds: float, what: str) -> Any:
    """Poll `check` until it answers something true, or fail naming `what`."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"after {seconds:.0f} s still waiting for {what}")
        time.sleep(0.2)
