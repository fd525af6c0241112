"""Social media accounts, datasets, pilots and surveillance reviews come in from the
spreadsheets cities keep them in: the columns are guessed from the headings people use,
reading a file again finds the records it added, a bad row is refused naming its row,
column and reason, and a pilot's stage moves only by its own verb."""

import datetime

import pytest

from townhall.core import context
from townhall.estate.models import Person, System
from townhall.imports import kinds
from townhall.imports.tests.helpers import make, run_import
from townhall.registers import pilot_moves
from townhall.registers.models import Dataset, Pilot, SocialAccount, SurveillanceReview

pytestmark = pytest.mark.django_db

SYSTEM = context.SYSTEM


def _counts(out) -> dict[str, int]:
    assert out.problems == [], out.report()
    return out.counts()


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _one_problem(out) -> dict:
    assert out.counts()["rejected"] == 1, out.report()
    [problem] = out.report()
    return problem


# --- Social media accounts ---

SOCIAL = _csv(
    "Platform,Handle,Dept,Account owner,Admins,MFA,Password kept in,Recovery email",
    "Facebook,JuniperParks,PW,Ana Lopez,Ana Lopez;Ben Ode,yes,LastPass,web@juniper.example",
    "Twitter,JuniperPW,PW,Ana Lopez,Ana Lopez,no,Spreadsheet,",
    "Instagram,JuniperFinance,FIN,Ben Ode,Ben Ode,yes,Password manager,",
)


def _people() -> None:
    make(Person, name="Ana Lopez", email="ana@juniper.example")
    make(Person, name="Ben Ode", email="ben@juniper.example")


