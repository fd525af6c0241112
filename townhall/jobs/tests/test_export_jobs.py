"""Large exports run in the background, with progress, for the person who asked only."""

import subprocess
import sys

import pytest
from django.test import Client

from townhall.core import context, services
from townhall.jobs.models import Job
from townhall.org.models import Department


def _many_departments(n: int) -> None:
    for i in range(n):
        services.create(
            context.SYSTEM, Department, {"name": f"Office {i:03d}", "code": f"O{i:03d}"}
        )


@pytest.mark.django_db
def test_large_export_becomes_a_job_with_a_download(client_for, users, settings):
    settings.EXPORT_INLINE_LIMIT = 5
    _many_departments(8)
    client = client_for("viewer")
    response = client.get("/org/departments/?export=csv&q=Office")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()  # the in-process backend ran it already
    assert job.status == Job.Status.DONE and job.total == 8 and job.percent == 100
    page = client.get(job.get_absolute_url())
    assert b"Download the file" in page.content
    body = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content).decode("utf-8-sig")
    assert body.count("Office") == 8 and "Public Works" not in body
    # Someone else cannot see or download it.
    other = client_for("staff")
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert Client().get(job.get_absolute_url()).status_code == 302


@pytest.mark.django_db
def test_progress_partial_for_polling(client_for, users):
    job = Job.objects.create(
        kind="export",
        title="Export",
        created_by=users["viewer"],
        total=10,
        done=4,
        status=Job.Status.RUNNING,
    )
    response = client_for("viewer").get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="job-progress"' in html
    assert 'value="40"' in html and "4 of 10" in html
    assert 'hx-trigger="every 1s"' in html


@pytest.mark.django_db(transaction=True)
def test_worker_runs_queued_jobs_from_the_database(users, settings, tmp_path):
    """With the database backend, a job waits until `townhall worker` picks it up."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EXPORT_INLINE_LIMIT = 1
    _many_departments(3)
    client = Client()
    client.force_login(users["staff"])
    client.get("/org/departments/?export=xlsx")
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    from django.core.management import call_command

    call_command("worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.result_file.name.endswith(".xlsx")


def test_worker_command_is_available():
    result = subprocess.run(
        [sys.executable, "-m", "townhall.cli", "worker", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "--batch" in result.stdout


@pytest.mark.django_db
def test_asking_twice_for_the_same_export_queues_one_job(client_for, users, settings):
    """The list page's export link, clicked twice while the export waits, leads to the
    same job; another person's identical request is their own job."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EXPORT_INLINE_LIMIT = 5
    _many_departments(8)
    staff = client_for("staff")
    first = staff.get("/org/departments/?export=csv&q=Office")
    again = staff.get("/org/departments/?export=csv&q=Office")
    other = client_for("viewer").get("/org/departments/?export=csv&q=Office")
    assert first["Location"] == again["Location"] != other["Location"]
    assert Job.objects.count() == 2
    assert staff.get("/org/departments/?export=xlsx&q=Office")["Location"] != first["Location"]


def test_no_request_is_faked_outside_tests():
    """A background job is given what it needs (the person, the list's query), never a
    request made up with Django's test tools."""
    import pathlib

    import townhall

    root = pathlib.Path(townhall.__file__).parent
    faked = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.parts[-2] != "tests_browser"
        and "RequestFactory" in path.read_text(encoding="utf-8")
    ]
    assert not faked, f"RequestFactory in production code: {faked}"
