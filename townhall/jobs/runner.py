"""The one job runner. Every background job is a function registered with `@job(kind)`:

    @runner.job("export")
    def export(ctx: runner.JobContext) -> str:
        ctx.start(total)               # the progress bar's length
        ...
        ctx.progress(done, "Writing rows.")
        ctx.save_file(name, handle)    # the file the job page offers
        return f"{total:,} rows exported."   # the job page's closing message

    job = runner.submit(user, "export", "Export of systems (CSV)", {"resource": ...})

`submit` records who asked and through which request, and does not queue a second job when
the same person already waits for the same one. The runner runs the function as that
person, retries it when the database was only momentarily unavailable, and always ends the
job as finished or failed with a reason in plain words: an error never escapes to the
worker, so one bad job cannot stop the jobs queued behind it.
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django_tasks import task

from townhall.core import context
from townhall.jobs.models import Job

logger = logging.getLogger(__name__)

UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING)
# How often a job, or a status write, is tried when the database was only busy.
ATTEMPTS = 4


class JobFailed(Exception):
    """A job that cannot do what was asked, for a reason the person can act on."""


@dataclass
class JobContext:
    """What a job function gets: its job row, the person who asked and progress reporting."""

    job: Job

    @property
    def user(self) -> Any:
        return self.job.created_by

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def start(self, total: int, message: str = "") -> None:
        _write(self.job, status=Job.Status.RUNNING, total=total, done=0, message=message)

    def progress(self, done: int, message: str = "") -> None:
        fields: dict[str, Any] = {"done": done}
        if message:
            fields["message"] = message
        _write(self.job, **fields)

    def save_file(self, name: str, content: bytes | IO[bytes]) -> None:
        body = ContentFile(content) if isinstance(content, bytes) else File(content)
        self.job.result_file.save(name, body, save=False)
        _write(self.job, result_file=self.job.result_file.name)


Handler = Callable[[JobContext], str]
_HANDLERS: dict[str, Handler] = {}


def job(kind: str) -> Callable[[Handler], Handler]:
    """Register `fn(ctx) -> message` as the job of `kind`."""

    def register(fn: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind] is not fn:
            raise ValueError(f"Two job functions for kind {kind!r}.")
        _HANDLERS[kind] = fn
        return fn

    return register


def key_for(user: Any, kind: str, params: dict[str, Any]) -> str:
    """The same request by the same person gives the same key, whatever the order of params."""
    text = json.dumps(
        [getattr(user, "pk", None), kind, params], sort_keys=True, cls=DjangoJSONEncoder
    )
    return hashlib.sha256(text.encode()).hexdigest()


def submit(user: Any, kind: str, title: str, params: dict[str, Any], *, dedupe: bool = True) -> Job:
    """Queue the job of `kind`, or return the same person's identical job still unfinished."""
    if kind not in _HANDLERS:
        raise LookupError(f"No job function is registered for kind {kind!r}.")
    params = {**params, "request_id": params.get("request_id") or context.current().request_id}
    key = key_for(user, kind, {k: v for k, v in params.items() if k != "request_id"})
    if dedupe:
        waiting = Job.objects.filter(key=key, status__in=UNFINISHED).order_by("-id").first()
        if waiting is not None:
            return waiting
    job_row = Job.objects.create(
        kind=kind,
        key=key,
        title=title[:200],
        created_by=user if getattr(user, "pk", None) else None,
        params=params,
    )
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


def transient(exc: BaseException) -> bool:
    """A database error that may pass if tried again (busy, locked, deadlock, dropped)."""
    if not isinstance(exc, DatabaseError):
        return False
    text = str(exc).lower()
    return any(
        words in text
        for words in (
            "database is locked",
            "database table is locked",
            "deadlock detected",
            "could not serialize",
            "server closed the connection",
            "connection already closed",
            "terminating connection",
        )
    )


def _retrying(action: Callable[[], Any], what: str) -> Any:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return action()
        except DatabaseError as exc:
            if not transient(exc) or attempt == ATTEMPTS:
                raise
            logger.warning("%s: the database was busy (%s); trying again", what, exc)
            close_old_connections()
            time.sleep(0.5 * 2**attempt)
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
    handler = _HANDLERS.get(job_row.kind)
    if handler is None:
        _end(job_row, f"Townhall does not know how to run a “{job_row.kind}” job.", failed=True)
        return
    _write(job_row, status=Job.Status.RUNNING, started_at=timezone.now())
    ctx = JobContext(job_row)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with context.acting("task", job_row.params.get("request_id")):
                message = handler(ctx)
        except (JobFailed, ValidationError, PermissionDenied) as exc:
            _end(job_row, f"Nothing was done: {plain_reason(exc)}", failed=True)
            return
        except Exception as exc:  # noqa: BLE001 - the job page says why; the worker goes on
            if transient(exc) and attempt < ATTEMPTS:
                logger.warning("job %s: the database was busy; trying again", job_id)
                close_old_connections()
                time.sleep(0.5 * 2**attempt)
                continue
            logger.exception("job %s (%s) failed", job_id, job_row.kind)
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
    try:
        _write(job_row, **fields)
    except Exception:
        logger.exception("job %s: its end could not be recorded", job_row.pk)


@task()
def run_job(job_id: int) -> None:
    execute(job_id)
