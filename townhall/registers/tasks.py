"""The registers' background jobs on the one job runner (townhall/jobs/runner.py)."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from townhall.jobs import runner
from townhall.org.models import Department
from townhall.registers import catalog_import

# --- Data inventory ---

DATA_IMPORT_JOB = "registers_data_import"


@runner.job(DATA_IMPORT_JOB)
def data_import_job(ctx: runner.JobContext) -> str:
    """Import the data.json sent with the request, all or nothing, as the person who sent
    it. Safe to run again after a stopped worker: it writes in one transaction."""
    ctx.start(1, "Checking the catalog against the Project Open Data rules.")
    department = None
    chosen = ctx.params.get("department")
    if chosen is not None:
        department = Department.objects.filter(pk=chosen).first()
        if department is None:
            raise runner.JobFailed("the department chosen on the form no longer exists.")
    try:
        rows = catalog_import.checked_rows(catalog_import.parse(ctx.read_input()))
        ctx.start(catalog_import.work(rows), "Writing the datasets.")
        result = catalog_import.import_rows(ctx.user, rows, department, ctx.progress)
    except ValidationError as exc:
        raise runner.JobFailed(catalog_import.summary(exc.messages)) from None
    ctx.link(reverse("registers:dataset_list"), "See the data inventory")
    return result.text()
