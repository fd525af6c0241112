"""Positions and skill levels come in as every other spreadsheet does: a position control
list by title within its department, a skills survey as person, skill and level, found
again by person and skill when the file is read a second time."""

import pytest

from townhall.core import context
from townhall.imports import kinds
from townhall.imports.tests.helpers import run_import
from townhall.people.models import Position, Proficiency
from townhall.people.tests import factories as f

pytestmark = pytest.mark.django_db

SYSTEM = context.SYSTEM


def _counts(out) -> dict[str, int]:
    assert out.problems == [], out.report()
    return out.counts()


def test_a_position_list_is_guessed_and_imported(departments):
    f.team("Infrastructure")
    f.person("Pat Rivera", email="pat@county.example")
    header = ["Position Title", "Grade", "Team", "Incumbent", "Vacant Since", "Reports To", "FTE"]
    assert kinds.get("position").guess(header) == {
        "Position Title": "title",
        "Grade": "grade",
        "Team": "team",
        "Incumbent": "person",
        "Vacant Since": "vacant_since",
        "Reports To": "reports_to",
        "FTE": "fte",
    }
    body = (
        ",".join(header) + "\n"
        "Infrastructure Manager,IT4,Infrastructure,pat@county.example,,,1\n"
        "Network Engineer,IT3,Infrastructure,,2026-02-01,Infrastructure Manager,0.5\n"
    ).encode()
    out = run_import(SYSTEM, "position", body, "positions.csv")
    assert _counts(out) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    engineer = Position.objects.get(title="Network Engineer")
    assert engineer.reports_to.person.name == "Pat Rivera"
    assert str(engineer.fte) == "0.50" and engineer.vacant
    again = run_import(SYSTEM, "position", body, "positions.csv")
    assert _counts(again)["unchanged"] == 2


def test_a_filled_position_with_a_vacancy_date_is_rejected_naming_the_field(departments):
    f.team("Infrastructure")
    f.person("Pat Rivera")
    body = b"Title,Team,Employee,Vacant since\nDBA,Infrastructure,Pat Rivera,2026-01-01\n"
    out = run_import(SYSTEM, "position", body, "positions.csv")
    assert out.counts()["rejected"] == 1
    [problem] = out.report()
    assert (problem["row"], problem["column"]) == (2, "Vacant since")
    assert problem["reason"] == "A filled position has no vacant-since date: clear it."


def test_a_skills_survey_sets_levels_and_reading_it_again_changes_them():
    f.person("Pat Rivera")
    f.skill("IO-WRL-002", "Database Administration", "work_role")
    f.skill("TECH-POSTGRESQL", "PostgreSQL", "technology")
    body = b"Employee,Skill,Proficiency\nPat Rivera,IO-WRL-002,3\nPat Rivera,PostgreSQL,4\n"
    out = run_import(SYSTEM, "proficiency", body, "survey.csv")
    assert _counts(out) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    changed = body.replace(b"PostgreSQL,4", b"PostgreSQL,2")
    again = run_import(SYSTEM, "proficiency", changed, "survey.csv")
    assert _counts(again) == {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert Proficiency.objects.get(skill__code="TECH-POSTGRESQL").level == 2


def test_an_unknown_skill_is_rejected_saying_what_to_do():
    f.person("Pat Rivera")
    out = run_import(SYSTEM, "proficiency", b"Employee,Skill,Level\nPat Rivera,Cobol,3\n", "s.csv")
    assert out.counts()["rejected"] == 1
    [problem] = out.report()
    assert (problem["column"], problem["value"]) == ("Skill", "Cobol")
    assert "load the NICE core set" in problem["reason"]


def test_a_position_list_brings_capacity_and_market_columns(departments):
    from townhall.core import services
    from townhall.governance.models import SkillPool
    from townhall.people.models import MarketRate

    f.team("Infrastructure")
    services.create(SYSTEM, SkillPool, {"name": "Infrastructure", "code": "infra"})
    services.create(SYSTEM, MarketRate, {"name": "Network engineer", "market_pay": 98000})
    header = [
        "Job Title",
        "Team",
        "Vacant Since",
        "Skill Pool",
        "Annual Hours",
        "Expected Fill Date",
        "Market Rate",
    ]
    guessed = kinds.get("position").guess(header)
    assert [guessed[h] for h in header[3:]] == [
        "skill_pool",
        "available_hours",
        "fill_planned",
        "market_rate",
    ]
    body = (
        ",".join(header) + "\n"
        "Network Engineer,Infrastructure,2026-02-01,INFRA,1600,2026-09-01,Network engineer\n"
    ).encode()
    out = run_import(SYSTEM, "position", body, "positions.csv")
    assert _counts(out)["created"] == 1
    engineer = Position.objects.get(title="Network Engineer")
    assert engineer.skill_pool.code == "infra" and engineer.available_hours == 1600
    assert str(engineer.fill_planned) == "2026-09-01"
    assert engineer.market_rate.name == "Network engineer"
    bad = body.replace(b"INFRA", b"Nowhere").replace(b"Network Engineer,", b"DBA,")
    out = run_import(SYSTEM, "position", bad, "positions.csv")
    [problem] = out.report()
    assert problem["column"] == "Skill Pool" and "No skill pool" in problem["reason"]


def test_a_requisition_report_is_guessed_and_imported_with_its_rules(departments):
    from townhall.people.models import Requisition

    team = f.team("Cybersecurity")
    f.position("Security Analyst", team, None)
    f.person("Ann Lee", email="ann@county.example")
    header = ["Requisition Title", "Position", "Stage", "Date Opened", "Date Posted", "Applicants"]
    assert kinds.get("requisition").guess(header) == {
        "Requisition Title": "title",
        "Position": "position",
        "Stage": "stage",
        "Date Opened": "opened_on",
        "Date Posted": "posted_on",
        "Applicants": "applicants",
    }
    body = (
        ",".join(header) + "\n"
        "Security analyst hire,Security Analyst,posted,2026-01-05,2026-01-20,14\n"
        "Too early,Security Analyst,posted,2026-01-05,2025-12-20,3\n"
    ).encode()
    out = run_import(SYSTEM, "requisition", body, "requisitions.csv", valid_only=True)
    assert out.counts()["created"] == 1 and out.counts()["rejected"] == 1
    [problem] = out.report()
    assert (problem["row"], problem["column"]) == (3, "Date Posted")
    assert problem["reason"].startswith("This day comes before the day it was opened")
    hire = Requisition.objects.get(title="Security analyst hire")
    assert hire.team == team and hire.applicants == 14
