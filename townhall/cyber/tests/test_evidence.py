"""Evidence coming due: the list (service and page), the calendar feed, the reminder
command, and adding evidence for one subcategory from the workspace (uploads bounded)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from townhall.accounts import feeds
from townhall.cyber import models as m
from townhall.cyber import services as cyber
from townhall.cyber.tests import assessment_factories as af
from townhall.cyber.tests import factories as f

TODAY = datetime.date(2026, 3, 1)


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def scene(db):
    """Evidence around 2026-03-01: expired, due today, due in 60 days (the edge), in 61 days,
    and without an expiry date. Two owners and one piece without an owner."""
    fw, reqs = af.tree()
    ann = f.create(f.estate.Person, name="Ann Ortiz", email="ann@example.org")
    bo = f.create(f.estate.Person, name="Bo Lee")
    return {
        "reqs": reqs,
        "ann": ann,
        "expired": af.evidence(
            "Backup test report", day(-10), owner=ann, requirements=[reqs["ID.AM-01"]]
        ),
        "today": af.evidence(
            "Security policy",
            TODAY,
            owner=bo,
            requirements=[reqs["GV.OC-02"], reqs["GV.OC-01"]],
        ),
        "edge": af.evidence("Insurance certificate", day(60)),
        "later": af.evidence("Pen test", day(61), owner=ann),
        "never": af.evidence("Org chart", None, owner=ann),
    }


def test_expiring_evidence_lists_expired_and_due(scene, users):
    due = cyber.expiring_evidence(users["viewer"], within_days=60, today=TODAY)
    assert (due["today"], due["until"]) == (TODAY, day(60))
    assert [e.title for e in due["expired"]] == ["Backup test report"]
    assert [e.title for e in due["expiring"]] == ["Security policy", "Insurance certificate"]
    # Requirements come in tree order, owners loaded.
    policy = due["expiring"][0]
    assert [r.identifier for r in policy.requirements.all()] == ["GV.OC-01", "GV.OC-02"]
    assert policy.owner.name == "Bo Lee"
    wider = cyber.expiring_evidence(users["viewer"], within_days=61, today=TODAY)
    assert [e.title for e in wider["expiring"]][-1] == "Pen test"
    assert cyber.expiring_evidence(users["liaison"], today=TODAY)["expiring"] == []
    assert cyber.expiring_evidence(users["liaison"], today=TODAY)["expired"] == []


def test_expiry_helpers(scene):
    assert scene["expired"].is_expired(TODAY)
    assert not scene["today"].is_expired(TODAY)
    assert scene["today"].expires_within(TODAY, 60)
    assert scene["edge"].expires_within(TODAY, 60)
    assert not scene["later"].expires_within(TODAY, 60)
    assert not scene["never"].expires_within(TODAY, 60)


def test_expiring_page(client_for, scene, monkeypatch):
    monkeypatch.setattr(cyber.timezone, "localdate", lambda: TODAY)
    page = client_for("viewer").get(reverse("cyber:evidence_expiring"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Expired (1)" in html and "Expiring within 60 days (2)" in html
    assert "expired 10 days ago" in html and "expires today" in html
    assert "expires in 60 days" in html
    assert "Ann Ortiz" in html and "No owner" in html
    assert "Pen test" not in html and "Org chart" not in html
    assert ">GV.OC-01</a>, <a" in html
    wider = client_for("viewer").get(reverse("cyber:evidence_expiring") + "?days=61")
    assert "Expiring within 61 days (3)" in wider.content.decode()
    assert client_for("liaison").get(reverse("cyber:evidence_expiring")).status_code == 403


@pytest.mark.parametrize(
    "days, notice",
    [
        ("abc", "“abc” is not a number of days; showing 60."),
        ("0", "between 1 and 730; showing 1."),
        ("99999", "between 1 and 730; showing 730."),
        ("-5", "between 1 and 730; showing 1."),
    ],
)
def test_expiring_page_bad_days(client_for, scene, days, notice):
    page = client_for("staff").get(reverse("cyber:evidence_expiring") + f"?days={days}")
    assert page.status_code == 200
    assert notice in page.content.decode()


def test_calendar_feed_has_evidence_for_those_who_may_see_it(client, scene, users, monkeypatch):
    from townhall.estate.pages import dashboard as dashboard_pages

    monkeypatch.setattr(dashboard_pages.timezone, "localdate", lambda: TODAY)
    staff_key = feeds.reset(users["staff"])
    body = client.get(reverse("estate:calendar_feed", args=[staff_key])).content.decode()
    unfolded = body.replace("\r\n ", "")
    assert f"UID:evidence-{scene['today'].pk}-expires@townhall" in unfolded
    assert "SUMMARY:Evidence expires: Security policy" in unfolded
    assert "DTSTART;VALUE=DATE:20260301" in unfolded
    assert "It supports GV.OC-01\\, GV.OC-02. Owner: Bo Lee." in unfolded
    assert f"/cyber/evidence/{scene['today'].pk}/" in unfolded
    assert "Evidence expires: Pen test" in unfolded  # five years ahead, not 60 days
    assert "Org chart" not in unfolded  # no expiry date
    liaison_key = feeds.reset(users["liaison"])
    liaison = client.get(reverse("estate:calendar_feed", args=[liaison_key])).content.decode()
    assert "BEGIN:VCALENDAR" in liaison and "Evidence" not in liaison


def test_remind_command_groups_by_owner(scene):
    out = io.StringIO()
    call_command("cyber", "remind", "--today", "2026-03-01", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0] == (
        "Evidence expired or expiring within 60 days, as of 2026-03-01: 1 expired, 2 expiring."
    )
    ann = text.index("Ann Ortiz <ann@example.org> (1)")
    bo = text.index("Bo Lee (1)")
    nobody = text.index("No owner (1)")
    assert ann < bo < nobody
    assert (
        f"  2026-02-19 (expired 10 days ago)  Backup test report  [ID.AM-01]  "
        f"/cyber/evidence/{scene['expired'].pk}/"
    ) in text
    assert "(expires in 60 days)  Insurance certificate  [no requirement]" in text
    assert "Pen test" not in text


def test_remind_command_days_and_nothing_due(scene):
    out = io.StringIO()
    call_command("cyber", "remind", "--days", "61", "--today", "2026-03-01", stdout=out)
    assert "Ann Ortiz <ann@example.org> (2)" in out.getvalue()
    out = io.StringIO()
    call_command("cyber", "remind", "--days", "5", "--today", "2020-01-01", stdout=out)
    assert out.getvalue().strip() == (
        "No evidence has expired or expires within 5 days (as of 2020-01-01)."
    )
    with pytest.raises(CommandError, match="--days must be between 1 and 730"):
        call_command("cyber", "remind", "--days", "0")
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("cyber", "remind", "--today", "March")


# --- adding evidence from the workspace ------------------------------------------------------


@pytest.fixture
def assessment(scene, users):
    fw = scene["reqs"]["GV"].framework
    return cyber.start_assessment(users["staff"], fw, 2026, "2026")


def add_url(req, a=None) -> str:
    url = reverse("cyber:evidence_add_for", args=[req.pk])
    return url + (f"?assessment={a.pk}" if a else "")


def test_add_evidence_for_a_subcategory(client_for, scene, assessment):
    req = scene["reqs"]["GV.RR-01"]
    form = client_for("staff").get(add_url(req, assessment))
    assert form.status_code == 200
    html = form.content.decode()
    assert "Add evidence for GV.RR-01" in html
    assert f'value="{req.pk}" checked' in html  # the requirement is chosen already
    response = client_for("staff").post(
        add_url(req, assessment),
        {
            "title": "Roles memo",
            "file": SimpleUploadedFile("roles.pdf", b"%PDF-1.4 small", "application/pdf"),
            "expires": "2027-01-31",
            "requirements": [req.pk],
        },
    )
    assert response.status_code == 302
    workspace = reverse("cyber:assessment_workspace", args=[assessment.pk])
    assert response["Location"] == f"{workspace}#req-{req.pk}"
    created = m.Evidence.objects.get(title="Roles memo")
    assert list(created.requirements.all()) == [req]
    assert created.file.name.endswith(".pdf")
    # The workspace lists it under the subcategory, and marks expired evidence.
    page = client_for("viewer").get(workspace).content.decode()
    assert "Roles memo" in page
    assert "Expired 2026-02-19" in page  # the backup test report of ID.AM-01


def test_uploads_are_bounded(client_for, scene, assessment, settings):
    settings.UPLOAD_MAX_MB = 1
    req = scene["reqs"]["GV.RR-01"]
    big = SimpleUploadedFile("big.pdf", b"x" * (1024 * 1024 + 1), "application/pdf")
    response = client_for("staff").post(
        add_url(req, assessment), {"title": "Too big", "file": big, "requirements": [req.pk]}
    )
    assert response.status_code == 400
    assert "The file is larger than the 1 MB limit." in response.content.decode()
    assert not m.Evidence.objects.filter(title="Too big").exists()


def test_add_evidence_refusals(client_for, scene, assessment):
    req = scene["reqs"]["GV.RR-01"]
    assert client_for("viewer").get(add_url(req)).status_code == 403
    assert client_for("liaison").get(add_url(req)).status_code == 403
    assert (
        client_for("staff").get(reverse("cyber:evidence_add_for", args=[999999])).status_code == 404
    )
    # A nonsense assessment is ignored: back goes to the requirement's own page.
    odd = client_for("staff").get(
        reverse("cyber:evidence_add_for", args=[req.pk]) + "?assessment=x"
    )
    assert odd.status_code == 200
    empty = client_for("staff").post(add_url(req), {"title": "Nothing attached"})
    assert empty.status_code == 400
    assert "Attach a file or give a link." in empty.content.decode()
    assert not m.Evidence.objects.filter(title="Nothing attached").exists()
