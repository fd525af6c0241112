"""Large imports run here, in `townhall worker` (or at once when tasks run in-process)."""

import logging

from django_tasks import task

from townhall.jobs import services as jobs
from townhall.jobs.models import Job

logger = logging.getLogger(__name__)


@task()
def run_import(job_id: int) -> None:
    from townhall.imports import services

    job = Job.objects.get(pk=job_id)
    try:
        services.run_job(job)
    except Exception as exc:  # a failed job says why on its page rather than vanishing
        logger.exception("import job %s failed", job_id)
        jobs.finish(job, f"The import failed: {exc}", failed=True)
        raise
