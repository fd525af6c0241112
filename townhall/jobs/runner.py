"""The one job runner. Every background job is a function registered with `@job(kind)`:

    @runner.job("export")
    def export(ctx: runner.JobContext) -> str:
        ctx.start(total)               # the progress bar's length
        ...
        ctx.progress(done, "Writing rows.")
        ctx.save_file(name, handle)    # the file the job page offers
        ctx.link(url, "Open the scenario")   # or the page that shows what it did
        return f"{total:,} rows exported."   # the job page's closing message

    job = runner.submit(user, "export", "Export of systems (CSV)", {"resource": ...})

`submit` records who asked and through which request, and does not queue a second job when
the same person already waits for the same one. The runner runs the function as that
person, retries it when the database was only momentarily unavailable, and always ends the
job as finished or failed with a reason in plain words: an error never escapes to the
worker, so one bad job cannot stop the jobs queued behind it.

A job whose worker stopped while running it (killed, out of memory, the machine rebooted)
is found by `recover`, which the worker calls when it starts and every half minute: the
job runs again once when its kind allows it (`@job(kind, rerun=False)` for work that must
not happen twice, such as sending e-mails), else it fails saying so.

Progress is written as it comes, and is never a reason for a job to fail: a report that
cannot be written at once (the database is busy) is skipped and the next one carries on.
On SQLite, do not keep a query open across `progress` calls (a write on a connection that
holds an unfinished read fails at once when someone else wrote meanwhile); read in chunks
that each end, as `core.exports.chunked` does.
"""

import hashlib
import json
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import (
    DatabaseError,
    close_old_connections,
    connection,
    connections,
    models,
    transaction,
)
from django.utils import timezone
from django_tasks import task

from townhall.core import context
from townhall.core.busy import transient
from townhall.jobs.models import Job, Worker

logger = logging.getLogger(__name__)

UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING)
# How often a job, or a status write, is tried when the database was only busy.
ATTEMPTS = 4
# A worker writes its heartbeat this often, and is taken for stopped when it has not for
# this long (on its own machine, a worker whose process is gone is stopped at once).
BEAT_SECONDS = 5
STALE_SECONDS = 60
# A job is started at most this many times when its worker stops under it.
MAX_STARTS = 2
WORKER_STOPPED = "The worker stopped while running this job; ask for it again."
WORKER_STOPPED_AGAIN = "The worker stopped while running this job; it is being run again."
NO_WORKER = (
    "No background worker is running: this job will start when one does. "
    "An administrator starts it with `townhall worker`."
)

# The id of the worker process running jobs here ("" when jobs run in the web process).
current_worker = ""

__all__ = [
    "JobContext",
    "JobFailed",
    "job",
    "recover",
    "submit",
    "unfinished",
    "worker_running",
]


def _concrete(name: str) -> models.Field:
    """A column of the jobs table (every name given is a concrete field of `Job`)."""
    field = Job._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101 - narrows the type
    return field


class JobFailed(Exception):
    """A job that cannot do what was asked, for a reason the person can act on."""


