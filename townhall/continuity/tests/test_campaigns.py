"""BIA campaigns: opening asks each owning department for its services' analyses and
e-mails it; reminders reach only the late; liaisons submit their own, IT approves or
returns; closing keeps the statuses; progress adds up by hand; every page is guarded,
CSRF-protected, free of server errors and costs the same queries at any size."""

import datetime
import smtplib

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townhall.accounts.models import Role
from townhall.audit.models import AuditEntry
from townhall.conftest import make_user
from townhall.continuity import campaigns
from townhall.continuity import models as m
from townhall.continuity.tests import factories as f
from townhall.core import context, services
from townhall.estate.models import Person
from townhall.jobs import runner
from townhall.org.models import Department

S = m.ImpactAnalysis.Status
TODAY = timezone.localdate()
DUE = TODAY + datetime.timedelta(days=30)
FULL = {c: {p: 3 for p, _ in m.POINTS} for c, _ in m.CATEGORIES}
BASE = "https://townhall.example.gov"
PER_PAGE_CHECK = 50  # more requests than one page of the progress page shows


# --- a small government --------------------------------------------------------------------


def _set_email(user, address):
    with context.writing():
        user.email = address
        user.save()


def person(name, email="", department=None):
    return services.create(
        context.SYSTEM, Person, {"name": name, "email": email, "owner_department": department}
    )


def campaign(name="Spring review", departments=(), due=DUE, instructions=""):
    return services.create(
        context.SYSTEM,
        m.Campaign,
        {
            "name": name,
            "due_on": due,
            "instructions": instructions,
            "departments": list(departments),
        },
    )


def complete(analysis, status=None, **extra):
    """Fill in what submitting needs; a `status` (submitted, approved) is reached by the
    review's own steps."""
    values = {"mtd_hours": 24, "rto_hours": 8, "impacts": FULL, **extra}
    analysis = services.update(context.SYSTEM, analysis, values, version=None)
    steps = {S.SUBMITTED: [S.SUBMITTED], S.APPROVED: [S.SUBMITTED, S.APPROVED]}
    for step in steps.get(status, []):
        analysis = services.transition(context.SYSTEM, analysis, step)
    return analysis


def build(departments, users):
    """Public Works: a liaison with an address and a head with one; three services (Permits
    approved, Dispatch submitted, Street repairs without an analysis). Finance: a head with
    no address and no liaison; Payroll in draft. Parks owns nothing; one service has no
    owner. Worked out by hand in the tests below."""
    pw, fin = departments["PW"], departments["FIN"]
    _set_email(users["liaison"], "liaison1@city.example")
    pat = person("Pat Rivera", "Pat.Rivera@city.example", pw)
    services.update(context.SYSTEM, pw, {"head": pat}, version=None)
    services.update(context.SYSTEM, fin, {"head": person("Lee Chen", "", fin)}, version=None)
    parks = services.create(context.SYSTEM, Department, {"name": "Parks", "code": "PK"})
    s = {
        "permits": f.service("Permits", pw),
        "dispatch": f.service("Dispatch", pw),
        "streets": f.service("Street repairs", pw),
        "payroll": f.service("Payroll", fin),
        "orphan": f.service("Orphan service"),
        "parks": parks,
    }
    s["permits_bia"] = complete(f.impact(s["permits"]), status=S.APPROVED)
    s["dispatch_bia"] = complete(f.impact(s["dispatch"]), status=S.SUBMITTED)
    s["payroll_bia"] = f.impact(s["payroll"])
    return s


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def gov(departments, users):
    return build(departments, users)


# --- plain rules ---------------------------------------------------------------------------


def test_missing_fields_names_each_one():
    assert campaigns.missing_fields("mef", 24, 8, FULL) == []
    assert campaigns.missing_fields("", None, None, {}) == [
        "Essential function",
        "Maximum tolerable downtime (MTD)",
        "Recovery time objective (RTO)",
        "Impact over time (no rating yet)",
    ]
    grid = {c: dict(r) for c, r in FULL.items()}
    del grid["finance"]["24h"], grid["finance"]["1w"]
    grid["reputation"] = {}
    grid["legal"]["1h"] = 7  # out of range counts as not rated
    assert campaigns.missing_fields("not_essential", 24, 8, grid) == [
        "Impact over time: Finance after 24 hours, 1 week; Legal and regulatory after 1 hour; "
        "Reputation (no rating yet)"
    ]
    assert campaigns.missing_fields("mef", 0.5, None, "not a grid")[0] == (
        "Recovery time objective (RTO)"
    )


def test_recipients_are_each_address_once():
    assert campaigns.recipients(["a@x.gov", "B@x.gov"], "b@x.gov", " ") == ["a@x.gov", "B@x.gov"]
    assert campaigns.recipients([], "", "") == []
    assert campaigns.recipients([], "", "it@x.gov") == ["it@x.gov"]


def test_fold_adds_up_by_hand():
    sent = timezone.now()
    rows = [
        # department 1: 2 drafts (1 not e-mailed), 1 submitted, 1 approved
        {"department_id": 1, "department__name": "Water", "state": "draft", "n": 2,
         "unsent": 1, "sent": sent, "reminded": None},
        {"department_id": 1, "department__name": "Water", "state": "submitted", "n": 1,
         "unsent": 0, "sent": sent, "reminded": sent},
        {"department_id": 1, "department__name": "Water", "state": "approved", "n": 1,
         "unsent": 0, "sent": sent, "reminded": None},
        # department 2: everything in; "" (closed without an analysis) counts as a draft
        {"department_id": 2, "department__name": "Airport", "state": "approved", "n": 3,
         "unsent": 0, "sent": None, "reminded": None},
        {"department_id": 2, "department__name": "Airport", "state": "", "n": 0,
         "unsent": 0, "sent": None, "reminded": None},
    ]  # fmt: skip
    due = datetime.date(2026, 6, 1)
    before = campaigns.fold(rows, True, due, datetime.date(2026, 5, 1))
    o = before.overall
    assert (o.requested, o.draft, o.submitted, o.approved, o.done) == (7, 2, 1, 4, 5)
    assert o.percent == 71  # 5 of 7 is 71.4 %
    assert [d.name for d in before.departments] == ["Airport", "Water"]
    airport, water = before.departments
    assert (water.tally.requested, water.tally.percent, water.tally.not_emailed) == (4, 50, 1)
    assert water.tally.last_reminded == sent
    assert airport.tally.percent == 100
    assert before.overdue is False and before.days_left == 31
    after = campaigns.fold(rows, True, due, datetime.date(2026, 6, 2))
    assert after.overdue is True
    assert [d.overdue for d in after.departments] == [False, True]
    closed = campaigns.fold(rows, False, due, datetime.date(2026, 6, 2))
    assert closed.overdue is False
    assert campaigns.Tally().percent == 0


