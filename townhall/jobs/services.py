"""Start background jobs that the platform's pages ask for. Jobs themselves are written
with `townhall.jobs.runner` (see its docstring)."""

from typing import Any

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
