"""Every background job in Townhall runs on the one runner (jobs/runner.py)."""

from pathlib import Path

from townhall.jobs import runner

SOURCE = Path(__file__).resolve().parents[2]


def test_every_kind_of_job_is_registered_when_townhall_starts():
    """The worker runs jobs by kind: each app's ready() imports its tasks, so a worker
    process knows every kind a page may queue."""
    assert {
        "export",
        "import",
        "scenario_solve",
        "scenario_frontier",
        "board_packet",
        "continuity_export",
        "continuity_campaign",
        "catalog_import",
    } <= set(runner._KINDS)


def test_no_job_bypasses_the_runner():
    """Only the runner declares a django-tasks task; a module writes `@runner.job(kind)`."""
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "runner.py"
        and ("from django_tasks import task" in path.read_text() or "@task(" in path.read_text())
    ]
    assert offenders == []