# --- opening -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_open_asks_each_owning_department_and_emails_it(gov, departments, users, mailoutbox):
    c = campaign(instructions="Please confirm your recovery times.")
    result = campaigns.open_campaign(users["staff"], c, base_url=BASE + "/")
    pw, fin = departments["PW"], departments["FIN"]
    assert (result.requests, result.new_analyses, result.reopened) == (4, 1, 2)
    assert [(d, to) for d, to in result.emailed] == [
        (pw, ["liaison1@city.example", "Pat.Rivera@city.example"])
    ]
    assert result.no_address == [fin]
    assert "No e-mail address for Finance: call them." in result.lines()

    c.refresh_from_db()
    assert c.status == m.Campaign.Status.OPEN and c.opened_at is not None
    reqs = {r.service.name: r for r in m.CampaignRequest.objects.filter(campaign=c)}
    assert set(reqs) == {"Permits", "Dispatch", "Street repairs", "Payroll"}  # not the orphan
    assert reqs["Payroll"].department == fin and reqs["Payroll"].sent_at is None
    assert reqs["Permits"].department == pw and reqs["Permits"].sent_at is not None
    # Every service has an analysis now, and every one is a draft to review.
    streets = m.ImpactAnalysis.objects.get(service=gov["streets"])
    assert reqs["Street repairs"].analysis == streets
    assert reqs["Permits"].analysis == gov["permits_bia"]
    assert set(m.ImpactAnalysis.objects.values_list("status", flat=True)) == {S.DRAFT}
    assert fresh(gov["permits_bia"]).rto_hours == 8  # nothing in it is lost
    # Written through the write path, by the person who opened it.
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(m.CampaignRequest),
        object_id=str(reqs["Payroll"].pk),
    ).get()
    assert entry.actor == users["staff"] and entry.action == "create"

    assert len(mailoutbox) == 1
    msg = mailoutbox[0]
    assert msg.to == ["liaison1@city.example", "Pat.Rivera@city.example"]
    assert msg.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Spring review" in msg.subject and str(DUE.year) in msg.subject
    assert DUE.strftime("%B") in msg.body
    assert "Please confirm your recovery times." in msg.body
    assert f"- Permits: {BASE}/continuity/impact-analyses/{gov['permits_bia'].pk}/" in msg.body
    assert f"- Street repairs: {BASE}/continuity/impact-analyses/{streets.pk}/" in msg.body
    assert "Dispatch" in msg.body and "Payroll" not in msg.body
    assert f"{BASE}/continuity/my-impact-analyses/" in msg.body


@pytest.mark.django_db
def test_open_only_the_chosen_departments(gov, departments, users, mailoutbox):
    c = campaign(departments=[departments["FIN"], gov["parks"]])
    result = campaigns.open_campaign(users["admin"], c)
    assert result.requests == 1
    assert list(m.CampaignRequest.objects.values_list("service__name", flat=True)) == ["Payroll"]
    assert result.no_address == [departments["FIN"]] and mailoutbox == []
    # Draft analyses stay as they were; others' analyses are untouched.
    assert fresh(gov["permits_bia"]).status == S.APPROVED


@pytest.mark.django_db
def test_recipients_are_active_liaisons_of_the_department_and_its_people(
    gov, departments, users, mailoutbox
):
    pw, fin = departments["PW"], departments["FIN"]
    gone = make_user("gone", Role.LIAISON, fin)
    _set_email(gone, "gone@city.example")
    with context.writing():
        gone.is_active = False
        gone.save()
    _set_email(make_user("fin-viewer", Role.VIEWER, fin), "viewer@city.example")
    _set_email(make_user("fin-liaison", Role.LIAISON, fin), "fin@city.example")
    make_user("no-address", Role.LIAISON, fin)
    services.update(
        context.SYSTEM, fin, {"it_liaison": person("Ira", "ira@city.example")}, version=None
    )
    pat = fresh(pw).head  # the head's address is the liaison's: one copy
    services.update(context.SYSTEM, pat, {"email": "LIAISON1@city.example"}, version=None)
    result = campaigns.open_campaign(users["staff"], campaign())
    assert result.no_address == []
    sent = {msg.to[0]: msg.to for msg in mailoutbox}
    assert sent == {
        "liaison1@city.example": ["liaison1@city.example"],
        "fin@city.example": ["fin@city.example", "ira@city.example"],
    }


@pytest.mark.django_db
def test_only_one_campaign_open_at_a_time(gov, users):
    first, second = campaign("Spring review"), campaign("Autumn review")
    campaigns.open_campaign(users["staff"], first)
    with pytest.raises(ValidationError) as raised:
        campaigns.open_campaign(users["staff"], second)
    assert raised.value.messages == [
        "“Spring review” is still open. Close it before opening “Autumn review”: departments "
        "answer one campaign at a time."
    ]
    with pytest.raises(ValidationError, match="open already; only a draft campaign"):
        campaigns.open_campaign(users["staff"], first)
    campaigns.close_campaign(users["staff"], first)
    with pytest.raises(ValidationError, match="closed already"):
        campaigns.open_campaign(users["staff"], first)
    campaigns.open_campaign(users["staff"], second)
    assert fresh(second).status == "open"
    assert m.CampaignRequest.objects.filter(campaign=second).count() == 4


