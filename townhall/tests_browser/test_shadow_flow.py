"""Shadow IT from start to end in a real browser, as IT staff: a card statement, a payables
file and an Entra ID sign-in export imported through the import pages, the merchants worked
out by the job the imports ask for, the queue worked down (one adopted into the estate, one
marked known, one dismissed with a reason, two dismissed together), then the front page and
the brief for leaders downloaded as a PDF. Every page visited passes axe-core."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from townhall.estate.models import System
from townhall.shadowit.models import Merchant, Purchase, SignInApp

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parents[1] / "shadowit" / "tests" / "fixtures"


def _import(page: Page, url: str, kind: str, name: str, axe_check) -> None:
    """One file through the importer: upload, the columns as guessed, check, import."""
    page.goto(f"{url}/import/")
    page.get_by_label("What the file holds").select_option(kind)
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": (FIXTURES / name).read_bytes()}
    )
    page.get_by_role("button", name="Upload and choose columns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which column holds what?")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check before importing")
    axe_check(page)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Imported")
    axe_check(page)


def _row(page: Page, merchant: Merchant):
    link = page.get_by_role("link", name=merchant.name, exact=True)
    return page.get_by_role("row").filter(has=link)


def test_from_the_files_to_the_brief(
    transactional_db, live_server, users, departments, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    _import(page, url, "purchase", "flow_card.csv", axe_check)
    _import(page, url, "payable", "flow_payables.csv", axe_check)
    _import(page, url, "sign_in", "flow_entra.csv", axe_check)
    assert Purchase.objects.filter(paid_by="card").count() == 9
    assert Purchase.objects.filter(paid_by="payables").count() == 2
    assert SignInApp.objects.count() == 4

    # The imports asked for the merchant job, which has run: every purchase has its merchant.
    assert not Purchase.objects.filter(merchant_key="").exists()
    m = {key: Merchant.objects.get(key=key) for key in ("zoom", "github", "govforms")}
    m |= {key: Merchant.objects.get(key=key) for key in ("canva", "dropbox")}
    assert m["zoom"].users == 2  # from the sign-in export

    page.goto(url + reverse("shadowit:queue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage queue")
    axe_check(page)

    # Adopt Zoom into the estate.
    zoom = _row(page, m["zoom"])
    zoom.locator("summary").click()
    zoom.get_by_role("button", name="Adopt into the estate").click()
    expect(page.get_by_text(f"{m['zoom'].name} adopted into the estate as")).to_be_visible()
    axe_check(page)
    m["zoom"].refresh_from_db()
    assert m["zoom"].status == "adopted"
    system = System.objects.get(pk=m["zoom"].system_id)
    assert system.discovered_outside_it
    assert system.owner_department == departments["FIN"]  # 149.90 against 44.97

    # Mark GitHub known.
    github = _row(page, m["github"])
    github.locator("summary").click()
    github.get_by_role("button", name="Mark as known").click()
    expect(page.get_by_text(f"{m['github'].name}: known and allowed.")).to_be_visible()

    # Dismiss the forms service with a reason.
    forms = _row(page, m["govforms"])
    forms.locator("summary").click()
    forms.get_by_label("Why dismiss it").fill("A trial, cancelled")
    forms.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text(f"{m['govforms'].name}: dismissed.")).to_be_visible()
    axe_check(page)

    # Two dismissed together, ticked and decided by keyboard.
    for key in ("canva", "dropbox"):
        page.get_by_label(f"Select {m[key].name}", exact=True).focus()
        page.keyboard.press("Space")
        expect(page.get_by_label(f"Select {m[key].name}", exact=True)).to_be_checked()
    page.get_by_label("Dismiss", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("Why dismiss them (needed to dismiss)").fill("Personal accounts, refunded")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 merchants dismissed")).to_be_visible()
    axe_check(page)
    decided = dict(Merchant.objects.filter(key__in=m).values_list("key", "status"))
    assert decided == {
        "zoom": "adopted",
        "github": "known",
        "govforms": "dismissed",
        "canva": "dismissed",
        "dropbox": "dismissed",
    }
    assert Merchant.objects.get(key="canva").dismiss_reason == "Personal accounts, refunded"

    # The front page, and the brief for leaders as a PDF made by a job.
    page.goto(url + reverse("shadowit:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Shadow IT")
    axe_check(page)
    page.get_by_role("link", name="Brief for leaders (PDF)").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("is ready")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
