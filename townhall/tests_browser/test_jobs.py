"""Background jobs in a real browser: a waiting job's page says plainly that no worker is
running, a finished job offers its file and its result page by keyboard; axe-core on each."""

import re

import pytest
from playwright.sync_api import expect

from townhall.governance import packet
from townhall.jobs import runner
from townhall.jobs.models import Job
from townhall.tests_browser.test_pages import tab_to

pytestmark = pytest.mark.browser
NOTICE = "No background worker is running: this job will start when one does."


def test_a_waiting_job_without_a_worker_says_so(
    transactional_db, live_server, users, new_page, sign_in, axe_check, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = runner.submit(
        users["staff"],
        "export",
        "Export of departments (CSV)",
        {"resource": "org.department", "query": "", "format": "csv"},
    )
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    expect(page.get_by_text(NOTICE)).to_be_visible()
    expect(page.get_by_text("townhall worker", exact=True)).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/jobs/")
    expect(page.get_by_text("No background worker is running")).to_be_visible()
    axe_check(page)


def test_a_finished_job_offers_its_file_and_its_page_by_keyboard(
    transactional_db, live_server, users, new_page, sign_in, axe_check
):
    from townhall.core import context
    from townhall.governance import presets
    from townhall.governance import services as gov

    criteria_set = gov.load_preset(context.SYSTEM, presets.ORANGE_COUNTY_STYLE)
    cycle = gov.open_cycle(
        context.SYSTEM,
        {"name": "FY2030", "first_year": 2030, "years": 2, "criteria_set": criteria_set},
    )
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{live_server.url}/governance/budget-cycles/{cycle.pk}/packet.pdf")
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    job = Job.objects.get(kind=packet.PACKET_JOB)
    assert job.status == Job.Status.DONE, job.message
    expect(page.get_by_role("heading", level=1)).to_have_text("Board packet for FY2030 (PDF)")
    expect(page.get_by_role("status")).to_contain_text("FY2030-board-packet.pdf is ready.")
    axe_check(page)
    link = tab_to(page, "Download the file", limit=40)
    assert link["tag"] == "a"
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "FY2030-board-packet.pdf"
