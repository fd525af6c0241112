"""Typed environment settings, secrets from *_FILE, and the database switch."""

import os
import subprocess
import sys

import pytest

from townhall.env import envbool, envint, envlist, envstr


def test_typed_values(monkeypatch):
    monkeypatch.setenv("T_BOOL", "Yes")
    monkeypatch.setenv("T_INT", "42")
    monkeypatch.setenv("T_LIST", "a.gov, b.gov,,")
    assert envbool("T_BOOL") is True and envint("T_INT", 1) == 42
    assert envlist("T_LIST", []) == ["a.gov", "b.gov"]
    assert envbool("T_MISSING", True) is True and envint("T_MISSING", 7) == 7


@pytest.mark.parametrize(
    ("name", "value", "reader"),
    [("T_BOOL", "maybe", envbool), ("T_INT", "ten", lambda n: envint(n, 0))],
)
def test_bad_values_are_named(monkeypatch, name, value, reader):
    monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=name):
        reader(name)


def test_secrets_from_files(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret-from-file\n")
    monkeypatch.delenv("T_SECRET", raising=False)
    monkeypatch.setenv("T_SECRET_FILE", str(secret))
    assert envstr("T_SECRET") == "s3cret-from-file"
    monkeypatch.setenv("T_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(RuntimeError, match="T_SECRET_FILE"):
        envstr("T_SECRET")


def _settings(env: dict) -> str:
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='townhall.settings';"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.SESSION_COOKIE_SECURE, s.TIME_ZONE)"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TOWNHALL_PRODUCTION")
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_database_url_and_production_switches(tmp_path):
    var = str(tmp_path)
    assert _settings({"TOWNHALL_VAR_DIR": var}).startswith("django.db.backends.sqlite3 True False")
    out = _settings(
        {
            "TOWNHALL_VAR_DIR": var,
            "DATABASE_URL": "postgres://u@db.example:5432/th",
            "TOWNHALL_PRODUCTION": "1",
            "SECRET_KEY": "k" * 50,
            "TIME_ZONE": "America/Denver",
        }
    )
    assert out == "django.db.backends.postgresql False True America/Denver"
    assert (
        tmp_path / "secret_key"
    ).exists()  # development generated one; production did not need it
