"""The AI use case register in a real browser: a high-impact use added by keyboard is
refused until its risk practices are answered, each missing one named beside its field;
the list, the record and the form pass axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_high_impact_use_by_keyboard(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    from townhall.registers.models import AIUseCase

    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/registers/ai-use-cases/add/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)

    page.locator("#id_name").fill("License-plate readers")
    page.locator("#id_topic_area").select_option(label="Law & Justice")
    page.locator("#id_purpose").fill("Finds stolen vehicles.")
    page.locator("#id_outputs").fill("Alerts with a photo.")
    page.locator("#id_stage").select_option(label="Pilot")
    page.locator("#id_high_impact").select_option(label="High-impact")
    page.locator("#id_high_impact_reason").fill("Alerts can lead to a stop.")
    page.locator("#id_remedy").focus()
    page.keyboard.press("End")  # the last choice: waived
    page.locator("#id_remedy_notes").fill("Waived by the AI officer for the pilot.")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")

    errors = page.locator(".usa-error-message")
    expect(errors.filter(has_text="answers pre-deployment testing")).to_be_visible()
    expect(errors.filter(has_text="answers human oversight")).to_be_visible()
    expect(errors.filter(has_text="answers appeal or remedy")).to_have_count(0)
    axe_check(page)
    assert not AIUseCase.objects.exists()

    for practice in ("testing", "impact_assessment", "monitoring", "training", "oversight"):
        page.locator(f"#id_{practice}").select_option(label="In progress")
        page.locator(f"#id_{practice}_notes").fill("Under way for the pilot.")
    page.locator("#id_feedback").select_option(label="No")
    page.locator("#id_feedback_notes").fill("Meetings planned before deployment.")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("License-plate readers")
    use = AIUseCase.objects.get()
    assert (use.high_impact, use.remedy, use.testing) == ("yes", "waived", "in_progress")
    axe_check(page)

    page.goto(f"{url}/registers/ai-use-cases/")
    expect(page.get_by_role("link", name="License-plate readers")).to_be_visible()
    axe_check(page)
