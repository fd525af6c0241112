"""The export job: a list page's filtered rows as CSV or Excel, prepared in the background."""

import io
import tempfile

from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from townhall.core import exports, registry
from townhall.jobs import runner

EXPORT = "export"


@runner.job(EXPORT)
def export(ctx: runner.JobContext) -> str:
    from townhall.core.views import ListPage

    params = ctx.params
    resource = next((r for r in registry.all_resources() if r.key == params["resource"]), None)
    if resource is None:
        raise runner.JobFailed("this kind of record no longer exists.")
    # Rebuild the list page's filtered queryset as the person who asked, so the export
    # holds exactly what they saw and may see.
    request = RequestFactory().get("/", QueryDict(params.get("query", "")))
    request.user = ctx.user
    view = ListPage(resource=resource)
    view.request = request
    view.kwargs = {}
    qs, _, _ = view.filtered()
    table = resource.table()
    total = qs.count()
    ctx.start(total)
    header = [c.label for c in table.columns]
    body = exports.rows(exports.chunked(qs), table.columns, progress=ctx.progress)
    kind = params["format"]
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    name = f"{resource.url_prefix}-{stamp}.{kind}"
    with tempfile.TemporaryFile() as handle:
        if kind == "csv":
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
            exports.write_csv(text, header, body)
            text.flush()
            text.detach()
        else:
            exports.write_xlsx(handle, resource.verbose_name_plural, header, body)
        handle.seek(0)
        ctx.save_file(name, handle)
    ctx.progress(total)
    return f"{total:,} rows exported."
