"""Insurance readiness: each data-backed answer from the records behind it, answers by
hand where the records are silent, gaps, the page and the write path."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.cyber import coverage, insurance, training
from townhall.cyber import models as m
from townhall.cyber.tests import factories as f
from townhall.cyber.tests import plan_factories as pf

TODAY = datetime.date(2026, 6, 15)


def answer(user, slug: str) -> insurance.Answer:
    return next(a for a in insurance.answers(user, TODAY) if a.question.slug == slug)


# --- plain computation ------------------------------------------------------------------


def test_questions_are_well_formed():
    slugs = [q.slug for q in insurance.QUESTIONS]
    assert 12 <= len(slugs) <= 15
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9-]+", s) and len(s) <= 60 for s in slugs)
    csf = re.compile(r"(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}")
    assert all(csf.fullmatch(s) for s in insurance.SUBCATEGORIES)
    assert all(q.function in coverage.BY_KEY for q in insurance.QUESTIONS if q.function)
    assert all(q.text.endswith("?") and q.gap for q in insurance.QUESTIONS)


@pytest.mark.parametrize(
    ("levels", "needs", "expected"),
    [
        ([5, 6], 5, "yes"),
        ([5, 4], 5, "partly"),
        ([2], 5, "partly"),
        ([1, 7], 5, "no"),
        ([5], 6, "partly"),
        ([], 5, None),
    ],
)
def test_level_answer(levels, needs, expected):
    assert insurance.level_answer(levels, needs) == expected


def test_a_yes_needs_every_subcategory_scored():
    assert insurance.level_answer([6], 5, unscored=1) is None
    assert insurance.level_answer([4], 5, unscored=1) == "partly"
    assert insurance.level_answer([1, 6], 5, unscored=2) == "no"


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [(95, 100, "yes"), (94, 100, "partly"), (50, 100, "partly"), (49, 100, "no"), (0, 0, None)],
)
def test_share_answer(done, total, expected):
    assert insurance.share_answer(done, total) == expected


def test_worst():
    assert insurance.worst(["yes", None, "partly"]) == "partly"
    assert insurance.worst(["yes", "no"]) == "no"
    assert insurance.worst([None]) is None


# --- answers from assessment scores ---------------------------------------------------


@pytest.mark.parametrize(("level", "expected"), [(5, "yes"), (3, "partly"), (1, "no")])
def test_mfa_from_the_assessment(users, level, expected):
    assessment = pf.scored({"PR.AA-03": level, "PR.AA-05": 6})
    a = answer(users["viewer"], "mfa-remote")
    assert (a.answer, a.basis) == (expected, "data")
    [finding] = a.findings
    assert finding.text == (
        f"2026 self-assessment: PR.AA-03 at {level} of 7 (a yes takes 5, the target, or above)."
    )
    score = m.Score.objects.get(assessment=assessment, requirement__identifier="PR.AA-03")
    assert finding.links == [("PR.AA-03 in 2026 self-assessment", score.get_absolute_url())]
    assert bool(a.gap) is (expected != "yes")


def test_restore_testing_needs_tested_and_verified(users):
    pf.scored({"PR.DS-11": 5, "RC.RP-03": 6})
    a = answer(users["viewer"], "backups-tested")
    assert a.answer == "partly"
    assert "a yes takes 6, tested and verified, or above" in a.findings[-1].text
    assert a.gap.startswith("Insurers ask for a restore test within the year")
    # Offline backups only need the target.
    assert answer(users["viewer"], "backups-protected").answer == "yes"


def test_a_subcategory_left_unscored_withholds_the_yes(users):
    pf.scored({"PR.AA-03": 6, "PR.AA-05": None})
    a = answer(users["viewer"], "mfa-privileged")
    assert (a.answer, a.basis) == ("unknown", "none")
    assert a.findings[0].text.startswith("2026 self-assessment: PR.AA-03 at 6 of 7; PR.AA-05 not")


def test_not_scored_and_not_applicable_do_not_answer(users):
    pf.scored({"PR.AA-03": None, "PR.AA-05": pf.NA})
    a = answer(users["viewer"], "mfa-privileged")
    assert (a.answer, a.basis) == ("unknown", "none")
    assert "PR.AA-03 not scored; PR.AA-05 marked not applicable" in a.findings[0].text
    assert a.gap.startswith("Not answered yet.")


def test_the_latest_in_progress_assessment_answers(users):
    fw = f.create(m.Framework, name="CSF", key="csf", release="2.0")
    pf.scored({"PR.AA-03": 1}, framework=fw, year=2027, name="2027", status="complete")
    pf.scored({"PR.AA-03": 6}, framework=fw, year=2026, name="2026")
    pf.scored({"GV.OC-01": 1}, framework=fw, year=2028, name="2028")  # scores none asked about
    assert insurance.readiness_assessment(users["viewer"]).name == "2026"
    assert answer(users["viewer"], "mfa-email").answer == "yes"


def test_current_evidence_is_linked(users):
    pf.scored({"PR.DS-11": 5})
    req = m.Requirement.objects.get(identifier="PR.DS-11")
    current = f.create(m.Evidence, title="Backup runbook", link="https://example.org/runbook")
    services.update(context.SYSTEM, current, {"requirements": [req]}, version=None)
    old = f.create(
        m.Evidence,
        title="Old runbook",
        link="https://example.org/old",
        expires=datetime.date(2026, 1, 1),
    )
    services.update(context.SYSTEM, old, {"requirements": [req]}, version=None)
    links = answer(users["viewer"], "backups-protected").findings[-1].links
    assert ("Evidence: Backup runbook", current.get_absolute_url()) in links
    assert all("Old runbook" not in label for label, _ in links)


# --- answers from who performs each function -------------------------------------------


def test_edr_from_coverage(users):
    row = pf.coverage("Endpoint detection and response", "managed", provider="Acme MDR")
    a = answer(users["viewer"], "edr")
    assert (a.answer, a.basis) == ("yes", "data")
    assert a.findings[0].text == "Performed by managed service (Acme MDR)."
    assert a.findings[0].links == [
        (
            "Endpoint detection and response (who performs it)",
            reverse("cyber:coverage_matrix") + f"#coverage-{row.pk}",
        )
    ]
    # A weak self-assessed level pulls it down: the weaker answer wins.
    pf.scored({"DE.CM-09": 3})
    assert answer(users["viewer"], "edr").answer == "partly"
    services.update(context.SYSTEM, row, {"performer": "nobody"}, version=None)
    assert answer(users["viewer"], "edr").answer == "no"


@pytest.mark.parametrize(
    ("performer", "hours", "expected"),
    [("managed", "24x7", "yes"), ("state", "business hours", "partly"), ("nobody", "", "no")],
)
def test_monitoring_from_coverage_hours(users, performer, hours, expected):
    pf.coverage("Security monitoring and alert triage", performer, hours=hours)
    pf.scored({"DE.CM-01": 1})  # the direct record outranks the self-assessed level
    a = answer(users["viewer"], "monitoring")
    assert (a.answer, a.basis) == (expected, "data")
    assert len(a.findings) == 1


def test_monitoring_without_hours_falls_back_to_scores(users):
    pf.coverage("Security monitoring and alert triage", "managed", provider="SOC")
    pf.scored({"DE.CM-01": 5, "DE.CM-09": 6})
    a = answer(users["viewer"], "monitoring")
    assert a.answer == "yes"
    assert a.findings[0].text == "Performed by managed service (SOC); its hours are not recorded."
    assert a.findings[1].answer == "yes"


def test_missing_function_is_said(users):
    a = answer(users["viewer"], "email-filtering")
    assert a.answer == "unknown"
    assert a.findings[0].text == "“E-mail security” is not in the coverage matrix."


# --- answers from training, exposures and the estate -----------------------------------


def test_training_share_of_people(users):
    course = pf.course(renewal_months=12)
    pf.course("Optional webinar", required=False)
    people = [f.person(n) for n in range(1, 5)]
    for p in people[:3]:
        pf.completion(p, course, datetime.date(2026, 1, 10))
    pf.completion(people[3], course, datetime.date(2025, 1, 10))  # lapsed

    a = answer(users["viewer"], "training")
    assert (a.answer, a.basis) == ("partly", "data")
    assert a.findings[0].text == (
        "3 of 4 people in the register (75%) are current on every required course "
        "(Security awareness). 1 is overdue or has never completed one."
    )
    assert a.findings[0].links[0] == (
        "Training coverage by department",
        reverse("cyber:training_coverage"),
    )
    pf.completion(people[3], course, datetime.date(2026, 2, 1))
    a = answer(users["viewer"], "training")
    assert a.answer == "yes"
    assert a.findings[0].text.endswith("(Security awareness).")


def test_training_answer_agrees_with_the_training_page(users):
    """One definition of “current”: a completion holds through its due date, a course
    renewed every 0 months never lapses, and the percent is the training summary's."""
    yearly = pf.course(renewal_months=12)
    once = pf.course("Acceptable use", renewal_months=0)
    people = [f.person(n) for n in range(1, 4)]
    for p in people:
        pf.completion(p, once, datetime.date(2019, 5, 1))
    pf.completion(people[0], yearly, datetime.date(2025, 6, 15))  # due today: still current
    pf.completion(people[1], yearly, datetime.date(2025, 6, 14))  # due yesterday: overdue
    # people[2] never took the yearly course.

    summary = training.training_summary(users["viewer"], TODAY)
    a = answer(users["viewer"], "training")

    assert (summary["covered"], summary["people"], summary["percent"]) == (1, 3, 33.3)
    assert a.findings[0].text == (
        "1 of 3 people in the register (33.3%) are current on every required course "
        "(Acceptable use, Security awareness). 2 are overdue or have never completed one."
    )
    assert a.answer == "no"  # below half, as before