@pytest.mark.django_db
def test_opening_and_closing_are_named_transitions(gov, users):
    """History names each state change; the model allows only draft → open → closed."""
    c = campaign("Named review")
    campaigns.open_campaign(users["staff"], c)
    campaigns.close_campaign(users["staff"], c)
    kind = ContentType.objects.get_for_model(m.Campaign)
    named = [
        e.after.get("transition")
        for e in AuditEntry.objects.filter(content_type=kind, object_id=str(c.pk)).order_by("pk")
        if e.action == "update"
    ]
    assert named == ["status: draft → open (4 service analyses asked for)", "status: open → closed"]
    with pytest.raises(ValidationError):
        services.transition(users["staff"], fresh(c), m.Campaign.Status.OPEN)
    assert fresh(c).status == "closed" and fresh(c).closed_at is not None


@pytest.mark.django_db
def test_nobody_to_ask_is_refused_and_nothing_written(departments, users, mailoutbox):
    f.service("Orphan")
    c = campaign()
    with pytest.raises(ValidationError, match="nobody to ask"):
        campaigns.open_campaign(users["staff"], c)
    assert fresh(c).status == "draft" and not m.CampaignRequest.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["liaison", "board", "viewer"])
def test_only_it_opens_reminds_and_closes(role, gov, users, mailoutbox):
    c = campaign()
    for action in (campaigns.open_campaign, campaigns.remind, campaigns.close_campaign):
        with pytest.raises(PermissionDenied):
            action(users[role], c)
    assert fresh(c).status == "draft" and not m.CampaignRequest.objects.exists()
    assert fresh(gov["permits_bia"]).status == S.APPROVED and mailoutbox == []


