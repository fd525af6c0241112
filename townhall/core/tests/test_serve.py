"""`townhall serve --production` runs gunicorn and answers with production headers."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from townhall.conftest import copy_migrated


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_production_server_starts_and_serves(tmp_path, migrated_sqlite):
    port = _free_port()
    env = {
        **os.environ,
        "TOWNHALL_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TOWNHALL_SSL_REDIRECT": "0",
        "WEB_CONCURRENCY": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    copy_migrated(migrated_sqlite, tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "townhall.cli", "serve", "--production", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # As behind a reverse proxy that terminated HTTPS.
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/accounts/sign-in/",
                    headers={"X-Forwarded-Proto": "https"},
                )
                with urllib.request.urlopen(request, timeout=5) as r:
                    body, headers = r.read(), r.headers
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        assert b"Sign in" in body
        assert "Strict-Transport-Security" in headers
        assert "Secure" in headers["Set-Cookie"]  # the CSRF cookie
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/vendor/uswds/css/uswds.min.css", timeout=5
        ) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_server_process_loads_every_page_then_sets_it_aside_from_the_collector(tmp_path):
    """A server process keeps its code and settings for life: loaded before the first
    request and frozen, so the collector's full passes do not walk them during requests."""
    env = {**os.environ, "TOWNHALL_VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 60}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    probe = (
        "import gc, sys; import townhall.wsgi; "
        "print(gc.get_freeze_count(), 'townhall.estate.views' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    frozen, pages_loaded = done.stdout.split()
    assert int(frozen) > 100_000
    assert pages_loaded == "True"
