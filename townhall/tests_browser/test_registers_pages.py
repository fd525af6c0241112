"""Every register's list and record pages in a real browser, on one record of each made as
the demo makes them: the list shows the record and its "Add" button is reached by keyboard;
the record opens by keyboard from the list, shows its links to related records and its
"Edit" button is reached by keyboard; both pass axe-core. One browser context for all."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from townhall.tests_browser.conftest import TIMEOUT_MS, _watch, csp_violations

pytestmark = pytest.mark.browser

# (list address, the record's kind as its buttons say it, the record's link in the list and
#  its page's heading, links its record page must show)
REGISTERS = [
    ("social-media-accounts", "social media account", "@JuniperParks", ["Public Works"]),
    ("ai-use-cases", "AI use case", "311 resident chatbot", ["Public Works"]),
    ("datasets", "dataset", "Road closures", ["Public Works"]),
    ("pilots", "pilot", "Bridge inspection drones", ["Surveillance review: Bridge"]),
    ("surveillance-reviews", "surveillance review", "Bridge inspection drones", ["Public Works"]),
    ("readiness-assessments", "readiness assessment", "Drones for Public Works", ["Answer the"]),
    ("continuum-self-assessments", "continuum self-assessment", "", ["Governance: level 2"]),
    ("talkgroups", "talkgroup", "County Mutual Aid", ["County P25 system", "Alder County"]),
    ("partner-agencies", "partner agency", "Alder County Sheriff's Office", ["Alder County"]),
    (
        "interoperability-links",
        "interoperability link",
        "Alder County Sheriff's Office",
        ["County Mutual Aid"],
    ),
]


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    """One tab in one browser context for the whole module, watched for script errors,
    CSP violations and assets that fail to load, as every browser test's pages are."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = _watch(page)
    yield page
    found = problems.unexpected() + csp_violations(page)
    context.close()
    assert not found, "Problems in the browser:\n" + "\n".join(found)


@pytest.fixture
def one_of_each(departments: Any) -> dict[str, int]:
    """One record in each register, through the write path, owned by Public Works; the
    record's number by its register's address."""
    from django.utils import timezone

    from townhall.core import context, services
    from townhall.registers import models as m
    from townhall.registers.tests import factories as f
    from townhall.registers.tests import radio_factories as rf
    from townhall.registers.tests.test_data_records import dataset

    pw = departments["PW"]
    today = timezone.localdate()
    made = {
        "social-media-accounts": f.social("@JuniperParks", pw, platform="instagram"),
        "datasets": dataset(departments, 1, title="Road closures"),
    }
    with context.acting("system"):

        def create(model: Any, **values: Any) -> Any:
            return services.create(context.SYSTEM, model, {"owner_department": pw, **values})

        made["ai-use-cases"] = create(
            m.AIUseCase,
            name="311 resident chatbot",
            topic_area="government_services",
            purpose="Answers residents' questions at any hour.",
            outputs="Text answers.",
            stage="pilot",
            high_impact="no",
        )
        made["pilots"] = create(
            m.Pilot,
            title="Bridge inspection drones",
            technology="drone",
            idea_on=today - datetime.timedelta(days=30),
        )
        made["surveillance-reviews"] = create(
            m.SurveillanceReview,
            pilot=made["pilots"],
            collected="Aerial video",
            retention="30 days",
            access="Inspectors",
            decision="pending",
        )
        made["readiness-assessments"] = create(
            m.ReadinessAssessment, title="Drones for Public Works", technology="drone"
        )
        made["continuum-self-assessments"] = rf.assessment(
            today - datetime.timedelta(days=30), governance=2, technology=4
        )
        made["talkgroups"] = rf.talkgroup("County Mutual Aid", rf.radio("County P25 system"))
        made["partner-agencies"] = rf.partner("Alder County Sheriff's Office")
        made["interoperability-links"] = rf.link(
            made["partner-agencies"], made["talkgroups"], "shared_system", today
        )
    return {path: record.pk for path, record in made.items()}


def _skip_to_main(page: Page) -> None:
    """On a page just loaded, the first Tab reaches the skip link; Enter follows it."""
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")


def _tab_to(page: Page, target: Locator, limit: int = 40) -> None:
    """Press Tab until the target has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    pytest.fail(f"{target} is not reached by Tab within {limit} presses on {page.url}")


@pytest.mark.parametrize(
    ("path", "kind", "name", "links"), REGISTERS, ids=[r[0] for r in REGISTERS]
)
def test_register_list_and_record_by_keyboard(
    transactional_db,
    live_server,
    users,
    one_of_each,
    tab,
    sign_in,
    axe_check,
    path,
    kind,
    name,
    links,
):
    page = tab
    sign_in(page, live_server, users["staff"])
    page.goto(f"{live_server.url}/registers/{path}/")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_be_visible()
    expect(main.locator("#results-count")).to_have_text(f"1 {kind}")
    _skip_to_main(page)
    _tab_to(page, main.get_by_role("link", name=f"Add {kind}", exact=True))
    axe_check(page)

    # The record's link names it in words (a surveillance review was its number).
    record = main.locator("table tbody tr").first.get_by_role("link").first
    if name:
        expect(record).to_have_text(name)
    record.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/registers/{path}/{one_of_each[path]}/")
    expect(main.get_by_role("heading", level=1)).to_contain_text(name)
    for link in links:
        expect(main.get_by_role("link", name=link).first).to_be_visible()
    _skip_to_main(page)
    _tab_to(page, main.get_by_role("link", name="Edit", exact=True))
    axe_check(page)
