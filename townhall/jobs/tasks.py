"""The export job: a list page's filtered rows as CSV or Excel, prepared in the background."""

import io
import tempfile

from django.http import QueryDict
from django.utils import timezone

from townhall.core import exports, registry
from townhall.jobs import runner

EXPORT = "export"


@runner.job(EXPORT)
def export(ctx: runner.JobContext) -> str:
    from townhall.core.views import filtered_rows

    params = ctx.params
    resource = next((r for r in registry.all_resources() if r.key == params["resource"]), None)
    if resource is None:
        raise runner.JobFailed("this kind of record no longer exists.")
    # The list page's rows for the person who asked, from the query their page had.
    qs, _, _ = filtered_rows(resource, ctx.user, QueryDict(params.get("query", "")))
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
