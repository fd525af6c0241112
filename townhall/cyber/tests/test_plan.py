"""The plan of action and milestones: actions proposed from the assessment, risks and
exposures without duplicates or touching what people edited; the page, its filters and
permissions; the spreadsheet read back cell by cell."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from townhall.core import context, services
from townhall.cyber import models as m
from townhall.cyber import plan
from townhall.cyber.tests import factories as f
from townhall.cyber.tests import plan_factories as pf

A = m.Action
TODAY = datetime.date.today()


# --- plain computation ------------------------------------------------------------------


def test_titles_say_what_to_do():
    assert plan.gap_title("GV.OC-01", "Mission understood", 3, 5) == (
        "Raise GV.OC-01 from 3 to 5: Mission understood"
    )
    assert plan.gap_title("1.A", "", 1, 5) == "Raise 1.A from 1 to 5"
    assert plan.risk_title("Old firewall", 12) == "Treat the risk “Old firewall” (rated 12 of 25)"
    assert plan.kev_title("CVE-1", "Acme Widget", "37 systems", True) == (
        "Patch or mitigate CVE-1 (Acme Widget) on 37 systems — used in ransomware"
    )
    assert plan.eol_title("Windows Server 2012", "Payroll", datetime.date(2023, 10, 10)) == (
        "Upgrade, replace or isolate Windows Server 2012 on Payroll (end of life 2023-10-10)"
    )


def test_product_names_say_the_vendor_once():
    assert plan.product_name("Acme", "Widget Server") == "Acme Widget Server"
    assert plan.product_name("Basalt", "Basalt Server OS") == "Basalt Server OS"
    assert plan.product_name("fortinet", "FortiOS") == "fortinet FortiOS"
    assert plan.product_name("", "FortiOS") == "FortiOS"
    assert plan.product_name("Acme", "") == "Acme"


def test_where_an_action_applies_in_words():
    assert plan.items_phrase(1, 0, "Permits") == "Permits"
    assert plan.items_phrase(0, 1, "Core switch") == "Core switch"
    assert plan.items_phrase(37, 0, "Permits") == "37 systems"
    assert plan.items_phrase(0, 2) == "2 components"
    assert plan.items_phrase(1, 1, "Permits") == "1 system and 1 component"
    assert plan.items_phrase(1200, 3) == "1,200 systems and 3 components"


def test_affected_note_names_ten_and_counts_the_rest():
    names = [f"S{n}" for n in range(1, 13)]
    assert plan.affected_note(names) == (
        "Affected (12): S1, S2, S3, S4, S5, S6, S7, S8, S9, S10 and 2 more."
    )
    assert plan.affected_note(names[:10]) == (
        "Affected (10): S1, S2, S3, S4, S5, S6, S7, S8, S9, S10."
    )
    assert plan.affected_note(["Permits"]) == "Affected (1): Permits."
    assert plan.affected_note([]) == ""


def _hit(n, key, due=None, ransomware=False, owner=None, system=True, what="CVE-X"):
    return plan.Hit(n, key, what, f"Item {n}", system, due, ransomware, owner)


def test_group_hits_by_vulnerability_and_release():
    d = datetime.date
    hits = [
        _hit(1, ("kev", 7), d(2026, 3, 1), owner=10),
        _hit(2, ("eol", 7), None, what="Windows Server 2012"),  # same id, other kind
        _hit(3, ("kev", 7), d(2026, 2, 1), owner=11, system=False),
        _hit(4, ("kev", 8), d(2026, 9, 1), ransomware=True, what="CVE-Y", owner=12),
        _hit(5, ("kev", 7), None, owner=10),
        _hit(6, ("kev", 9), d(2026, 2, 1), what="CVE-A"),
    ]
    groups = plan.group_hits(hits)
    # Ransomware first; then the soonest due (CVE-A and CVE-X tie: by CVE); no date last.
    assert [g.key for g in groups] == [("kev", 8), ("kev", 9), ("kev", 7), ("eol", 7)]
    x = groups[2]
    assert [h.exposure for h in x.hits] == [3, 1, 5]  # most urgent first, no date last
    assert x.first.exposure == 3
    assert x.due == d(2026, 2, 1)  # the earliest among them
    assert (x.systems, x.components) == (2, 1)
    assert x.where() == "2 systems and 1 component"
    assert x.owner == 10  # owns two of the three; the most urgent's owner owns one
    assert x.ransomware is False and groups[0].ransomware is True
    assert groups[0].where() == "Item 4"
    assert groups[1].owner is None and groups[3].due is None


def test_group_owner_tie_goes_to_the_most_urgent():
    d = datetime.date
    hits = [
        _hit(1, ("kev", 1), d(2026, 5, 1), owner=20),
        _hit(2, ("kev", 1), d(2026, 4, 1), owner=21),
    ]
    assert plan.group_hits(hits)[0].owner == 21


def test_long_titles_are_cut_with_an_ellipsis():
    title = plan.gap_title("GV.OC-01", "word " * 100, 2, 5)
    assert len(title) == 300
    assert title.endswith("…")


def test_milestones_keep_their_dates():
    text = (
        "- 2026-03-31: vendor chosen\n"
        "* 6/30/2026 — pilot in Public Works\n"
        "\n"
        "1. Roll out to everyone\n"
        "2026-02-30 not a real date\n"
    )
    assert plan.milestones(text) == [
        (datetime.date(2026, 3, 31), "vendor chosen"),
        (datetime.date(2026, 6, 30), "pilot in Public Works"),
        (None, "Roll out to everyone"),
        (None, "2026-02-30 not a real date"),
    ]
    assert plan.milestones("") == []


# --- generating from the assessment ---------------------------------------------------


@pytest.fixture
def owner(db):
    return f.person(1)


def test_one_action_per_subcategory_below_target(users, owner):
    assessment = pf.scored(
        {"GV.OC-01": 2, "ID.AM-01": 5, "PR.AA-03": 6, "PR.DS-11": pf.NA, "DE.CM-01": None},
        responsible=owner,
    )
    report = plan.generate_actions(users["staff"], assessment)

    [action] = report.from_assessment
    assert action.title == "Raise GV.OC-01 from 2 to 5: Outcome GV.OC-01"
    assert action.source == A.Source.ASSESSMENT
    assert action.requirement.identifier == "GV.OC-01"
    assert action.assessment == assessment
    assert action.owner == owner
    assert action.cost is None and action.due_date is None
    assert action.status == A.Status.PLANNED
    assert report.not_scored == 1  # DE.CM-01; the N/A one is not counted at all
    assert A.objects.count() == 1


def test_target_is_the_assessments_own(users):
    assessment = pf.scored({"GV.OC-01": 5, "GV.OC-02": 6}, target=6)
    report = plan.generate_actions(users["staff"], assessment)
    assert [a.title for a in report.from_assessment] == [
        "Raise GV.OC-01 from 5 to 6: Outcome GV.OC-01"
    ]


def test_default_assessment_is_the_latest_in_progress(users):
    fw = f.create(m.Framework, name="CSF", key="csf", release="2.0")
    pf.scored({"GV.OC-01": 1}, framework=fw, year=2027, name="2027", status="complete")
    current = pf.scored({"GV.OC-01": 2}, framework=fw, year=2026, name="2026")
    assert plan.default_assessment(users["staff"]) == current
    report = plan.generate_actions(users["staff"])
    assert report.assessment == current
    assert [a.assessment for a in report.added] == [current]


def test_default_falls_back_to_the_latest(users):
    fw = f.create(m.Framework, name="CSF", key="csf", release="2.0")
    pf.scored({"GV.OC-01": 1}, framework=fw, year=2025, name="2025", status="complete")
    latest = pf.scored({"GV.OC-01": 1}, framework=fw, year=2026, name="2026", status="complete")
    assert plan.default_assessment(users["staff"]) == latest


def test_no_assessment_still_plans_risks(users):
    pf.risk()
    report = plan.generate_actions(users["staff"])
    assert report.assessment is None
    assert len(report.from_risks) == 1
    assert "No assessment to take gaps from." in report.lines()


# --- generating from risks and exposures ------------------------------------------------


def test_one_action_per_open_risk_with_owner_and_date(users, owner):
    due = datetime.date(2026, 9, 30)
    open_risk = pf.risk(
        "Flat network", owner=owner, due_date=due, residual_likelihood=3, residual_impact=4
    )
    treated = pf.risk("No MFA on VPN", status=m.Risk.Status.IN_TREATMENT)
    pf.risk("Closed one", status=m.Risk.Status.CLOSED)
    pf.risk(
        "Accepted one",
        status=m.Risk.Status.ACCEPTED,
        treatment=m.Risk.Treatment.ACCEPT,
        approver=owner,
        acceptance_expires=datetime.date(2027, 1, 1),
    )
    already = pf.risk("Has an action")
    f.create(A, title="Our own plan", source=A.Source.RISK, risk=already)

    report = plan.generate_actions(users["staff"])

    by_risk = {a.risk: a for a in report.from_risks}
    assert set(by_risk) == {open_risk, treated}
    assert by_risk[open_risk].title == "Treat the risk “Flat network” (rated 12 of 25)"
    assert by_risk[open_risk].owner == owner
    assert by_risk[open_risk].due_date == due
    assert by_risk[treated].title == "Treat the risk “No MFA on VPN” (rated 9 of 25)"
    assert report.already_planned == 1
    assert A.objects.filter(risk=already).count() == 1


def test_exposures_ransomware_first_due_by_kev(users, owner):
    permits = f.system(1, technical_owner=owner)
    payroll = f.system(2)
    plain = f.vulnerability("CVE-2024-0001", due_date=datetime.date(2026, 1, 1))
    ransom = f.vulnerability("CVE-2024-0002", due_date=datetime.date(2026, 6, 1), ransomware=True)
    late = pf.exposure(permits, plain)
    first = pf.exposure(payroll, ransom, ransomware=True, due_date=datetime.date(2026, 5, 1))
    pf.exposure(payroll, plain, status=m.Exposure.Status.MITIGATED)
    ended = pf.exposure(payroll, release=pf.release())

    report = plan.generate_actions(users["staff"])

    assert [a.exposure for a in report.from_exposures] == [first, late, ended]
    a_first, a_late, a_ended = report.from_exposures
    assert a_first.title == (
        "Patch or mitigate CVE-2024-0002 (Acme Widget Server) on System 2 — used in ransomware"
    )
    assert a_first.due_date == datetime.date(2026, 5, 1)  # the exposure's own date
    assert a_late.due_date == datetime.date(2026, 1, 1)  # none of its own: the KEV date
    assert a_late.owner == owner  # the system's technical owner
    assert a_late.notes == "Affected (1): System 1."
    assert a_ended.title == (
        "Upgrade, replace or isolate windows-server 2012 on System 2 (end of life 2023-10-10)"
    )
    assert a_ended.due_date is None
    lines = report.lines()
    assert (
        "2 for known-exploited vulnerabilities (1 used in ransomware) on 2 systems and components."
        in lines
    )
    assert "1 for releases at or near end of life on 1 system or component." in lines


def test_one_action_per_vulnerability_and_per_release(users, owner):
    other = f.person(2)
    systems = [f.system(n, technical_owner=owner if n < 3 else other) for n in range(1, 15)]
    router = _component("Core router")
    vuln = f.vulnerability("CVE-2024-1234", vendor_project="Fortinet", product="FortiOS")
    for n, system in enumerate(systems):
        due = datetime.date(2026, 3, 1) + datetime.timedelta(days=n)
        pf.exposure(system, vuln, due_date=due)
    urgent = pf.exposure(router, vuln, due_date=datetime.date(2026, 2, 1))
    pf.exposure(f.system(99), vuln, status=m.Exposure.Status.MITIGATED)  # not counted
    old = pf.release(label="Windows Server")
    for system in systems[:3]:
        pf.exposure(system, release=old)

    report = plan.generate_actions(users["staff"])

    assert A.objects.count() == 2
    kev, eol = report.from_kev[0], report.from_eol[0]
    assert kev.title == (
        "Patch or mitigate CVE-2024-1234 (Fortinet FortiOS) on 14 systems and 1 component"
    )
    assert kev.exposure == urgent  # the most urgent exposure: links keep working
    assert kev.due_date == datetime.date(2026, 2, 1)  # the earliest among them
    assert kev.owner == other  # technical owner of 12 of the 14 systems
    assert kev.source == A.Source.EXPOSURE
    assert kev.notes == (
        "Affected (15): Core router, System 1, System 2, System 3, System 4, System 5, "
        "System 6, System 7, System 8, System 9 and 5 more."
    )
    assert eol.title == (
        "Upgrade, replace or isolate Windows Server 2012 on 3 systems (end of life 2023-10-10)"
    )
    assert eol.owner == owner
    assert (report.kev_items, report.eol_items) == (15, 3)
    assert "1 for known-exploited vulnerabilities on 15 systems and components." in report.lines()
    assert "1 for releases at or near end of life on 3 systems and components." in report.lines()
    assert plan.source_link(kev) == (
        "CVE-2024-1234 (Fortinet FortiOS)",
        vuln.get_absolute_url(),
    )
    assert plan.source_link(eol) == ("End of life: Windows Server 2012", old.get_absolute_url())


def _component(name: str):
    from townhall.estate.models import Component

    return f.create(Component, name=name)


def test_new_exposures_of_a_planned_vulnerability_add_nothing(users):
    vuln = f.vulnerability()
    first = pf.exposure(f.system(1), vuln)
    report = plan.generate_actions(users["staff"])
    [action] = report.from_kev
    # Matching later finds the same vulnerability on more systems.
    for n in range(2, 6):
        pf.exposure(f.system(n), vuln)
    # An action a person added by hand about one exposure to another vulnerability counts too.
    other = f.vulnerability("CVE-2024-0009")
    pf.exposure(f.system(1), other)
    hand = f.create(A, title="Ours", source="other", exposure=pf.exposure(f.system(2), other))

    again = plan.generate_actions(users["staff"])

    assert again.added == []
    assert again.already_planned == 2
    assert set(A.objects.values_list("pk", flat=True)) == {action.pk, hand.pk}
    assert action.exposure == first
    # A cancelled action does not count: the vulnerability is proposed again, once.
    services.update(users["staff"], action, {"status": "cancelled"}, version=action.version)
    [fresh] = plan.generate_actions(users["staff"]).from_kev
    assert fresh.title.endswith("on 5 systems")
    assert plan.generate_actions(users["staff"]).added == []


def test_resolved_when_every_exposure_of_it_is_closed(users):
    vuln = f.vulnerability()
    exposures = [pf.exposure(f.system(n), vuln) for n in range(1, 4)]
    ended = pf.exposure(f.system(1), release=pf.release())
    plan.generate_actions(users["staff"])
    kev = A.objects.get(exposure__vulnerability=vuln)
    eol = A.objects.get(exposure=ended)

    for e in exposures[:2]:
        services.update(context.SYSTEM, e, {"status": "mitigated"}, version=None)
    reasons = plan.resolutions(users["staff"], plan.plan_rows(users["staff"]))
    assert reasons == {}  # the action's own exposure is mitigated, but System 3 is not

    services.update(context.SYSTEM, exposures[2], {"status": "accepted"}, version=None)
    services.transition(context.SYSTEM, ended, "gone")
    reasons = plan.resolutions(users["staff"], plan.plan_rows(users["staff"]))
    assert reasons == {
        kev.pk: "No system or component is exposed to CVE-2024-0001 any more.",
        eol.pk: "No system or component is exposed to windows-server 2012 any more.",
    }
    assert {a.pk for a in plan.generate_actions(users["staff"]).resolved} == {kev.pk, eol.pk}


def test_generating_costs_the_same_queries_for_more_exposures(users):
    vulns = [f.vulnerability(f"CVE-2025-{n:04d}") for n in range(2)]
    old = pf.release()
    count = 0

    def add(k: int) -> None:
        nonlocal count
        for _ in range(k):
            count += 1
            system = f.system(count)
            for v in vulns:
                pf.exposure(system, v)
            pf.exposure(system, release=old)

    def generate() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as ctx:
            report = plan.generate_actions(users["staff"])
        return len(ctx.captured_queries), report.added

    add(1)
    few, added = generate()
    assert len(added) == 3
    for action in added:  # cancelled: the next run proposes them again
        services.update(users["staff"], action, {"status": "cancelled"}, version=1)
    add(40)
    many, added = generate()
    assert len(added) == 3
    assert all("on 41 systems" in a.title for a in added)
    assert many == few


# --- idempotent, and hands off what people edited ---------------------------------------


def test_running_twice_adds_nothing_the_second_time(users):
    pf.scored({"GV.OC-01": 2, "GV.OC-02": 3})
    pf.risk()
    pf.exposure(f.system(1), f.vulnerability())
    first = plan.generate_actions(users["staff"])
    assert len(first.added) == 4

    second = plan.generate_actions(users["staff"])
    assert second.added == []
    assert second.already_planned == 4
    assert A.objects.count() == 4
    assert second.lines()[0] == "Added 0 actions to the plan."


def test_edited_actions_are_left_alone_and_resolution_reported(users, owner):
    assessment = pf.scored({"GV.OC-01": 2})
    vuln = f.vulnerability()
    exposure = pf.exposure(f.system(1), vuln)
    risk = pf.risk()
    report = plan.generate_actions(users["staff"], assessment)
    edited = {}
    for action in report.added:
        edited[action.pk] = services.update(
            users["staff"],
            action,
            {
                "title": f"Our words {action.pk}",
                "owner": owner,
                "cost": Decimal("1500.00"),
                "due_date": datetime.date(2026, 12, 1),
                "milestones": "2026-10-01: quote",
                "status": A.Status.IN_PROGRESS,
            },
            version=action.version,
        )
    # The sources get resolved.
    score = m.Score.objects.get(assessment=assessment)
    services.update(context.SYSTEM, score, {"level": 5}, version=None)
    services.update(context.SYSTEM, exposure, {"status": "mitigated"}, version=None)
    services.update(context.SYSTEM, risk, {"status": "closed"}, version=None)

    again = plan.generate_actions(users["staff"], assessment)

    assert again.added == []
    assert {a.pk for a in again.resolved} == set(edited)
    for pk, before in edited.items():
        after = A.objects.get(pk=pk)
        assert after.version == before.version
        assert (after.title, after.cost, after.owner, after.status) == (
            before.title,
            Decimal("1500.00"),
            owner,
            A.Status.IN_PROGRESS,
        )
    reasons = plan.resolutions(users["staff"], A.objects.all(), assessment)
    assert sorted(reasons.values()) == [
        "GV.OC-01 is at 5 in 2026 self-assessment.",
        "No system or component is exposed to CVE-2024-0001 any more.",
        "The risk is closed.",
    ]


def test_next_year_keeps_the_open_action_but_replaces_a_done_one(users):
    fw = f.create(m.Framework, name="CSF", key="csf", release="2.0")
    last = pf.scored({"GV.OC-01": 2, "GV.OC-02": 2}, framework=fw, year=2025, name="2025")
    [open_one, done_one] = plan.generate_actions(users["staff"], last).from_assessment
    services.update(users["staff"], done_one, {"status": "done"}, version=done_one.version)
    this = pf.scored({"GV.OC-01": 3, "GV.OC-02": 3}, framework=fw, year=2026, name="2026")

    report = plan.generate_actions(users["staff"], this)

    assert [a.requirement.identifier for a in report.from_assessment] == ["GV.OC-02"]
    assert report.from_assessment[0].title == "Raise GV.OC-02 from 3 to 5: Outcome GV.OC-02"
    assert report.already_planned == 1
    # Marked done in 2025 and still below target: the same run does not add it twice.
    assert plan.generate_actions(users["staff"], this).added == []
    assert open_one.requirement.identifier == "GV.OC-01"


# --- permissions ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "board", "liaison"])
def test_only_it_staff_generate(users, role):
    pf.risk()
    with pytest.raises(PermissionDenied):
        plan.generate_actions(users[role])
    assert A.objects.count() == 0


def test_viewer_reads_liaison_does_not_see_staff_generates(users, client_for):
    pf.scored({"GV.OC-01": 2})
    url = reverse("cyber:plan")

    staff = client_for("staff")
    response = staff.post(reverse("cyber:plan_generate"), {"assessment": ""}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Added 1 action to the plan." in text
    assert "1 for subcategories below the target of 5 in 2026 self-assessment." in text

    viewer = client_for("viewer")
    page = viewer.get(url)
    assert page.status_code == 200
    assert "Raise GV.OC-01 from 2 to 5" in page.content.decode()
    assert "Generate actions from the assessment" not in page.content.decode()
    assert viewer.post(reverse("cyber:plan_generate")).status_code == 403

    liaison = client_for("liaison")
    assert liaison.get(url).status_code == 403
    assert liaison.get(reverse("cyber:plan_export")).status_code == 403
    assert liaison.post(reverse("cyber:plan_generate")).status_code == 403
    assert A.objects.count() == 1


def test_generate_from_a_chosen_assessment_and_a_bad_choice(users, client_for):
    fw = f.create(m.Framework, name="CSF", key="csf", release="2.0")
    older = pf.scored({"GV.OC-01": 1}, framework=fw, year=2025, name="2025")
    pf.scored({"GV.OC-01": 4}, framework=fw, year=2026, name="2026")
    staff = client_for("staff")

    bad = staff.post(reverse("cyber:plan_generate"), {"assessment": "nope"}, follow=True)
    assert "Choose one of the assessments listed; nothing was added." in bad.content.decode()
    assert A.objects.count() == 0

    staff.post(reverse("cyber:plan_generate"), {"assessment": older.pk})
    assert [a.title for a in A.objects.all()] == ["Raise GV.OC-01 from 1 to 5: Outcome GV.OC-01"]


# --- the page ---------------------------------------------------------------------------


def _action(n: int, **values):
    values = {"title": f"Action {n}", **values}
    return f.create(A, **values)


def test_page_groups_filters_and_flags_overdue(users, client_for):
    yesterday = TODAY - datetime.timedelta(days=1)
    _action(1, source="risk", due_date=yesterday, cost=Decimal("1000"))
    _action(2, source="risk", due_date=TODAY + datetime.timedelta(days=30))
    _action(3, source="other", status="done", due_date=yesterday)
    client = client_for("viewer")

    page = client.get(reverse("cyber:plan"))
    text = page.content.decode()
    assert "Open risk: 2 actions, 1 overdue, $1,000 estimated (1 without an estimate)" in text
    assert "Action 3" not in text  # done: not open
    assert text.count("usa-tag bg-secondary-dark") == 1

    overdue = client.get(reverse("cyber:plan"), {"overdue": "on", "status": "all"})
    assert "Action 1" in overdue.content.decode()
    assert "Action 2" not in overdue.content.decode()
    assert "Action 3" not in overdue.content.decode()  # done is never overdue

    by_status = client.get(reverse("cyber:plan"), {"status": "all", "group": "status"})
    text = by_status.content.decode()
    assert "Planned: 2 actions" in text and "Done: 1 action," in text


@pytest.mark.parametrize(
    "params", [{"status": "bogus"}, {"group": "<script>"}, {"source": "x", "overdue": "maybe"}]
)
def test_bad_filters_answer_400_with_defaults(users, client_for, params):
    _action(1)
    response = client_for("viewer").get(reverse("cyber:plan"), params)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Some filters were not understood" in text
    assert "Action 1" in text


def test_page_queries_do_not_grow_with_rows(users, client_for, owner):
    client = client_for("viewer")
    assessment = pf.scored({"A.1": 1})

    def add(n: int) -> None:
        system = f.system(n)
        vuln = f.vulnerability(f"CVE-2025-{n:04d}")
        risk = pf.risk(f"Risk {n}", owner=owner)
        exposure = pf.exposure(system, vuln)
        req = f.requirement(assessment.framework, n + 100)
        _action(n, source="risk", risk=risk, owner=owner)
        _action(n + 500, source="exposure", exposure=exposure)
        _action(n + 900, source="assessment", requirement=req, assessment=assessment)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("cyber:plan"), {"status": "all"})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    add(1)
    few = queries()
    for n in range(2, 8):
        add(n)
    assert queries() == few


def test_plan_summary_shape(users, owner):
    yesterday = TODAY - datetime.timedelta(days=1)
    _action(1, due_date=yesterday, cost=Decimal("100.50"), owner=owner)
    _action(2, due_date=TODAY + datetime.timedelta(days=3), status="in_progress")
    _action(3, cost=Decimal("20"), status="done")
    _action(4, cost=Decimal("999"), status="cancelled")
    for n in range(5, 11):
        _action(n, due_date=TODAY + datetime.timedelta(days=n))

    summary = plan.plan_summary(users["viewer"])

    assert summary["total"] == 10
    assert summary["open"] == 8
    assert summary["overdue"] == 1
    assert summary["done"] == 1 and summary["cancelled"] == 1
    assert summary["cost_open"] == Decimal("100.50")
    assert summary["cost_total"] == Decimal("120.50")
    assert summary["unpriced"] == 7
    assert [x["title"] for x in summary["next_due"]] == [f"Action {n}" for n in (1, 2, 5, 6, 7)]
    assert summary["next_due"][0] == {
        "title": "Action 1",
        "due_date": yesterday,
        "owner": "Person 1",
        "status": "Planned",
        "overdue": True,
        "url": reverse("cyber:action_detail", args=[A.objects.get(title="Action 1").pk]),
    }
    assert summary["url"] == reverse("cyber:plan")
    assert plan.plan_summary(users["liaison"])["total"] == 0


def test_plan_summary_counts_exposures_covered(users):
    planned, done, bare = (f.vulnerability(f"CVE-2025-000{n}") for n in range(1, 4))
    old = pf.release()
    for n in range(1, 5):
        pf.exposure(f.system(n), planned)
    done_exposure = pf.exposure(f.system(1), done)
    pf.exposure(f.system(2), done)
    pf.exposure(f.system(3), bare)
    pf.exposure(f.system(4), release=old)
    pf.exposure(f.system(5), planned, status="mitigated")  # not open: not counted
    first = _action(
        1, source="exposure", exposure=m.Exposure.objects.filter(vulnerability=planned)[0]
    )
    _action(2, source="exposure", exposure=done_exposure, status="done")
    _action(3, source="exposure", exposure=m.Exposure.objects.get(release=old), status="cancelled")

    summary = plan.plan_summary(users["viewer"])

    assert summary["exposure_actions"] == 1  # open ones
    assert summary["exposures_open"] == 8
    assert summary["exposures_covered"] == 4  # every open exposure to the planned CVE
    assert summary["exposures_unplanned"] == 2  # the bare CVE and the cancelled release
    empty = plan.plan_summary(users["liaison"])
    assert (empty["exposures_open"], empty["exposure_actions"]) == (0, 0)

    # The count is kept between requests; a change to the plan counts again.
    services.update(context.SYSTEM, first, {"status": "cancelled"}, version=None)
    again = plan.plan_summary(users["viewer"])
    assert (again["exposures_covered"], again["exposures_unplanned"]) == (0, 6)


# --- the spreadsheet --------------------------------------------------------------------


def test_export_reads_back_with_dates_numbers_and_no_formulas(users, client_for, owner):
    due = TODAY + datetime.timedelta(days=40)
    risk = pf.risk("Flat network")
    _action(
        1,
        title='=HYPERLINK("http://evil.example","click")',
        source="risk",
        risk=risk,
        owner=owner,
        due_date=due,
        cost=Decimal("12500.75"),
        milestones="- 2026-05-01: quotes in\n@SUM(1+1) without a date",
        notes="+1 call the vendor",
    )
    _action(2, title="Done already", status="done")
    client = client_for("viewer")

    response = client.get(reverse("cyber:plan_export"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="plan-of-action-')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Plan of action"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "Action",
        "Status",
        "Came from",
        "Source record",
        "Owner",
        "Due date",
        "Overdue",
        "Estimated cost ($)",
    )
    assert len(rows) == 2  # the open action only, as on the page
    row = rows[1]
    assert row[0] == '\'=HYPERLINK("http://evil.example","click")'
    assert sheet["A2"].data_type == "s"
    assert row[1:5] == ("Planned", "Open risk", "Risk: Flat network", "Person 1")
    assert row[5] == datetime.datetime(due.year, due.month, due.day)
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    assert row[6] == "No"
    assert row[7] == pytest.approx(12500.75)
    assert sheet["H2"].data_type == "n"
    assert row[10] == "'+1 call the vendor"
    assert row[11].startswith("http://testserver/cyber/plan-actions/")
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 60

    steps = list(book["Milestones"].iter_rows(values_only=True))
    assert steps[0] == (
        "Action",
        "Milestone date",
        "Milestone",
        "Owner",
        "Action status",
        "Action due date",
    )
    assert steps[1][1:3] == (datetime.datetime(2026, 5, 1), "quotes in")
    assert steps[2][1:3] == (None, "'@SUM(1+1) without a date")

    every = client.get(reverse("cyber:plan_export"), {"status": "all"})
    titles = [
        r[0]
        for r in load_workbook(io.BytesIO(every.content))["Plan of action"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert "Done already" in titles


def test_export_with_bad_filters_is_the_page_with_its_message(users, client_for):
    response = client_for("viewer").get(reverse("cyber:plan_export"), {"status": "x"})
    assert response.status_code == 400
    assert "Some filters were not understood" in response.content.decode()
