"""The workforce brief in a real browser: reached from the key-person risk page by
keyboard, asked for as a Word file with the keyboard, its job page offering the file, the
brief's page listing it to download, and the web-page version naming the records; all
passing axe-core."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from townhall.tests_browser.test_pages import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture
def county(departments):
    from django.utils import timezone

    from townhall.core import context, services
    from townhall.estate.models import System
    from townhall.people.models import Proficiency, Requisition, StaffRecord
    from townhall.people.tests import factories as f

    today = timezone.localdate()
    with context.acting("system"):
        cad = services.create(
            context.SYSTEM, System, {"name": "Computer-aided dispatch", "criticality": 1}
        )
    skill = f.skill("TECH-CAD", "Dispatch platform", "technology", systems=[cad])
    ann = f.person("Ann Lee")
    team = f.team("Cybersecurity", departments["PW"])
    vacant = f.position("Security Analyst", team, vacant_since=today - datetime.timedelta(days=190))
    with context.acting("system"):
        services.create(context.SYSTEM, Proficiency, {"person": ann, "skill": skill, "level": 4})
        services.create(
            context.SYSTEM,
            StaffRecord,
            {"person": ann, "retirement_eligible_on": today + datetime.timedelta(days=700)},
        )
        services.create(
            context.SYSTEM,
            Requisition,
            {
                "title": "Security Analyst hire",
                "position": vacant,
                "team": team,
                "stage": "posted",
                "opened_on": today - datetime.timedelta(days=150),
            },
        )


def test_the_workforce_brief_by_keyboard(
    transactional_db, live_server, users, county, new_page, sign_in, axe_check
):
    from townhall.jobs.models import Job

    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["manager"])
    page.goto(f"{url}/people/key-person-risk/")
    page.get_by_role("link", name="Workforce brief").last.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Workforce brief")
    expect(page.locator("#people-brief-form")).to_contain_text(
        "Your brief will include who becomes eligible to retire"
    )
    axe_check(page)

    button = tab_to(page, "Make the Word file", limit=80)
    assert button["tag"] == "button"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    job = Job.objects.get(kind="people_brief")
    assert job.status == Job.Status.DONE, job.message
    expect(page.get_by_role("status")).to_contain_text("is ready")
    axe_check(page)

    page.goto(f"{url}/people/brief/")
    jobs = page.locator("#people-brief-jobs")
    expect(jobs).to_contain_text("Workforce brief (DOCX)")
    with page.expect_download() as download:
        jobs.get_by_role("link", name=re.compile("^download")).click()
    assert download.value.suggested_filename.endswith(".docx")

    page.get_by_role("link", name="Read it as a web page").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Workforce brief")
    expect(page.get_by_role("heading", name="Vacancies and time to fill")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Ann Lee, who alone can run Computer-aided dispatch, becomes eligible to retire"
    )
    axe_check(page)
    page.get_by_role("link", name="Security Analyst (Cybersecurity)").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Security Analyst")


def test_a_viewer_is_told_who_asks(
    transactional_db, live_server, users, county, new_page, sign_in, axe_check
):
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{live_server.url}/people/brief/")
    expect(page.locator("#people-brief-who")).to_contain_text("ask one of them for a copy")
    expect(page.get_by_role("button", name="Make the PDF")).to_have_count(0)
    axe_check(page)
