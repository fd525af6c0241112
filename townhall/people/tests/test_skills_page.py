"""The skills page: counts by kind, the core set, NIST's file and the estate's technology,
each by IT staff only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townhall.core import context, services
from townhall.estate.models import System
from townhall.people.models import Skill

FIXTURE = Path(__file__).parent / "fixtures" / "nice_components.json"


@pytest.mark.django_db
def test_staff_load_the_core_set_and_others_may_not(client_for):
    assert client_for("viewer").post("/people/skills/overview/core-set/").status_code == 403
    assert not Skill.objects.exists()
    staff = client_for("staff")
    assert staff.post("/people/skills/overview/core-set/").status_code == 302
    assert Skill.objects.filter(kind="competency_area").count() == 11
    html = staff.get("/people/skills/overview/").content.decode()
    assert "NICE competency area</a>: 11" in html
    assert (
        "Load the NICE core set"
        not in client_for("viewer").get("/people/skills/overview/").content.decode()
    )


@pytest.mark.django_db
def test_nists_file_is_imported_by_a_job(client_for):
    upload = SimpleUploadedFile("nice.json", FIXTURE.read_bytes(), "application/json")
    answer = client_for("staff").post("/people/skills/overview/", {"file": upload})
    assert answer.status_code == 302 and "/jobs/" in answer["Location"]
    assert Skill.objects.filter(code="NF-COM-004").exists()


@pytest.mark.django_db
def test_a_bad_file_fails_its_job_naming_the_element(client_for):
    from townhall.jobs.models import Job

    body = b'{"elements": [{"element_type": "work_role", "element_identifier": "X"}]}'
    upload = SimpleUploadedFile("nice.json", body, "application/json")
    client_for("staff").post("/people/skills/overview/", {"file": upload})
    job = Job.objects.get()
    assert job.status == "failed"
    assert "Element 1 (X)" in job.message
    assert not Skill.objects.exists()


@pytest.mark.django_db
def test_technology_skills_are_worked_out_by_a_job(client_for):
    with context.acting("system"):
        services.create(context.SYSTEM, System, {"name": "ERP", "product": "Munis"})
    answer = client_for("staff").post("/people/skills/overview/technology/")
    assert answer.status_code == 302
    assert Skill.objects.get(kind="technology").name == "Munis"