@dataclass
class JobContext:
    """What a job function gets: its job row, the person who asked and progress reporting."""

    job: Job
    _side: Any = field(default=None, repr=False)

    @property
    def user(self) -> Any:
        return self.job.created_by

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def start(self, total: int, message: str = "") -> None:
        self._set(status=Job.Status.RUNNING, total=total, done=0, message=message)

    def progress(self, done: int, message: str = "") -> None:
        """Record progress so a page polling the job sees it; never fails the job."""
        fields: dict[str, Any] = {"done": done}
        if message:
            fields["message"] = message
        for name, value in fields.items():
            setattr(self.job, name, value)
        try:
            self._update(fields)
        except DatabaseError as exc:
            logger.info("job %s: progress not recorded now (%s)", self.job.pk, exc)

    def save_file(self, name: str, content: bytes | IO[bytes]) -> None:
        body = ContentFile(content) if isinstance(content, bytes) else File(content)
        self.job.result_file.save(name, body, save=False)
        self._set(result_file=self.job.result_file.name)

    def link(self, url: str, label: str) -> None:
        """The page that shows what the job did, offered when it is finished."""
        self._set(result_url=url[:300], result_label=label[:200])

    def _set(self, **fields: Any) -> None:
        _retrying(lambda: self._update(fields), f"job {self.job.pk}")
        for name, value in fields.items():
            setattr(self.job, name, value)

    def _update(self, fields: dict[str, Any]) -> None:
        if connection.in_atomic_block and connection.vendor == "postgresql":
            # Inside the job's own transaction a write would stay invisible until the end:
            # PostgreSQL takes it through a second connection. (On SQLite the transaction
            # holds the only write lock, so the progress shows when it ends.)
            try:
                if self._side_update(fields):
                    return
            except DatabaseError as exc:  # the row is locked by the transaction itself
                logger.debug("job %s: written in its transaction (%s)", self.job.pk, exc)
            # Not written there (the job row itself is not committed yet, as when the
            # job runs in-process inside a transaction): written in the transaction.
        Job.objects.filter(pk=self.job.pk).update(**fields)

    def _side_update(self, fields: dict[str, Any]) -> bool:
        if self._side is None:
            self._side = connections.create_connection("default")
            with self._side.cursor() as cursor:
                # Never wait on a row the job's own transaction has locked.
                cursor.execute("SET lock_timeout = '1s'")
        names = [_concrete(name).column for name in fields]
        assignments = ", ".join(f"{name} = %s" for name in names)
        values = [_concrete(n).get_db_prep_save(v, self._side) for n, v in fields.items()]
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET {assignments} WHERE id = %s",  # noqa: S608
                [*values, self.job.pk],
            )
            return cursor.rowcount == 1

    @property
    def input_name(self) -> str:
        """The name the sent file had on the person's computer."""
        return self.job.params.get("input_name", "")

    def read_input(self) -> bytes:
        """The file sent with the request."""
        if not self.job.input_file:
            raise JobFailed("the file sent with the request is no longer here.")
        with self.job.input_file.open("rb") as handle:
            return handle.read()

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


Handler = Callable[[JobContext], str]


@dataclass(frozen=True)
class Kind:
    fn: Handler
    # May the job run again when its worker stopped under it?
    rerun: bool = True
    # Told when the job ends failed, by an error or because its worker stopped, so the
    # record that waits on it (an import run) can say so too.
    on_failed: Callable[[Job, str], None] | None = None


_KINDS: dict[str, Kind] = {}


def job(
    kind: str, *, rerun: bool = True, on_failed: Callable[[Job, str], None] | None = None
) -> Callable[[Handler], Handler]:
    """Register `fn(ctx) -> message` as the job of `kind`."""

    def register(fn: Handler) -> Handler:
        if kind in _KINDS and _KINDS[kind].fn is not fn:
            raise ValueError(f"Two job functions for kind {kind!r}.")
        _KINDS[kind] = Kind(fn, rerun, on_failed)
        return fn

    return register


def key_for(user: Any, kind: str, params: dict[str, Any]) -> str:
    """The same request by the same person gives the same key, whatever the order of params."""
    text = json.dumps(
        [getattr(user, "pk", None), kind, params], sort_keys=True, cls=DjangoJSONEncoder
    )
    return hashlib.sha256(text.encode()).hexdigest()


def submit(
    user: Any,
    kind: str,
    title: str,
    params: dict[str, Any],
    *,
    dedupe: bool = True,
    upload: Any = None,
) -> Job:
    """Queue the job of `kind`, or return the same person's identical job still unfinished.

    `upload`: a file sent with the request (an `UploadedFile`), kept for the worker to read
    with `ctx.read_input()`. A job with a file is never merged with another request."""
    if kind not in _KINDS:
        raise LookupError(f"No job function is registered for kind {kind!r}.")
    params = {**params, "request_id": params.get("request_id") or context.current().request_id}
    if upload is not None:
        params["input_name"] = getattr(upload, "name", "") or "upload"
        dedupe = False
    key = key_for(user, kind, {k: v for k, v in params.items() if k != "request_id"})
    if dedupe:
        waiting = Job.objects.filter(key=key, status__in=UNFINISHED).order_by("-id").first()
        if waiting is not None:
            return waiting
    job_row = Job(
        kind=kind,
        key=key,
        title=title[:200],
        created_by=user if getattr(user, "pk", None) else None,
        params=params,
    )
    if upload is not None:
        upload.seek(0)
        job_row.input_file.save(params["input_name"][-100:], File(upload), save=False)
    job_row.save()
    # The database backend queues in the same transaction as the row, so a worker never
    # sees a job that was not saved.
    run_job.enqueue(job_row.pk)
    return job_row


