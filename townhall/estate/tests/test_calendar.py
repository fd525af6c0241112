"""The personal calendar feed: RFC 5545 text, the secret address, and who sees what."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from townhall.accounts import feeds
from townhall.core import context, services
from townhall.estate import calendar
from townhall.estate import models as m

NOW = datetime.datetime(2026, 11, 25, 17, 30, 5, tzinfo=datetime.UTC)


# --- the format --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("a, b; c", "a\\, b\\; c"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines\r\nand\rmore", "two\\nlines\\nand\\nmore"),
        ("\\,", "\\\\\\,"),
    ],
)
def test_escape(text, expected):
    assert calendar.escape(text) == expected


def _octets(line):
    return len(line.encode("utf-8"))


def test_fold_at_75_octets_never_inside_a_character():
    assert calendar.fold("x" * 75) == "x" * 75
    folded = calendar.fold("SUMMARY:" + "y" * 200)
    lines = folded.split("\r\n")
    assert [_octets(line) for line in lines] == [75, 75, 60]  # 75 + 74 + 59 octets of content
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join([lines[0]] + [line[1:] for line in lines[1:]]) == "SUMMARY:" + "y" * 200
    text = "SUMMARY:" + "é€😀" * 40  # 2-, 3- and 4-octet characters
    lines = calendar.fold(text).split("\r\n")
    assert all(_octets(line) <= 75 for line in lines)
    assert "".join([lines[0]] + [line[1:] for line in lines[1:]]) == text  # decodes cleanly


def test_calendar_document():
    event = calendar.Event(
        uid="contract-7-notice@townhall",
        day=datetime.date(2027, 1, 31),
        summary="Notice deadline: Radio, towers; and \\ more",
        description="First line\nsecond line " + "long " * 30,
        url="https://townhall.example/estate/contracts/7/",
        stamp=datetime.datetime(
            2026, 3, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-6))
        ),
        categories=("Contract notice",),
    )
    text = calendar.calendar([event], name="Estate, dates", now=NOW)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    physical = text.split("\r\n")[:-1]
    assert all(_octets(line) <= 75 for line in physical)
    unfolded = text.replace("\r\n ", "").split("\r\n")[:-1]
    assert unfolded[:6] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Townhall//Estate calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Estate\\, dates",
    ]
    assert unfolded[-1] == "END:VCALENDAR"
    assert "UID:contract-7-notice@townhall" in unfolded
    assert "DTSTAMP:20260301T180000Z" in unfolded  # converted to UTC
    assert "DTSTART;VALUE=DATE:20270131" in unfolded
    assert "DTEND;VALUE=DATE:20270201" in unfolded
    assert "SUMMARY:Notice deadline: Radio\\, towers\\; and \\\\ more" in unfolded
    assert any(line.startswith("DESCRIPTION:First line\\nsecond line long") for line in unfolded)
    assert "URL:https://townhall.example/estate/contracts/7/" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == unfolded.count("END:VEVENT") == 1
    # Without a stamp, DTSTAMP is the generation time.
    bare = calendar.calendar(
        [calendar.Event(uid="u@x", day=datetime.date(2027, 1, 1), summary="s")], name="n", now=NOW
    )
    assert "DTSTAMP:20261125T173005Z\r\n" in bare


# --- the feed ----------------------------------------------------------------------------


@pytest.fixture
def dated(departments):
    today = timezone.localdate()
    vendor = services.create(context.SYSTEM, m.Vendor, {"name": "Harbor, Radio; Ltd"})
    contract = services.create(
        context.SYSTEM,
        m.Contract,
        {
            "title": "Radio maintenance",
            "vendor": vendor,
            "end": today + datetime.timedelta(days=100),
            "notice_days": 60,
            "owner_department": departments["PW"],
        },
    )
    system = services.create(
        context.SYSTEM,
        m.System,
        {
            "name": "Permitting",
            "owner_department": departments["FIN"],
            "end_of_support": today + datetime.timedelta(days=300),
            "data_classification": "internal",
        },
    )
    component = services.create(
        context.SYSTEM,
        m.Component,
        {"name": "srv-01", "kind": "server", "end_of_support": today - datetime.timedelta(days=5)},
    )
    services.create(
        context.SYSTEM,
        m.Component,
        {"name": "srv-02", "kind": "server", "end_of_support": component.end_of_support},
    )
    ancient = services.create(
        context.SYSTEM,
        m.Component,
        {"name": "srv-old", "kind": "server", "end_of_support": today.replace(year=today.year - 3)},
    )
    return {"contract": contract, "system": system, "component": component, "ancient": ancient}


def _feed(key):
    return Client().get(f"/estate/calendar/{key}.ics")


def test_feed_lists_notice_deadlines_and_end_of_support(dated, users):
    key = feeds.reset(users["viewer"])
    response = _feed(key)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode("utf-8")
    unfolded = body.replace("\r\n ", "")
    c, s, k = dated["contract"], dated["system"], dated["component"]
    assert f"UID:contract-{c.pk}-notice@townhall" in unfolded
    assert f"DTSTART;VALUE=DATE:{c.notice_deadline:%Y%m%d}" in unfolded
    assert "Harbor\\, Radio\\; Ltd" in unfolded
    assert f"UID:system-{s.pk}-end-of-support@townhall" in unfolded
    day = k.end_of_support
    assert f"UID:components-{day:%Y%m%d}-end-of-support@townhall" in unfolded
    assert "SUMMARY:End of support: 2 components" in unfolded
    assert "(server: 2)" in unfolded
    after, before = day.isoformat(), (day + datetime.timedelta(days=1)).isoformat()
    link = f"/estate/components/?end_of_support_after={after}&end_of_support_before={before}"
    assert f"URL:http://testserver{link}" in unfolded
    ancient = dated["ancient"].end_of_support
    assert f"components-{ancient:%Y%m%d}-" not in unfolded  # outside the window
    assert f"URL:http://testserver/estate/systems/{s.pk}/" in unfolded
    # The same records give the same events (UID and DTSTAMP do not move).
    assert _feed(key).content.decode("utf-8") == body


def test_wrong_missing_or_inactive_key_is_404(dated, users):
    user = users["staff"]
    assert Client().get("/estate/calendar/.ics").status_code == 404
    assert Client().get("/estate/calendar/short.ics").status_code == 404
    assert Client().get(f"/estate/calendar/{'x' * 43}.ics").status_code == 404
    key = feeds.reset(user)
    assert _feed(key).status_code == 200
    assert Client().head(f"/estate/calendar/{key}.ics").status_code == 200  # some apps check
    assert Client().post(f"/estate/calendar/{key}.ics").status_code == 405
    user.is_active = False
    user.save()
    assert Client().get(f"/estate/calendar/{key}.ics").status_code == 404


def test_feed_shows_only_what_the_user_may_view(dated, users, monkeypatch):
    from townhall.core import permissions

    real = permissions.restrict

    def fake(qs, user, action):  # a future rule hiding Finance's records from viewers
        qs = real(qs, user, action)
        if user.role == "viewer" and hasattr(qs.model, "owner_department"):
            return qs.exclude(owner_department__code="FIN")
        return qs

    monkeypatch.setattr(permissions, "restrict", fake)
    viewer, staff = users["viewer"], users["staff"]
    viewer_key, staff_key = feeds.reset(viewer), feeds.reset(staff)
    uid = f"UID:system-{dated['system'].pk}-"
    assert uid not in _feed(viewer_key).content.decode()
    assert uid in _feed(staff_key).content.decode()


def _shown_key(response):
    """The key in the address the page shows, once."""
    found = re.search(r"http://testserver/estate/calendar/([A-Za-z0-9_-]+)\.ics", response)
    assert found, "the page shows no calendar address"
    return found.group(1)


def test_calendar_page_creates_and_resets_the_key(users, client_for, client):
    assert client.get("/estate/calendar/").status_code == 302  # sign-in first
    signed_in = client_for("board")
    page = signed_in.get("/estate/calendar/").content.decode()
    assert "Create my calendar address" in page
    response = signed_in.post("/estate/calendar/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    first = _shown_key(response.content.decode())
    assert len(first) >= 40
    assert "it will not be shown again" in response.content.decode()
    # Shown once: the page afterwards offers a new address, not the old one.
    page = signed_in.get("/estate/calendar/").content.decode()
    assert first not in page
    assert "Change my calendar address" in page
    assert Client().get(f"/estate/calendar/{first}.ics").status_code == 200
    second = _shown_key(signed_in.post("/estate/calendar/").content.decode())
    assert second != first
    assert Client().get(f"/estate/calendar/{first}.ics").status_code == 404
    assert Client().get(f"/estate/calendar/{second}.ics").status_code == 200


def test_reset_needs_the_csrf_token(users):
    from townhall.accounts.models import FeedKey

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["viewer"])
    assert client.post("/estate/calendar/").status_code == 403
    assert not FeedKey.objects.filter(owner=users["viewer"]).exists()


def test_only_a_hash_of_the_key_is_kept_and_history_never_holds_it(users):
    """The reset goes through the write path: audited as the person's own change, with
    neither the key nor its hash in the entry."""
    from townhall.accounts.models import FeedKey
    from townhall.audit.models import AuditEntry

    viewer = users["viewer"]
    first = feeds.reset(viewer)
    key = feeds.reset(viewer)
    stored = FeedKey.objects.get(owner=viewer)
    assert stored.key_hash == feeds.hash_key(key) != key
    assert not FeedKey.objects.filter(key_hash__in=[first, key]).exists()
    entries = AuditEntry.objects.filter(object_repr=str(stored)).order_by("pk")
    assert [e.action for e in entries] == ["create", "delete", "create"]
    assert {e.actor_id for e in entries} == {viewer.pk}
    for entry in entries:
        text = f"{entry.before} {entry.after}"
        assert key not in text and first not in text
        assert stored.key_hash not in text and feeds.hash_key(first) not in text


def test_nobody_makes_or_changes_another_persons_key(users):
    from django.core.exceptions import PermissionDenied

    from townhall.accounts.models import FeedKey
    from townhall.core import services as write

    feeds.reset(users["viewer"])
    mine = FeedKey.objects.get(owner=users["viewer"])
    with pytest.raises(PermissionDenied):
        write.create(users["admin"], FeedKey, {"owner": users["viewer"], "key_hash": "0" * 64})
    with pytest.raises(PermissionDenied):
        write.update(users["viewer"], mine, {"key_hash": "1" * 64}, version=None)
    with pytest.raises(PermissionDenied):
        write.delete(users["staff"], mine)


def test_keys_kept_in_plain_before_are_hashed_and_keep_working(users):
    """Migration accounts.0008 hashes the plain keys the account table held."""
    import importlib

    from townhall.accounts.models import FeedKey

    migration = importlib.import_module("townhall.accounts.migrations.0008_feed_keys")
    old_key = "k" * 43
    viewer = users["viewer"]

    class OldUsers:  # the account table as it was: keys in plain text
        class objects:
            @staticmethod
            def exclude(**kwargs):
                assert kwargs == {"feed_key": ""}
                return OldUsers

        @staticmethod
        def values_list(*names):
            assert names == ("pk", "feed_key")
            return [(viewer.pk, old_key)]

    class Apps:
        @staticmethod
        def get_model(app, name):
            return {"User": OldUsers, "FeedKey": FeedKey}[name]

    migration.hash_existing(Apps, None)
    assert FeedKey.objects.get(owner=viewer).key_hash == feeds.hash_key(old_key)
    assert feeds.owner_of(old_key) == viewer
    assert Client().get(f"/estate/calendar/{old_key}.ics").status_code == 200
