"""The steps of an import the pages and tasks share: read the kept file, check, commit."""

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings

from townhall.core import services
from townhall.env import envint
from townhall.imports import engine, kinds, parsing, snapshot
from townhall.imports.models import ImportRun, SavedMapping
from townhall.jobs import runner
from townhall.jobs.models import Job

logger = logging.getLogger(__name__)


def inline_rows() -> int:
    """Files with more rows than this are checked and imported in the background."""
    configured = getattr(settings, "TOWNHALL_IMPORT_INLINE_ROWS", None)
    if configured is not None:
        return int(configured)
    return envint("TOWNHALL_IMPORT_INLINE_ROWS", 2000)


def limits() -> parsing.Limits:
    """How much of a file is read (TOWNHALL_IMPORT_MAX_ROWS; the other caps as parsing has
    them)."""
    return parsing.Limits(rows=settings.TOWNHALL_IMPORT_MAX_ROWS)


def read(data: bytes, filename: str) -> parsing.Sheet:
    """`parsing.read_file` within the configured limits: every door reads files this way."""
    return parsing.read_file(data, filename, limits())


def save_mapping(
    user: Any, kind: str, name: str, columns: dict[str, str], values: dict[str, Any]
) -> SavedMapping:
    """Keep a column mapping under a name for next month's file, or replace the one of that
    name: through the write path, so the history says who saved or replaced it."""
    data = {"columns": columns, "values": values, "created_by": user if user.pk else None}
    kept = SavedMapping.objects.filter(kind=kind, name=name).first()
    if kept is None:
        return services.create(user, SavedMapping, {"kind": kind, "name": name, **data})
    return services.update(user, kept, data, version=None)


def sheet(run: ImportRun) -> parsing.Sheet:
    """The kept file, read again (it is the source of truth between steps)."""
    with run.file.open("rb") as handle:
        data = handle.read()
    return read(data, run.filename)


def execute(
    run: ImportRun,
    *,
    commit: bool,
    progress: Callable[[int], None] | None = None,
    isolated: bool = False,
) -> None:
    """Check (or commit) the run's file as the person who uploaded it; store the outcome.

    An `isolated` check runs on a snapshot of a SQLite database (`snapshot`), so it holds
    no lock others wait on: the background checks of large files do. An isolated commit
    of a file whose check found rejected rows, without "only the valid rows", is checked
    again on a snapshot first: when rows are still rejected nothing would be kept, and
    the real database is never locked for it."""
    kind = kinds.get(run.kind)
    try:
        outcome = None
        if commit and isolated and not run.valid_only and run.counts.get("rejected"):
            with snapshot.isolated() as used:
                if used:
                    outcome = _run(run, kind, commit=False, progress=progress)
            if outcome is not None and not outcome.rejected:
                outcome = None  # the rows are good now: import them for real
        if outcome is None:
            around = snapshot.isolated() if isolated and not commit else contextlib.nullcontext()
            with around:
                outcome = _run(run, kind, commit=commit, progress=progress)
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
    _save(
        run,
        status=status,
        counts=outcome.counts(),
        report=outcome.report(),
        message=outcome.notes(),
    )


def _run(
    run: ImportRun, kind: kinds.Kind, *, commit: bool, progress: Callable[[int], None] | None
) -> engine.Outcome:
    return engine.run(
        run.created_by,
        kind,
        sheet(run),
        run.mapping,
        commit=commit,
        valid_only=run.valid_only,
        source=f"Import of {run.filename}",
        progress=progress,
        value_map=run.value_map,
    )


def _save(run: ImportRun, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=[*fields, "updated_at"])


def unknown_values(run: ImportRun) -> list[tuple[str, str, str, int]]:
    """(field, column, value, rows) of each value the check found none of its field's
    choices, once each, in the order the file first holds them."""
    found: dict[tuple[str, str], list] = {}
    for problem in run.report:
        name = problem.get("choice_of")
        if name:
            entry = found.setdefault((name, problem["value"]), [problem["column"], 0])
            entry[1] += 1
    return [(name, column, value, count) for (name, value), (column, count) in found.items()]


def map_values(run: ImportRun, chosen: dict[str, dict[str, str]], *, keep: bool) -> None:
    """Read these values of the file as these choices from now on (and in the run's saved
    mapping too when `keep`), then check the file again."""
    merged = {name: dict(words) for name, words in run.value_map.items()}
    for name, words in chosen.items():
        merged.setdefault(name, {}).update(words)
    run.value_map = merged
    run.save(update_fields=["value_map", "updated_at"])
    saved = run.saved_mapping
    if keep and saved is not None:
        values = {name: dict(words) for name, words in saved.values.items()}
        for name, words in chosen.items():
            values.setdefault(name, {}).update(words)
        saved.values = values
        saved.save(update_fields=["values", "updated_at"])


IMPORT_JOB = "import"


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
    verb = "Import" if commit else "Check"
    _save(run, status=busy, job=None)
    job = runner.submit(
        run.created_by,
        IMPORT_JOB,
        f"{verb} of {run.filename} ({run.rows:,} rows)",
        {"run": run.pk, "commit": commit},
        dedupe=False,
    )
    # Only the link: the job may have ended already (in-process) and saved the outcome.
    ImportRun.objects.filter(pk=run.pk).update(job=job)
    run.job = job
    return job


def run_job(ctx: runner.JobContext) -> str:
    """The background half of `start`: check or commit the run's file, with progress."""
    run = ImportRun.objects.select_related("created_by").filter(pk=ctx.params["run"]).first()
    if run is None:
        raise runner.JobFailed("the uploaded file is no longer here; upload it again.")
    ctx.start(run.rows)
    execute(run, commit=bool(ctx.params.get("commit")), progress=ctx.progress, isolated=True)
    run.refresh_from_db()
    counts = ", ".join(f"{v:,} {k}" for k, v in run.counts.items())
    return f"{run.get_status_display()}: {counts}."


def job_failed(job: Job, message: str) -> None:
    """The run waiting on a job that failed (or whose worker stopped) says so too."""
    ImportRun.objects.filter(
        job=job, status__in=(ImportRun.Status.CHECKING, ImportRun.Status.IMPORTING)
    ).update(status=ImportRun.Status.FAILED, message=message)
