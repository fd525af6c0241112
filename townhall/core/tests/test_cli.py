"""The `townhall` command line: demo, createuser, token, check, and Django's commands."""

import dataclasses
import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from townhall.accounts.models import User
from townhall.audit.models import AuditEntry
from townhall.conftest import copy_migrated
from townhall.org.models import Department


def run_cli(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "townhall.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(autouse=True)
def _small_estate(monkeypatch):
    """The estate demo at a tenth of its size: these tests are about the command."""
    from townhall.estate import demo

    tiny = demo.Sizes(
        services=6,
        systems=25,
        components=300,
        vendors=12,
        contracts=20,
        dependencies=600,
        it_staff=4,
        owners_per_department=1,
    )
    monkeypatch.setitem(demo.SIZES, "small", tiny)
    monkeypatch.setitem(demo.SIZES, "large", dataclasses.replace(tiny, systems=50, components=600))


@pytest.mark.django_db
def test_demo_is_deterministic_and_idempotent():
    call_command("demo", stdout=io.StringIO())
    first = list(
        Department.objects.order_by("code").values_list("code", "name", "parent__code", "employees")
    )
    entries = AuditEntry.objects.count()
    call_command("demo", stdout=io.StringIO())
    again = list(
        Department.objects.order_by("code").values_list("code", "name", "parent__code", "employees")
    )
    assert first == again and len(first) > 25
    assert AuditEntry.objects.count() == entries  # nothing changed, nothing recorded
    assert set(User.objects.values_list("role", flat=True)) == {
        "admin",
        "it_manager",
        "staff",
        "liaison",
        "board",
        "viewer",
    }
    out = io.StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert "not loaded" in out.getvalue()


@pytest.mark.django_db
def test_demo_large_scale_adds_more():
    call_command("demo", scale="large", seed=7, stdout=io.StringIO())
    assert Department.objects.count() > 150


@pytest.mark.django_db
def test_createuser_reads_the_password_from_stdin(departments, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-passphrase-1\n"))
    call_command(
        "createuser",
        username="pat",
        role="liaison",
        department="pw",
        password_stdin=True,
        stdout=io.StringIO(),
    )
    pat = User.objects.get(username="pat")
    assert (
        pat.role == "liaison"
        and pat.department.code == "PW"
        and pat.check_password("a-long-passphrase-1")
    )
    assert AuditEntry.objects.filter(object_repr="pat", via="cli").exists()
    out = io.StringIO()
    call_command("token", "create", username="pat", name="Sync", stdout=out)
    token = out.getvalue().strip()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/org/departments/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/org/departments/").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--role", "liaison"], "a-long-passphrase-1", "needs a department"),
        (["--role", "viewer", "--department", "NOPE"], "a-long-passphrase-1", "No department"),
        (["--role", "viewer"], "short", "too short"),
        (["--role", "viewer"], "", "No password"),
    ],
)
def test_createuser_explains_bad_input(args, password, message, departments, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    with pytest.raises(CommandError, match=message):
        call_command(
            "createuser", "--username", "x", *args, "--password-stdin", stdout=io.StringIO()
        )
    assert not User.objects.filter(username="x").exists()


def test_entry_point_runs_django_commands_and_refuses_unknown_roles(tmp_path, migrated_sqlite):
    # The demo itself is loaded in this process by the tests above and in estate's demo tests;
    # here the point is the entry point, which needs only a database the entry point migrated
    # (`migrated_sqlite` runs `migrate` through it).
    env = {
        "TOWNHALL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": copy_migrated(migrated_sqlite, tmp_path),
    }
    assert run_cli("migrate", "--check", "-v0", env=env).returncode == 0
    result = run_cli(
        "createuser",
        "--username",
        "u",
        "--role",
        "mayor",
        "--password-stdin",
        stdin="a-long-passphrase-1\n",
        env=env,
    )
    assert result.returncode != 0 and "invalid choice" in result.stderr
    result = run_cli(
        "createuser",
        "--username",
        "u",
        "--role",
        "board",
        "--password-stdin",
        stdin="a-long-passphrase-1\n",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    token = run_cli("token", "create", "--username", "u", "--name", "Sync", env=env)
    assert token.returncode == 0 and len(token.stdout.strip()) == 43
    check = run_cli("check", env=env)
    assert check.returncode == 0, check.stderr