class FailingBackend(EmailBackend):
    """Refuses mail to Public Works' liaison, as a broken mail server would."""

    def send_messages(self, messages):
        if any("liaison1@city.example" in msg.to for msg in messages):
            raise smtplib.SMTPRecipientsRefused({"liaison1@city.example": (550, b"no")})
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_message_that_fails_is_reported_and_left_unsent(gov, departments, users, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    _set_email(make_user("fin-liaison", Role.LIAISON, departments["FIN"]), "fin@city.example")
    c = campaign()
    result = campaigns.open_campaign(users["staff"], c)
    assert [d for d, _ in result.failed] == [departments["PW"]]
    assert [d for d, _ in result.emailed] == [departments["FIN"]]
    assert "The e-mail to Public Works could not be sent" in " ".join(result.lines())
    unsent = m.CampaignRequest.objects.filter(sent_at__isnull=True)
    assert sorted(unsent.values_list("service__name", flat=True)) == [
        "Dispatch",
        "Permits",
        "Street repairs",
    ]
    assert fresh(c).status == "open"


@pytest.mark.django_db
def test_opening_reads_a_fixed_number_of_queries_apart_from_writes(
    departments, users, monkeypatch, mailoutbox
):
    """Reads outside the write path's verbs stay the same for 3 services in 2 departments
    and 24 services in 6 departments: everything is fetched in bulk."""
    depth = [0]
    for name in ("create", "update", "transition"):
        original = getattr(services, name)

        def wrapped(*args, _original=original, **kwargs):
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(services, name, wrapped)

    def reads(n_depts, per_dept, tag):
        for d in range(n_depts):
            dept = services.create(
                context.SYSTEM, Department, {"name": f"{tag} {d}", "code": f"{tag}{d}"}
            )
            liaison = make_user(f"{tag}-l{d}", Role.LIAISON, dept)
            _set_email(liaison, f"{tag}{d}@city.example")
            for s in range(per_dept):
                svc = f.service(f"{tag} service {s}", dept)
                if s % 2:
                    complete(f.impact(svc), status=S.SUBMITTED)
        c = campaign(f"Campaign {tag}", departments=Department.objects.filter(code__startswith=tag))
        count = [0]

        def counter(execute, sql, params, many, ctx):
            if depth[0] == 0:
                count[0] += 1
            return execute(sql, params, many, ctx)

        with connection.execute_wrapper(counter):
            campaigns.open_campaign(users["staff"], c)
        campaigns.close_campaign(users["staff"], c)
        return count[0]

    small = reads(2, 2, "S")
    large = reads(6, 4, "L")
    assert m.CampaignRequest.objects.count() == 4 + 24
    assert small == large


# --- reminders -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_reach_only_departments_with_analyses_not_in(gov, departments, users, mailoutbox):
    c = campaign()
    with pytest.raises(ValidationError, match="only while a campaign is open"):
        campaigns.remind(users["staff"], c)
    campaigns.open_campaign(users["staff"], c)
    mailoutbox.clear()
    campaigns.submit_analysis(users["liaison"], gov["permits_bia"])
    result = campaigns.remind(users["staff"], c, base_url=BASE)
    assert result.requests == 2  # Dispatch and Street repairs; Permits is in
    assert result.no_address == [departments["FIN"]]
    assert len(mailoutbox) == 1
    msg = mailoutbox[0]
    assert msg.subject.startswith("Reminder: business impact analyses due")
    assert "Dispatch" in msg.body and "Street repairs" in msg.body
    assert "Permits" not in msg.body
    assert "2 business impact analyses of Public Works are not yet submitted" in msg.body
    reminded = m.CampaignRequest.objects.filter(reminded_at__isnull=False)
    assert sorted(reminded.values_list("service__name", flat=True)) == [
        "Dispatch",
        "Street repairs",
    ]
    # Once everything is in, nobody is reminded.
    for key in ("dispatch", "streets", "payroll"):
        analysis = m.ImpactAnalysis.objects.get(service=gov[key])
        campaigns.submit_analysis(users["staff"], complete(analysis))
    mailoutbox.clear()
    result = campaigns.remind(users["staff"], c)
    assert (result.emailed, result.no_address, mailoutbox) == ([], [], [])


# --- submitting, approving, returning ------------------------------------------------------


@pytest.mark.django_db
def test_submit_names_every_missing_field(gov, users):
    payroll = gov["payroll_bia"]
    with pytest.raises(ValidationError) as raised:
        campaigns.submit_analysis(users["staff"], payroll)
    assert raised.value.messages == [
        "“Payroll” cannot be submitted yet. Still to fill in: Maximum tolerable downtime "
        "(MTD); Recovery time objective (RTO); Impact over time (no rating yet)."
    ]
    grid = {c: dict(r) for c, r in FULL.items()}
    del grid["finance"]["24h"]
    payroll = services.update(
        context.SYSTEM, payroll, {"mtd_hours": 48, "impacts": grid}, version=None
    )
    with pytest.raises(ValidationError) as raised:
        campaigns.submit_analysis(users["staff"], payroll)
    assert "Recovery time objective (RTO); Impact over time: Finance after 24 hours." in str(
        raised.value
    )
    assert fresh(payroll).status == S.DRAFT


@pytest.mark.django_db
def test_liaison_submits_own_department_only(gov, users):
    liaison = users["liaison"]  # of Public Works
    streets = complete(f.impact(gov["streets"]))
    submitted = campaigns.submit_analysis(liaison, streets)
    assert submitted.status == S.SUBMITTED
    entry = AuditEntry.objects.filter(object_id=str(streets.pk)).order_by("-pk").first()
    assert entry.actor == liaison and entry.after["status"] == "submitted"
    payroll = complete(gov["payroll_bia"])
    with pytest.raises(PermissionDenied):
        campaigns.submit_analysis(liaison, payroll)
    for role in ("viewer", "board"):
        with pytest.raises(PermissionDenied):
            campaigns.submit_analysis(users[role], payroll)
    assert fresh(payroll).status == S.DRAFT
    with pytest.raises(ValidationError, match="submitted already"):
        campaigns.submit_analysis(liaison, streets)


@pytest.mark.django_db
def test_submit_refuses_a_version_changed_since_seen(gov, users):
    streets = complete(f.impact(gov["streets"]))
    seen = streets.version
    services.update(context.SYSTEM, streets, {"peak_periods": "Spring"}, version=None)
    with pytest.raises(services.ConflictError):
        campaigns.submit_analysis(users["liaison"], streets, version=seen)
    assert fresh(streets).status == S.DRAFT


@pytest.mark.django_db
def test_it_approves_and_returns_liaisons_cannot(gov, users):
    dispatch = gov["dispatch_bia"]  # submitted
    for role in ("liaison", "viewer", "board"):
        with pytest.raises(PermissionDenied):
            campaigns.approve_analysis(users[role], dispatch)
        with pytest.raises(PermissionDenied):
            campaigns.return_analysis(users[role], dispatch, "Too low")
    with pytest.raises(ValidationError, match="Only a submitted analysis can be approved"):
        campaigns.approve_analysis(users["staff"], gov["payroll_bia"])
    approved = campaigns.approve_analysis(users["staff"], dispatch)
    assert approved.status == S.APPROVED and approved.reviewed_on == TODAY

    with pytest.raises(ValidationError) as raised:
        campaigns.return_analysis(users["admin"], dispatch, "   ")
    assert raised.value.message_dict == {"reason": ["Say what the department should change."]}
    services.update(context.SYSTEM, dispatch, {"notes": "Earlier note."}, version=None)
    returned = campaigns.return_analysis(users["admin"], dispatch, "RTO of 8 h is too long.")
    assert returned.status == S.DRAFT
    assert returned.notes == (
        f"Returned to the department on {TODAY:%Y-%m-%d} by admin1: RTO of 8 h is too long."
        "\n\nEarlier note."
    )
    entry = AuditEntry.objects.filter(object_id=str(dispatch.pk)).order_by("-pk").first()
    assert entry.actor == users["admin"]
    assert entry.before["status"] == "approved" and entry.after["status"] == "draft"
    assert "too long" in entry.after["notes"]
    with pytest.raises(ValidationError, match="is a draft already"):
        campaigns.return_analysis(users["admin"], dispatch, "Again")


def _named(analysis) -> list[str]:
    kind = ContentType.objects.get_for_model(m.ImpactAnalysis)
    entries = AuditEntry.objects.filter(content_type=kind, object_id=str(analysis.pk))
    return [e.after.get("transition", "") for e in entries.order_by("pk") if e.action == "update"]


@pytest.mark.django_db
def test_the_review_steps_are_named_transitions(gov, users):
    """Submit, approve, return and reopen for review each name themselves in history; the
    model refuses a step that is not one (a draft approved straight away)."""
    staff, liaison = users["staff"], users["liaison"]
    streets = complete(f.impact(gov["streets"]))
    with pytest.raises(ValidationError, match="cannot go from draft to approved"):
        services.transition(staff, streets, S.APPROVED)
    with pytest.raises(PermissionDenied):  # a liaison submits but never approves
        services.transition(liaison, campaigns.submit_analysis(liaison, streets), S.APPROVED)
    approved = campaigns.approve_analysis(staff, streets, version=fresh(streets).version)
    returned = campaigns.return_analysis(staff, approved, "Check the RTO.")
    campaigns.submit_analysis(liaison, returned, version=returned.version)
    campaigns.open_campaign(staff, campaign("Named steps"))  # back to draft for review
    assert _named(streets)[-5:] == [
        "status: draft → submitted",
        "status: submitted → approved",
        "status: approved → draft (returned: Check the RTO.)",
        "status: draft → submitted",
        "status: submitted → draft (reopened for review)",
    ]


@pytest.mark.django_db
def test_approving_refuses_a_version_changed_since_seen(gov, users):
    dispatch = gov["dispatch_bia"]  # submitted
    seen = dispatch.version
    services.update(context.SYSTEM, dispatch, {"peak_periods": "Winter"}, version=None)
    with pytest.raises(services.ConflictError):
        campaigns.approve_analysis(users["staff"], dispatch, version=seen)
    with pytest.raises(services.ConflictError):
        campaigns.return_analysis(users["staff"], dispatch, "Why", version=seen)
    assert fresh(dispatch).status == S.SUBMITTED


# --- closing and progress ------------------------------------------------------------------


@pytest.mark.django_db
def test_progress_and_close_add_up_by_hand(gov, departments, users):
    c = campaign()
    campaigns.open_campaign(users["staff"], c)
    dispatch, permits = fresh(gov["dispatch_bia"]), fresh(gov["permits_bia"])
    campaigns.submit_analysis(users["liaison"], dispatch)
    campaigns.submit_analysis(users["liaison"], permits)
    campaigns.approve_analysis(users["staff"], permits)
    # Public Works: Permits approved, Dispatch submitted, Street repairs draft.
    # Finance: Payroll draft, never e-mailed.
    p = campaigns.progress(fresh(c), users["viewer"])
    o = p.overall
    assert (o.requested, o.draft, o.submitted, o.approved, o.done, o.percent) == (
        4, 2, 1, 1, 2, 50,
    )  # fmt: skip
    fin, pw = p.departments  # by name
    assert (fin.name, fin.tally.requested, fin.tally.draft, fin.tally.percent) == (
        "Finance", 1, 1, 0,
    )  # fmt: skip
    assert fin.tally.not_emailed == 1 and fin.tally.last_sent is None
    assert (pw.tally.requested, pw.tally.draft, pw.tally.done, pw.tally.percent) == (3, 1, 2, 66)
    assert pw.tally.not_emailed == 0 and pw.tally.last_sent is not None
    assert p.overdue is False and p.days_left == 30
    late = campaigns.progress(fresh(c), users["viewer"], today=DUE + datetime.timedelta(days=1))
    assert late.overdue and [d.overdue for d in late.departments] == [True, True]

    tally = campaigns.close_campaign(users["staff"], c)
    assert (tally.requested, tally.done, tally.percent) == (4, 2, 50)
    c.refresh_from_db()
    assert c.status == "closed" and c.closed_at is not None
    finals = dict(m.CampaignRequest.objects.values_list("service__name", "final_status"))
    assert finals == {
        "Permits": "approved",
        "Dispatch": "submitted",
        "Street repairs": "draft",
        "Payroll": "draft",
    }
    # Later work on an analysis does not change what the campaign achieved.
    campaigns.submit_analysis(users["staff"], complete(fresh(gov["payroll_bia"])))
    after = campaigns.progress(c, users["viewer"], today=DUE + datetime.timedelta(days=1))
    assert (after.overall.done, after.overdue) == (2, False)
    with pytest.raises(ValidationError, match="Only an open campaign can be closed"):
        campaigns.close_campaign(users["staff"], c)


def _spread(n_depts, per_dept, tag):
    for d in range(n_depts):
        dept = services.create(
            context.SYSTEM, Department, {"name": f"{tag} {d}", "code": f"{tag}{d}"}
        )
        for s in range(per_dept):
            analysis = f.impact(f.service(f"{tag} {d}-{s}", dept))
            if s % 3 == 1:
                complete(analysis, status=S.SUBMITTED)


@pytest.mark.django_db
def test_progress_is_one_query_at_any_size(departments, users):
    _spread(2, 2, "S")
    small = campaign("Small")
    campaigns.open_campaign(users["staff"], small)
    campaigns.close_campaign(users["staff"], small)
    _spread(8, 6, "L")
    large = campaign("Large")
    campaigns.open_campaign(users["staff"], large)
    for c, size in ((fresh(small), 4), (fresh(large), 52)):
        with CaptureQueriesContext(connection) as ctx:
            p = campaigns.progress(c, users["liaison"])
        assert len(ctx.captured_queries) == 1
        assert p.overall.requested == size


# --- pages ---------------------------------------------------------------------------------


def _messages(response):
    return [str(msg) for msg in response.context["messages"]]


@pytest.mark.django_db
def test_open_confirmation_then_open(gov, client_for, mailoutbox):
    c = campaign(instructions="Check the RTO.")
    url = reverse("continuity:campaign_open", args=[c.pk])
    staff = client_for("staff")
    page = staff.get(url).content.decode()
    assert "2 submitted or approved analyses go back to draft" in page
    assert "1 service without an impact analysis gets a new draft" in page
    assert "1 department has no e-mail address" in page
    assert "Pat.Rivera@city.example" in page and "No address: call them" in page
    assert "Check the RTO." in page
    assert "Open the campaign and send the e-mails" in page
    detail = staff.get(c.get_absolute_url()).content.decode()
    assert url in detail and "Send reminders" not in detail

    response = staff.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("continuity:campaign_progress", args=[c.pk])
    said = " ".join(_messages(response))
    assert "“Spring review” is open: 4 impact analyses asked of 2 departments." in said
    assert "No e-mail address for Finance: call them." in said
    assert fresh(c).status == "open" and len(mailoutbox) == 1
    assert "http://testserver/continuity/my-impact-analyses/" in mailoutbox[0].body
    # Again: the campaign is open already; the page says so, no error.
    response = staff.post(url, follow=True)
    assert "open already" in " ".join(_messages(response))
    assert staff.get(url).status_code == 302


@pytest.mark.django_db
def test_open_page_warns_of_another_open_campaign(gov, client_for, users):
    campaigns.open_campaign(users["staff"], campaign("Spring review"))
    other = campaign("Autumn review")
    page = client_for("admin").get(reverse("continuity:campaign_open", args=[other.pk]))
    text = page.content.decode()
    assert "“<a" in text and "Spring review</a>” is still open" in text
    assert "Open the campaign and send the e-mails" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["liaison", "board", "viewer"])
