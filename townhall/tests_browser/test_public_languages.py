"""The public site in a real browser, in English and in Spanish: the front page, a list and
a record pass axe-core in both languages, and the language is chosen by keyboard alone."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _tab_to(page: Page, name: str, tries: int = 25) -> None:
    """Press Tab until the link named `name` has the focus, as a keyboard user would."""
    for _ in range(tries):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_public_pages_in_both_languages_by_keyboard(
    transactional_db, live_server, departments, new_page, axe_check
):
    from townhall.public import kinds
    from townhall.public.tests import samples

    record = samples.make("ai_use_case")
    samples.publish("ai_use_case", list(kinds.get("ai_use_case").field_names))
    url = live_server.url
    page = new_page()
    addresses = [
        "/public/",
        "/public/ai-use-cases/",
        f"/public/ai-use-cases/{record.pk}/",
    ]
    for address in addresses:
        page.goto(url + address)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        axe_check(page)

    # Spanish, chosen by keyboard from the record's page, is kept for the next pages.
    _tab_to(page, "Español")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(url + addresses[-1])
    expect(page.get_by_role("link", name="Ir al contenido principal")).to_be_attached()
    expect(page.get_by_text("Para qué sirve y qué beneficios trae")).to_be_visible()
    for address in addresses:
        page.goto(url + address)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zqtitle plate readers")

    _tab_to(page, "English")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
