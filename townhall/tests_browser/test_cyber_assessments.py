"""Cyber assessments in a real browser: a subcategory scored by keyboard in the workspace
(level, notes and the responsible person, saved without reloading the page), and every
assessment page checked by axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from townhall.cyber import models as m
from townhall.cyber import services as cyber
from townhall.cyber.tests import assessment_factories as af
from townhall.cyber.tests import factories as f
from townhall.tests_browser.test_pages import focused, tab_to

pytestmark = pytest.mark.browser


def tab_to_id(page, element_id: str, limit: int) -> None:
    """Press Tab until the element with this id has the focus (names read with their hidden
    words on separate lines, so the id is the sure way)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        el = focused(page) or {}
        if el.get("id") == element_id:
            return
        seen.append(el.get("id"))
    pytest.fail(f"#{element_id} was not reached by Tab; focus went through {seen}")


@pytest.fixture
def scene(transactional_db, users):
    """Last year's complete assessment of the small tree and this year's, in progress, with
    two answers and a piece of evidence about to expire."""
    fw, reqs = af.tree()
    staff = users["staff"]
    last = cyber.start_assessment(staff, fw, 2025, "2025 self-assessment")
    af.score_all(
        staff,
        last,
        {"GV.OC-01": 2, "GV.OC-02": 3, "GV.RR-01": 2, "ID.AM-01": 4, "ID.AM-02": 3, "ID.AM-03": 1},
        reqs,
    )
    cyber.complete(staff, last)
    now = cyber.start_assessment(
        staff, fw, 2026, "2026 self-assessment", previous=last, copy_from_previous=False
    )
    af.score_all(staff, now, {"GV.OC-02": 4, "ID.AM-01": None}, reqs)
    ann = f.create(f.estate.Person, name="Ann Ortiz", email="ann@example.org")
    af.evidence(
        "Asset list export",
        datetime.date.today() + datetime.timedelta(days=20),
        owner=ann,
        requirements=[reqs["ID.AM-01"]],
    )
    return {"fw": fw, "reqs": reqs, "last": last, "now": now, "ann": ann}


def test_score_a_subcategory_by_keyboard(live_server, users, scene, new_page, sign_in, axe_check):
    url = live_server.url
    now, reqs = scene["now"], scene["reqs"]
    req = reqs["GV.OC-01"]
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/cyber/assessments/{now.pk}/workspace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("2026 self-assessment: workspace")
    expect(page.locator("#progress")).to_contain_text("2 of 6 subcategories answered")
    axe_check(page)
    page.evaluate("window.__notReloaded = true")

    # GV.OC-01's levels: the chosen option ("Not scored") has the focus, as Tab would give
    # it; the arrows move the choice, wrapping round to 1, then on to 3.
    page.locator(f"#s{req.pk}-level-none").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert focused(page)["id"] == f"s{req.pk}-level-3"
    expect(page.locator(f"#s{req.pk}-level-3")).to_be_checked()

    # Open the notes, write one, and choose the responsible person through the picker.
    page.keyboard.press("Tab")
    assert focused(page)["name"].startswith("Notes and responsible person")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == f"id_s{req.pk}-notes"
    page.keyboard.type("Policy approved by the county manager in January.")
    tab_to(page, "Search people", limit=5)
    page.keyboard.type("Ann")
    results = page.locator(f"#pick_s{req.pk}-responsible_results")
    expect(results.get_by_label("Ann Ortiz")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(results.get_by_label("Ann Ortiz")).to_be_checked()
    tab_to_id(page, f"save-{req.pk}", limit=10)
    page.keyboard.press("Enter")

    block = page.locator(f"#req-{req.pk}")
    expect(block).to_contain_text("Saved.")
    expect(block).to_contain_text("Now: 3 · Documented policy")
    expect(block).to_contain_text("Last time: 2 · Informally performed")
    expect(page.locator("#progress")).to_contain_text("3 of 6 subcategories answered")
    expect(page.locator("#score-status")).to_have_text("Saved GV.OC-01: 3 · Documented policy.")
    assert page.evaluate("window.__notReloaded === true")  # no full reload
    assert focused(page)["id"] == f"save-{req.pk}"  # focus stays where it was
    score = m.Score.objects.get(assessment=now, requirement=req)
    assert (score.level, score.responsible) == (3, scene["ann"])
    assert score.notes == "Policy approved by the county manager in January."
    axe_check(page)

    # A second save of the same block from a stale page is a conflict, explained in place.
    m_score_version = score.version
    cyber.save_score(users["admin"], now, req, level=4, version=m_score_version)
    page.locator(f'label[for="s{req.pk}-level-5"]').click()
    page.locator(f"#save-{req.pk}").click()
    expect(block).to_contain_text("admin1 saved GV.OC-01 after you opened this page")
    expect(page.locator(f"#s{req.pk}-level-5")).to_be_checked()
    axe_check(page)


def test_every_assessment_page_passes_axe(live_server, users, scene, new_page, sign_in, axe_check):
    url = live_server.url
    now, last, reqs = scene["now"], scene["last"], scene["reqs"]
    page = new_page()
    sign_in(page, live_server, users["staff"])
    pages = [
        (f"/cyber/assessments/{now.pk}/", "2026 self-assessment"),
        (f"/cyber/assessments/{now.pk}/workspace/?show=unscored&function=GV", None),
        (f"/cyber/assessments/{now.pk}/workspace/?show=bogus", None),
        (f"/cyber/assessments/{last.pk}/workspace/", None),
        (f"/cyber/assessments/{now.pk}/compare/", "2026 self-assessment compared with last time"),
        (f"/cyber/assessments/{last.pk}/compare/", "2025 self-assessment compared with last time"),
        (f"/cyber/assessments/{now.pk}/guide/", "Your first assessment, step by step"),
        ("/cyber/assessments/start/", "Start an assessment"),
        (
            f"/cyber/assessments/{now.pk}/score/{reqs['GV.RR-01'].pk}/",
            "GV.RR-01 in 2026 self-assessment",
        ),
        ("/cyber/evidence/expiring/", "Evidence coming due"),
        (
            f"/cyber/evidence/add/for/{reqs['ID.AM-02'].pk}/?assessment={now.pk}",
            "Add evidence for ID.AM-02",
        ),
    ]
    for path, heading in pages:
        page.goto(url + path)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        axe_check(page)

    # A form sent back with problems, and the start form filled by keyboard.
    page.goto(f"{url}/cyber/assessments/start/")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", name="Not started")).to_be_visible()
    axe_check(page)

    # A viewer reads the workspace without forms; the chart and tables are there.
    viewer = new_page(width=375)
    sign_in(viewer, live_server, users["viewer"])
    viewer.goto(f"{url}/cyber/assessments/{now.pk}/workspace/")
    expect(viewer.get_by_text("You can read this assessment")).to_be_visible()
    expect(viewer.get_by_role("img", name="Mean level by function")).to_be_visible()
    expect(viewer.locator(f"#save-{reqs['GV.OC-01'].pk}")).to_have_count(0)
    axe_check(viewer)