def unfinished(kind: str, **params: Any) -> Job | None:
    """The newest job of `kind` waiting or under way whose params include `params`."""
    jobs = Job.objects.filter(kind=kind, status__in=UNFINISHED).select_related("created_by")
    for name, value in params.items():
        jobs = jobs.filter(**{f"params__{name}": value})
    return jobs.order_by("-id").first()


def _pause(attempt: int) -> None:
    # Only outside a transaction may a broken connection be dropped for a fresh one.
    if not connection.in_atomic_block:
        close_old_connections()
    time.sleep(0.5 * 2**attempt)


def _retrying(action: Callable[[], Any], what: str) -> Any:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return action()
        except DatabaseError as exc:
            if not transient(exc) or attempt == ATTEMPTS:
                raise
            logger.warning("%s: the database was busy (%s); trying again", what, exc)
            _pause(attempt)
    return None


def _write(job_row: Job, **fields: Any) -> None:
    """Written straight to the row, so a page polling it sees it at once."""
    _retrying(lambda: Job.objects.filter(pk=job_row.pk).update(**fields), f"job {job_row.pk}")
    for name, value in fields.items():
        setattr(job_row, name, value)


def plain_reason(exc: BaseException) -> str:
    """The error in words a person can read, without a traceback."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if transient(exc):
        return "the database stayed busy; ask for it again in a few minutes"
    text = str(exc).strip()
    return text or type(exc).__name__


def execute(job_id: int) -> None:
    """Run one job to its end. Never raises: the job row says how it ended."""
    try:
        job_row = _retrying(
            lambda: Job.objects.select_related("created_by").get(pk=job_id), f"job {job_id}"
        )
    except Job.DoesNotExist:
        logger.warning("job %s no longer exists; nothing to run", job_id)
        return
    except Exception:
        logger.exception("job %s could not be read", job_id)
        return
    if job_row.finished:
        return
    kind = _KINDS.get(job_row.kind)
    if kind is None:
        _end(job_row, f"Townhall does not know how to run a “{job_row.kind}” job.", failed=True)
        return
    try:
        _write(
            job_row,
            status=Job.Status.RUNNING,
            started_at=timezone.now(),
            worker=current_worker,
            attempts=job_row.attempts + 1,
        )
    except Exception:
        logger.exception("job %s could not be started", job_id)
        _end(job_row, "It could not start: the database stayed busy; ask again.", failed=True)
        return
    ctx = JobContext(job_row)
    try:
        _run(ctx, kind)
    finally:
        ctx.close()


def _run(ctx: JobContext, kind: Kind) -> None:
    job_row = ctx.job
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with context.acting("task", job_row.params.get("request_id")):
                message = kind.fn(ctx)
        except (JobFailed, ValidationError, PermissionDenied) as exc:
            _end(job_row, f"Nothing was done: {plain_reason(exc)}", failed=True)
            return
        except Exception as exc:  # noqa: BLE001 - the job page says why; the worker goes on
            if transient(exc) and attempt < ATTEMPTS:
                logger.warning("job %s: the database was busy; trying again", job_row.pk)
                _pause(attempt)
                continue
            logger.exception("job %s (%s) failed", job_row.pk, job_row.kind)
            _end(job_row, f"It failed: {plain_reason(exc)}", failed=True)
            return
        _end(job_row, message or "Finished.", failed=False)
        return


def _end(job_row: Job, message: str, *, failed: bool) -> None:
    fields: dict[str, Any] = {
        "status": Job.Status.FAILED if failed else Job.Status.DONE,
        "finished_at": timezone.now(),
        "message": message,
    }
    if not failed:
        fields["done"] = max(job_row.done, job_row.total)
    sent = job_row.input_file.name if job_row.input_file else ""
    if sent:
        fields["input_file"] = ""
    try:
        _write(job_row, **fields)
    except Exception:
        logger.exception("job %s: its end could not be recorded", job_row.pk)
    else:
        if sent:  # the file sent with the request is not kept once the job has ended
            try:
                job_row.input_file.storage.delete(sent)
            except OSError:
                logger.warning("job %s: could not remove %s", job_row.pk, sent)
    if failed:
        _tell_failed(job_row, message)


def _tell_failed(job_row: Job, message: str) -> None:
    kind = _KINDS.get(job_row.kind)
    if kind is None or kind.on_failed is None:
        return
    try:
        kind.on_failed(job_row, message)
    except Exception:
        logger.exception("job %s: what waits on it could not be told it failed", job_row.pk)


@task()
def run_job(job_id: int) -> None:
    execute(job_id)


# --- workers and their heartbeats ----------------------------------------------------------


def needs_worker() -> bool:
    """Whether jobs wait for `townhall worker` (not when they run in the web process)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND") or ""
    return backend.startswith("django_tasks_db.")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def _alive(worker: Worker, now: Any) -> bool:
    if worker.host == socket.gethostname():
        # On this machine the process itself says: a worker waiting for a long write
        # lock may miss beats, and one that was killed is gone at once.
        return _process_alive(worker.pid)
    return worker.beat_at >= now - timedelta(seconds=STALE_SECONDS)


