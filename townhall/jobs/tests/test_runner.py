"""The one job runner: jobs end finished or failed with a reason, and never twice at once."""

import pytest
from django.db import OperationalError

from townhall.jobs import runner
from townhall.jobs.models import Job

CALLS: list[str] = []


@runner.job("test_ok")
def _ok(ctx: runner.JobContext) -> str:
    ctx.start(3)
    ctx.progress(2, "Two done.")
    CALLS.append("ok")
    return "All three done."


@runner.job("test_broken")
def _broken(ctx: runner.JobContext) -> str:
    raise KeyError("resource")


@runner.job("test_refused")
def _refused(ctx: runner.JobContext) -> str:
    raise runner.JobFailed("the scenario has no budget years.")


@runner.job("test_busy_once")
def _busy_once(ctx: runner.JobContext) -> str:
    CALLS.append("busy")
    if CALLS.count("busy") == 1:
        raise OperationalError("database is locked")
    return "Done on the second try."


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch):
    monkeypatch.setattr(runner.time, "sleep", lambda seconds: None)
    CALLS.clear()


@pytest.mark.django_db
def test_a_job_runs_as_its_person_and_finishes_with_its_message(users):
    job = runner.submit(users["staff"], "test_ok", "A test job", {"n": 1})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.message == "All three done."
    assert job.percent == 100 and job.created_by == users["staff"]
    assert job.params["request_id"]


@pytest.mark.django_db
def test_an_error_fails_the_job_with_a_reason_and_does_not_escape(users):
    job = runner.submit(users["staff"], "test_broken", "Broken", {})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert job.message == "It failed: 'resource'"


@pytest.mark.django_db
def test_a_refusal_says_nothing_was_done(users):
    job = runner.submit(users["staff"], "test_refused", "Refused", {})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Nothing was done: the scenario has no budget years."


@pytest.mark.django_db
def test_a_busy_database_is_tried_again(users):
    job = runner.submit(users["staff"], "test_busy_once", "Busy", {})
    job.refresh_from_db()
    assert CALLS == ["busy", "busy"]
    assert job.status == Job.Status.DONE and job.message == "Done on the second try."


@pytest.mark.django_db
def test_the_same_request_while_waiting_returns_the_same_job(users, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first = runner.submit(users["staff"], "test_ok", "Once", {"a": 1, "b": 2})
    again = runner.submit(users["staff"], "test_ok", "Once", {"b": 2, "a": 1})
    other_person = runner.submit(users["admin"], "test_ok", "Once", {"a": 1, "b": 2})
    assert again.pk == first.pk and other_person.pk != first.pk
    assert Job.objects.count() == 2


@pytest.mark.django_db
def test_a_job_of_unknown_kind_fails_rather_than_waiting_forever(users):
    job = Job.objects.create(kind="vanished", title="Old job", created_by=users["staff"])
    runner.execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "vanished" in job.message


def test_transient_errors_are_told_apart():
    assert runner.transient(OperationalError("database is locked"))
    assert not runner.transient(OperationalError("no such table: x"))
    assert not runner.transient(ValueError("database is locked"))
