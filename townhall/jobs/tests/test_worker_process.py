"""The real `townhall worker`, in its own process, against a database others write to.

These start real processes (a worker, a server, the command line), so they take some
seconds each; they are what shows that background work neither stalls nor stops."""

import csv
import datetime
import subprocess
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from townhall.core import context
from townhall.jobs import runner
from townhall.jobs.models import Job
from townhall.jobs.tests.outside import Outside
from townhall.org.models import Department

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def outside_factory(tmp_path):
    made: list[Outside] = []

    def make() -> Outside:
        made.append(Outside(tmp_path))
        return made[-1]

    yield make
    for outside in made:
        outside.close()


def _departments(n: int) -> None:
    with context.writing():
        Department.objects.bulk_create(
            Department(name=f"Office {i:05d}", code=f"X{i:05d}") for i in range(n)
        )


def _export(user, query: str = "") -> Job:
    return runner.submit(
        user,
        "export",
        "Export of departments (CSV)",
        {"resource": "org.department", "query": query, "format": "csv"},
    )


def keep_writing(alias: str, key: str, until: subprocess.Popen, seconds: float) -> int:
    """Someone else writing all the time while `until` runs: a session saved again and
    again, as a page polling every second did when every request saved its session."""
    commits, deadline = 0, time.monotonic() + seconds
    while until.poll() is None and time.monotonic() < deadline:
        Session.objects.using(alias).filter(pk=key).update(
            expire_date=timezone.now() + datetime.timedelta(hours=8)
        )
        commits += 1
        time.sleep(0.005)
    return commits


def test_an_export_finishes_while_someone_else_keeps_writing(users, settings, outside_factory):
    """The failure seen on SQLite: the export read its rows through one open query and
    wrote its progress on the same connection; once anyone else had committed (a polling
    page saving its session), that write failed at once with "database is locked" and the
    worker stopped, leaving the job "running" for ever."""
    settings.TASKS = QUEUE
    _departments(3000)
    job = _export(users["staff"])
    Client().force_login(users["viewer"])
    key = Session.objects.get().pk
    outside = outside_factory()
    log = outside.directory / "worker.log"
    with open(log, "wb") as out:
        worker = outside.start("worker", "--batch", "--interval=0.2", log=out)
        commits = keep_writing(outside.alias, key, worker, seconds=120)
        worker.wait(timeout=30)
    text = log.read_text()
    assert commits > 10
    done = Job.objects.using(outside.alias).get(pk=job.pk)
    assert worker.returncode == 0, text
    assert done.status == Job.Status.DONE, done.message
    assert done.message == "3,002 rows exported."
    with open(Path(settings.MEDIA_ROOT) / done.result_file.name, encoding="utf-8-sig") as f:
        assert len(list(csv.reader(f))) == 3003  # the heading and every department
    assert "database is locked" not in text