@pytest.mark.parametrize(
    ("covered", "expected"), [(19, "yes"), (18, "partly"), (10, "partly"), (9, "no")]
)
def test_training_thresholds(users, covered, expected):
    course = pf.course(renewal_months=12)
    for n in range(1, 21):
        p = f.person(n)
        if n <= covered:
            pf.completion(p, course, datetime.date(2026, 1, 10))
    assert answer(users["viewer"], "training").answer == expected


def test_training_without_courses_falls_back_to_the_assessment(users):
    f.person(1)
    a = answer(users["viewer"], "training")
    assert a.answer == "unknown"
    assert a.findings[0].text == "No required training course is recorded."
    pf.scored({"PR.AT-01": 4})
    assert answer(users["viewer"], "training").answer == "partly"


def test_kev_patching(users):
    assert answer(users["viewer"], "kev-patching").answer == "unknown"
    system = f.system(1)
    vuln = f.vulnerability()
    exposure = pf.exposure(system, vuln, due_date=datetime.date(2026, 7, 1))
    a = answer(users["viewer"], "kev-patching")
    assert a.answer == "yes"
    assert a.findings[0].text == "None past its due date; 1 open and not yet due."

    late = pf.exposure(f.system(2), vuln, due_date=datetime.date(2026, 6, 1))
    a = answer(users["viewer"], "kev-patching")
    assert a.answer == "no"
    assert a.findings[0].text == (
        "1 open known-exploited vulnerability is past CISA's due date; 1 more not yet due."
    )
    assert a.findings[0].links[0] == (
        "Open past their due date",
        reverse("cyber:exposure_list") + "?kind=kev&status=open&due_before=2026-06-15",
    )
    services.update(context.SYSTEM, late, {"status": "mitigated"}, version=None)
    assert answer(users["viewer"], "kev-patching").answer == "yes"
    assert exposure.status == "open"


