"""A department's questions in a real browser: the liaison follows the home page's notice,
answers one question by keyboard alone, and IT staff see the answer on the merchant's page
and record a security review, every page passing axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from townhall.shadowit.models import MerchantAnswer
from townhall.shadowit.tests.test_answers import _buy, _merchant

pytestmark = pytest.mark.browser


def test_a_liaison_answers_by_keyboard(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    pw, fin = departments["PW"], departments["FIN"]
    zoom = _merchant("zoom", [pw, fin])
    smartsheet = _merchant("smartsheet", [pw])
    _buy(zoom, pw, "15.99", datetime.date(2026, 3, 3))
    _buy(smartsheet, pw, "900.00", datetime.date(2026, 2, 10))
    page = new_page()
    sign_in(page, live_server, users["liaison"])
    page.goto(live_server.url + "/")
    expect(page.get_by_text("Your department has 2 questions to answer")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Answer them").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your department's questions")
    expect(page.locator("#question-count")).to_contain_text("2 of 2 not answered yet")
    axe_check(page)

    # Smartsheet first: more was spent there. Answer Zoom, the second, by keyboard.
    page.get_by_label("What is Zoom for?").focus()
    page.keyboard.type("Crew meetings and the public works committee's hearings")
    page.keyboard.press("Tab")  # into the radios: the first, "Yes"
    expect(page.locator(f"#resident-{zoom.pk}-yes")).to_be_focused()
    page.keyboard.press("ArrowDown")  # moves to "No" and chooses it
    expect(page.locator(f"#resident-{zoom.pk}-no")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save the answer about Zoom")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Public Works: the answer about Zoom is saved.")).to_be_visible()
    expect(page.locator("#question-count")).to_contain_text("1 of 2 not answered yet")
    axe_check(page)
    answer = MerchantAnswer.objects.get()
    assert (answer.owner_department, answer.resident_data) == (pw, "no")

    # A blank answer is refused beside the field, the page still accessible.
    page.get_by_label("What is Smartsheet for?").fill("")
    page.get_by_role("button", name="Save the answer about Smartsheet").click()
    expect(page.get_by_text("Say what the department uses it for.")).to_be_visible()
    axe_check(page)

    staff = new_page()
    sign_in(staff, live_server, users["staff"])
    staff.goto(live_server.url + zoom.get_absolute_url())
    expect(staff.get_by_role("cell", name="Crew meetings", exact=False)).to_be_visible()
    expect(staff.get_by_text("Security review: never recorded")).to_be_visible()
    axe_check(staff)
    staff.get_by_role("button", name="Record a security review today").click()
    today = timezone.localdate().isoformat()
    expect(staff.get_by_text(f"Security review: {today}")).to_be_visible()
    axe_check(staff)

    staff.goto(live_server.url + f"/shadow-it/my-department/?department={fin.pk}")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Questions for Finance")
    axe_check(staff)
