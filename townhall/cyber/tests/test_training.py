"""Training: completions imported from a learning system's files (encodings, delimiters,
dates, people matched by e-mail or name, new courses, repeats, valid-only, dry run, nothing
written on error), coverage and the overdue list on a fixed day, the command, the coverage
page for each role, and a coverage page whose query count does not grow with the number of
people. The import pages are the spreadsheet importer's: test_training_import.py."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.cyber import training
from townhall.cyber import training_rules as rules
from townhall.cyber.models import Course, TrainingCompletion
from townhall.estate.models import Person

FILES = Path(__file__).parent / "files"
TODAY = datetime.date(2025, 6, 30)
COVERAGE = reverse("cyber:training_coverage")


def create(model, **values):
    return services.create(context.SYSTEM, model, values)


def data(name: str) -> bytes:
    return (FILES / name).read_bytes()


def done() -> list[tuple[str, str, datetime.date]]:
    """Every recorded completion as (person, course, date), sorted."""
    return sorted(
        TrainingCompletion.objects.values_list("person__name", "course__name", "completed_on")
    )


@pytest.fixture
def people(departments):
    pw, fin = departments["PW"], departments["FIN"]
    return {
        "ana": create(
            Person, name="Ana García", email="ana.garcia@county.gov", owner_department=pw
        ),
        "jose": create(
            Person, name="José Núñez", email="jose.nunez@county.gov", owner_department=fin
        ),
        "zoe": create(Person, name="Zoë Brontë", owner_department=pw),
        "pat_pw": create(
            Person, name="Pat Lee", email="pat.lee.pw@county.gov", owner_department=pw
        ),
        "pat_fin": create(Person, name="Pat Lee", owner_department=fin),
    }


@pytest.fixture
def courses(db):
    return {
        "sa": create(Course, name="Security Awareness", code="SA-101", renewal_months=12),
        "ph": create(Course, name="Phishing Simulation Review", renewal_months=24),
    }


def run(name: str, **options):
    options = {"commit": True, "today": TODAY, **options}
    return training.run_import(context.SYSTEM, data(name), name, **options)


# --- the rules on their own -----------------------------------------------------------------


def test_columns_are_guessed_from_learning_system_headings():
    cols = rules.guess_columns(["Learner", "Employee Email", "Course Title", "Completion Date"])
    assert (cols.name, cols.email, cols.course, cols.date) == (
        "Learner",
        "Employee Email",
        "Course Title",
        "Completion Date",
    )
    cols = rules.guess_columns(["User", "Course Code", "Course Name", "Completed On"])
    assert (cols.name, cols.code, cols.course, cols.date) == (
        "User",
        "Course Code",
        "Course Name",
        "Completed On",
    )
    with pytest.raises(rules.ColumnProblem) as problem:
        rules.guess_columns(["Employee", "Score"])
    message = str(problem.value)
    assert "the course" in message and "the date" in message and "'Score'" in message


def test_add_months_keeps_the_day_or_the_end_of_the_month():
    assert rules.add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert rules.add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert rules.add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert rules.add_months(datetime.date(2025, 11, 15), 3) == datetime.date(2026, 2, 15)
    assert rules.due_date(datetime.date(2025, 1, 1), 0) is None  # never expires


def test_dates_with_a_time_of_day():
    assert rules.read_date("3/14/2025 10:22 AM", TODAY) == datetime.date(2025, 3, 14)
    assert rules.read_date("2025-03-14T10:22:05Z", TODAY) == datetime.date(2025, 3, 14)
    assert rules.read_date(45730, TODAY) == datetime.date(2025, 3, 14)  # Excel serial
    with pytest.raises(ValueError, match="after today"):
        rules.read_date("2025-07-01", TODAY)


def test_people_match_by_email_then_name():
    ana = rules.PersonRef(1, "Ana García", "ana@x.gov", 1, "PW")
    pat1 = rules.PersonRef(2, "Pat Lee", "", 1, "PW")
    pat2 = rules.PersonRef(3, "Pat  LEE", "", 2, "Finance")
    people = rules.People([ana, pat1, pat2])
    assert people.match("ANA@X.GOV", "")[0] == ana
    assert people.match("unknown@x.gov", "ana garcía")[0] == ana  # the name, when the e-mail fails
    assert people.match("", "Ana Garcia")[0] is None  # accents are part of the name
    person, reason = people.match("", "pat lee")
    assert person is None
    assert reason.startswith("2 people have the name pat lee: Pat  LEE (Finance); Pat Lee (PW).")


# --- importing files ------------------------------------------------------------------------


@pytest.mark.django_db
def test_utf8_bom_with_emails_names_and_a_new_course(people, courses):
    outcome = run("training_bom.csv")
    assert outcome.committed
    assert outcome.counts == {"created": 4, "unchanged": 0, "rejected": 0, "new_courses": 1}
    assert done() == [
        ("Ana García", "Security Awareness", datetime.date(2025, 3, 14)),
        # matched by e-mail although the file calls him "Someone Renamed"
        ("José Núñez", "Security Awareness", datetime.date(2025, 4, 2)),
        ("Pat Lee", "Incident Response Basics", datetime.date(2025, 5, 1)),
        ("Zoë Brontë", "Security Awareness", datetime.date(2025, 1, 10)),
    ]
    assert (
        TrainingCompletion.objects.get(course__name="Incident Response Basics").person
        == (people["pat_pw"])
    )
    new = Course.objects.get(name="Incident Response Basics")
    assert new.required is False  # counts toward coverage only once someone decides so
    assert outcome.new_courses == ["Incident Response Basics"]
    assert [p.reason for p in outcome.report if not p.error][0].startswith("A new course")

    # The same file again changes nothing.
    again = run("training_bom.csv")
    assert again.counts == {"created": 0, "unchanged": 4, "rejected": 0, "new_courses": 0}
    assert TrainingCompletion.objects.count() == 4
    assert Course.objects.count() == 3


@pytest.mark.django_db
def test_windows_1252_semicolons_and_us_dates_with_times(people, courses):
    outcome = run("training_cp1252.csv")
    assert outcome.counts["rejected"] == 0, outcome.report
    assert done() == [
        ("José Núñez", "Phishing Simulation Review", datetime.date(2025, 3, 14)),
        ("Zoë Brontë", "Phishing Simulation Review", datetime.date(2024, 12, 1)),
    ]


@pytest.mark.django_db
def test_xlsx_with_excel_serial_dates_and_course_codes(people, courses):
    outcome = run("training_serial.xlsx")
    assert outcome.counts == {"created": 3, "unchanged": 0, "rejected": 0, "new_courses": 0}
    assert done() == [
        ("Ana García", "Security Awareness", datetime.date(2025, 3, 14)),  # by code SA-101
        ("José Núñez", "Phishing Simulation Review", datetime.date(2025, 5, 6)),
        ("Zoë Brontë", "Phishing Simulation Review", datetime.date(2025, 2, 20)),
    ]


@pytest.mark.django_db
def test_a_file_with_bad_rows_imports_nothing(people, courses):
    before = Course.objects.count()
    outcome = run("training_problems.csv")
    assert not outcome.committed
    assert TrainingCompletion.objects.count() == 0
    assert Course.objects.count() == before
    assert outcome.counts == {"created": 3, "unchanged": 1, "rejected": 5, "new_courses": 1}
    errors = {p.row: p for p in outcome.errors}
    assert sorted(errors) == [3, 4, 5, 8, 10]
    assert errors[3].column == "Name"
    assert errors[3].value == "Pat Lee"
    assert "2 people have the name Pat Lee" in errors[3].reason
    assert errors[4].column == "Email / Name"
    assert "No person in the estate has the e-mail nobody@county.gov" in errors[4].reason
    assert (errors[5].column, errors[5].value) == ("Date", "2025-02-30")
    assert "not a real date" in errors[5].reason
    assert "No completion date" in errors[8].reason
    assert "after today" in errors[10].reason
    notes = [p for p in outcome.report if not p.error]
    assert any(p.row == 7 and "as row 6" in p.reason for p in notes)


@pytest.mark.django_db
def test_valid_only_imports_the_good_rows(people, courses):
    outcome = run("training_problems.csv", valid_only=True)
    assert outcome.committed
    assert done() == [
        ("Ana García", "Security Awareness", datetime.date(2025, 3, 14)),
        ("José Núñez", "Security Awareness", datetime.date(2025, 2, 3)),  # once, not twice
        ("Zoë Brontë", "Brand New Course", datetime.date(2025, 4, 4)),
    ]
    # The course only a rejected row named is not created.
    assert not Course.objects.filter(name="Rejected Course").exists()
    assert Course.objects.filter(name="Brand New Course").exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing(people, courses):
    outcome = run("training_bom.csv", commit=False)
    assert not outcome.committed and outcome.dry_run
    assert outcome.counts["created"] == 4
    assert TrainingCompletion.objects.count() == 0
    assert not Course.objects.filter(name="Incident Response Basics").exists()


@pytest.mark.django_db
def test_a_failure_midway_leaves_nothing_behind(people, courses, monkeypatch):
    real = services.create
    calls = {"n": 0}

    def failing(user, model, values):
        if model is TrainingCompletion:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("the database went away")
        return real(user, model, values)

    monkeypatch.setattr(services, "create", failing)
    with pytest.raises(RuntimeError):
        run("training_bom.csv")
    assert TrainingCompletion.objects.count() == 0
    assert not Course.objects.filter(name="Incident Response Basics").exists()


@pytest.mark.django_db
def test_files_that_cannot_be_read(people, courses):
    with pytest.raises(training.ImportProblem, match="no column for the course"):
        training.run_import(
            context.SYSTEM, b"Name,Score\nAna,3\n", "scores.csv", commit=True, today=TODAY
        )
    with pytest.raises(training.ImportProblem, match="neither"):
        training.run_import(context.SYSTEM, b"x", "notes.pdf", commit=True, today=TODAY)


@pytest.mark.django_db
def test_only_it_staff_import(users, people, courses):
    for role in ("liaison", "viewer", "board"):
        with pytest.raises(PermissionDenied):
            training.run_import(users[role], data("training_bom.csv"), "t.csv", commit=True)
    assert TrainingCompletion.objects.count() == 0
    outcome = training.run_import(
        users["staff"], data("training_bom.csv"), "t.csv", commit=True, today=TODAY
    )
    assert outcome.counts["created"] == 4
    entry = TrainingCompletion.objects.first()
    assert entry.source == "Training import of t.csv"


# --- the command ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_imports_and_reports(people, courses):
    out = io.StringIO()
    call_command("training", "import", str(FILES / "training_bom.csv"), stdout=out)
    text = out.getvalue()
    assert "Imported 4 row(s): 4 new completion(s), 0 unchanged, 0 rejected, 1 new course(s)." in (
        text
    )
    assert "New course (not yet required): Incident Response Basics" in text
    assert TrainingCompletion.objects.count() == 4


@pytest.mark.django_db
def test_command_dry_run_and_refusal(people, courses):
    out = io.StringIO()
    call_command("training", "import", str(FILES / "training_cp1252.csv"), "--dry-run", stdout=out)
    assert "Dry run of 2 row(s), nothing saved" in out.getvalue()
    assert TrainingCompletion.objects.count() == 0

    out = io.StringIO()
    with pytest.raises(CommandError, match="5 row\\(s\\) rejected; nothing was imported"):
        call_command("training", "import", str(FILES / "training_problems.csv"), stdout=out)
    assert "row 3\trejected\tName\tPat Lee\t2 people have the name Pat Lee" in out.getvalue()
    assert TrainingCompletion.objects.count() == 0

    out = io.StringIO()
    call_command(
        "training", "import", str(FILES / "training_problems.csv"), "--valid-only", stdout=out
    )
    assert "Imported 9 row(s): 3 new completion(s)" in out.getvalue()
    assert TrainingCompletion.objects.count() == 3


@pytest.mark.django_db
def test_command_answers_bad_input(people, courses, tmp_path, users):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("training", "import", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="No active user"):
        call_command("training", "import", str(FILES / "training_bom.csv"), "--username", "nobody")
    with pytest.raises(CommandError, match="Only IT staff"):
        call_command("training", "import", str(FILES / "training_bom.csv"), "--username", "viewer1")


# --- coverage -------------------------------------------------------------------------------

COVERAGE_DAY = datetime.date(2026, 3, 15)


@pytest.fixture
def coverage_case(departments):
    pw, fin = departments["PW"], departments["FIN"]
    sa = create(Course, name="Security Awareness", renewal_months=12)
    ph = create(Course, name="Phishing Simulation Review", renewal_months=24)
    optional = create(Course, name="Optional Lunch Talk", required=False)
    ana = create(Person, name="Ana García", owner_department=pw)
    zoe = create(Person, name="Zoë Brontë", owner_department=pw)
    jose = create(Person, name="José Núñez", owner_department=fin)
    sam = create(Person, name="Sam Ortiz", owner_department=fin)
    nadia = create(Person, name="Nadia Haddad")  # no department
    done_on = [
        (ana, sa, "2025-06-01"),  # due 2026-06-01: current
        (ana, ph, "2024-04-01"),  # due 2026-04-01: current
        (zoe, sa, "2024-01-01"),
        (zoe, sa, "2025-03-14"),  # the latest; due 2026-03-14: one day overdue
        (zoe, ph, "2025-01-01"),
        (jose, sa, "2025-03-15"),  # due today: not yet overdue; never did ph
        (sam, optional, "2026-01-01"),  # an optional course does not count
        (nadia, sa, "2026-01-01"),
        (nadia, ph, "2025-12-31"),
    ]
    for person, course, day in done_on:
        create(
            TrainingCompletion,
            person=person,
            course=course,
            completed_on=datetime.date.fromisoformat(day),
        )
    return {"ana": ana, "zoe": zoe, "jose": jose, "sam": sam, "nadia": nadia}


@pytest.fixture
def fixed_day(monkeypatch):
    """Pages measure coverage on COVERAGE_DAY rather than on the day the tests run."""
    monkeypatch.setattr(training, "today_here", lambda: COVERAGE_DAY)


@pytest.mark.django_db
def test_coverage_on_a_fixed_day(coverage_case):
    result = training.coverage(context.SYSTEM, COVERAGE_DAY)
    rows = [(r.department, r.people, r.covered, r.percent) for r in result.departments]
    assert rows == [
        ("Finance", 2, 0, 0.0),
        ("Public Works", 2, 1, 50.0),
        ("No department", 1, 1, 100.0),
    ]
    assert (result.people, result.covered, result.percent) == (5, 2, 40.0)
    overdue = [(o.person.name, o.course.name, o.last, o.days) for o in result.overdue]
    assert overdue == [
        ("José Núñez", "Phishing Simulation Review", None, None),
        ("Sam Ortiz", "Phishing Simulation Review", None, None),
        ("Sam Ortiz", "Security Awareness", None, None),
        ("Zoë Brontë", "Security Awareness", datetime.date(2025, 3, 14), 1),
    ]
    assert result.overdue_people == 3


@pytest.mark.django_db
def test_training_summary_shape(coverage_case):
    summary = training.training_summary(context.SYSTEM, COVERAGE_DAY)
    assert summary == {
        "today": COVERAGE_DAY,
        "required_courses": ["Phishing Simulation Review", "Security Awareness"],
        "people": 5,
        "covered": 2,
        "percent": 40.0,
        "overdue": 4,
        "overdue_people": 3,
        "departments": [
            {
                "id": coverage_case["jose"].owner_department_id,
                "name": "Finance",
                "people": 2,
                "covered": 0,
                "percent": 0.0,
            },
            {
                "id": coverage_case["ana"].owner_department_id,
                "name": "Public Works",
                "people": 2,
                "covered": 1,
                "percent": 50.0,
            },
            {"id": None, "name": "No department", "people": 1, "covered": 1, "percent": 100.0},
        ],
    }


@pytest.mark.django_db
def test_no_required_course_means_no_coverage_figure(departments):
    create(Person, name="Ana García")
    create(Course, name="Optional", required=False)
    summary = training.training_summary(context.SYSTEM, COVERAGE_DAY)
    assert summary["percent"] is None and summary["overdue"] == 0
    assert summary["departments"][0]["percent"] is None


@pytest.mark.django_db
def test_coverage_page_for_each_role(client_for, coverage_case, fixed_day):
    for role in ("staff", "viewer", "liaison", "board"):
        response = client_for(role).get(COVERAGE)
        assert response.status_code == 200, role
        html = response.content.decode()
        assert "Share of people covered, by department" in html
        assert "Sam Ortiz" in html
        assert ("Import completions" in html) == (role == "staff"), role
    response = Client().get(COVERAGE)
    assert response.status_code == 302


@pytest.mark.django_db
def test_coverage_page_filters_and_exports_the_overdue_list(
    client_for, coverage_case, departments, fixed_day
):
    client = client_for("staff")
    response = client.get(COVERAGE, {"department": departments["PW"].pk})
    assert response.status_code == 200
    assert [(o.person.name, o.days) for o in response.context["overdue"]] == [("Zoë Brontë", 1)]
    assert "Overdue in Public Works (1)" in response.content.decode()
    response = client.get(COVERAGE, {"department": "not-a-number"})
    assert response.status_code == 400
    response = client.get(COVERAGE, {"department": "999999"})
    assert response.status_code == 400

    create(Person, name='=HYPERLINK("http://x")', owner_department=departments["FIN"])
    response = client.get(COVERAGE, {"department": departments["FIN"].pk, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Person",
        "E-mail",
        "Department",
        "Course",
        "Last completed",
        "Due",
        "Days overdue",
    ]
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in names  # kept as text, never run as a formula
    assert ["Sam Ortiz", "", "Finance", "Security Awareness", "never", "", ""] in rows
    assert "Zoë Brontë" not in names  # Public Works, not Finance


@pytest.mark.django_db
def test_the_department_chooser_writes_its_options_without_a_template_each(
    client_for, coverage_case, departments, fixed_day
):
    response = client_for("staff").get(COVERAGE, {"department": departments["PW"].pk})
    per_option = [t for t in response.templates if t.name.endswith("select_option.html")]
    assert per_option == []
    html = response.content.decode()
    assert '<option value="">All departments</option>' in html
    assert f'<option value="{departments["PW"].pk}" selected>Public Works</option>' in html


@pytest.mark.django_db
def test_coverage_page_queries_do_not_grow_with_people(
    client_for, coverage_case, departments, fixed_day
):
    client = client_for("staff")
    client.get(COVERAGE)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(COVERAGE).status_code == 200
    sa = Course.objects.get(name="Security Awareness")
    for n in range(40):
        person = create(
            Person,
            name=f"Extra {n}",
            owner_department=departments["PW" if n % 2 else "FIN"],
        )
        if n % 3:
            create(
                TrainingCompletion,
                person=person,
                course=sa,
                completed_on=datetime.date(2026, 1, 1),
            )
    with CaptureQueriesContext(connection) as many:
        response = client.get(COVERAGE)
    assert response.status_code == 200
    assert response.context["result"].people == 45
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_command_takes_a_column_mapping(people, courses, tmp_path):
    path = tmp_path / "lms.csv"
    path.write_text("Who,What,When\nana.garcia@county.gov,Security Awareness,3/14/2026\n")
    with pytest.raises(CommandError, match="no column for the person"):
        call_command("training", "import", str(path))
    columns = tmp_path / "columns.json"
    columns.write_text('{"Who": "email", "What": "course", "When": "date"}')
    call_command("training", "import", str(path), "--mapping", str(columns))
    assert done() == [("Ana García", "Security Awareness", datetime.date(2026, 3, 14))]
    columns.write_text('{"Who": "person"}')
    with pytest.raises(CommandError, match="fields: email, name, course, code, date"):
        call_command("training", "import", str(path), "--mapping", str(columns))