def test_end_of_life(users):
    assert answer(users["viewer"], "end-of-life").answer == "unknown"
    retired = f.system(1, end_of_support=datetime.date(2020, 1, 1), lifecycle="retired")
    a = answer(users["viewer"], "end-of-life")
    assert a.answer == "yes"
    assert a.findings[0].text.startswith("0 open end-of-life exposures; 0 systems and 0 components")

    f.system(2, end_of_support=datetime.date(2026, 1, 1))
    assert answer(users["viewer"], "end-of-life").answer == "no"
    assert retired.lifecycle == "retired"


def test_end_of_life_from_exposures(users):
    pf.exposure(f.system(1), release=pf.release())
    a = answer(users["viewer"], "end-of-life")
    assert a.answer == "no"
    assert a.findings[0].text.startswith("1 open end-of-life exposure; 0 systems")


# --- answers by hand --------------------------------------------------------------------


def test_manual_answer_where_the_records_are_silent(users):
    insurance.record_answer(users["staff"], "remote-desktop", {"answer": "yes"}, None)
    a = answer(users["viewer"], "remote-desktop")
    assert (a.answer, a.basis, a.gap) == ("yes", "manual", "")
    insurance.record_answer(users["staff"], "phishing-simulation", {"answer": "unknown"}, None)
    assert answer(users["viewer"], "phishing-simulation").basis == "none"


def test_records_outrank_a_disagreeing_manual_answer(users):
    pf.coverage("Endpoint detection and response", "nobody")
    insurance.record_answer(users["staff"], "edr", {"answer": "yes"}, None)
    a = answer(users["viewer"], "edr")
    assert (a.answer, a.basis, a.disagrees) == ("no", "data", True)
    assert a.manual.answer == "yes"