def test_a_social_account_list_is_guessed_imported_and_found_again(departments):
    _people()
    header = SOCIAL.decode().splitlines()[0].split(",")
    assert kinds.get("social_account").guess(header) == {
        "Platform": "platform",
        "Handle": "handle",
        "Dept": "owner_department",
        "Account owner": "owner",
        "Admins": "administrators",
        "MFA": "multi_factor",
        "Password kept in": "credentials_kept_in",
        "Recovery email": "recovery_email",
    }
    out = run_import(SYSTEM, "social_account", SOCIAL, "accounts.csv")
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    parks = SocialAccount.objects.get(handle="JuniperParks")
    assert parks.platform == "facebook" and parks.multi_factor
    assert parks.credentials_kept_in == "vault"
    assert sorted(p.name for p in parks.administrators.all()) == ["Ana Lopez", "Ben Ode"]
    assert SocialAccount.objects.get(handle="JuniperPW").platform == "x"
    again = run_import(SYSTEM, "social_account", SOCIAL, "accounts.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert SocialAccount.objects.count() == 3


def test_a_social_account_row_breaking_a_rule_is_refused_by_row_and_column(departments):
    body = _csv("Platform,Handle,Dept", "Facebook,Juniper Parks,PW", "YouTube,JuniperTV,PW")
    out = run_import(SYSTEM, "social_account", body, "accounts.csv")
    problem = _one_problem(out)
    assert (problem["row"], problem["column"]) == (2, "Handle")
    assert problem["reason"] == "A handle has no spaces."
    assert not SocialAccount.objects.exists()  # a rejected row keeps the whole file out
    kept = run_import(SYSTEM, "social_account", body, "accounts.csv", valid_only=True)
    assert kept.counts()["created"] == 1
    assert SocialAccount.objects.get().handle == "JuniperTV"


# --- Data inventory ---

DATASETS = _csv(
    "Dataset ID,Dataset name,Description,Keywords,Dept,Data steward,Access level,"
    "Rights,Landing page,Contact email,Update frequency,Classification",
    "pw-potholes,Pothole repairs,Repairs by street,roads;potholes,PW,Ana Lopez,Public,,"
    "https://data.juniper.example/potholes,,Weekly,Public",
    "pw-fleet,Fleet fuel use,Fuel by vehicle,fleet,PW,Ana Lopez,Not public,"
    "Internal operations data,,,Monthly,Internal",
    "fin-budget,Adopted budget,Budget by fund,budget,FIN,Ben Ode,Public,,"
    "https://data.juniper.example/budget,budget@juniper.example,Annual,Public",
)


def test_a_dataset_inventory_is_guessed_imported_and_found_again(departments):
    _people()
    header = DATASETS.decode().splitlines()[0].split(",")
    guessed = kinds.get("dataset").guess(header)
    assert guessed == {
        "Dataset ID": "identifier",
        "Dataset name": "title",
        "Description": "description",
        "Keywords": "keywords",
        "Dept": "owner_department",
        "Data steward": "steward",
        "Access level": "access_level",
        "Rights": "rights",
        "Landing page": "landing_page",
        "Contact email": "contact_email",
        "Update frequency": "accrual_periodicity",
        "Classification": "classification",
    }
    out = run_import(SYSTEM, "dataset", DATASETS, "inventory.csv")
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    budget = Dataset.objects.get(identifier="fin-budget")
    assert budget.accrual_periodicity == "R/P1Y" and budget.access_level == "public"
    assert Dataset.objects.get(identifier="pw-fleet").access_level == "non-public"
    again = run_import(SYSTEM, "dataset", DATASETS, "inventory.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}


def test_a_dataset_is_found_by_its_identifier_whatever_its_title(departments):
    _people()
    run_import(SYSTEM, "dataset", DATASETS, "inventory.csv")
    renamed = DATASETS.replace(b"Pothole repairs", b"Pothole repairs by street")
    out = run_import(SYSTEM, "dataset", renamed, "inventory.csv")
    assert _counts(out) == {"created": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    assert Dataset.objects.get(identifier="pw-potholes").title == "Pothole repairs by street"


def test_a_dataset_row_breaking_a_rule_is_refused_by_row_and_column(departments):
    body = _csv(
        "Identifier,Title,Description,Keywords,Dept,Access level,Rights",
        "pw-trees,Street trees,Trees by block,trees,PW,Not public,Kept for crews",
        "pw-cases,Code cases,Open cases,code,PW,Not public,",
    )
    out = run_import(SYSTEM, "dataset", body, "inventory.csv")
    problem = _one_problem(out)
    assert (problem["row"], problem["column"]) == (3, "Rights")
    assert problem["reason"] == "Say why access is limited and how to ask for it."


# --- Innovation pilots ---

PILOTS = _csv(
    "Pilot name,Sponsor,Technology,Stage,Idea date,Pilot start,Collects PII,Vendor",
    "Smart bins,PW,Sensors,Idea,2026-01-05,,no,",
    "Park drones,PW,UAS,Idea,2026-02-01,,yes,",
    "Chatbot for permits,FIN,AI,Piloting,2025-11-01,2026-01-15,no,",
)


def test_a_pilot_list_is_guessed_imported_and_found_again(departments):
    header = PILOTS.decode().splitlines()[0].split(",")
    assert kinds.get("pilot").guess(header) == {
        "Pilot name": "title",
        "Sponsor": "owner_department",
        "Technology": "technology",
        "Stage": "stage",
        "Idea date": "idea_on",
        "Pilot start": "pilot_on",
        "Collects PII": "personal_data",
        "Vendor": "vendor",
    }
    out = run_import(SYSTEM, "pilot", PILOTS, "pilots.csv")
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    drones = Pilot.objects.get(title="Park drones")
    assert (drones.technology, drones.stage, drones.personal_data) == ("drone", "idea", True)
    chatbot = Pilot.objects.get(title="Chatbot for permits")
    assert chatbot.stage == "pilot" and chatbot.pilot_on == datetime.date(2026, 1, 15)
    again = run_import(SYSTEM, "pilot", PILOTS, "pilots.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}


def test_an_import_cannot_move_a_pilots_stage(departments):
    """The stage moves only by the move verb (with its checks and its own history line):
    a file saying a pilot on file is further along is refused, naming the stage column."""
    run_import(SYSTEM, "pilot", PILOTS, "pilots.csv")
    moved = PILOTS.replace(
        b"Park drones,PW,UAS,Idea,2026-02-01,,", b"Park drones,PW,UAS,Pilot,2026-02-01,2026-03-01,"
    )
    out = run_import(SYSTEM, "pilot", moved, "pilots.csv")
    problem = _one_problem(out)
    assert (problem["row"], problem["column"]) == (3, "Stage")
    assert problem["reason"] == (
        "The stage changes by its own actions on the record's page, not by an edit."
    )
    drones = Pilot.objects.get(title="Park drones")
    assert drones.stage == "idea" and drones.pilot_on is None
    assert out.counts()["unchanged"] == 2


def test_a_pilot_moved_by_its_verb_reads_back_unchanged(departments):
    """Once a pilot is moved on its page, the exported stage reads back without a change."""
    run_import(SYSTEM, "pilot", PILOTS, "pilots.csv")
    bins = Pilot.objects.get(title="Smart bins")
    pilot_moves.move(SYSTEM, bins, "pilot", on=datetime.date(2026, 3, 2))
    body = _csv("Pilot name,Sponsor,Stage,Pilot start", "Smart bins,PW,Pilot,2026-03-02")
    out = run_import(SYSTEM, "pilot", body, "pilots.csv")
    assert _counts(out) == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}


def test_a_retitled_pilot_is_found_by_its_external_id(departments):
    body = _csv("External ID,Pilot name,Sponsor", "PIL-7,Smart bins,PW")
    run_import(SYSTEM, "pilot", body, "pilots.csv")
    retitled = _csv("External ID,Pilot name,Sponsor", "PIL-7,Smart litter bins,PW")
    out = run_import(SYSTEM, "pilot", retitled, "pilots.csv")
    assert _counts(out) == {"created": 0, "updated": 1, "unchanged": 0, "rejected": 0}
    assert Pilot.objects.get().title == "Smart litter bins"


def test_a_pilot_row_breaking_a_rule_is_refused_by_row_and_column(departments):
    body = _csv(
        "Pilot name,Sponsor,Technology,Stage,Pilot start",
        "Smart bins,PW,Sensors,Idea,",
        "Curb sensors,PW,Sensors,Pilot,",
    )
    out = run_import(SYSTEM, "pilot", body, "pilots.csv")
    problem = _one_problem(out)
    assert (problem["row"], problem["column"]) == (3, "Pilot start")
    assert problem["reason"] == "A pilot at the pilot stage needs its day “pilot started on”."


# --- Surveillance reviews ---


def _reviewed(departments) -> None:
    """A pilot and a system with reviews to record."""
    make(Pilot, title="Park drones", technology="drone", owner_department=departments["PW"])
    make(System, name="Plate readers", owner_department=departments["PW"])


REVIEWS = _csv(
    "Pilot,System,Dept,Data collected,Decision,Decision date,Conditions",
    "Park drones,,PW,Aerial video,Approved with conditions,2026-02-10,No flights over homes",
    "Park drones,,PW,Aerial video,Denied,2025-09-01,",
    ",Plate readers,PW,Plates and times,Under review,,",
)


def test_surveillance_reviews_are_guessed_imported_and_found_again(departments):
    _reviewed(departments)
    header = REVIEWS.decode().splitlines()[0].split(",")
    assert kinds.get("surveillance_review").guess(header) == {
        "Pilot": "pilot",
        "System": "system",
        "Dept": "owner_department",
        "Data collected": "collected",
        "Decision": "decision",
        "Decision date": "decided_on",
        "Conditions": "conditions",
    }
    out = run_import(SYSTEM, "surveillance_review", REVIEWS, "reviews.csv")
    assert _counts(out) == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    decisions = sorted(SurveillanceReview.objects.values_list("decision", flat=True))
    assert decisions == ["approved_with_conditions", "pending", "rejected"]
    # Read again: each found by what it reviews and its decision day, the pending one
    # (of a system, no pilot, no day yet) too.
    again = run_import(SYSTEM, "surveillance_review", REVIEWS, "reviews.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    changed = REVIEWS.replace(b"Plates and times", b"Plates, times and places")
    changed = changed.replace(b"Plates, times and places", b'"Plates, times and places"')
    out = run_import(SYSTEM, "surveillance_review", changed, "reviews.csv")
    assert _counts(out) == {"created": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    assert SurveillanceReview.objects.filter(collected="Plates, times and places").count() == 1


def test_a_file_that_decides_a_pending_review_settles_it_rather_than_doubling_it(departments):
    _reviewed(departments)
    pending = _csv("Pilot,Collected,Decision,Decision date", "Park drones,Video,Pending,")
    decided = _csv(
        "Pilot,Collected,Decision,Decision date",
        "Park drones,Video,Approved,2026-03-02",
        "Park drones,Video,Denied,2025-09-01",
    )
    assert _counts(run_import(SYSTEM, "surveillance_review", pending, "r.csv"))["created"] == 1
    out = run_import(SYSTEM, "surveillance_review", decided, "r.csv")
    assert _counts(out) == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 0}
    again = run_import(SYSTEM, "surveillance_review", decided, "r.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert sorted(SurveillanceReview.objects.values_list("decision", "decided_on")) == [
        ("approved", datetime.date(2026, 3, 2)),
        ("rejected", datetime.date(2025, 9, 1)),
    ]


def test_a_file_with_only_a_pilot_column_imports_reviews_of_pilots(departments):
    _reviewed(departments)
    body = _csv("Pilot,Collected,Decision,Decided on", "Park drones,Video,Approved,2026-02-10")
    assert run_import(SYSTEM, "surveillance_review", body, "r.csv").counts()["created"] == 1
    again = run_import(SYSTEM, "surveillance_review", body, "r.csv")
    assert _counts(again) == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}


def test_a_surveillance_review_row_breaking_a_rule_is_refused_by_row_and_column(departments):
    _reviewed(departments)
    body = _csv(
        "Pilot,Collected,Decision,Decision date",
        "Park drones,Video,Approved,2026-02-10",
        "Park drones,Video,Approved,",
    )
    out = run_import(SYSTEM, "surveillance_review", body, "reviews.csv")
    problem = _one_problem(out)
    assert (problem["row"], problem["column"]) == (3, "Decision date")
    assert problem["reason"] == "Give the day the decision was made."