def test_campaign_actions_are_refused_to_others(role, gov, client_for, mailoutbox):
    c = campaign()
    client = client_for(role)
    for name in ("campaign_open", "campaign_remind", "campaign_close"):
        assert client.post(reverse(f"continuity:{name}", args=[c.pk])).status_code == 403
    assert client.get(reverse("continuity:campaign_open", args=[c.pk])).status_code == 403
    detail = client.get(c.get_absolute_url()).content.decode()
    assert "Open this campaign" not in detail
    assert fresh(c).status == "draft" and mailoutbox == []
    assert client.get(reverse("continuity:campaign_progress", args=[c.pk])).status_code == 200


@pytest.mark.django_db
def test_bad_ids_and_methods_are_not_server_errors(gov, client_for):
    staff = client_for("staff")
    for name in ("campaign_open", "campaign_progress", "campaign_export"):
        assert staff.get(reverse(f"continuity:{name}", args=[999999])).status_code == 404
    for name in ("campaign_open", "campaign_remind", "campaign_close"):
        assert staff.post(reverse(f"continuity:{name}", args=[999999])).status_code == 404
    for name in ("impactanalysis_submit", "impactanalysis_approve", "impactanalysis_return"):
        assert staff.post(reverse(f"continuity:{name}", args=[999999])).status_code == 404
    c = campaign()
    assert staff.get(reverse("continuity:campaign_remind", args=[c.pk])).status_code == 405
    assert staff.get(reverse("continuity:campaign_close", args=[c.pk])).status_code == 405
    assert staff.put(reverse("continuity:campaign_open", args=[c.pk])).status_code == 405
    analysis = gov["payroll_bia"]
    assert (
        staff.get(reverse("continuity:impactanalysis_submit", args=[analysis.pk])).status_code
        == 405
    )
    # Remind or close a draft: a message, not an error.
    response = staff.post(reverse("continuity:campaign_close", args=[c.pk]), follow=True)
    assert "Only an open campaign can be closed" in " ".join(_messages(response))
    response = staff.post(reverse("continuity:campaign_remind", args=[c.pk]), follow=True)
    assert "only while a campaign is open" in " ".join(_messages(response))
    # Garbage in the form: a message.
    response = staff.post(
        reverse("continuity:impactanalysis_submit", args=[analysis.pk]),
        {"version": "abc"},
        follow=True,
    )
    assert response.status_code == 200
    assert "not understood" in " ".join(_messages(response))
    progress = reverse("continuity:campaign_progress", args=[c.pk])
    response = staff.get(progress + "?department=abc&state=nope&page=zz")
    assert response.status_code == 400 and b"not understood" in response.content