def test_record_answer_goes_through_the_write_path(users):
    first = insurance.record_answer(users["staff"], "remote-desktop", {"answer": "no"}, None)
    second = insurance.record_answer(
        users["staff"], "remote-desktop", {"answer": "partly"}, first.version
    )
    assert second.pk == first.pk and second.version == 2
    assert (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(m.InsuranceAnswer),
            object_id=str(first.pk),
        ).count()
        == 2
    )
    with pytest.raises(services.ConflictError):
        insurance.record_answer(users["staff"], "remote-desktop", {"answer": "yes"}, 1)
    with pytest.raises(KeyError):
        insurance.record_answer(users["staff"], "made-up", {"answer": "yes"}, None)
    with pytest.raises(PermissionDenied):
        insurance.record_answer(users["viewer"], "remote-desktop", {"answer": "yes"}, 2)


# --- the page ---------------------------------------------------------------------------


def test_page_for_viewers_refused_to_liaisons(users, client_for):
    pf.coverage("Endpoint detection and response", "managed")
    url = reverse("cyber:insurance")
    response = client_for("viewer").get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Endpoint detection and response" in text
    assert "Record our answer" not in text
    assert client_for("liaison").get(url).status_code == 403
    staff = client_for("staff").get(url).content.decode()
    assert staff.count("<summary>Record our answer") == len(insurance.QUESTIONS)


def test_staff_record_an_answer_on_the_page(users, client_for):
    url = reverse("cyber:insurance_record", args=["remote-desktop"])
    client = client_for("staff")
    response = client.post(
        url, {"remote-desktop-answer": "yes", "remote-desktop-notes": "Checked the firewall"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#question-remote-desktop")
    saved = m.InsuranceAnswer.objects.get(question="remote-desktop")
    assert (saved.answer, saved.notes, saved.version) == ("yes", "Checked the firewall", 1)
    page = client.get(reverse("cyber:insurance")).content.decode()
    assert "IT staff answered “Yes”: Checked the firewall." in page


def test_a_stale_answer_is_a_conflict(users, client_for):
    first = insurance.record_answer(users["admin"], "remote-desktop", {"answer": "no"}, None)
    url = reverse("cyber:insurance_record", args=["remote-desktop"])
    # Opened before the admin answered: no version on the form.
    response = client_for("staff").post(url, {"remote-desktop-answer": "yes"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "was answered by someone else while you were editing it." in text
    assert "admin1" in text
    first.refresh_from_db()
    assert first.answer == "no"
    # Opened at version 1, then changed by the admin.
    services.update(users["admin"], first, {"answer": "partly"}, version=1)
    stale = client_for("staff").post(
        url, {"remote-desktop-answer": "yes", "remote-desktop-version": "1"}
    )
    assert stale.status_code == 409
    first.refresh_from_db()
    assert first.answer == "partly"


def test_bad_answer_posts(users, client_for):
    staff = client_for("staff")
    bad = staff.post(
        reverse("cyber:insurance_record", args=["remote-desktop"]),
        {"remote-desktop-answer": "maybe"},
    )
    assert bad.status_code == 400
    assert "Select a valid choice." in bad.content.decode()
    missing = staff.post(reverse("cyber:insurance_record", args=["no-such-question"]), {})
    assert missing.status_code == 404
    viewer = client_for("viewer").post(
        reverse("cyber:insurance_record", args=["remote-desktop"]),
        {"remote-desktop-answer": "yes"},
    )
    assert viewer.status_code == 403
    assert not m.InsuranceAnswer.objects.exists()


def test_insurance_summary(users):
    pf.coverage("Endpoint detection and response", "managed")
    insurance.record_answer(users["staff"], "remote-desktop", {"answer": "no"}, None)
    summary = insurance.insurance_summary(users["board"], TODAY)
    assert summary["questions"] == len(insurance.QUESTIONS)
    assert (summary["yes"], summary["no"]) == (1, 1)
    assert summary["yes"] + summary["partly"] + summary["no"] + summary["unknown"] == len(
        insurance.QUESTIONS
    )
    assert summary["from_data"] == 1
    assert len(summary["gaps"]) == len(insurance.QUESTIONS) - 1
    gap = next(g for g in summary["gaps"] if g["slug"] == "remote-desktop")
    assert gap["answer"] == "no" and gap["label"] == "No" and gap["gap"].startswith("Remote")
    assert summary["url"] == reverse("cyber:insurance")
    assert summary["assessment"] is None
    assert insurance.insurance_summary(users["liaison"])["questions"] == 0
