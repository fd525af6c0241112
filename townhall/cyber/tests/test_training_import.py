"""Training completions through the spreadsheet importer: a learning system's headings map,
a saved mapping is reused next month, reading a file again adds nothing, a row naming an
unknown person or course says which row and column, and only IT staff import them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from townhall.core import context, services
from townhall.cyber.models import Course, TrainingCompletion
from townhall.estate.models import Person
from townhall.imports import engine, exporting, kinds, parsing
from townhall.imports.models import ImportRun, SavedMapping

pytestmark = pytest.mark.django_db
KIND = "training_completion"


def create(model, **values):
    return services.create(context.SYSTEM, model, values)


@pytest.fixture
def people(departments):
    pw, fin = departments["PW"], departments["FIN"]
    return {
        "ana": create(
            Person, name="Ana García", email="ana.garcia@county.gov", owner_department=pw
        ),
        "jose": create(Person, name="José Núñez", email="jose@county.gov", owner_department=fin),
        "pat_pw": create(Person, name="Pat Lee", owner_department=pw),
        "pat_fin": create(Person, name="Pat Lee", owner_department=fin),
    }


@pytest.fixture
def courses(db):
    return {
        "sa": create(Course, name="Security Awareness", code="SA-101"),
        "ph": create(Course, name="Phishing Review", renewal_months=24),
    }


def guessed(text: str) -> tuple[parsing.Sheet, dict[str, str]]:
    kind = kinds.get(KIND)
    sheet = parsing.read_file(text.encode(), "lms.csv")
    return sheet, kind.guess(sheet.header)


def run(user, text: str, **options):
    sheet, columns = guessed(text)
    options.setdefault("commit", True)
    return engine.run(user, kinds.get(KIND), sheet, columns, source="Import of lms.csv", **options)


def done() -> list[tuple[str, str, datetime.date]]:
    return sorted(
        TrainingCompletion.objects.values_list("person__name", "course__name", "completed_on")
    )


LMS = (
    "Employee Email,Course Title,Completed On,Score\n"
    "ANA.GARCIA@county.gov,Security Awareness,3/14/2025 10:22 AM,98\n"
    "José Núñez,sa-101,2025-04-02,90\n"
    "jose@county.gov,phishing review,2025-04-03,75\n"
)


def test_a_learning_systems_headings_map_to_the_completion(people, courses):
    _sheet, columns = guessed(LMS)
    assert columns == {
        "Employee Email": "person",
        "Course Title": "course",
        "Completed On": "completed_on",
        "Score": "",
    }
    _sheet, columns = guessed("Learner,Training Name,Date Completed\n")
    assert columns == {
        "Learner": "person",
        "Training Name": "course",
        "Date Completed": "completed_on",
    }


def test_people_by_email_or_name_and_courses_by_name_or_code(people, courses):
    outcome = run(context.SYSTEM, LMS)
    assert outcome.counts() == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert done() == [
        ("Ana García", "Security Awareness", datetime.date(2025, 3, 14)),
        ("José Núñez", "Phishing Review", datetime.date(2025, 4, 3)),
        ("José Núñez", "Security Awareness", datetime.date(2025, 4, 2)),
    ]
    first = TrainingCompletion.objects.get(course=courses["ph"])
    assert first.source == "Import of lms.csv"


def test_reading_a_file_again_adds_nothing(people, courses):
    twice = LMS + "ana.garcia@county.gov,SECURITY AWARENESS,2025-03-14,98\n"
    first = run(context.SYSTEM, twice)
    assert first.created == 3 and first.unchanged == 1  # the same completion twice in a file
    before = done()
    again = run(context.SYSTEM, twice)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 0}
    assert done() == before
    assert TrainingCompletion.objects.count() == 3


def test_a_row_naming_someone_unknown_says_its_row_and_column(people, courses):
    outcome = run(
        context.SYSTEM,
        "Employee Email,Course Title,Completed On\n"
        "nobody@county.gov,Security Awareness,2025-02-01\n"
        "Pat Lee,Security Awareness,2025-02-01\n"
        "ana.garcia@county.gov,Brand New Course,2025-02-01\n"
        "ana.garcia@county.gov,Security Awareness,2025-02-30\n"
        "ana.garcia@county.gov,Security Awareness,\n"
        "ana.garcia@county.gov,Security Awareness,2999-01-01\n",
    )
    assert outcome.rejected == 5 and outcome.created == 1 and not outcome.committed
    report = [(p["row"], p["column"], p["value"], p["reason"]) for p in outcome.report()]
    assert report[0] == (
        2,
        "Employee Email",
        "nobody@county.gov",
        "No person called 'nobody@county.gov': add it first, or check the spelling",
    )
    assert report[1][:3] == (3, "Employee Email", "Pat Lee")
    assert "Several people are called 'Pat Lee'" in report[1][3]
    assert report[2][:3] == (5, "Completed On", "2025-02-30")
    assert report[3][:2] == (6, "Completed On")
    assert report[4][:3] == (7, "Completed On", "2999-01-01")
    assert report[4][3].startswith("The completion date is after today")
    assert not TrainingCompletion.objects.exists()


def test_a_file_without_the_course_or_day_is_sent_back_to_the_columns(people, courses):
    kind = kinds.get(KIND)
    problem = engine.identity_problem(kind, {"Email": "person", "Course": "course"})
    assert problem == "No column is mapped to Completed on; choose which column holds it."
    assert engine.identity_problem(kind, {"E": "person", "C": "course", "D": "completed_on"}) == ""


def upload(client: Client, name: str, text: str):
    file = SimpleUploadedFile(name, text.encode())
    return client.post("/import/", {"kind": KIND, "file": file})


def columns_of(response) -> dict[str, str]:
    form = response.context["form"]
    return {f"col_{i}": form[f"col_{i}"].initial or "" for i in range(len(form.headers))}


def test_a_saved_mapping_is_reused_next_month(client_for, people, courses):
    client = client_for("staff")
    upload(client, "march.csv", "Who,What,When\nana.garcia@county.gov,SA-101,2025-03-14\n")
    run = ImportRun.objects.get()
    page = client.get(f"/import/{run.pk}/columns/")
    assert columns_of(page) == {"col_0": "", "col_1": "", "col_2": ""}  # nothing to go by
    chosen = {"col_0": "person", "col_1": "course", "col_2": "completed_on"}
    response = client.post(f"/import/{run.pk}/columns/", {**chosen, "save_as": "LMS export"})
    assert response.status_code == 302
    client.post(f"/import/{run.pk}/", {})
    run.refresh_from_db()
    assert run.status == "committed" and run.counts["created"] == 1
    saved = SavedMapping.objects.get(kind=KIND)
    assert saved.columns == {"Who": "person", "What": "course", "When": "completed_on"}

    upload(client, "april.csv", "Who,What,When\njose@county.gov,Phishing Review,4/2/2025\n")
    second = ImportRun.objects.exclude(pk=run.pk).get()
    page = client.get(f"/import/{second.pk}/columns/", {"saved": saved.pk})
    assert columns_of(page) == chosen
    client.post(f"/import/{second.pk}/columns/", {**columns_of(page), "saved": saved.pk})
    client.post(f"/import/{second.pk}/", {})
    second.refresh_from_db()
    assert second.status == "committed" and second.saved_mapping == saved
    assert len(done()) == 2


def test_only_it_staff_import_completions(client_for, users, people, courses):
    # A liaison imports other kinds (a choice they are not offered); the others none at all.
    for role, refused in (("liaison", 400), ("viewer", 403), ("board", 403)):
        client = client_for(role)
        home = client.get("/import/")
        assert KIND not in dict(home.context["form"].fields["kind"].choices), role
        response = upload(client, "lms.csv", LMS)
        assert response.status_code == refused, role
        outcome = run(users[role], LMS)
        assert outcome.created == 0 and outcome.rejected == 3, role
    assert not ImportRun.objects.exists()
    assert not TrainingCompletion.objects.exists()


def test_the_training_pages_entry_point_opens_the_importer_on_completions(client_for, courses):
    response = client_for("staff").get(reverse("cyber:training_import"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('imports:home')}?kind={KIND}"
    home = client_for("staff").get(response["Location"])
    assert home.context["form"]["kind"].value() == KIND
    for role in ("liaison", "viewer"):
        assert client_for(role).get(reverse("cyber:training_import")).status_code == 403


def test_the_importable_export_reads_back_unchanged(people, courses):
    run(context.SYSTEM, LMS)
    kind = kinds.get(KIND)
    text = "".join(exporting.csv_lines(kind, context.SYSTEM)).lstrip("\ufeff")
    assert text.splitlines()[0] == "Person,Course,Completed on,External ID,Notes"
    assert "Ana García [PW],Security Awareness,2025-03-14" in text
    sheet = parsing.read_file(text.encode(), "export.csv")
    columns = kind.guess(sheet.header)
    outcome = engine.run(context.SYSTEM, kind, sheet, columns, commit=True)
    assert outcome.counts() == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}


def test_the_course_list_imports_before_the_completions_that_name_it(people, courses):
    kind = kinds.get("course")
    sheet = parsing.read_file(
        b"Course Title,Course Code,Required\nIncident Response Basics,IR-1,no\n", "courses.csv"
    )
    columns = kind.guess(sheet.header)
    assert columns == {"Course Title": "name", "Course Code": "code", "Required": "required"}
    assert engine.run(context.SYSTEM, kind, sheet, columns, commit=True).created == 1
    outcome = run(context.SYSTEM, "Email,Course,Date\njose@county.gov,ir-1,2025-05-01\n")
    assert outcome.created == 1
    assert Course.objects.get(code="IR-1").required is False


def test_a_course_not_known_is_added_with_the_first_row_kept_that_names_it(people, courses):
    outcome = run(
        context.SYSTEM,
        "Email,Course,Date\n"
        "nobody@county.gov,Zero Trust 101,2025-02-01\n"  # refused: no course for it
        "jose@county.gov,Zero Trust 101,2999-01-01\n"  # refused when saved: rolled back
        "jose@county.gov,Zero Trust 101,2025-02-02\n"
        "ana.garcia@county.gov,ZERO TRUST 101,2025-02-03\n"
        "ana.garcia@county.gov,Zero Trust 101,2025-02-03\n",
        valid_only=True,
    )
    assert outcome.counts() == {"created": 2, "updated": 0, "unchanged": 1, "rejected": 2}
    assert outcome.notes() == (
        "New courses the file names, added with the rows that name them: Zero Trust 101."
    )
    added = Course.objects.get(name="Zero Trust 101")
    assert added.required is False and added.source == "Import of lms.csv"
    assert added.completions.count() == 2
    assert Course.objects.count() == 3


def test_a_preview_adds_no_course_and_says_which_it_would_add(client_for, people, courses):
    client = client_for("staff")
    upload(client, "lms.csv", "Email,Course,Date\njose@county.gov,Zero Trust 101,2025-02-02\n")
    run_ = ImportRun.objects.get()
    client.post(
        f"/import/{run_.pk}/columns/", columns_of(client.get(f"/import/{run_.pk}/columns/"))
    )
    page = client.get(f"/import/{run_.pk}/").content.decode()
    assert "added with the rows that name them: Zero Trust 101." in page
    assert Course.objects.count() == 2 and not TrainingCompletion.objects.exists()