@pytest.mark.django_db
def test_posts_need_the_csrf_token(gov, users, mailoutbox):
    c = campaign()
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["staff"])
    assert client.post(reverse("continuity:campaign_open", args=[c.pk])).status_code == 403
    assert fresh(c).status == "draft" and mailoutbox == []
    analysis = complete(gov["payroll_bia"])
    url = reverse("continuity:impactanalysis_submit", args=[analysis.pk])
    assert client.post(url).status_code == 403
    assert fresh(analysis).status == S.DRAFT
    # With the token from the page, it works.
    page = client.get(reverse("continuity:campaign_open", args=[c.pk]))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("continuity:campaign_open", args=[c.pk]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and fresh(c).status == "open"


@pytest.mark.django_db
def test_progress_page_links_every_number(gov, client_for, users):
    c = campaign()
    campaigns.open_campaign(users["staff"], c)
    campaigns.submit_analysis(users["liaison"], fresh(gov["dispatch_bia"]))
    url = reverse("continuity:campaign_progress", args=[c.pk])
    page = client_for("staff").get(url).content.decode()
    assert "Overall: 25% done" in page
    assert '<a href="?state=submitted#services">1</a>' in page
    assert '<a href="?state=draft#services">3</a>' in page
    pw = gov["permits"].owner_department_id
    assert f'href="?department={pw}&amp;state=draft#services"' in page
    assert "No address: call them" in page  # Finance
    assert "Send reminders" in page and "Close campaign" in page
    assert f'href="{gov["dispatch_bia"].get_absolute_url()}">Submitted</a>' in page
    assert reverse("continuity:impactanalysis_approve", args=[gov["dispatch_bia"].pk]) in page
    # Filtered to one department and status.
    page = client_for("viewer").get(f"{url}?department={pw}&state=draft").content.decode()
    assert "By service: Public Works (not yet submitted)" in page
    assert ">Permits</a>" in page and ">Payroll</a>" not in page and ">Dispatch</a>" not in page
    assert "Send reminders" not in page and "impactanalysis_approve" not in page
    assert reverse("continuity:impactanalysis_approve", args=[gov["dispatch_bia"].pk]) not in page


@pytest.mark.django_db
def test_remind_and_close_from_the_page(gov, client_for, users, mailoutbox):
    c = campaign()
    campaigns.open_campaign(users["staff"], c)
    mailoutbox.clear()
    staff = client_for("staff")
    response = staff.post(reverse("continuity:campaign_remind", args=[c.pk]), follow=True)
    said = " ".join(_messages(response))
    assert "Reminders sent about 3 analyses not yet submitted." in said
    assert "No e-mail address for Finance" in said
    assert len(mailoutbox) == 1
    response = staff.post(
        reverse("continuity:campaign_close", args=[c.pk]),
        {"next": "https://evil.example/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("continuity:campaign_progress", args=[c.pk])
    assert "is closed: 0 of 4 analyses were submitted or approved (0%)." in " ".join(
        _messages(response)
    )


@pytest.mark.django_db
def test_liaison_page_lists_own_department_and_submits(gov, client_for, users):
    c = campaign()
    campaigns.open_campaign(users["staff"], c)
    liaison = client_for("liaison")
    url = reverse("continuity:my_analyses")
    page = liaison.get(url).content.decode()
    assert ">Permits</a>" in page and ">Street repairs</a>" in page
    assert "Payroll" not in page  # Finance's
    assert "Maximum tolerable downtime (MTD)" in page  # Street repairs still needs it
    assert DUE.strftime("%Y-%m-%d") in page
    streets = m.ImpactAnalysis.objects.get(service=gov["streets"])
    submit = reverse("continuity:impactanalysis_submit", args=[streets.pk])
    assert submit in page
    assert reverse("continuity:impactanalysis_edit", args=[streets.pk]) in page
    # Incomplete: refused, with each missing field named.
    response = liaison.post(submit, {"version": streets.version, "next": url}, follow=True)
    assert response.redirect_chain[-1][0] == url
    said = " ".join(_messages(response))
    assert "Maximum tolerable downtime (MTD); Recovery time objective (RTO)" in said
    streets = complete(streets)
    response = liaison.post(submit, {"version": streets.version, "next": url}, follow=True)
    assert "Submitted the impact analysis of “Street repairs”" in " ".join(_messages(response))
    assert fresh(streets).status == S.SUBMITTED
    # Another department's analysis: refused.
    payroll = complete(gov["payroll_bia"])
    other = reverse("continuity:impactanalysis_submit", args=[payroll.pk])
    assert liaison.post(other, {"version": payroll.version}).status_code == 403
    assert fresh(payroll).status == S.DRAFT
    # No open campaign: nothing asked.
    campaigns.close_campaign(users["staff"], c)
    assert "Nothing is asked of Public Works right now" in liaison.get(url).content.decode()


@pytest.mark.django_db
def test_liaison_page_for_people_without_a_department(gov, client_for, users, departments):
    campaigns.open_campaign(users["staff"], campaign())
    url = reverse("continuity:my_analyses")
    assert "belongs to no department" in client_for("viewer").get(url).content.decode()
    staff = client_for("staff")
    assert staff.get(url).status_code == 200
    page = staff.get(f"{url}?department={departments['FIN'].pk}").content.decode()
    assert "Impact analyses of Finance" in page and ">Payroll</a>" in page
    assert staff.get(f"{url}?department=abc").status_code == 400


@pytest.mark.django_db
def test_approve_and_return_from_pages(gov, client_for, users):
    dispatch = gov["dispatch_bia"]
    staff = client_for("staff")
    approve = reverse("continuity:impactanalysis_approve", args=[dispatch.pk])
    assert client_for("liaison").post(approve, {"version": dispatch.version}).status_code == 403
    response = staff.post(approve, {"version": dispatch.version}, follow=True)
    assert response.redirect_chain[-1][0] == dispatch.get_absolute_url()
    assert fresh(dispatch).status == S.APPROVED
    back = reverse("continuity:impactanalysis_return", args=[dispatch.pk])
    assert client_for("liaison").get(back).status_code == 403
    assert client_for("viewer").post(back, {"reason": "x"}).status_code == 403
    page = staff.get(back)
    assert page.status_code == 200 and b"What should the department change?" in page.content
    response = staff.post(back, {"reason": "", "version": fresh(dispatch).version})
    assert response.status_code == 400 and b"Not returned" in response.content
    response = staff.post(back, {"reason": "Stale", "version": 1})
    assert response.status_code == 400 and b"changed after you opened" in response.content
    response = staff.post(back, {"reason": "Check the RTO.", "version": fresh(dispatch).version})
    assert response.status_code == 302
    assert fresh(dispatch).status == S.DRAFT and "Check the RTO." in fresh(dispatch).notes


@pytest.mark.django_db
def test_csv_export_is_complete_and_formula_safe(gov, departments, client_for, users):
    f.service('=HYPERLINK("http://evil")', departments["FIN"])
    c = campaign()
    campaigns.open_campaign(users["staff"], c)
    response = client_for("viewer").get(reverse("continuity:campaign_export", args=[c.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Department,Service,Status,Done,Overdue,E-mailed")
    assert len(lines) == 1 + 5
    assert "'=HYPERLINK" in text and '\n"=HYPERLINK' not in text
    permits = gov["permits_bia"]
    assert any(
        line.startswith("Public Works,Permits,Draft,No,No,")
        and line.endswith(f"http://testserver{permits.get_absolute_url()}")
        for line in lines
    )


@pytest.mark.django_db
def test_pages_cost_the_same_queries_at_any_size(departments, users, client_for):
    liaison_dept = departments["PW"]
    staff, liaison = client_for("staff"), client_for("liaison")

    def grow(tag, n):
        dept = services.create(context.SYSTEM, Department, {"name": tag, "code": tag})
        for s in range(n):
            analysis = f.impact(f.service(f"{tag} {s}", dept))
            if s % 2:
                complete(analysis, status=S.SUBMITTED)
        for s in range(n):
            f.service(f"{tag} own {s}", liaison_dept)

    def count(client, url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow("A", 3)
    c = campaign()
    campaigns.open_campaign(users["staff"], c)
    urls = [
        (staff, reverse("continuity:campaign_progress", args=[c.pk])),
        (staff, c.get_absolute_url()),
        (liaison, reverse("continuity:my_analyses")),
    ]
    small = [count(client, url) for client, url in urls]
    campaigns.close_campaign(users["staff"], c)
    grow("B", 40)
    for n in range(4):
        grow(f"C{n}", 2)
    c2 = campaign("Second")
    campaigns.open_campaign(users["staff"], c2)
    urls = [
        (staff, reverse("continuity:campaign_progress", args=[c2.pk])),
        (staff, c2.get_absolute_url()),
        (liaison, reverse("continuity:my_analyses")),
    ]
    assert m.CampaignRequest.objects.filter(campaign=c2).count() > PER_PAGE_CHECK
    assert [count(client, url) for client, url in urls] == small
    draft = campaign("Third")
    with CaptureQueriesContext(connection) as ctx:
        staff.get(reverse("continuity:campaign_open", args=[draft.pk]))
    assert len(ctx.captured_queries) < 15


# --- the buttons the impact analysis page includes -----------------------------------------


@pytest.mark.django_db
def test_analysis_action_buttons(gov, users):
    request = RequestFactory().get("/continuity/impact-analyses/1/")

    def render(role, analysis, can_change):
        return render_to_string(
            "continuity/campaign_analysis_actions.html",
            {"object": analysis, "can_change": can_change, "user": users[role]},
            request=request,
        )

    draft = fresh(gov["dispatch_bia"])
    services.transition(context.SYSTEM, draft, S.DRAFT)  # returned
    draft = fresh(draft)
    html = render("liaison", draft, True)
    assert reverse("continuity:impactanalysis_submit", args=[draft.pk]) in html
    assert "csrfmiddlewaretoken" in html and "Approve" not in html
    assert render("viewer", draft, False).strip() == ""
    submitted = fresh(gov["permits_bia"])
    for step in (S.DRAFT, S.SUBMITTED):  # reopened for review, then submitted again
        services.transition(context.SYSTEM, submitted, step)
    submitted = fresh(submitted)
    html = render("staff", submitted, True)
    assert reverse("continuity:impactanalysis_approve", args=[submitted.pk]) in html
    assert reverse("continuity:impactanalysis_return", args=[submitted.pk]) in html
    assert "Submit" not in html
    html = render("liaison", submitted, True)
    assert "Approve" not in html and "Return" not in html
    assert mail.outbox == []


# --- large actions in the background -------------------------------------------------------


@pytest.mark.django_db
def test_large_actions_run_as_background_jobs(gov, client_for, users, monkeypatch, mailoutbox):
    """Above the inline limit the page queues a job (run at once here, as tasks run
    in-process in tests) and shows its progress page; the job says what it did."""
    from townhall.jobs.models import Job

    monkeypatch.setattr(campaigns, "INLINE_LIMIT", 2)
    c = campaign()
    staff = client_for("staff")
    response = staff.post(reverse("continuity:campaign_open", args=[c.pk]), follow=True)
    job = Job.objects.get(kind=campaigns.JOB_KIND)
    assert response.redirect_chain[-1][0] == job.get_absolute_url()
    assert "runs in the background" in " ".join(_messages(response))
    assert job.status == Job.Status.DONE and (job.done, job.total) == (4, 4)
    assert job.title == "Open the campaign “Spring review”" and job.created_by == users["staff"]
    assert job.message.startswith("“Spring review” is open: 4 impact analyses asked of 2")
    assert "No e-mail address for Finance: call them." in job.message
    assert fresh(c).status == "open" and len(mailoutbox) == 1
    entry = AuditEntry.objects.filter(object_repr="Spring review", action="update").get()
    assert entry.actor == users["staff"] and entry.via == "task"

    # Refusals are said on the page before anything is queued.
    other = campaign("Autumn review")
    response = staff.post(reverse("continuity:campaign_open", args=[other.pk]), follow=True)
    assert "“Spring review” is still open" in " ".join(_messages(response))
    assert Job.objects.count() == 1

    staff.post(reverse("continuity:campaign_remind", args=[c.pk]))
    reminded = Job.objects.get(title__startswith="Send reminders")
    assert reminded.message.startswith("Reminders sent about 3 analyses not yet submitted.")
    staff.post(reverse("continuity:campaign_close", args=[c.pk]))
    closed = Job.objects.get(title__startswith="Close")
    assert (
        closed.message == "“Spring review” is closed: 0 of 4 analyses were submitted or "
        "approved (0%)."
    )
    assert fresh(c).status == "closed" and campaigns.running_job(c) is None


@pytest.mark.django_db
def test_a_job_refused_when_it_runs_does_nothing_and_says_why(gov, users):
    from townhall.jobs.models import Job

    first, second = campaign("Spring review"), campaign("Autumn review")
    job = Job.objects.create(
        kind=campaigns.JOB_KIND,
        title="Open",
        created_by=users["staff"],
        params={"campaign": second.pk, "action": "open"},
    )
    campaigns.open_campaign(users["staff"], first)  # opened meanwhile
    runner.execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Nothing was done: “Spring review” is still open.")
    assert fresh(second).status == "draft"
    assert not m.CampaignRequest.objects.filter(campaign=second).exists()
    liaison_job = Job.objects.create(
        kind=campaigns.JOB_KIND,
        title="Close",
        created_by=users["liaison"],
        params={"campaign": first.pk, "action": "close"},
    )
    runner.execute(liaison_job.pk)
    liaison_job.refresh_from_db()
    assert liaison_job.status == Job.Status.FAILED and "Only IT staff" in liaison_job.message
    assert fresh(first).status == "open"


@pytest.mark.django_db
def test_analysis_page_offers_the_next_step_to_each_role(gov, client_for):
    streets = f.impact(gov["streets"])
    page = client_for("liaison").get(streets.get_absolute_url()).content.decode()
    assert reverse("continuity:impactanalysis_submit", args=[streets.pk]) in page
    assert "impactanalysis_approve" not in page and ">Approve<" not in page
    dispatch = gov["dispatch_bia"]  # submitted
    page = client_for("liaison").get(dispatch.get_absolute_url()).content.decode()
    assert ">Submit for review<" not in page and ">Approve<" not in page
    page = client_for("staff").get(dispatch.get_absolute_url()).content.decode()
    assert reverse("continuity:impactanalysis_approve", args=[dispatch.pk]) in page
    assert reverse("continuity:impactanalysis_return", args=[dispatch.pk]) in page
    page = client_for("viewer").get(dispatch.get_absolute_url()).content.decode()
    assert ">Approve<" not in page and ">Submit for review<" not in page


@pytest.mark.django_db
def test_requests_are_made_only_by_opening_a_campaign(client_for, departments):
    assert client_for("liaison").get("/continuity/campaign-requests/add/").status_code == 403
    assert client_for("staff").get("/continuity/campaign-requests/add/").status_code == 200
