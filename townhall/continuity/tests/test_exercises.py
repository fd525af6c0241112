"""Exercises: measured recovery times judged against the RTO and against the computed
effective recovery time, worked out by hand on the small estate in `estate.py`; the trend
over exercises; overdue follow-ups; the pages that show them and the page that enters many
results at once (staff only, all or nothing, each error naming its row and field).

The small estate (see estate.py), with Payroll's RTO raised to 24 h:
    Payroll: ERP 4 h + SQL cluster 6 h + SAN 12 h = 22 h computed; RTO 24 h.
    Permits: Permit system 2 h + SQL cluster 6 h + SAN 12 h = 20 h computed; RTO 72 h.
    Dispatch: the CAD server's restore time is unknown, so at least 0 h; RTO 1 h.
Two exercises:
    Ransomware tabletop (1 March 2025): Payroll back in 30 h (RTO taken from its analysis:
        24 h, so missed by 6 h); Permits back in 24 h against 48 h recorded with it (met
        with 24 h to spare); Library (no impact analysis) back in 5 h (no RTO).
    Flood functional (1 September 2025): Payroll back in 20 h (met, 4 h to spare, 10 h
        faster than before); Dispatch back in 2 h against 1 h (missed by 1 h).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.continuity import estate_links, exercises
from townhall.continuity import exercise_rules as rules
from townhall.continuity import models as m
from townhall.continuity.tests import estate
from townhall.continuity.tests import factories as f
from townhall.core import context, services

TODAY = datetime.date(2026, 11, 26)


def exercise(name, held_on, scenario="cyber", **values):
    return services.create(
        context.SYSTEM,
        m.Exercise,
        {"name": name, "held_on": held_on, "scenario": scenario, **values},
    )


def result(ex, svc, measured, **values):
    return services.create(
        context.SYSTEM,
        m.ExerciseResult,
        {"exercise": ex, "service": svc, "measured_hours": measured, **values},
    )


def follow_up(ex, title, department, **values):
    return services.create(
        context.SYSTEM,
        m.FollowUp,
        {"exercise": ex, "title": title, "owner_department": department, **values},
    )


@pytest.fixture
def tested(departments):
    s = estate.build(departments)
    payroll = s["payroll"].impact_analysis
    services.update(context.SYSTEM, payroll, {"rto_hours": 24}, version=payroll.version)
    s["library"] = f.service("Library", departments["PW"])
    s["tabletop"] = exercise(
        "Ransomware tabletop",
        datetime.date(2025, 3, 1),
        participants="Ana Ruiz, CIO\n\n  Ben Okafor, Finance  \nCity clerk",
    )
    s["flood"] = exercise(
        "Flood functional", datetime.date(2025, 9, 1), "weather", kind="functional"
    )
    s["r_payroll_1"] = result(s["tabletop"], s["payroll"], 30)
    s["r_permits"] = result(s["tabletop"], s["permits"], 24, rto_hours=48)
    s["r_library"] = result(s["tabletop"], s["library"], 5)
    s["r_payroll_2"] = result(s["flood"], s["payroll"], 20)
    s["r_dispatch"] = result(s["flood"], s["dispatch"], 2)
    return s


# --- the rules, by hand ----------------------------------------------------------------------


def test_verdicts():
    missed = rules.verdict(30, 24)
    assert (missed.status, missed.margin, missed.short) == ("missed", 6.0, "Missed by 6 h")
    assert missed.sentence == "Came back in 30 h; the objective is 24 h, so it missed by 6 h."
    assert missed.met is False
    met = rules.verdict(Decimal("20"), Decimal("24"))
    assert (met.status, met.margin, met.short) == ("met", 4.0, "Met with 4 h to spare")
    assert met.met is True
    assert rules.verdict(24, 24).short == "Met, no time to spare"
    assert rules.verdict(0.1 + 0.2, Decimal("0.3")).status == "met"  # no float surprise
    assert rules.verdict(Decimal("1.25"), 1).short == "Missed by 0.25 h"
    none = rules.verdict(5, None)
    assert (none.status, none.margin, none.short, none.met) == ("no_rto", None, "No RTO set", None)


def test_rto_check_from_the_computed_time():
    gap = rules.rto_check(22, False, 8)
    assert (gap.status, gap.margin) == ("missed", 14.0)
    assert gap.short == "Cannot meet its RTO: 14 h too slow"
    assert rules.rto_check(22, True, 8).short == "Cannot meet its RTO: 14 h or more too slow"
    unsure = rules.rto_check(0, True, 1)
    assert (unsure.status, unsure.met) == ("unconfirmed", None)
    assert rules.rto_check(6, False, 8).short == "Can meet its RTO with 2 h to spare"
    assert rules.rto_check(8, False, 8).short == "Can meet its RTO, only just"
    assert rules.rto_check(8, False, None).status == "no_rto"


def test_measured_against_computed():
    slower = rules.against_computed(30, 22, False)
    assert (slower.status, slower.difference) == ("slower", 8.0)
    assert "8 h longer than the recorded restore times predict (22 h)" in slower.sentence
    faster = rules.against_computed(20, 22, False)
    assert (faster.status, faster.difference) == ("faster", 2.0)
    assert "2 h sooner" in faster.sentence
    assert rules.against_computed(22, 22.0, False).status == "as_predicted"
    vague = rules.against_computed(2, 0, True)
    assert vague.status == "slower" and "at least 0 h" in vague.sentence
    assert "some are missing" in vague.sentence
    assert rules.against_computed(2, None, False).status == "unknown"


def test_trend_over_tests():
    assert rules.trend([30]).status == "first"
    assert rules.trend([]).text == "First test"
    faster = rules.trend([30, Decimal("20")])
    assert (faster.status, faster.change) == ("faster", 10.0)
    assert faster.text == "10 h faster than the test before (2 tests)"
    slower = rules.trend([5, 20, 26])
    assert (slower.status, slower.change, slower.text) == (
        "slower",
        -6.0,
        "6 h slower than the test before (3 tests)",
    )
    assert rules.trend([4, 4]).status == "same"


def test_days_overdue():
    today = datetime.date(2026, 5, 10)
    assert rules.days_overdue(datetime.date(2026, 5, 9), False, today) == 1
    assert rules.days_overdue(datetime.date(2026, 4, 10), False, today) == 30
    assert rules.days_overdue(today, False, today) == 0  # due today is not late yet
    assert rules.days_overdue(datetime.date(2026, 4, 10), True, today) == 0
    assert rules.days_overdue(None, False, today) == 0


def test_hours_text():
    assert rules.hours_text(4) == "4 h"
    assert rules.hours_text(Decimal("2.50")) == "2.5 h"
    assert rules.hours_text(1234.5) == "1,234.5 h"
    assert rules.hours_text(None) == "—"


# --- read from the database --------------------------------------------------------------------


@pytest.mark.django_db
def test_rto_is_filled_in_from_the_analysis_when_left_blank(tested):
    assert tested["r_payroll_1"].rto_hours == 24  # taken from Payroll's analysis
    assert tested["r_permits"].rto_hours == 48  # given with it
    assert tested["r_library"].rto_hours is None  # no analysis


@pytest.mark.django_db
def test_exercise_results_against_rto_and_computed(tested, users):
    rows = exercises.exercise_results(users["viewer"], tested["tabletop"])
    assert [r.service.name for r in rows] == ["Library", "Payroll", "Permits"]
    library, payroll, permits = rows
    assert payroll.verdict.short == "Missed by 6 h"
    assert (payroll.rto, payroll.rto_source) == (24, "at the time")
    assert payroll.computed.hours == 22 and not payroll.computed.at_least
    assert [r.name for r in payroll.computed.chain] == ["Payroll", "ERP", "SQL cluster", "SAN"]
    assert payroll.prediction.status == "slower" and payroll.prediction.difference == 8
    assert payroll.result_url == f"/continuity/exercise-results/{tested['r_payroll_1'].pk}/"
    assert payroll.analysis_url == (
        f"/continuity/impact-analyses/{tested['payroll'].impact_analysis.pk}/"
    )
    assert permits.verdict.short == "Met with 24 h to spare"
    assert permits.computed.hours == 20
    assert library.verdict.status == "no_rto" and library.analysis_url == ""
    assert library.computed.hours == 0  # nothing recorded below it
    chart = exercises.results_chart(rows)
    assert [(b.label, b.over) for b in chart.bars] == [
        ("Library", False),
        ("Payroll", True),
        ("Permits", False),
    ]
    assert chart.bars[1].limit_text == "RTO 24 h"


@pytest.mark.django_db
def test_result_without_rto_at_the_time_uses_the_current_one(tested, users):
    # An impact analysis added after the exercise: its RTO judges the old result.
    f.impact(tested["library"], rto_hours=4)
    library = exercises.exercise_results(users["viewer"], tested["tabletop"])[0]
    assert (library.rto, library.rto_source) == (4, "current")
    assert library.verdict.short == "Missed by 1 h"


@pytest.mark.django_db
def test_recovery_tests_latest_trend_and_order(tested, users):
    rows = exercises.recovery_tests(users["liaison"])
    # Missed first, then no RTO, then met by name.
    assert [r.service.name for r in rows] == ["Dispatch", "Library", "Payroll", "Permits"]
    dispatch, library, payroll, permits = rows
    assert dispatch.verdict.short == "Missed by 1 h"
    assert dispatch.computed.text == "at least 0 h"
    assert dispatch.trend.status == "first"
    assert library.verdict.status == "no_rto"
    assert [m_.measured for m_ in payroll.history] == [30, 20]
    assert payroll.latest.exercise.name == "Flood functional"
    assert payroll.verdict.short == "Met with 4 h to spare"  # 20 h against today's 24 h
    assert payroll.trend.text == "10 h faster than the test before (2 tests)"
    assert payroll.prediction.status == "faster" and payroll.prediction.difference == 2
    # Permits is judged by today's RTO (72 h), not the 48 h recorded with its result.
    assert permits.rto == 72 and permits.verdict.short == "Met with 48 h to spare"


@pytest.mark.django_db
def test_recovery_tests_empty(users, departments):
    assert exercises.recovery_tests(users["viewer"]) == []


@pytest.mark.django_db
def test_overdue_follow_ups(tested, departments, users):
    ex = tested["tabletop"]
    late = follow_up(
        ex, "Test the SAN restore", departments["FIN"], due_on=TODAY - datetime.timedelta(days=12)
    )
    follow_up(
        ex, "Print the call tree", departments["PW"], due_on=TODAY + datetime.timedelta(days=3)
    )
    follow_up(
        ex,
        "Buy a generator",
        departments["PW"],
        due_on=TODAY - datetime.timedelta(days=40),
        status="done",
        done_on=TODAY - datetime.timedelta(days=41),
    )
    shown, count = exercises.overdue_follow_ups(users["liaison"], TODAY)
    assert count == 1 and [r.follow_up for r in shown] == [late]
    assert shown[0].overdue_days == 12
    assert shown[0].can_change is False  # a Finance action; the liaison is of Public Works
    rows = exercises.exercise_follow_ups(users["liaison"], ex, TODAY)
    assert [(r.follow_up.title, r.overdue_days, r.can_change) for r in rows] == [
        ("Buy a generator", 0, True),  # due 40 days ago, but done
        ("Test the SAN restore", 12, False),
        ("Print the call tree", 0, True),
    ]


# --- the exercise page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_exercise_page(tested, departments, client_for):
    ex = tested["tabletop"]
    follow_up(ex, "Test the SAN restore", departments["FIN"], due_on=datetime.date(2020, 1, 1))
    page = client_for("viewer").get(ex.get_absolute_url()).content.decode()
    assert "<li>Ana Ruiz, CIO</li><li>Ben Okafor, Finance</li><li>City clerk</li>" in page
    assert "Who took part (3)" in page
    assert "<strong>1 missed its recovery time objective</strong>, 1 met it" in page
    assert "1 had no objective to judge by" in page
    assert "<strong>Missed by 6 h</strong>" in page
    assert f'<a href="{tested["r_payroll_1"].get_absolute_url()}">30 h</a>' in page
    assert "It took 8 h longer than the recorded restore times predict (22 h)" in page
    assert '<svg role="img"' in page and "Payroll 30 h of RTO 24 h (over)" in page
    assert "Overdue by" in page and "Test the SAN restore" in page
    assert "Enter results" not in page  # a viewer does not enter results
    assert "Add a follow-up action" not in page
    staff = client_for("staff").get(ex.get_absolute_url()).content.decode()
    assert reverse("continuity:exercise_results", args=[ex.pk]) in staff
    assert reverse("continuity:followup_add_for", args=[ex.pk]) in staff


@pytest.mark.django_db
def test_exercise_page_without_results(departments, client_for):
    ex = exercise("Quiet drill", datetime.date(2026, 1, 5))
    page = client_for("staff").get(ex.get_absolute_url()).content.decode()
    assert "No recovery times recorded for this exercise yet." in page
    assert "No participants recorded." in page


@pytest.mark.django_db
def test_result_and_follow_up_pages(tested, departments, client_for):
    client = client_for("board")
    page = client.get(tested["r_payroll_1"].get_absolute_url()).content.decode()
    assert "Missed by 6 h" in page
    assert "Came back in 30 h; the objective is 24 h, so it missed by 6 h." in page
    assert "It took 8 h longer than the recorded restore times predict (22 h)" in page
    page = client.get(tested["r_library"].get_absolute_url()).content.decode()
    assert "No RTO set" in page
    assert reverse("continuity:impactanalysis_add_for", args=[tested["library"].pk]) in page
    late = follow_up(
        tested["flood"], "Fix the call tree", departments["PW"], due_on=datetime.date(2020, 1, 1)
    )
    page = client.get(late.get_absolute_url()).content.decode()
    assert "Overdue by" in page and "it was due on 1 January 2020 and is not done" in page


@pytest.mark.django_db
def test_result_page_leaves_a_large_computation_to_the_analysis(tested, client_for, monkeypatch):
    monkeypatch.setattr(estate_links, "COMPUTE_LIMIT", 2)
    page = client_for("viewer").get(tested["r_payroll_1"].get_absolute_url()).content.decode()
    assert "Missed by 6 h" in page
    assert "is worked out on the" in page and "predict (22 h)" not in page


def _grow(departments, ex, n, start):
    for i in range(n):
        svc = f.service(f"Extra {start + i}", departments["PW"])
        system = f.system(f"Extra system {start + i}", departments["PW"])
        f.recovery(system, restore_hours=3)
        f.needs(svc, system)
        f.impact(svc, rto_hours=2, mission_essential=True)
        result(ex, svc, 5)
        follow_up(ex, f"Action {start + i}", departments["PW"], due_on=datetime.date(2020, 1, 1))


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_exercise_page_queries_do_not_grow(tested, departments, client_for):
    client = client_for("liaison")
    ex = tested["flood"]
    _grow(departments, ex, 2, 0)
    few = _queries(client, ex.get_absolute_url())
    _grow(departments, ex, 20, 100)
    assert _queries(client, ex.get_absolute_url()) == few
    assert "Extra 119" in client.get(ex.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_recovery_tests_page_queries_do_not_grow(tested, departments, client_for):
    client = client_for("viewer")
    url = reverse("continuity:recovery_tests")
    few = _queries(client, url)
    _grow(departments, tested["flood"], 25, 0)
    for r in tested["flood"].results.all()[:5]:  # a second test of some of them
        result(tested["tabletop"], r.service, 6)
    assert _queries(client, url) == few


# --- the recovery tests page ----------------------------------------------------------------


def test_url_names():
    assert reverse("continuity:recovery_tests") == "/continuity/recovery-tests/"
    assert reverse("continuity:exercise_results", args=[3]) == "/continuity/exercises/3/results/"


@pytest.mark.django_db
def test_recovery_tests_page(tested, departments, client_for):
    follow_up(
        tested["flood"],
        "Record the CAD restore time",
        departments["PW"],
        due_on=TODAY - datetime.timedelta(days=2),
    )
    page = client_for("board").get("/continuity/recovery-tests/").content.decode()
    assert "4 services tested." in page
    assert "<strong>1 missed its RTO in its latest test.</strong>" in page
    assert "2 met their RTO." in page and "1 has no RTO to judge by." in page
    # Dispatch (missed) comes first; every number links to its record.
    assert page.index("Dispatch") < page.index("Payroll") < page.index("Permits")
    assert f'<a href="{tested["r_payroll_2"].get_absolute_url()}">20 h</a>' in page
    assert f'<a href="{tested["r_payroll_1"].get_absolute_url()}">30 h</a> in ' in page
    analysis = tested["payroll"].impact_analysis.get_absolute_url()
    assert f'<a href="{analysis}">24 h</a>' in page
    assert "10 h faster than the test before (2 tests)" in page
    assert '<a href="/continuity/analysis/#services">22 h</a>' in page
    assert "no impact analysis" in page  # Library
    assert "Overdue follow-up actions (1)" in page and "Record the CAD restore time" in page


@pytest.mark.django_db
def test_recovery_tests_page_when_nothing_is_tested(client_for):
    page = client_for("viewer").get("/continuity/recovery-tests/").content.decode()
    assert "No recovery time has been measured in an exercise yet." in page
    assert "Overdue follow-up actions (0)" in page


@pytest.mark.django_db
def test_recovery_tests_page_sign_in_and_methods(departments, client_for):
    response = Client().get("/continuity/recovery-tests/")
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client_for("staff").post("/continuity/recovery-tests/").status_code == 405


# --- entering results for many services at once ---------------------------------------------


def results_url(ex):
    return reverse("continuity:exercise_results", args=[ex.pk])


def management(total):
    return {
        "new-TOTAL_FORMS": str(total),
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "50",
    }


def recorded(res, measured, rto="", remove=False):
    data = {
        f"r{res.pk}-measured_hours": str(measured),
        f"r{res.pk}-rto_hours": str(rto),
        f"r{res.pk}-version": str(res.version),
    }
    if remove:
        data[f"r{res.pk}-remove"] = "on"
    return data


def new(n, service="", measured="", rto=""):
    return {
        f"new-{n}-service": str(getattr(service, "pk", service)),
        f"new-{n}-measured_hours": str(measured),
        f"new-{n}-rto_hours": str(rto),
    }


@pytest.mark.django_db
def test_results_form_is_for_it_staff_only(tested, client_for):
    url = results_url(tested["flood"])
    assert Client().get(url).status_code == 302
    for role in ("viewer", "board", "liaison"):
        client = client_for(role)
        assert client.get(url).status_code == 403, role
        post = {**management(1), **new(0, tested["library"], 3)}
        assert client.post(url, post).status_code == 403, role
    assert m.ExerciseResult.objects.count() == 5
    for role in ("staff", "admin"):
        page = client_for(role).get(url)
        assert page.status_code == 200
    assert client_for("staff").get(results_url(m.Exercise(pk=99999))).status_code == 404


@pytest.mark.django_db
def test_results_form_shows_rows_to_fill(tested, client_for):
    page = client_for("staff").get(results_url(tested["flood"])).content.decode()
    assert "Recorded results (2)" in page
    r = tested["r_payroll_2"]
    assert f'name="r{r.pk}-measured_hours" value="20.00"' in page
    assert "Payroll: measured recovery time (hours)" in page
    assert page.count('<legend class="usa-legend usa-legend--large">New result') == 5
    assert 'name="new-TOTAL_FORMS" value="5"' in page
    page = client_for("staff").get(results_url(tested["flood"]) + "?rows=12").content.decode()
    assert 'name="new-TOTAL_FORMS" value="12"' in page
    for rows in ("lots", "-3", "9999"):
        assert (
            client_for("staff").get(results_url(tested["flood"]) + f"?rows={rows}").status_code
            == 200
        )


@pytest.mark.django_db
def test_results_saved_together(tested, users, client_for):
    ex = tested["flood"]
    post = {
        **management(3),
        **recorded(tested["r_payroll_2"], "18.5"),
        **recorded(tested["r_dispatch"], 2, remove=True),
        **new(0, tested["permits"], 30),
        **new(1),  # left empty: ignored
        **new(2, tested["library"], "7", "6"),
    }
    client = client_for("staff")
    response = client.post(results_url(ex), post)
    assert response.status_code == 302 and response["Location"] == ex.get_absolute_url()
    got = {r.service.name: (r.measured_hours, r.rto_hours) for r in ex.results.all()}
    assert got == {
        "Payroll": (Decimal("18.50"), Decimal("24.00")),
        "Permits": (Decimal("30.00"), Decimal("72.00")),  # its current RTO, filled in
        "Library": (Decimal("7.00"), Decimal("6.00")),
    }
    assert AuditEntry.objects.filter(actor=users["staff"], via="web").count() == 4
    followed = client.get(ex.get_absolute_url())
    assert "Saved 4 changes to the results of Flood functional" in followed.content.decode()


@pytest.mark.django_db
def test_nothing_changed_is_said(tested, client_for):
    ex = tested["flood"]
    post = {
        **management(1),
        **recorded(tested["r_payroll_2"], "20.00", "24"),
        **recorded(tested["r_dispatch"], "2", "1"),
        **new(0),
    }
    response = client_for("staff").post(results_url(ex), post, follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert not AuditEntry.objects.filter(
        action="update", object_id=str(tested["r_payroll_2"].pk)
    ).exists()


@pytest.mark.django_db
def test_one_bad_value_saves_nothing_and_names_row_and_field(tested, client_for):
    ex = tested["flood"]
    before = AuditEntry.objects.count()
    post = {
        **management(2),
        **recorded(tested["r_payroll_2"], "-1"),
        **recorded(tested["r_dispatch"], "abc"),
        **new(0, tested["permits"], 30),
        **new(1, tested["library"], "", "0"),
    }
    response = client_for("staff").post(results_url(ex), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "Payroll, measured recovery time (hours): Enter 0 hours or more." in page
    assert "Dispatch, measured recovery time (hours): Enter a number." in page
    assert (
        "New result 2 (Library), measured recovery time (hours): "
        "Enter how long Library took to come back." in page
    )
    assert (
        "New result 2 (Library), RTO at the time (hours): Enter a number of hours above 0." in page
    )
    assert 'aria-invalid="true"' in page
    assert AuditEntry.objects.count() == before
    assert not ex.results.filter(service=tested["permits"]).exists()
    tested["r_payroll_2"].refresh_from_db()
    assert tested["r_payroll_2"].measured_hours == 20


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["NaN", "Infinity", "1e400", "123456789", "0.001", "\x00", "9" * 300]
)
def test_odd_numbers_are_messages_not_errors(value, tested, client_for):
    ex = tested["flood"]
    post = {**management(1), **recorded(tested["r_payroll_2"], value), **new(0)}
    response = client_for("staff").post(results_url(ex), post)
    assert response.status_code == 400
    assert "Payroll, measured recovery time (hours):" in response.content.decode()


@pytest.mark.django_db
def test_new_rows_refuse_duplicates_and_missing_parts(tested, client_for):
    ex = tested["flood"]
    post = {
        **management(4),
        **new(0, tested["payroll"], 9),  # already in the exercise
        **new(1, tested["library"], 9),
        **new(2, tested["library"], 8),  # twice in one go
        **new(3, "", 4),  # a time without a service
    }
    response = client_for("staff").post(results_url(ex), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "New result 1 (Payroll), service: Payroll already has a result in this exercise" in page
    assert "New result 3 (Library), service: Library is already in new result 2." in page
    assert "New result 4, service: Choose the service this time is for." in page
    assert ex.results.count() == 2


@pytest.mark.django_db
def test_unknown_or_hidden_service_is_refused(tested, client_for):
    ex = tested["flood"]
    post = {**management(2), **new(0, "99999", 3), **new(1, "abc", 3)}
    response = client_for("staff").post(results_url(ex), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "New result 1, service: Select a valid choice." in page
    assert "New result 2, service: Select a valid choice." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "post",
    [
        {},  # no management form
        {"new-TOTAL_FORMS": "x", "new-INITIAL_FORMS": "0"},
        {"new-TOTAL_FORMS": "1000", "new-INITIAL_FORMS": "0"},
    ],
)
def test_tampered_forms_are_400_not_500(post, tested, client_for):
    response = client_for("staff").post(results_url(tested["flood"]), post)
    assert response.status_code == 400
    assert m.ExerciseResult.objects.count() == 5


@pytest.mark.django_db
def test_a_result_added_meanwhile_is_left_alone(tested, client_for):
    ex = tested["flood"]
    post = {**management(1), **recorded(tested["r_payroll_2"], 19), **new(0)}
    added = result(ex, tested["library"], 4)  # by someone else, after the page was opened
    response = client_for("staff").post(results_url(ex), post)
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.measured_hours == 4 and added.version == 1
    tested["r_payroll_2"].refresh_from_db()
    assert tested["r_payroll_2"].measured_hours == 19


@pytest.mark.django_db
def test_a_stale_row_saves_nothing(tested, users, client_for):
    ex = tested["flood"]
    r = tested["r_payroll_2"]
    post = {**management(1), **recorded(r, 19), **new(0, tested["library"], 3)}
    services.update(users["admin"], r, {"measured_hours": 21}, version=r.version)
    response = client_for("staff").post(results_url(ex), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Payroll: changed by admin1 after you opened this page" in page
    r.refresh_from_db()
    assert r.measured_hours == 21
    assert not ex.results.filter(service=tested["library"]).exists()


@pytest.mark.django_db
def test_results_form_needs_csrf(tested, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["staff"])
    post = {**management(1), **new(0, tested["library"], 3)}
    assert client.post(results_url(tested["flood"]), post).status_code == 403
    assert m.ExerciseResult.objects.count() == 5


@pytest.mark.django_db
def test_results_form_queries_do_not_grow(tested, departments, client_for):
    client = client_for("staff")
    ex = tested["flood"]
    few = _queries(client, results_url(ex))
    _grow(departments, ex, 20, 0)
    assert _queries(client, results_url(ex)) == few


# --- add pages that start from the record described -----------------------------------------


@pytest.mark.django_db
def test_add_follow_up_for_an_exercise(tested, users, departments, client_for):
    ex = tested["flood"]
    url = reverse("continuity:followup_add_for", args=[ex.pk])
    liaison = client_for("liaison")
    page = liaison.get(url).content.decode()
    assert "Flood functional" in page  # the exercise is chosen already
    response = liaison.post(
        url,
        {
            "exercise": ex.pk,
            "title": "Record the CAD restore time",
            "owner_department": departments["PW"].pk,
            "status": "open",
        },
    )
    assert response.status_code == 302
    assert m.FollowUp.objects.get().exercise == ex
    assert client_for("viewer").get(url).status_code == 403
    assert liaison.get(reverse("continuity:followup_add_for", args=[99999])).status_code == 404


@pytest.mark.django_db
def test_add_impact_analysis_for_a_service(tested, client_for):
    library = tested["library"]
    url = reverse("continuity:impactanalysis_add_for", args=[library.pk])
    page = client_for("liaison").get(url).content.decode()
    assert f'value="{library.pk}" checked' in page
    response = client_for("liaison").post(
        url,
        {"service": library.pk, "status": "draft", "essential_function": "mef", "rto_hours": "4"},
    )
    assert response.status_code == 302
    analysis = m.ImpactAnalysis.objects.get(service=library)
    # With one already there, the link opens it instead.
    response = client_for("staff").get(url)
    assert response.status_code == 302 and response["Location"] == analysis.get_absolute_url()
    payroll = reverse("continuity:impactanalysis_add_for", args=[tested["payroll"].pk])
    assert client_for("viewer").get(payroll).status_code == 302  # opens the existing one
    assert (
        client_for("viewer")
        .get(reverse("continuity:impactanalysis_add_for", args=[f.service("New", None).pk]))
        .status_code
        == 403
    )
