"""Task functions run by `townhall worker` (or at once, when tasks run in-process)."""

import logging

from django.core.files.base import File
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone
from django_tasks import task

from townhall.core import exports, registry
from townhall.jobs import services
from townhall.jobs.models import Job

logger = logging.getLogger(__name__)


@task()
def run_export(job_id: int) -> None:
    job = Job.objects.select_related("created_by").get(pk=job_id)
    try:
        _export(job)
    except Exception as exc:  # a failed job says why on its page rather than vanishing
        logger.exception("export job %s failed", job_id)
        services.finish(job, f"The export failed: {exc}", failed=True)
        raise


def _export(job: Job) -> None:
    import tempfile

    from townhall.core.views import ListPage

    resource = registry.all_resources()
    resource = next(r for r in resource if r.key == job.params["resource"])
    # Rebuild the list page's filtered queryset as the person who asked, so the export
    # holds exactly what they saw and may see.
    request = RequestFactory().get("/", QueryDict(job.params.get("query", "")))
    request.user = job.created_by
    view = ListPage(resource=resource)
    view.request = request
    view.kwargs = {}
    qs, _, _ = view.filtered()
    table = resource.table()
    total = qs.count()
    services.start(job, total)
    header = [c.label for c in table.columns]
    body = exports.rows(
        qs.iterator(chunk_size=2000), table.columns, progress=lambda n: services.progress(job, n)
    )
    kind = job.params["format"]
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    name = f"{resource.url_prefix}-{stamp}.{kind}"
    with tempfile.TemporaryFile() as handle:
        if kind == "csv":
            import io

            text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
            exports.write_csv(text, header, body)
            text.flush()
            text.detach()
        else:
            exports.write_xlsx(handle, resource.verbose_name_plural, header, body)
        handle.seek(0)
        job.result_file.save(name, File(handle), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name, done=total)
    services.finish(job, f"{total:,} rows exported.")
