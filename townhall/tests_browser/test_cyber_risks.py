"""Risks, incidents and training in a real browser: the risk register's heat maps (a square
opens the list of its risks), a risk's page, the incident metrics and an incident's
timeline, a training file imported from the keyboard through the spreadsheet importer, and
coverage — axe-core on each."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from townhall.core import context, services
from townhall.cyber.models import Course, Incident, Risk, TrainingCompletion
from townhall.estate.models import Person
from townhall.tests_browser.test_pages import focused, tab_to

pytestmark = pytest.mark.browser
FILES = Path(__file__).parent.parent / "cyber" / "tests" / "files"
UTC = datetime.UTC


def create(model, **values):
    return services.create(context.SYSTEM, model, values)


@pytest.fixture
def cyber_records(departments):
    pw, fin = departments["PW"], departments["FIN"]
    today = timezone.localdate()
    approver = create(Person, name="Dana Chief", owner_department=pw)
    ransom = create(
        Risk,
        title="Ransomware on file servers",
        owner_department=pw,
        inherent_likelihood=4,
        inherent_impact=5,
        residual_likelihood=2,
        residual_impact=4,
        due_date=today - datetime.timedelta(days=5),
    )
    create(
        Risk,
        title="Phishing of payroll staff",
        owner_department=fin,
        inherent_likelihood=4,
        inherent_impact=5,
        residual_likelihood=3,
        residual_impact=3,
    )
    create(
        Risk,
        title="Library kiosks unpatched",
        owner_department=pw,
        inherent_likelihood=2,
        inherent_impact=2,
        treatment="accept",
        status="accepted",
        approver=approver,
        acceptance_expires=today + datetime.timedelta(days=30),
    )
    incident = create(
        Incident,
        title="Mailbox takeover",
        owner_department=pw,
        severity="high",
        kind="phishing",
        began=datetime.datetime(2025, 3, 1, 6, tzinfo=UTC),
        detected=datetime.datetime(2025, 3, 1, 10, tzinfo=UTC),
        contained=datetime.datetime(2025, 3, 1, 12, tzinfo=UTC),
        recovered=datetime.datetime(2025, 3, 3, 10, tzinfo=UTC),
        reported_ms_isac=datetime.datetime(2025, 3, 1, 11, tzinfo=UTC),
        risks=[ransom],
    )
    create(
        Incident,
        title="Port scan",
        owner_department=fin,
        severity="low",
        detected=datetime.datetime(2026, 1, 5, 12, tzinfo=UTC),
    )
    course = create(Course, name="Security Awareness", code="SA-101", renewal_months=12)
    ana = create(Person, name="Ana García", email="ana.garcia@county.gov", owner_department=pw)
    create(Person, name="José Núñez", email="jose.nunez@county.gov", owner_department=fin)
    create(Person, name="Zoë Brontë", owner_department=pw)
    create(Person, name="Pat Lee", email="pat.lee.pw@county.gov", owner_department=pw)
    create(Person, name="Pat Lee", owner_department=fin)
    create(TrainingCompletion, person=ana, course=course, completed_on=today)
    return {"ransom": ransom, "incident": incident}


def test_risk_register_and_risk_page(
    transactional_db, live_server, users, cyber_records, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/cyber/risks/register/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    expect(
        page.get_by_role("heading", name="3 risks not closed, by current rating")
    ).to_be_visible()
    axe_check(page)

    # The square holding both 4×5 risks, before controls, from the keyboard.
    square = (
        page.locator("#heatmap-inherent-title")
        .locator("xpath=..")
        .get_by_role(
            "link", name="2 risks with likelihood 4 (Likely) and impact 5 (Severe): very high"
        )
    )
    square.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/cyber/risks/?*")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("link", name="Ransomware on file servers")).to_be_visible()
    expect(page.get_by_role("link", name="Phishing of payroll staff")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Ransomware on file servers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ransomware on file servers")
    expect(page.get_by_text("Controls lower the rating by 12 points")).to_be_visible()
    expect(page.get_by_text("The due date passed 5 days ago.")).to_be_visible()
    expect(page.get_by_role("link", name="Mailbox takeover")).to_be_visible()
    axe_check(page)


def test_register_for_a_liaison_on_a_narrow_screen(
    transactional_db, live_server, users, cyber_records, new_page, sign_in, axe_check
):
    page = new_page(width=375)
    sign_in(page, live_server, users["liaison"])
    page.goto(f"{live_server.url}/cyber/risks/register/")
    expect(
        page.get_by_role("heading", name="2 risks not closed, by current rating")
    ).to_be_visible()
    expect(page.get_by_text("Phishing of payroll staff")).to_have_count(0)
    axe_check(page)


def test_incident_metrics_and_timeline(
    transactional_db, live_server, users, cyber_records, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/cyber/incidents/metrics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Incident metrics")
    expect(
        page.get_by_role("img", name="Median time to contain, by year of detection")
    ).to_be_visible()
    axe_check(page)
    # Choose 2025 for the severity table, from the keyboard.
    page.get_by_label("Year of detection", exact=True).focus()
    page.keyboard.type("2025")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Show this year"
    page.keyboard.press("Enter")
    page.wait_for_url("**year=2025")
    expect(page.get_by_role("heading", name="By severity, 2025")).to_be_visible()
    axe_check(page)

    page.goto(f"{url}{cyber_records['incident'].get_absolute_url()}")
    timeline = page.get_by_role("list", name="What happened, in order")
    expect(timeline.locator("li")).to_have_count(5)
    expect(timeline.locator("li").nth(0)).to_contain_text("4 hours before detection")
    expect(timeline.locator("li").nth(2)).to_contain_text("Reported to MS-ISAC")
    expect(page.get_by_role("region", name="Who was told, and when")).to_contain_text(
        "Not reported"
    )
    axe_check(page)


def test_training_import_by_keyboard_and_coverage(
    transactional_db, live_server, users, cyber_records, new_page, sign_in, axe_check
):
    url = live_server.url
    page = new_page()
    sign_in(page, live_server, users["staff"])
    page.goto(f"{url}/cyber/training/coverage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training coverage")
    axe_check(page)
    page.get_by_role("link", name="Import completions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import records from a spreadsheet")
    expect(page.get_by_label("What the file holds")).to_have_value("training_completion")
    axe_check(page)

    page.locator("#id_file").set_input_files(str(FILES / "training_problems.csv"))
    page.locator("#id_file").focus()
    tab_to(page, "Upload and choose columns", limit=10)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which column holds what?")
    expect(page.get_by_label("Name", exact=True)).to_have_value("person")
    expect(page.get_by_label("Course", exact=True)).to_have_value("course")
    expect(page.get_by_label("Date", exact=True)).to_have_value("completed_on")
    axe_check(page)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check before importing: training_problems.csv"
    )
    report = page.locator("#report")
    expect(report).to_contain_text("Several people are called 'Pat Lee'")
    expect(report.locator("tbody tr td").first).to_have_text("3")  # the row as in the file
    expect(
        page.get_by_text("added with the rows that name them: Brand New Course.")
    ).to_be_visible()
    axe_check(page)
    assert TrainingCompletion.objects.count() == 1

    checkbox = page.get_by_label("Import only the valid rows")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Import button, reached by keyboard
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported: training_problems.csv")
    axe_check(page)
    # Ana's line repeats nothing recorded (a different date); José once; Zoë's new course.
    assert TrainingCompletion.objects.count() == 4
    assert not Course.objects.get(name="Brand New Course").required

    page.goto(f"{url}/cyber/training/coverage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training coverage")
    expect(page.get_by_role("img", name="Share of people covered, by department")).to_be_visible()
    page.get_by_label("Department", exact=True).select_option(label="Public Works")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Overdue in Public Works")).to_be_visible()
    axe_check(page)


def test_training_pages_for_a_viewer(
    transactional_db, live_server, users, cyber_records, new_page, sign_in, axe_check
):
    page = new_page()
    sign_in(page, live_server, users["viewer"])
    page.goto(f"{live_server.url}/cyber/training/coverage/")
    expect(page.get_by_role("link", name="Import completions")).to_have_count(0)
    axe_check(page)
    response = page.goto(f"{live_server.url}/cyber/training/import/")
    assert response.status == 403
