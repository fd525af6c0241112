"""The real `townhall worker`, in its own process, against a database others write to.

These start real processes (a worker, a server, the command line), so they take some
seconds each; they are what shows that background work neither stalls nor stops."""

import csv
import datetime
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from townhall.accounts.services import token_for
from townhall.core import context
from townhall.jobs import runner
from townhall.jobs.models import Job, Worker
from townhall.jobs.tests.outside import Outside, wait_for
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


# --- the worker against web traffic and imports -----------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser(threading.Thread):
    """Someone signed in, doing `work` again and again for `seconds`; answers kept."""

    def __init__(self, base: str, headers: dict[str, str], work, seconds: float) -> None:
        super().__init__(daemon=True)
        self.base, self.headers, self.work, self.seconds = base, headers, work, seconds
        self.statuses: list[tuple[int, str]] = []

    def get(self, path: str, **headers: str) -> tuple[int, str, str]:
        return self.send("GET", path, None, headers)

    def send(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple:
        request = urllib.request.Request(
            self.base + path, data=body, method=method, headers={**self.headers, **headers}
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                answer = response.status, response.headers.get("Location", ""), response.read()
        except urllib.error.HTTPError as exc:
            answer = exc.code, exc.headers.get("Location", ""), exc.read()
        self.statuses.append((answer[0], f"{method} {path}"))
        return answer[0], answer[1], answer[2].decode("utf-8", "replace")

    def run(self) -> None:
        deadline = time.monotonic() + self.seconds
        while time.monotonic() < deadline:
            self.work(self)
            time.sleep(0.05)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


SERVICES = "Name,Department\n" + "".join(f"Imported service {n},PW\n" for n in range(400))


def _queue_import_job(client: Client, settings) -> Job:
    """An import of 400 services, checked now and queued to be committed in the background."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from townhall.imports.models import ImportRun

    settings.TOWNHALL_IMPORT_INLINE_ROWS = 100
    upload = SimpleUploadedFile("services.csv", SERVICES.encode())
    client.post("/import/", {"kind": "service", "file": upload})
    run = ImportRun.objects.get()
    client.post(f"/import/{run.pk}/columns/", {"col_0": "name", "col_1": "owner_department"})
    settings.TASKS = QUEUE
    client.post(f"/import/{run.pk}/", {})
    run.refresh_from_db()
    assert run.status == "importing" and run.job.status == Job.Status.QUEUED
    return run.job


def test_the_worker_against_web_traffic_and_imports(users, client_for, settings, outside_factory):
    """A real worker, a real server with people polling job pages, browsing and saving
    records through the API, exports asked for twice, a background import and a command-line
    import at the same time: no request fails, no job is stuck, no lock error anywhere."""
    from townhall.estate.models import Service

    _departments(1500)
    import_job = _queue_import_job(client_for("staff"), settings)
    waiting_export = _export(users["viewer"], "q=Office+00")
    sessions = {}
    for role in ("viewer", "staff", "liaison"):
        client_for(role)
        sessions[role] = Session.objects.order_by("-expire_date").first().pk
    token = token_for(users["staff"])
    department = Department.objects.get(code="X00001")
    outside = outside_factory()
    csv_file = outside.directory / "more-services.csv"
    csv_file.write_text("Name,Department\n" + "".join(f"CLI service {n},FIN\n" for n in range(300)))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = open(outside.directory / "server.log", "wb")  # noqa: SIM115 - closed below
    worker_log = open(outside.directory / "worker.log", "wb")  # noqa: SIM115
    try:
        outside.start(
            "serve", "--port", str(port), log=server_log, TOWNHALL_EXPORT_INLINE_LIMIT="100"
        )
        outside.start("worker", "--interval=0.2", log=worker_log)

        def up() -> bool:
            try:
                return urllib.request.urlopen(base + "/healthz", timeout=5).status == 200
            except OSError:
                return False

        wait_for(up, 90, "the server")

        def poller(role: str, job: Job):
            def work(b: Browser) -> None:
                b.get(f"/jobs/{job.pk}/", **{"HX-Request": "true"})
                b.get("/org/departments/?page=3")
                b.get("/estate/services/?q=Imported")

            cookie = {"Cookie": f"sessionid={sessions[role]}"}
            return Browser(base, cookie, work, seconds=12)

        def saver(b: Browser) -> None:
            status, _, body = b.get(f"/api/org/departments/{department.pk}/")
            if status == 200:
                version = re.search(r'"version":\s*(\d+)', body).group(1)
                payload = f'{{"version": {version}, "employees": {int(time.time()) % 500}}}'
                b.send("PATCH", f"/api/org/departments/{department.pk}/", payload.encode(), {})

        api = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        browsers = [
            poller("viewer", waiting_export),
            poller("staff", import_job),
            poller("liaison", import_job),
            Browser(base, api, saver, seconds=12),
        ]
        for browser in browsers:
            browser.start()
        # The same export asked for twice through the list page's link: one job.
        asker = Browser(base, {"Cookie": f"sessionid={sessions['staff']}"}, lambda b: None, 0)
        first = asker.get("/org/departments/?export=csv")
        again = asker.get("/org/departments/?export=csv")
        cli = outside.run("import", "service", str(csv_file), "--username", "staff1")
        for browser in browsers:
            browser.join()
        jobs = Job.objects.using(outside.alias)

        def all_finished() -> bool:
            return not jobs.filter(status__in=runner.UNFINISHED).exists()

        wait_for(all_finished, 45, "every job to end")
        exports = list(jobs.filter(kind="export", created_by__username="staff1"))
        ended = {job.title: (job.status, job.message) for job in jobs.all()}
        services = Service.objects.using(outside.alias)
        imported = services.filter(name__startswith="Imported").count()
        from_cli = services.filter(name__startswith="CLI").count()
    finally:
        outside.close()
        server_log.close()
        worker_log.close()
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert first[0] == again[0] == 302 and first[1] == again[1]
    assert len(exports) == 1 and first[1].endswith(f"/jobs/{exports[0].pk}/")
    assert all(status == Job.Status.DONE for status, _ in ended.values()), ended
    assert (imported, from_cli) == (400, 300)
    answers = [s for b in [*browsers, asker] for s in b.statuses]
    assert len(answers) > 20
    assert not [a for a in answers if a[0] >= 500], [a for a in answers if a[0] >= 500]
    assert sum(1 for a in answers if a[1].startswith("PATCH")) > 2
    for log in ("server.log", "worker.log"):
        text = (outside.directory / log).read_text()
        assert "database is locked" not in text and "Traceback" not in text, text[-3000:]


# --- nothing the database does stops the worker ---------------------------------------------


def _hold_write_lock(alias: str, seconds: float) -> None:
    """What a long import or restore did: keep every other writer waiting."""
    from django.db import transaction

    with transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            if connections[alias].vendor == "sqlite":
                cursor.execute("UPDATE django_session SET expire_date = expire_date")
            else:
                cursor.execute("LOCK TABLE django_tasks_database_dbtaskresult IN EXCLUSIVE MODE")
        time.sleep(seconds)


def _submit_outside(outside: Outside, title: str) -> int:
    code = (
        "from townhall.jobs import runner; from townhall.accounts.models import User; "
        "job = runner.submit(User.objects.get(username='staff1'), 'export', "
        f"'{title}', {{'resource': 'org.department', 'query': '', 'format': 'csv'}}); "
        "print(job.pk)"
    )
    result = outside.run("shell", "-c", code)
    assert result.returncode == 0, result.stdout + result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def test_the_worker_outlives_write_locks_imports_and_restore(users, outside_factory):
    """A long write (an import, a restore) made the worker's next look at the queue fail
    with "database is locked", and the worker exited. Now it waits and carries on: the same
    process takes a job after a lock held longer than its wait, command-line imports (dry
    run and real) and a restore."""
    Client().force_login(users["staff"])
    outside = outside_factory()
    csv_file = outside.directory / "departments.csv"
    csv_file.write_text("Name,Code\n" + "".join(f"Unit {n},U{n:03d}\n" for n in range(200)))
    backup = outside.directory / "backup.zip"
    made = outside.run("backup", str(backup))
    assert made.returncode == 0, made.stderr
    log = open(outside.directory / "worker.log", "wb")  # noqa: SIM115 - closed below
    try:
        # The worker waits at most one second for the lock, so a longer hold reaches it.
        worker = outside.start(
            "worker", "--no-supervise", "--interval=0.1", log=log, TOWNHALL_SQLITE_BUSY_SECONDS="1"
        )
        wait_for(lambda: Worker.objects.using(outside.alias).exists(), 60, "the worker")
        _hold_write_lock(outside.alias, 4)
        for args in (["--dry-run"], []):
            done = outside.run("import", "department", str(csv_file), *args)
            assert done.returncode == 0, done.stdout + done.stderr
        restored = outside.run("restore", str(backup))
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert worker.poll() is None, (outside.directory / "worker.log").read_text()
        job_id = _submit_outside(outside, "After the restore")
        jobs = Job.objects.using(outside.alias)
        wait_for(lambda: jobs.filter(pk=job_id, status=Job.Status.DONE).exists(), 60, "the job")
        assert worker.poll() is None
    finally:
        outside.close()
        log.close()
    text = (outside.directory / "worker.log").read_text()
    if connections["default"].vendor == "sqlite":
        assert "claiming the next job failed (database is locked)" in text  # it did meet it


# --- supervision and heartbeats -------------------------------------------------------------


def test_a_stopped_worker_is_started_again_and_its_job_run_again(users, settings, outside_factory):
    """`townhall worker` starts its worker again when it dies; the new worker finds the
    job the dead one was running, by its heartbeat, and runs it again."""
    settings.TASKS = QUEUE
    gone = subprocess.Popen(["true"])  # noqa: S607 - the pid of a process that has ended
    gone.wait()
    Worker.objects.create(
        worker_id="dead",
        host=socket.gethostname(),
        pid=gone.pid,
        started_at=timezone.now(),
        beat_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    orphan = _export(users["staff"])
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, worker_ids=["dead"])
    Job.objects.filter(pk=orphan.pk).update(status=Job.Status.RUNNING, worker="dead", attempts=1)
    outside = outside_factory()
    jobs, workers = Job.objects.using(outside.alias), Worker.objects.using(outside.alias)
    log = open(outside.directory / "worker.log", "wb")  # noqa: SIM115 - closed below
    try:
        supervisor = outside.start("worker", "--interval=0.2", log=log)
        wait_for(lambda: jobs.filter(pk=orphan.pk, status=Job.Status.DONE).exists(), 60, "rerun")
        first = wait_for(lambda: workers.exclude(worker_id="dead").first(), 30, "a heartbeat")
        assert not workers.filter(worker_id="dead").exists()
        os.kill(first.pid, signal.SIGKILL)
        wait_for(lambda: workers.exclude(pid=first.pid).exists(), 60, "a new worker")
        assert supervisor.poll() is None
        os.killpg(supervisor.pid, signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
        wait_for(lambda: not workers.exclude(pid=first.pid).exists(), 10, "the sign-off")
    finally:
        outside.close()
        log.close()
    text = (outside.directory / "worker.log").read_text()
    assert "its worker stopped; queued again" in text or "it is being run again" in text
    assert "The worker stopped (exit code -9); starting it again" in text
