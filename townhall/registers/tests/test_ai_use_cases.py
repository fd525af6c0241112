"""The AI use case register: the federal inventory's conditional rules on the record (page,
API and importer alike), the federal CSV read without editing its columns, and the register
written back in that layout, safe to open in a spreadsheet and read back unchanged."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.estate import models as em
from townhall.imports import kinds
from townhall.imports.tests.helpers import make, run_import
from townhall.registers import ai_inventory, ai_rules
from townhall.registers.models import AIUseCase
from townhall.registers.pages.ai_use_cases import inventory_rows

SYSTEM = context.SYSTEM
FIXTURE = ai_inventory.LAYOUT.parent.parent / "tests" / "fixtures" / "ai_inventory_sample.csv"
PRACTICE_FIELDS = [n for status, notes, _ in ai_rules.PRACTICES for n in (status, notes)]


def answered_practices() -> dict[str, str]:
    values = {}
    for status, notes, words in ai_rules.PRACTICES:
        values[status] = "done"
        values[notes] = f"How we do {words}."
    return values


class TestAIUseCaseContract(ResourceContract):
    model = AIUseCase

    def data(self, departments, n=1):
        return {
            "name": f"Chat assistant {n}",
            "topic_area": "government_services",
            "purpose": "Answers residents' questions at any hour.",
            "outputs": "Text answers.",
            "stage": "pilot",
            "high_impact": "no",
        }

    def invalid(self, departments):
        def high_impact_unanswered(post):
            return {"high_impact": "yes", "high_impact_reason": "Decides fines."}

        def retired_without_a_day(post):
            return {"stage": "retired", "retired_on": ""}

        def contracted_without_vendor(post):
            return {"development": "contracted", "vendor": ""}

        return [
            ("testing", high_impact_unanswered),
            ("remedy_notes", high_impact_unanswered),
            ("high_impact_reason", lambda post: {"high_impact": "presumed"}),
            ("retired_on", retired_without_a_day),
            ("retired_on", lambda post: {"retired_on": "2025-01-01"}),
            ("implemented_on", lambda post: {"stage": "deployed", "implemented_on": ""}),
            ("topic_other", lambda post: {"topic_area": "other", "topic_other": ""}),
            ("vendor", contracted_without_vendor),
            ("privacy_assessed", lambda post: {"personal_data": "yes"}),
        ]


def _use(**values):
    base = {
        "name": "License plate readers",
        "topic_area": "law_justice",
        "purpose": "Finds stolen vehicles.",
        "outputs": "Alerts.",
        "stage": "deployed",
        "implemented_on": datetime.date(2024, 1, 1),
        "high_impact": "yes",
        "high_impact_reason": "Leads to stops of people.",
    }
    with context.acting("system"):
        return services.create(SYSTEM, AIUseCase, {**base, **values})


@pytest.mark.django_db
def test_a_high_impact_use_names_every_practice_it_leaves_unanswered(departments):
    with pytest.raises(ValidationError) as refused:
        _use(testing="done", testing_notes="Tested on a year of reads.")
    missing = set(refused.value.message_dict)
    assert missing == set(PRACTICE_FIELDS) - {"testing", "testing_notes"}
    assert refused.value.message_dict["remedy"] == [
        "A high-impact use answers appeal or remedy: yes, in progress, no or waived."
    ]
    assert _use(**answered_practices()).pk


@pytest.mark.django_db
def test_a_presumed_high_impact_use_answers_too_and_a_retired_one_need_not(departments):
    with pytest.raises(ValidationError) as refused:
        _use(high_impact="presumed")
    assert "oversight" in refused.value.message_dict
    retired = _use(
        high_impact="presumed",
        stage="retired",
        retired_on=datetime.date(2025, 6, 30),
    )
    assert retired.pk


@pytest.mark.django_db
def test_dates_follow_the_stage_and_each_other(departments):
    with pytest.raises(ValidationError) as refused:
        _use(
            **answered_practices(),
            stage="pre_deployment",
            implemented_on=datetime.date(2024, 1, 1),
        )
    assert "implemented_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _use(
            **answered_practices(),
            initiated_on=datetime.date(2024, 6, 1),
            implemented_on=datetime.date(2024, 1, 1),
        )
    assert "implemented_on" in refused.value.message_dict


def test_the_layout_holds_each_field_once_and_the_published_headings():
    columns = ai_inventory.columns()
    assert len({c.field for c in columns}) == len(columns)
    assert len({c.key for c in columns}) == len(columns)
    assert ai_inventory.headings()[:3] == ["Use Case ID", "Use Case Name", "Agency"]
    names = {f.name for f in AIUseCase._meta.fields}
    assert set(ai_inventory.fields()) <= names


def test_the_federal_headings_map_without_editing():
    kind = kinds.get("ai_use_case")
    header = next(csv.reader(io.StringIO(FIXTURE.read_text(encoding="utf-8"))))
    guessed = kind.guess(header)
    assert "" not in guessed.values()
    assert guessed["Is the AI use case rights-impacting, safety-impacting, both, or neither?"] == (
        "high_impact"
    )
    assert guessed["Stage of Development"] == "stage"


@pytest.mark.django_db
def test_the_federal_file_imports_and_its_invalid_row_is_refused_by_name(departments):
    with context.acting("system"):
        services.create(SYSTEM, em.Vendor, {"name": "Acme Vision"})
    out = run_import(SYSTEM, "ai_use_case", FIXTURE.read_bytes(), "inventory.csv", valid_only=True)
    assert out.counts() == {"created": 4, "updated": 0, "unchanged": 0, "rejected": 1}
    found = {(p.row, p.column) for p in out.problems}
    assert (
        5,
        "Has the agency conducted pre-deployment testing of the AI use case?",
    ) in found
    assert len(found) == len(PRACTICE_FIELDS)  # each practice left unanswered, by column
    reasons = " ".join(p.reason for p in out.problems)
    assert "A high-impact use answers pre-deployment testing" in reasons
    assert {p.row for p in out.problems} == {5}
    screen = AIUseCase.objects.get(external_id="FIN-AI-003")
    assert (screen.stage, screen.high_impact, screen.topic_area) == (
        "deployed",
        "yes",
        "government_services",
    )
    assert (screen.feedback, screen.monitoring, screen.owner_department) == (
        "in_progress",
        "in_progress",
        departments["FIN"],
    )
    drains = AIUseCase.objects.get(external_id="PW-AI-002")
    assert (drains.stage, drains.development, drains.vendor.name) == (
        "pilot",
        "contracted",
        "Acme Vision",
    )
    retired = AIUseCase.objects.get(external_id="FIN-AI-005")
    assert retired.name.startswith("=HYPERLINK")
    assert retired.retired_on == datetime.date(2024, 3, 1)


@pytest.mark.django_db
def test_the_export_writes_the_inventory_layout_safely_and_reads_back_unchanged(
    departments, client_for
):
    with context.acting("system"):
        services.create(SYSTEM, em.Vendor, {"name": "Acme Vision"})
    first = run_import(
        SYSTEM, "ai_use_case", FIXTURE.read_bytes(), "inventory.csv", valid_only=True
    )
    assert first.counts()["created"] == 4
    response = client_for("viewer").get(reverse("registers:ai_use_case_inventory"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ai_inventory.headings()
    assert len(rows) == 5
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_id["FIN-AI-005"]["Use Case Name"].startswith("'=HYPERLINK")
    assert by_id["FIN-AI-003"]["Stage of Development"] == "Deployed"
    assert by_id["FIN-AI-003"]["Is the AI use case high-impact?"] == "High-impact"
    assert by_id["PW-AI-002"]["Vendor Name"] == "Acme Vision"
    assert by_id["PW-AI-002"]["Agency"] == "Public Works"

    again = run_import(SYSTEM, "ai_use_case", text.encode("utf-8"), "ours.csv")
    assert again.problems == []
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 4, "rejected": 0}


@pytest.mark.django_db
def test_the_export_reads_the_same_few_queries_whatever_the_size(departments, client_for):
    vendor = make(em.Vendor, name="Acme Vision")
    system = make(em.System, name="Traffic cameras", owner_department=departments["PW"])

    def add(n: int) -> None:
        for i in range(n):
            _use(
                **answered_practices(),
                name=f"Use {AIUseCase.objects.count()} {i}",
                vendor=vendor,
                system=system,
                development="contracted",
                owner_department=departments["PW"],
            )

    def download(client) -> list[bytes]:
        response = client.get("/registers/ai-use-cases/inventory.csv")
        assert response.streaming  # written as it is read, never held whole
        return b"".join(response.streaming_content).splitlines()

    client = client_for("viewer")
    client.get("/")  # the session and the person read once, outside the counts
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert len(list(inventory_rows(SYSTEM))) == 2
    with CaptureQueriesContext(connection) as few_page:
        assert len(download(client)) == 3
    add(10)
    with CaptureQueriesContext(connection) as many:
        assert len(list(inventory_rows(SYSTEM))) == 12
    with CaptureQueriesContext(connection) as many_page:
        assert len(download(client)) == 13
    assert len(many) == len(few)
    assert len(many_page) == len(few_page)


@pytest.mark.django_db
def test_the_register_lives_at_a_lower_case_address_and_the_old_one_redirects(client_for):
    use = _use(high_impact="no", high_impact_reason="")
    assert reverse("registers:aiusecase_list") == "/registers/ai-use-cases/"
    client = client_for("viewer")
    assert client.get("/registers/ai-use-cases/").status_code == 200
    moved = client.get("/registers/AI-use-cases/?q=plate")
    assert moved.status_code == 301 and moved["Location"] == "/registers/ai-use-cases/?q=plate"
    detail = client.get(f"/registers/AI-use-cases/{use.pk}/")
    assert detail.status_code == 301
    assert detail["Location"] == f"/registers/ai-use-cases/{use.pk}/"
    assert client.get("/registers/AI-use-cases/", follow=True).status_code == 200
    # The API too; a write is redirected keeping its method (308), never made a read.
    api = client_for("admin")
    assert api.get("/api/registers/ai-use-cases/").status_code == 200
    old_api = api.get("/api/registers/AI-use-cases/")
    assert old_api.status_code == 301
    assert old_api["Location"] == "/api/registers/ai-use-cases/"
    patch = api.patch(f"/api/registers/AI-use-cases/{use.pk}/", {}, content_type="application/json")
    assert patch.status_code == 308
    assert patch["Location"] == f"/api/registers/ai-use-cases/{use.pk}/"
    assert Client().get("/api/registers/AI-use-cases/").status_code == 401  # as the API does
