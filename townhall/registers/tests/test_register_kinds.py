"""The registers' records beyond the first few come in from spreadsheets too: a dataset's
distributions, continuum self-assessments kept one row per lane rating, readiness
assessments with their answers, and interoperability links. Each file is guessed from the
headings people use, read again without adding anything twice, and a bad row is refused by
row, column and reason."""

import datetime
import json
from pathlib import Path

import pytest

from townhall.core import context
from townhall.imports import exporting, kinds
from townhall.imports.tests.helpers import make, run_import
from townhall.registers.models import (
    ContinuumAssessment,
    Dataset,
    Distribution,
    InteropLink,
    LaneRating,
    ReadinessAssessment,
)
from townhall.registers.tests import radio_factories as radio

pytestmark = pytest.mark.django_db

SYSTEM = context.SYSTEM
FIXTURES = Path(__file__).parent / "fixtures"


def _file(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _counts(out) -> dict[str, int]:
    assert out.problems == [], out.report()
    return out.counts()


def _only_problem(out) -> dict:
    assert out.counts()["rejected"] == 1, out.report()
    [problem] = out.report()
    return problem


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_distributions_are_found_by_their_dataset_and_address(departments):
    for identifier, title in (("pw-potholes", "Pothole repairs"), ("fin-budget", "Adopted budget")):
        make(
            Dataset,
            identifier=identifier,
            title=title,
            description=title,
            keywords="roads",
            access_level="non-public",
            rights="Kept for crews",
            owner_department=departments["PW"],
        )
    body = _file("distributions.csv")
    assert kinds.get("distribution").guess(body.decode().splitlines()[0].split(",")) == {
        "Dataset": "dataset",
        "Title": "title",
        "Download URL": "download_url",
        "Access URL": "access_url",
        "MIME type": "media_type",
        "File format": "format",
    }
    out = run_import(SYSTEM, "distribution", body, "distributions.csv")
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    api = Distribution.objects.get(access_url="https://data.juniper.example/api/potholes")
    assert api.dataset.identifier == "pw-potholes" and api.format == "API"
    # Retitled in the file: found again by its address, and updated.
    renamed = body.replace(b"Pothole repairs (API)", b"Pothole repairs service")
    again = run_import(SYSTEM, "distribution", renamed, "distributions.csv")
    assert _counts(again) == {"created": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    assert Distribution.objects.count() == 3
    bad = _csv(
        "Dataset,Download URL,MIME type",
        "pw-potholes,https://data.juniper.example/potholes.csv,text/csv",
        "fin-budget,https://data.juniper.example/budget.xlsx,",
    )
    problem = _only_problem(run_import(SYSTEM, "distribution", bad, "distributions.csv"))
    assert (problem["row"], problem["column"]) == (3, "MIME type")
    assert problem["reason"] == "A download needs its media type, such as text/csv."


def test_a_continuum_sheet_of_lane_ratings_is_read_as_assessment_and_ratings(departments):
    """One sheet, one row per lane rating: imported as assessments it makes the one
    assessment of its day, imported as lane ratings its five ratings."""
    body = _file("continuum.csv")
    header = body.decode().splitlines()[0].split(",")
    assert kinds.get("lane_rating").guess(header) == {
        "Dept": "",  # a rating's department is its assessment's
        "Assessment date": "assessment",
        "Lane": "lane",
        "Level": "level",
        "Evidence": "evidence",
    }
    days = run_import(SYSTEM, "continuum_assessment", body, "continuum.csv")
    assert _counts(days)["created"] == 1
    assessment = ContinuumAssessment.objects.get()
    assert assessment.assessed_on == datetime.date(2026, 3, 2)
    assert assessment.owner_department == departments["PW"]
    out = run_import(SYSTEM, "lane_rating", body, "continuum.csv")
    assert _counts(out) == {"created": 5, "updated": 0, "unchanged": 0, "rejected": 0}
    levels = dict(LaneRating.objects.values_list("lane", "level"))
    assert levels == {
        "governance": 3,
        "procedures": 2,
        "technology": 4,
        "training": 2,
        "usage": 3,
    }
    # Read again, and with one level changed: found by assessment and lane.
    raised = body.replace(b"Usage,3,", b"Usage,4,")
    again = run_import(SYSTEM, "lane_rating", raised, "continuum.csv")
    assert _counts(again) == {"created": 0, "updated": 1, "unchanged": 4, "rejected": 0}
    assert LaneRating.objects.count() == 5
    assert run_import(SYSTEM, "continuum_assessment", body, "c.csv").counts()["unchanged"] == 5
    # Named as the export names it, the same assessment; a level past 5 is refused.
    bad = _csv(
        "Assessment,Lane,Level",
        "Continuum self-assessment of 2 March 2026,Usage,4",
        "3/2/2026,Technology,7",
        "2026-04-01,Usage,2",
    )
    out = run_import(SYSTEM, "lane_rating", bad, "continuum.csv")
    assert out.counts()["rejected"] == 2 and out.counts()["unchanged"] == 1, out.report()
    [level, day] = out.report()
    assert (level["row"], level["column"]) == (3, "Level")
    assert "less than or equal to 5" in level["reason"]
    assert (day["row"], day["column"], day["value"]) == (4, "Assessment", "2026-04-01")
    assert "No continuum self-assessment" in day["reason"]


def test_readiness_assessments_are_read_with_their_answers(departments):
    body = _file("readiness.csv")
    header = body.decode().splitlines()[0].split(",")
    guessed = kinds.get("readiness_assessment").guess(header)
    assert guessed == {
        "Assessment title": "title",
        "Tech": "technology",
        "Date assessed": "assessed_on",
        "Dept": "owner_department",
        "Answers": "answers",
    }
    out = run_import(SYSTEM, "readiness_assessment", body, "readiness.csv")
    assert _counts(out) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    chatbot = ReadinessAssessment.objects.get(title="Permit chatbot readiness")
    assert chatbot.technology == "ai" and chatbot.answers == {"ai-purpose": 2, "ai-data": 3}
    assert (chatbot.result.total, chatbot.result.answered) == (5, 2)
    # The export writes the answers as they are read back.
    kind = kinds.get("readiness_assessment")
    assert json.loads(exporting.cell(chatbot, kind, "answers")) == chatbot.answers
    sensors = ReadinessAssessment.objects.get(title="Street sensor readiness")
    assert sensors.technology == "iot" and sensors.answers == {}
    again = run_import(SYSTEM, "readiness_assessment", body, "readiness.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    bad = _csv(
        "Title,Technology,Department,Answers",
        'Drone readiness,Drones,PW,"{""ai-purpose"": 2}"',
        "Camera readiness,Body cameras,PW,ai-purpose = 2",
    )
    out = run_import(SYSTEM, "readiness_assessment", bad, "readiness.csv")
    [question, json_text] = out.report()
    assert (question["row"], question["column"]) == (2, "Answers")
    assert question["reason"] == "“ai-purpose” is not a question of this questionnaire."
    assert (json_text["row"], json_text["column"]) == (3, "Answers")
    assert json_text["reason"].startswith("Write it as JSON")
    assert ReadinessAssessment.objects.count() == 2


def test_interoperability_links_are_found_by_partner_talkgroup_and_how(departments):
    system = radio.radio()
    radio.talkgroup("Fire Dispatch", system)
    radio.talkgroup("Mutual Aid 1", system, purpose="mutual_aid")
    radio.partner("Cedar County Sheriff")
    radio.partner("State Police", kind="state")
    body = _file("interop_links.csv")
    assert kinds.get("radio_interop_link").guess(body.decode().splitlines()[0].split(",")) == {
        "Partner agency": "partner",
        "Talkgroup": "talkgroup",
        "Method": "how",
        "Last tested": "tested_on",
        "Result": "works",
    }
    out = run_import(SYSTEM, "radio_interop_link", body, "links.csv")
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    # One partner reaching one talkgroup two ways is two links.
    sheriff = InteropLink.objects.filter(partner__name="Cedar County Sheriff")
    assert sorted(sheriff.values_list("how", flat=True)) == ["cache_radios", "gateway"]
    state = InteropLink.objects.get(partner__name="State Police")
    assert (state.how, state.works) == ("shared_channel", "partly")
    retested = body.replace(b"2025-11-01,Partial", b"2026-02-01,Worked")
    again = run_import(SYSTEM, "radio_interop_link", retested, "links.csv")
    assert _counts(again) == {"created": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    assert InteropLink.objects.get(partner__name="State Police").works == "yes"
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    bad = _csv(
        "Partner,Channel,Last tested",
        "Cedar County Sheriff,Fire Dispatch,2026-01-15",
        f"State Police,Fire Dispatch,{future}",
    )
    problem = _only_problem(run_import(SYSTEM, "radio_interop_link", bad, "links.csv"))
    assert (problem["row"], problem["column"]) == (3, "Last tested")
    assert problem["reason"] == "A test date cannot be in the future."
    assert InteropLink.objects.count() == 3