def live_workers() -> list[Worker]:
    now = timezone.now()
    return [w for w in Worker.objects.order_by("started_at") if _alive(w, now)]


def worker_running() -> bool:
    """Whether some worker is running now (always true when jobs need none)."""
    if not needs_worker():
        return True
    try:
        return bool(live_workers())
    except DatabaseError:
        return True  # cannot tell: say nothing rather than something wrong


def beat(worker_id: str, started_at: Any) -> None:
    """The worker's heartbeat: its row, written every few seconds."""
    now = timezone.now()
    updated = Worker.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        Worker.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": started_at,
                "beat_at": now,
            },
        )


def signed_off(worker_id: str) -> None:
    """A worker that stops cleanly removes its row, so pages stop counting on it."""
    Worker.objects.filter(worker_id=worker_id).delete()


def recover() -> list[Job]:
    """Jobs whose worker stopped under them: queued again once when their kind allows it,
    else failed with a reason. Returns the jobs it changed."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    workers = list(Worker.objects.all())
    alive = {w.worker_id for w in workers if _alive(w, now)}
    alive.add(current_worker)
    dead_workers = [w.pk for w in workers if w.worker_id not in alive]

    # The queue's own rows claimed by a stopped worker, and the jobs they were running.
    orphans: set[int] = set()
    claimed = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for result in claimed.only("id", "worker_ids", "task_path", "args_kwargs"):
        if result.worker_ids and _stopped(result.worker_ids[-1], alive):
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="townhall.jobs.runner.WorkerStopped",
                traceback="The worker stopped while running this task.",
            )
            args = (result.args_kwargs or {}).get("args") or []
            if result.task_path.endswith("runner.run_job") and args:
                orphans.add(int(args[0]))
    changed: list[Job] = []
    stranded = (
        Job.objects.filter(status__in=UNFINISHED).exclude(worker="").exclude(worker__in=alive)
    )
    candidates = Job.objects.filter(status__in=UNFINISHED).filter(
        pk__in=[*orphans, *stranded.values_list("pk", flat=True)]
    )
    for job_row in candidates.select_related("created_by"):
        if job_row.worker and not _stopped(job_row.worker, alive):
            continue  # claimed meanwhile by a live worker
        if _rescue(job_row):
            changed.append(job_row)
    if dead_workers:
        Worker.objects.filter(pk__in=dead_workers).delete()
    return changed


def _stopped(worker_id: str, alive: set[str]) -> bool:
    """Asked again just before acting: a worker may have started since `alive` was read."""
    if worker_id in alive:
        return False
    now = timezone.now()
    return not any(_alive(w, now) for w in Worker.objects.filter(worker_id=worker_id))


def _rescue(job_row: Job) -> bool:
    kind = _KINDS.get(job_row.kind)
    again = kind is not None and kind.rerun and job_row.attempts < MAX_STARTS
    same = Job.objects.filter(pk=job_row.pk, status=job_row.status, worker=job_row.worker)
    with transaction.atomic():
        if again:
            if not same.update(status=Job.Status.QUEUED, worker="", message=WORKER_STOPPED_AGAIN):
                return False
            run_job.enqueue(job_row.pk)
            logger.warning("job %s: its worker stopped; queued again", job_row.pk)
            job_row.status, job_row.message = Job.Status.QUEUED, WORKER_STOPPED_AGAIN
            return True
        ended = same.update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=WORKER_STOPPED
        )
    if not ended:
        return False
    logger.warning("job %s: its worker stopped; marked failed", job_row.pk)
    job_row.status, job_row.message = Job.Status.FAILED, WORKER_STOPPED
    _tell_failed(job_row, WORKER_STOPPED)
    return True
