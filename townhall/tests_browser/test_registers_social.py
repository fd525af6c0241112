"""Social media at risk in a real browser: Parks' Instagram, run by one person through her
own Gmail, under "If one person left"; followed by keyboard to the account's page, whose
flags say the same; all passing axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def accounts(departments):
    from django.utils import timezone

    from townhall.people.tests import factories as pf
    from townhall.registers.tests import factories as f

    ann = pf.person("Ann Lee", departments["PW"], email="ann@juniper-county.example")
    bo = pf.person("Bo Diaz", departments["FIN"], email="bo@juniper-county.example")
    recent = timezone.localdate() - datetime.timedelta(days=20)
    f.social(
        "@JuniperParks",
        departments["PW"],
        platform="instagram",
        administrators=[ann],
        multi_factor=True,
        recovery_email="juniperparks@gmail.com",
        recovery_person=ann,
        last_reviewed_on=recent,
    )
    f.social(
        "@JuniperSheriff",
        departments["FIN"],
        platform="x",
        administrators=[ann, bo],
        multi_factor=False,
        recovery_email="sheriff@juniper-county.example",
        last_reviewed_on=recent,
    )


def test_social_media_at_risk_by_keyboard(
    transactional_db, live_server, users, accounts, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["manager"])
    page.goto(f"{url}/registers/social-media/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Social media at risk")
    counts = page.locator("#social-counts")
    expect(counts.get_by_role("row", name="No multi-factor sign-in")).to_contain_text("1")
    leaving = page.locator("#social-leaving")
    expect(leaving).to_contain_text("Ann Lee: 1 account")
    expect(leaving).to_contain_text(
        "@JuniperParks on Instagram (Public Works): the only administrator, "
        "the recovery contacts are theirs"
    )
    expect(page.locator("#social-accounts")).to_contain_text("@JuniperSheriff on X")
    axe_check(page)

    leaving.get_by_role("link", name="@JuniperParks on Instagram").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("@JuniperParks on Instagram")
    expect(page.locator("#social-flags-list")).to_contain_text("One administrator or none")
    expect(page.locator("#social-flags-list")).to_contain_text("Personal recovery contacts")
    expect(page.locator("#social-leaving")).to_contain_text("Ann Lee")
    axe_check(page)

    page.get_by_role("link", name="All social media accounts at risk").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Social media at risk")
