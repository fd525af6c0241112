"""Backup and restore: an exact round trip, and refusals that change nothing."""

import datetime
import json
import re
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from townhall.accounts.models import ApiToken, LoginFailure, Role, SignedInSession, User
from townhall.accounts.services import token_for
from townhall.audit.models import AuditEntry
from townhall.conftest import PASSWORD, make_user
from townhall.core import backup, context, services
from townhall.core.context import SYSTEM
from townhall.core.models import Tag
from townhall.jobs.models import Job
from townhall.org.models import Department, Document

# Restore commits its own transaction and empties tables, so tests need a real database.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _migrations_recorded(settings):
    """A backup names its schema by the migrations the database has applied, and restore
    compares it with the migrations this Townhall knows. The suite builds its databases
    from the models, which records none and hides the migrations: show them and record them
    all, as on a migrated database, and forget them after (a flush leaves that table alone)."""
    settings.MIGRATION_MODULES = {}
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    nodes = MigrationLoader(connection, ignore_no_migrations=True).graph.nodes
    for app_label, name in nodes:
        recorder.record_applied(app_label, name)
    yield
    recorder.migration_qs.all().delete()


POLICY = b"Acceptable use policy.\n\x00\xff binary-safe bytes\n"
EXPORT = b"title,kind\nAcceptable use,policy\n"
KINDS = (
    "audit.AuditEntry",
    "accounts.User",
    "accounts.LoginFailure",
    "auth.Group",
    "accounts.ApiToken",
    "contenttypes.ContentType",
    "core.Tag",
    "django_tasks_database.DBTaskResult",
    "jobs.Job",
    "org.Department",
    "org.Document",
)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every backed-up row with its id and every field, times to the microsecond."""
    data = {}
    for model in backup.backed_up_models():
        rows = serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        for row in rows:
            for field in model._meta.many_to_many:
                row["fields"][field.name] = sorted(row["fields"][field.name], key=repr)
        data[model._meta.label] = rows
    return data


@pytest.fixture
def records(users, departments, client_for) -> dict[str, Any]:
    """Some of every kind of record, made the way the application makes them."""
    pw = departments["PW"]
    with context.acting("cli", request_id="req-backup-test"):
        tag = services.create(SYSTEM, Tag, {"name": "council priority"})
        services.create(users["staff"], Tag, {"name": "pilot"})  # an audit entry with an actor
        doc = services.create(
            SYSTEM,
            Document,
            {
                "title": "Acceptable use",
                "kind": "policy",
                "file": SimpleUploadedFile("aup.txt", POLICY),
                "owner_department": pw,
                "effective_date": datetime.date(2026, 1, 5),
                "tags": [tag.pk],
            },
        )
        services.update(SYSTEM, pw, {"employees": 41, "tags": [tag.pk]}, version=None)
        services.create(SYSTEM, Department, {"name": "Streets", "code": "ST", "parent": pw})
    reviewers = Group.objects.create(name="Reviewers")
    view_document = Permission.objects.get(codename="view_document")
    reviewers.permissions.add(view_document)
    users["staff"].groups.add(reviewers)
    users["viewer"].user_permissions.add(view_document)
    job = Job.objects.create(
        kind="export",
        title="Documents export",
        created_by=users["admin"],
        status=Job.Status.DONE,
        params={"resource": "documents", "format": "csv"},
    )
    job.result_file.save("documents.csv", ContentFile(EXPORT))
    DBTaskResult.objects.create(
        task_path="townhall.jobs.runner.run_job",
        args_kwargs={"args": [job.pk], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    LoginFailure.objects.create(username="admin1", ip_address="192.0.2.7")
    client_for("admin")  # a session, which a backup leaves out
    return {"doc": doc, "job": job, "token": token_for(users["admin"])}


def backup_to(tmp_path: Path) -> Path:
    path = tmp_path / "townhall-backup.zip"
    out = StringIO()
    call_command("backup", str(path), stdout=out)
    assert re.fullmatch(r"Backed up [\d,]+ records and \d+ files to .+\.\n", out.getvalue())
    return path


def rewrite(path: Path, changes: dict[str, bytes | None]) -> None:
    """Replace (or with None, drop) entries of a backup, keeping the others as they were."""
    with zipfile.ZipFile(path) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    entries.update(changes)
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in entries.items():
            if content is not None:
                zf.writestr(name, content)


def edit_json(path: Path, name: str, edit: Any) -> None:
    with zipfile.ZipFile(path) as zf:
        value = json.loads(zf.read(name))
    edit(value)
    rewrite(path, {name: json.dumps(value).encode()})


def test_round_trip_restores_every_record_and_file(records, users, departments, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    doc, job = records["doc"], records["job"]
    before = snapshot()
    for label in KINDS:
        assert before[label], f"the test should make some {label}"
    assert "sessions.Session" not in before and Session.objects.exists()
    assert "accounts.SignedInSession" not in before and SignedInSession.objects.exists()
    assert "jobs.Worker" not in before  # running processes, not records
    audit = list(AuditEntry.objects.order_by("pk").values())
    password = User.objects.get(username="admin1").password

    path = backup_to(tmp_path)

    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    assert manifest["format"] == "townhall-backup" and manifest["format_version"] == 1
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["townhall_version"] and manifest["created_at"]
    assert "0001_initial" in manifest["schema"]["audit"]
    assert {f"media/{doc.file.name}", f"media/{job.result_file.name}"} <= names
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # it holds password hashes and tokens

    # Change, add and delete a bit of everything after the backup.
    with context.acting("cli"):
        services.update(SYSTEM, departments["PW"], {"name": "Public Works & Parks"}, version=None)
        services.delete(SYSTEM, Document.objects.get(pk=doc.pk))
        services.create(SYSTEM, Tag, {"name": "made after the backup"})
    make_user("latecomer", Role.ADMIN)
    with context.writing():
        admin = User.objects.get(username="admin1")
        admin.set_password("a-different-password-77")
        admin.save()
    token_for(admin)
    Group.objects.all().delete()
    (media / doc.file.name).write_bytes(b"overwritten")
    (media / job.result_file.name).unlink()

    out = StringIO()
    call_command("restore", str(path), stdout=out)

    assert re.fullmatch(r"Restored [\d,]+ records and 2 files from .+\)\.\n", out.getvalue())
    assert snapshot() == before
    assert list(AuditEntry.objects.order_by("pk").values()) == audit
    admin = User.objects.get(username="admin1")
    assert admin.password == password and admin.check_password(PASSWORD)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {records['token']}")
    assert api.get("/api/org/departments/").status_code == 200
    assert ApiToken.objects.filter(owner=admin).count() == 1
    assert set(Document.objects.get(pk=doc.pk).tags.values_list("name", flat=True)) == {
        "council priority"
    }
    assert (media / doc.file.name).read_bytes() == POLICY
    assert (media / job.result_file.name).read_bytes() == EXPORT
    assert not Session.objects.exists()  # everyone signs in again
    assert not SignedInSession.objects.exists()
    assert not any(p.name.startswith(backup.STAGING_PREFIX) for p in media.iterdir())

    # New records get fresh ids, not ones the restored records hold.
    with context.acting("cli"):
        parks = services.create(SYSTEM, Department, {"name": "Parks", "code": "PRK"})
    assert parks.pk > max(row["pk"] for row in before["org.Department"])
    assert AuditEntry.objects.latest("pk").pk > max(row["id"] for row in audit)


def test_backup_from_a_newer_townhall_is_refused_and_changes_nothing(records, tmp_path):
    path = backup_to(tmp_path)
    edit_json(path, "manifest.json", lambda m: m["schema"]["org"].append("0099_from_the_future"))
    with context.acting("cli"):
        services.create(SYSTEM, Tag, {"name": "made after the backup"})
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))

    assert str(refused.value) == (
        "This backup was made by a newer version of Townhall "
        "(unknown migrations: org.0099_from_the_future). Upgrade Townhall, then restore."
    )
    assert snapshot() == before


def test_a_file_that_is_not_a_backup_is_refused(records, tmp_path):
    before = snapshot()
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("just some text")
    other_zip = tmp_path / "photos.zip"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("photo.jpg", b"\xff\xd8")
    wrong_manifest = tmp_path / "wrong.zip"
    with zipfile.ZipFile(wrong_manifest, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "something-else"}))

    for path in (not_zip, other_zip, wrong_manifest):
        with pytest.raises(CommandError, match=r"is not a Townhall backup \(") as refused:
            call_command("restore", str(path))
        assert "\n" not in str(refused.value)
    with pytest.raises(CommandError, match=r"^There is no file "):
        call_command("restore", str(tmp_path / "missing.zip"))
    assert snapshot() == before


@pytest.mark.parametrize(
    "name", ["media/../../escaped.txt", "../escaped.txt", "ABSOLUTE", "media\\..\\..\\x"]
)
def test_a_backup_with_a_path_outside_its_folders_is_refused(records, tmp_path, name):
    if name == "ABSOLUTE":
        name = str(tmp_path / "escaped.txt")
    path = backup_to(tmp_path)
    rewrite(path, {name: b"written outside"})
    with zipfile.ZipFile(path) as zf:
        assert name in zf.namelist()
    before = snapshot()

    with pytest.raises(CommandError, match=r"refused: it holds a path outside its own folders"):
        call_command("restore", str(path))

    assert snapshot() == before
    assert not (tmp_path / "escaped.txt").exists()


def _dangling_department(data: list[dict[str, Any]]) -> None:
    row = json.loads(json.dumps(next(r for r in data if r["model"] == "org.department")))
    row["pk"] = 987654
    row["fields"].update(name="Ghosts", code="GHOST", parent=876543)
    data.append(row)


def _unknown_model(data: list[dict[str, Any]]) -> None:
    data.append({"model": "org.nosuchthing", "pk": 1, "fields": {}})


@pytest.mark.parametrize("damage", [_dangling_department, _unknown_model])
def test_a_failed_load_leaves_records_and_files_as_they_were(records, tmp_path, damage):
    media = Path(settings.MEDIA_ROOT)
    doc = records["doc"]
    path = backup_to(tmp_path)
    edit_json(path, "data.json", damage)
    with context.acting("cli"):
        services.update(SYSTEM, Document.objects.get(pk=doc.pk), {"title": "AUP v2"}, version=None)
    (media / doc.file.name).write_bytes(b"version 2")
    before = snapshot()

    with pytest.raises(CommandError, match=r"^The backup could not be loaded, so nothing was"):
        call_command("restore", str(path))

    assert snapshot() == before
    assert (media / doc.file.name).read_bytes() == b"version 2"
    assert not any(p.name.startswith(backup.STAGING_PREFIX) for p in media.iterdir())
    with context.acting("cli"):  # the write path still works: caches and sequences intact
        services.create(SYSTEM, Tag, {"name": "after a failed restore"})


def test_a_backup_does_not_write_into_the_media_folder(records):
    with pytest.raises(CommandError, match="outside the media folder"):
        call_command("backup", str(Path(settings.MEDIA_ROOT) / "inside.zip"))
