"""Start background jobs and report their progress."""

from typing import Any

from django.utils import timezone

from townhall.core import registry
from townhall.jobs.models import Job


def start_export(user: Any, resource: registry.Resource, query: str, kind: str) -> Job:
    """Queue an export of the rows a list page's filters select (once: asking again for the
    same export while it is prepared leads to the same job)."""
    from townhall.jobs import runner, tasks

    return runner.submit(
        user,
        tasks.EXPORT,
        f"Export of {resource.verbose_name_plural} ({kind.upper()})",
        {"resource": resource.key, "query": query, "format": kind},
    )


def start(job: Job, total: int) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), total=total, done=0
    )


def progress(job: Job, done: int, message: str = "") -> None:
    """Record progress; written straight to the row so a page polling it sees it at once."""
    fields: dict[str, Any] = {"done": done}
    if message:
        fields["message"] = message
    Job.objects.filter(pk=job.pk).update(**fields)


def finish(job: Job, message: str = "", failed: bool = False) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED if failed else Job.Status.DONE,
        finished_at=timezone.now(),
        message=message,
    )
