"""`townhall serve --production` runs gunicorn and answers with production headers."""

import os
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_production_server_starts_and_serves(tmp_path):
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
    subprocess.run(
        [sys.executable, "-m", "townhall.cli", "migrate", "-v0"], env=env, check=True, timeout=300
    )
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
