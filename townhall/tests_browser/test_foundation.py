"""The foundation pages in a real browser: axe-core on the front page, the support
suggestions and the expected service life pages; a suggestion chosen and accepted by
keyboard, and a figure followed to its list."""

import datetime

import pytest
from playwright.sync_api import expect

from townhall.core import context, services
from townhall.cyber.models import ProductRelease
from townhall.estate import models as m
from townhall.foundation.models import ServiceLife, SupportSuggestion

pytestmark = pytest.mark.browser


@pytest.fixture
def foundation(departments):
    def create(model, **values):
        return services.create(context.SYSTEM, model, values)

    pw = departments["PW"]
    create(ServiceLife, kind="server", years=5)
    release = create(ProductRelease, product="windows-server", cycle="2019")
    for n in range(3):
        box = create(m.Component, name=f"srv-{n}", owner_department=pw)
        create(
            SupportSuggestion,
            component=box,
            release=release,
            support_state="dated",
            end_of_support=datetime.date(2029, 1, 9),
        )
    create(m.System, name="Permits", owner_department=pw, support_state="no_end_date")


def test_front_page_suggestions_and_service_life(
    transactional_db, live_server, users, foundation, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/foundation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foundation health")
    axe_check(page)
    page.get_by_role("link", name="3 components with an unknown support status").click()
    expect(page).to_have_url(f"{url}/estate/components/?support_state=unknown")

    page.goto(f"{url}/foundation/support-suggestions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Support suggestions")
    axe_check(page)
    # By keyboard: choose the first suggestion and accept the chosen.
    page.get_by_label("Choose srv-0").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Accept the chosen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 suggestion accepted.")).to_be_visible()
    axe_check(page)
    assert m.Component.objects.get(name="srv-0").support_state == "dated"
    page.get_by_role("button", name="Reject for srv-1").click()
    expect(page.get_by_text("Rejected: srv-1")).to_be_visible()

    page.goto(f"{url}/foundation/expected-service-lives/")
    axe_check(page)
    page.get_by_role("link", name="Server").click()
    axe_check(page)


@pytest.fixture
def replacements(departments, users):
    """Two servers due this fiscal year and one next, a system on the first (its support
    ending this year), a unit cost, caps, a budget cycle and a schedule already worked out."""
    from townhall.foundation import schedule_run
    from townhall.foundation.models import CapitalCap, UnitCost
    from townhall.governance import presets
    from townhall.governance import services as gov

    def create(model, **values):
        return services.create(context.SYSTEM, model, values)

    today = datetime.date.today()
    pw = departments["PW"]
    create(UnitCost, kind="server", capital=10000, operating=200)
    for name, days in (("srv-a", 10), ("srv-b", 20), ("srv-c", 400)):
        create(
            m.Component,
            name=name,
            kind="server",
            owner_department=pw,
            end_of_support=today + datetime.timedelta(days=days),
        )
    app = create(
        m.System,
        name="Permit app",
        owner_department=pw,
        end_of_support=today + datetime.timedelta(days=30),
    )
    create(m.Dependency, from_system=app, to_component=m.Component.objects.get(name="srv-a"))
    first = today.year + 1 if today.month >= 7 else today.year
    for year in range(first, first + 5):
        create(CapitalCap, fiscal_year=year, amount=10000)
    criteria_set = gov.load_preset(context.SYSTEM, presets.ORANGE_COUNTY_STYLE)
    gov.open_cycle(
        context.SYSTEM,
        {"name": f"FY{first}", "first_year": first, "years": 3, "criteria_set": criteria_set},
    )
    schedule_run.run(users["staff"], today)


def test_forecast_to_proposal_and_schedule(
    transactional_db, live_server, users, replacements, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/foundation/forecast/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Replacement forecast")
    axe_check(page)
    # By keyboard: open a year's list, choose one server, propose it.
    page.get_by_text("The components and systems due in FY", exact=False).first.focus()
    page.keyboard.press("Enter")
    page.get_by_label("Choose srv-a").focus()
    page.keyboard.press("Space")
    page.get_by_label("Choose Permit app").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Propose the chosen items to the board").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose replacements to the board")
    axe_check(page)
    page.get_by_role("button", name="Create the proposal").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Renews 2 foundation items")).to_be_visible()
    panel = page.get_by_role("region", name="Renews 2 foundation items")
    expect(panel.get_by_role("link", name="Permit app")).to_be_visible()
    axe_check(page)

    page.goto(f"{url}/foundation/schedule/")
    expect(page.get_by_role("heading", name="The three plans")).to_be_visible()
    waits = page.get_by_role("region", name="Groups replaced after or with what they run on")
    expect(waits.get_by_role("rowheader", name="System Permit app", exact=False)).to_be_visible()
    axe_check(page)
    page.goto(f"{url}/foundation/unit-costs/")
    axe_check(page)
    page.goto(f"{url}/foundation/replacement-settings/")
    axe_check(page)
    page.goto(f"{url}/foundation/yearly-capital-caps/")
    axe_check(page)
