"""Workers beat; a job whose worker stopped runs again once or fails saying so; pages say
when no worker is running."""

import datetime
import os
import subprocess

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from townhall.jobs import runner
from townhall.jobs.models import Job, Worker

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RUNS: list[int] = []
FAILED: list[tuple[int, str]] = []


@runner.job("test_recoverable")
def _recoverable(ctx: runner.JobContext) -> str:
    RUNS.append(ctx.job.pk)
    return "Ran."


@runner.job("test_once_only", rerun=False, on_failed=lambda job, why: FAILED.append((job.pk, why)))
def _once_only(ctx: runner.JobContext) -> str:
    RUNS.append(ctx.job.pk)
    return "Ran."


@pytest.fixture(autouse=True)
def _clean():
    RUNS.clear()
    FAILED.clear()


def _gone_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen(["true"])  # noqa: S607 - a harmless command
    child.wait()
    return child.pid


def _worker(worker_id: str, *, host: str = "", pid: int = 0, beat_ago: float = 0) -> Worker:
    now = timezone.now()
    return Worker.objects.create(
        worker_id=worker_id,
        host=host or runner.socket.gethostname(),
        pid=pid or os.getpid(),
        started_at=now - datetime.timedelta(hours=1),
        beat_at=now - datetime.timedelta(seconds=beat_ago),
    )


def _running(kind: str, user, worker_id: str, attempts: int = 1) -> Job:
    return Job.objects.create(
        kind=kind,
        title="A job",
        created_by=user,
        status=Job.Status.RUNNING,
        worker=worker_id,
        attempts=attempts,
    )


@pytest.mark.django_db
def test_a_job_whose_worker_process_is_gone_runs_again_once(users):
    _worker("gone", pid=_gone_pid())
    job = _running("test_recoverable", users["staff"], "gone")
    assert runner.recover() == [job]
    job.refresh_from_db()
    # Queued again, and (jobs run in-process in tests) run at once to its end.
    assert RUNS == [job.pk] and job.status == Job.Status.DONE and job.attempts == 2
    assert not Worker.objects.filter(worker_id="gone").exists()


@pytest.mark.django_db
def test_a_second_stop_fails_the_job_with_a_plain_reason(users):
    _worker("gone", pid=_gone_pid())
    job = _running("test_recoverable", users["staff"], "gone", attempts=2)
    runner.recover()
    job.refresh_from_db()
    assert RUNS == [] and job.status == Job.Status.FAILED
    assert job.message == "The worker stopped while running this job; ask for it again."
    assert job.finished_at is not None


@pytest.mark.django_db
def test_work_that_must_not_happen_twice_fails_and_says_so(users):
    _worker("gone", pid=_gone_pid())
    job = _running("test_once_only", users["staff"], "gone")
    runner.recover()
    job.refresh_from_db()
    assert RUNS == [] and job.status == Job.Status.FAILED
    assert FAILED == [(job.pk, runner.WORKER_STOPPED)]


@pytest.mark.django_db
def test_a_live_worker_keeps_its_job_even_when_it_missed_beats(users):
    """On its own machine a worker is alive while its process is: one waiting for a long
    write lock cannot beat, and its job must not be run twice."""
    _worker("busy", beat_ago=600)  # this very process
    job = _running("test_recoverable", users["staff"], "busy")
    assert runner.recover() == []
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and RUNS == []


@pytest.mark.django_db
def test_a_worker_elsewhere_is_judged_by_its_heartbeat(users):
    _worker("there", host="another-host", beat_ago=10)
    _worker("silent", host="another-host", beat_ago=runner.STALE_SECONDS + 5)
    alive = _running("test_recoverable", users["staff"], "there")
    stopped = _running("test_recoverable", users["staff"], "silent")
    assert runner.recover() == [stopped]
    alive.refresh_from_db()
    assert alive.status == Job.Status.RUNNING
    assert [w.worker_id for w in runner.live_workers()] == ["there"]


@pytest.mark.django_db
def test_a_task_claimed_by_a_stopped_worker_is_released(users, settings):
    """A worker may stop after claiming a task and before its job started: the queue's row
    is marked failed and the job runs again."""
    settings.TASKS = QUEUE
    job = runner.submit(users["staff"], "test_recoverable", "Claimed", {})
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, worker_ids=["gone"])
    _worker("gone", pid=_gone_pid())
    assert runner.recover() == [job]
    results = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert results == [TaskResultStatus.FAILED, TaskResultStatus.READY]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.message == runner.WORKER_STOPPED_AGAIN


@pytest.mark.django_db
def test_a_waiting_job_that_no_worker_claimed_is_left_alone(users, settings):
    settings.TASKS = QUEUE
    job = runner.submit(users["staff"], "test_recoverable", "Waiting", {})
    assert runner.recover() == []
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and DBTaskResult.objects.get().status == "READY"


