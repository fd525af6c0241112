"""Reviews across the registers, tried on social media accounts: calendar events, the home
notice for IT staff (one query, none for others) and the front page (queries that do not
grow with the records)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townhall.accounts import feeds
from townhall.core import plugins
from townhall.registers import reviews
from townhall.registers.models import SocialAccount
from townhall.registers.tests import factories as f

DAY = datetime.timedelta(days=1)


def _today():
    return timezone.localdate()


def _account(departments, handle, *, last=None, due=None, dept="PW", **values):
    return f.social(handle, departments[dept], last_reviewed_on=last, next_review_on=due, **values)


@pytest.mark.django_db
def test_social_accounts_are_a_reviewed_register():
    assert SocialAccount in reviews.reviewed_models()
    assert reviews.list_url(SocialAccount) == "/registers/social-media-accounts/"


@pytest.mark.django_db
def test_the_next_review_defaults_to_a_year_after_the_last(departments):
    account = _account(departments, "@A", last=datetime.date(2024, 2, 29))
    assert account.next_review_on == datetime.date(2025, 2, 28)
    assert _account(departments, "@B").next_review_on is None


@pytest.mark.django_db
def test_reviews_due_are_calendar_events(departments, users):
    from townhall.people.tests import factories as pf

    today = _today()
    owner = pf.person("Ann Lee")
    due = _account(departments, "@Due", due=today + 10 * DAY, review_owner=owner)
    _account(departments, "@Later", due=today + 400 * DAY)
    _account(departments, "@Never")
    events = reviews.review_events(
        users["viewer"], today, today + 100 * DAY, "https://townhall.example"
    )
    assert [e.day for e in events] == [today + 10 * DAY]
    event = events[0]
    assert event.uid == f"registers-socialaccount-{due.pk}-review@townhall"
    assert event.summary == "Review due: social media account @Due on Facebook (Ann Lee)"
    assert event.url == f"https://townhall.example/registers/social-media-accounts/{due.pk}/"
    assert event.categories == ("Register review",)
    # The platform's feed carries them with the estate's dates.
    assert reviews.review_events in plugins._calendar_events


@pytest.mark.django_db
def test_the_calendar_feed_carries_reviews(departments, users, client):
    today = _today()
    _account(departments, "@DueSoon", due=today + 5 * DAY)
    _account(departments, "@Overdue", due=today - 20 * DAY)
    key = feeds.reset(users["staff"])
    response = client.get(reverse("estate:calendar_feed", args=[key]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Review due: social media account @DueSoon on Facebook" in body
    # A review past its day stays in the feed (up to a year back), so it is not forgotten.
    assert "Review due: social media account @Overdue on Facebook" in body


@pytest.mark.django_db
def test_it_staff_are_told_of_reviews_past_due_in_one_query(departments, users):
    today = _today()
    for role in ("admin", "manager", "staff"):
        assert reviews.home_notice(users[role]) is None
    _account(departments, "@Late1", due=today - DAY)
    _account(departments, "@OnTime", due=today)
    for role in ("admin", "manager", "staff"):
        with CaptureQueriesContext(connection) as captured:
            notice = reviews.home_notice(users[role])
        assert len(captured.captured_queries) == 1
        assert notice.text == "1 register record is past its review day."
        assert notice.url == "/registers/"
    _account(departments, "@Late2", due=today - 300 * DAY, dept="FIN")
    assert reviews.home_notice(users["staff"]).text == (
        "2 register records are past their review day."
    )


@pytest.mark.django_db
def test_others_get_no_notice_and_no_query(departments, users):
    _account(departments, "@Late", due=_today() - DAY)
    for role in ("liaison", "board", "viewer"):
        with CaptureQueriesContext(connection) as captured:
            assert reviews.home_notice(users[role]) is None
        assert len(captured.captured_queries) == 0


@pytest.mark.django_db
def test_the_notice_counts_every_register_in_one_query(departments, users, monkeypatch):
    # Two registers, as the module will have: their overdue rows counted in one union.
    _account(departments, "@Late", due=_today() - DAY)
    _account(departments, "@Later", due=_today() - 2 * DAY, platform="x")
    monkeypatch.setattr(reviews, "reviewed_models", lambda: [SocialAccount, SocialAccount])
    with CaptureQueriesContext(connection) as captured:
        notice = reviews.home_notice(users["manager"])
    assert len(captured.captured_queries) == 1
    assert notice.text == "4 register records are past their review day."


@pytest.mark.django_db
def test_the_home_page_shows_the_notice_to_it_staff(departments, client_for):
    _account(departments, "@Late", due=_today() - DAY)
    body = client_for("staff").get("/").content.decode()
    assert "1 register record is past its review day." in body
    body = client_for("viewer").get("/").content.decode()
    assert "register record" not in body


@pytest.mark.django_db
def test_the_front_page_figures(departments, client_for):
    today = _today()
    _account(departments, "@Late", due=today - 3 * DAY, last=today - 400 * DAY)
    _account(departments, "@Soon", due=today + 3 * DAY, last=today - 362 * DAY)
    _account(departments, "@Never")
    _account(departments, "@Fine", last=today)
    response = client_for("viewer").get("/registers/")
    [row] = [
        r for r in response.context["registers"] if r.url == "/registers/social-media-accounts/"
    ]
    assert (row.records, row.overdue, row.due_soon, row.never_reviewed) == (4, 1, 1, 1)
    assert row.label == "Social media accounts"
    labels = [r.label for r in response.context["registers"]]
    assert "AI use cases" in labels and "Continuum self-assessments" in labels
    [late] = response.context["overdue"]
    assert late.name == "@Late on Facebook"
    assert late.department == "Public Works"
    assert b"@Late on Facebook" in response.content


@pytest.mark.django_db
def test_the_front_page_queries_do_not_grow(departments, client_for):
    client = client_for("manager")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/registers/").status_code == 200
        return len(captured.captured_queries)

    today = _today()
    _account(departments, "@First", due=today - DAY)
    queries()
    few = queries()
    for n in range(10):
        _account(departments, f"@More{n}", due=today - n * DAY, dept=("PW", "FIN")[n % 2])
    assert queries() == few


@pytest.mark.django_db
def test_the_overdue_list_is_capped_and_longest_overdue_first(departments, users):
    today = _today()
    for n in range(5):
        _account(departments, f"@Late{n}", due=today - (n + 1) * DAY)
    found = reviews.overdue(users["viewer"], today, limit=3)
    assert [r.name for r in found] == [
        "@Late4 on Facebook",
        "@Late3 on Facebook",
        "@Late2 on Facebook",
    ]
