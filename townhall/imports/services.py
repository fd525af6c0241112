"""The steps of an import the pages and tasks share: read the kept file, check, commit."""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, connections

from townhall.env import envint
from townhall.imports import engine, kinds, parsing
from townhall.imports.models import ImportRun
from townhall.jobs import services as jobs
from townhall.jobs.models import Job

logger = logging.getLogger(__name__)


def inline_rows() -> int:
    """Files with more rows than this are checked and imported in the background."""
    configured = getattr(settings, "TOWNHALL_IMPORT_INLINE_ROWS", None)
    if configured is not None:
        return int(configured)
    return envint("TOWNHALL_IMPORT_INLINE_ROWS", 2000)


def sheet(run: ImportRun) -> parsing.Sheet:
    """The kept file, read again (it is the source of truth between steps)."""
    with run.file.open("rb") as handle:
        data = handle.read()
    return parsing.read_file(data, run.filename)


def execute(run: ImportRun, *, commit: bool, progress: Callable[[int], None] | None = None) -> None:
    """Check (or commit) the run's file as the person who uploaded it; store the outcome."""
    kind = kinds.get(run.kind)
    try:
        outcome = engine.run(
            run.created_by,
            kind,
            sheet(run),
            run.mapping,
            commit=commit,
            valid_only=run.valid_only,
            source=f"Import of {run.filename}",
            progress=progress,
        )
    except Exception as exc:
        logger.exception("import run %s failed", run.pk)
        _save(run, status=ImportRun.Status.FAILED, message=f"The import failed: {exc}")
        raise
    if not commit:
        status = ImportRun.Status.PREVIEWED
    elif outcome.committed:
        status = ImportRun.Status.COMMITTED
    else:
        status = ImportRun.Status.NOT_COMMITTED
    _save(run, status=status, counts=outcome.counts(), report=outcome.report(), message="")


def _save(run: ImportRun, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=[*fields, "updated_at"])


def start(run: ImportRun, *, commit: bool) -> Job | None:
    """Check or commit now, or, for a large file, queue a background job and return it."""
    busy = ImportRun.Status.IMPORTING if commit else ImportRun.Status.CHECKING
    if run.rows <= inline_rows():
        _save(run, status=busy, job=None)
        try:
            execute(run, commit=commit)
        except Exception:  # noqa: BLE001 - logged, and the run's page says why it failed
            return None
        return None
    from townhall.imports.tasks import run_import

    verb = "Import" if commit else "Check"
    job = Job.objects.create(
        kind="import",
        title=f"{verb} of {run.filename} ({run.rows:,} rows)",
        created_by=run.created_by,
        params={"run": run.pk, "commit": commit},
    )
    _save(run, status=busy, job=job)
    run_import.enqueue(job.pk)
    return job


def reporter(job: Job) -> Callable[[int], None]:
    """Progress that a polling page can see although the import's transaction is still open.

    PostgreSQL gets it through a second connection; SQLite allows one writer at a time, so
    there the job shows its progress when the transaction ends."""
    if connection.vendor != "postgresql":
        return lambda done: None
    side = connections.create_connection("default")
    table = Job._meta.db_table

    def report(done: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET done = %s WHERE id = %s", [done, job.pk])  # noqa: S608

    report.close = side.close  # type: ignore[attr-defined]
    return report


def run_job(job: Job) -> None:
    """The background half of `start`: the task calls this."""
    run = ImportRun.objects.select_related("created_by").get(pk=job.params["run"])
    commit = bool(job.params.get("commit"))
    jobs.start(job, run.rows)
    report = reporter(job)
    try:
        execute(run, commit=commit, progress=report)
    finally:
        getattr(report, "close", lambda: None)()
    jobs.progress(job, run.rows)
    run.refresh_from_db()
    counts = ", ".join(f"{v:,} {k}" for k, v in run.counts.items())
    jobs.finish(job, f"{run.get_status_display()}: {counts}.")