@pytest.mark.django_db
def test_the_heartbeat_writes_the_workers_row(users):
    started = timezone.now()
    runner.beat("w1", started)
    first = Worker.objects.get(worker_id="w1")
    assert first.pid == os.getpid() and first.host == runner.socket.gethostname()
    runner.beat("w1", started)
    assert Worker.objects.get(worker_id="w1").beat_at >= first.beat_at
    runner.signed_off("w1")
    assert not Worker.objects.exists()


# --- what pages say ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_job_page_says_when_no_worker_is_running(client_for, users, settings):
    settings.TASKS = QUEUE
    job = runner.submit(users["viewer"], "test_recoverable", "Waiting job", {})
    client = client_for("viewer")
    notice = "No background worker is running: this job will start when one does."
    page = client.get(job.get_absolute_url()).content.decode()
    assert notice in page and "<code>townhall worker</code>" in page
    poll = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert notice in poll  # the polled part says it too, and stops saying it
    assert "No background worker is running" in client.get("/jobs/").content.decode()
    _worker("here")  # a worker on this machine, alive
    assert notice not in client.get(job.get_absolute_url()).content.decode()
    assert "No background worker" not in client.get("/jobs/").content.decode()


@pytest.mark.django_db
def test_no_notice_when_jobs_run_in_process_or_are_finished(client_for, users, settings):
    job = runner.submit(users["viewer"], "test_recoverable", "Done job", {})
    assert (
        "No background worker"
        not in client_for("viewer").get(job.get_absolute_url()).content.decode()
    )
    settings.TASKS = QUEUE
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (
        "No background worker"
        not in client_for("viewer").get(job.get_absolute_url()).content.decode()
    )
    assert "No background worker" not in client_for("viewer").get("/jobs/").content.decode()


# --- the worker loop ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_worker_loop_outlives_database_errors(monkeypatch, settings, users):
    """Claiming meets a locked database, then a dropped connection: the worker logs,
    waits and carries on to run the job (it used to exit at the first)."""
    from django.db import OperationalError

    from townhall.jobs import worker as worker_module

    settings.TASKS = QUEUE
    job = runner.submit(users["staff"], "test_recoverable", "Queued", {})
    real_claim = worker_module.Worker._claim
    errors = [OperationalError("database is locked"), OperationalError("disk I/O error")]

    def claim(self):
        if errors:
            raise errors.pop(0)
        return real_claim(self)

    monkeypatch.setattr(worker_module.Worker, "_claim", claim)
    monkeypatch.setattr(worker_module.Worker, "_rest", lambda self, attempt: None)
    monkeypatch.setattr(worker_module.Worker, "_beating", lambda self: None)
    worker_module.Worker(interval=0, batch=True).run()
    job.refresh_from_db()
    assert errors == [] and job.status == Job.Status.DONE and RUNS == [job.pk]
    assert not Worker.objects.exists()  # signed off when it stopped


@pytest.mark.django_db
def test_a_result_that_cannot_be_marked_does_not_stop_the_worker_or_run_twice(
    monkeypatch, settings, users
):
    from django.db import OperationalError

    from townhall.jobs import worker as worker_module

    settings.TASKS = QUEUE
    first = runner.submit(users["staff"], "test_recoverable", "First", {})
    second = runner.submit(users["staff"], "test_recoverable", "Second", {"n": 2})

    def refuse(self, *args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(DBTaskResult, "set_successful", refuse)
    monkeypatch.setattr(DBTaskResult, "set_failed", refuse)
    monkeypatch.setattr(worker_module.Worker, "_rest", lambda self, attempt: None)
    monkeypatch.setattr(worker_module.Worker, "_beating", lambda self: None)
    worker_module.Worker(interval=0, batch=True).run()
    assert RUNS == [first.pk, second.pk]  # each ran once, and the second after the first
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db
def test_an_import_whose_worker_stopped_twice_says_so_on_its_page(users, client_for):
    from django.core.files.base import ContentFile

    from townhall.imports.models import ImportRun

    _worker("gone", pid=_gone_pid())
    job = _running("import", users["staff"], "gone", attempts=2)
    run = ImportRun(kind="service", filename="s.csv", created_by=users["staff"], rows=5000)
    run.file.save("s.csv", ContentFile(b"Name\nA\n"), save=False)
    run.status, run.job = ImportRun.Status.IMPORTING, job
    run.save()
    runner.recover()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and run.message == runner.WORKER_STOPPED
    assert runner.WORKER_STOPPED in client_for("staff").get(f"/import/{run.pk}/").content.decode()
