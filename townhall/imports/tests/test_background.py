"""Files above TOWNHALL_IMPORT_INLINE_ROWS are checked and imported by a background job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townhall.estate import models as m
from townhall.imports import services
from townhall.imports.models import ImportRun
from townhall.jobs.models import Job

pytestmark = pytest.mark.django_db

ROWS = "Name,Department\n" + "".join(f"Service {n},PW\n" for n in range(250))


def test_threshold_comes_from_the_environment(monkeypatch, settings):
    monkeypatch.delattr(settings, "TOWNHALL_IMPORT_INLINE_ROWS", raising=False)
    monkeypatch.setenv("TOWNHALL_IMPORT_INLINE_ROWS", "7")
    assert services.inline_rows() == 7
    monkeypatch.delenv("TOWNHALL_IMPORT_INLINE_ROWS")
    assert services.inline_rows() == 2000


def test_large_file_goes_to_a_job(client_for, departments, settings):
    settings.TOWNHALL_IMPORT_INLINE_ROWS = 100
    client = client_for("staff")
    client.post("/import/", {"kind": "service", "file": SimpleUploadedFile("s.csv", ROWS.encode())})
    run = ImportRun.objects.get()
    client.post(f"/import/{run.pk}/columns/", {"col_0": "name", "col_1": "owner_department"})
    run.refresh_from_db()
    check = run.job
    assert check is not None and check.kind == "import"
    assert check.status == Job.Status.DONE  # the immediate backend ran it at once
    assert (check.done, check.total) == (250, 250)
    assert "250 created" in check.message
    assert run.status == "previewed" and run.counts["created"] == 250
    assert not m.Service.objects.exists()

    client.post(f"/import/{run.pk}/", {})
    run.refresh_from_db()
    assert run.status == "committed"
    assert run.job != check and run.job.status == Job.Status.DONE
    assert m.Service.objects.count() == 250


def test_page_shows_progress_while_busy(client_for, departments, settings):
    settings.TOWNHALL_IMPORT_INLINE_ROWS = 100
    client = client_for("staff")
    client.post("/import/", {"kind": "service", "file": SimpleUploadedFile("s.csv", ROWS.encode())})
    run = ImportRun.objects.get()
    job = Job.objects.create(kind="import", title="Check of s.csv", total=250, done=100)
    ImportRun.objects.filter(pk=run.pk).update(status="checking", job=job)
    page = client.get(f"/import/{run.pk}/").content.decode()
    assert f'hx-get="/import/{run.pk}/"' in page
    assert f'href="/jobs/{job.pk}/"' in page
    assert 'value="40"' in page  # the progress bar
    partial = client.get(f"/import/{run.pk}/", headers={"HX-Request": "true"})
    assert 'id="import-progress"' in partial.content.decode()
    ImportRun.objects.filter(pk=run.pk).update(status="previewed")
    done = client.get(f"/import/{run.pk}/", headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_a_failing_job_says_why(client_for, departments, settings, monkeypatch):
    from townhall.imports import engine

    settings.TOWNHALL_IMPORT_INLINE_ROWS = 100

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine, "run", boom)
    client = client_for("staff")
    client.post("/import/", {"kind": "service", "file": SimpleUploadedFile("s.csv", ROWS.encode())})
    run = ImportRun.objects.get()
    client.post(f"/import/{run.pk}/columns/", {"col_0": "name", "col_1": "owner_department"})
    run.refresh_from_db()
    assert run.status == "failed" and "disk on fire" in run.message
    assert run.job.status == Job.Status.FAILED
    assert "disk on fire" in client.get(f"/import/{run.pk}/").content.decode()


def test_a_failing_inline_check_says_why(client_for, departments, monkeypatch):
    from townhall.imports import engine

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine, "run", boom)
    client = client_for("staff")
    client.post("/import/", {"kind": "service", "file": SimpleUploadedFile("s.csv", b"Name\nA\n")})
    run = ImportRun.objects.get()
    response = client.post(f"/import/{run.pk}/columns/", {"col_0": "name"})
    assert response.status_code == 302
    page = client.get(f"/import/{run.pk}/").content.decode()
    assert "The import failed: disk on fire" in page


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_transaction_is_open(users):
    """On PostgreSQL the runner writes progress through a second connection while the
    import's transaction is open, so the job page moves during a long import."""
    from django.db import connection, connections, transaction

    from townhall.jobs import runner

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: progress shows when the import ends")
    job = Job.objects.create(kind="import", title="Check", total=10, created_by=users["staff"])
    ctx = runner.JobContext(job)
    other = connections.create_connection("default")
    try:
        with transaction.atomic():
            ctx.progress(5)
            with other.cursor() as cursor:
                cursor.execute("SELECT done FROM jobs_job WHERE id = %s", [job.pk])
                assert cursor.fetchone()[0] == 5
    finally:
        other.close()
        ctx.close()
