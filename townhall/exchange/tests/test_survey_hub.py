"""The survey at the hub and at a member: signed answers kept (once per member), refusals
with reasons, the member's page talking to the hub's views through a fake transport, and
the published report, which never names a member and waits for enough answers."""

import datetime
import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from townhall.core import context, services
from townhall.exchange import bands, client, protocol
from townhall.exchange.models import (
    HubMember,
    MemberSurvey,
    Survey,
    SurveyQuote,
    SurveyResponse,
)
from townhall.exchange.tests import members

API = "/hub/api/survey/"
KEYS = [protocol.new_private_key() for _ in range(5)]


@pytest.fixture
def hub(db, settings):
    settings.EXCHANGE_HUB = True
    with context.acting("cli"):
        members = [
            services.create(
                context.SYSTEM,
                HubMember,
                {
                    "member_id": f"m-{n}",
                    "name": f"Secret County {n}",
                    "public_key": protocol.public_key(key),
                    "kind": "county",
                    "population_band": bands.POPULATION_BANDS[0].key,
                    "region": "south",
                    "budget_band": bands.BUDGET_BANDS[0].key,
                },
            )
            for n, key in enumerate(KEYS)
        ]
        found = services.create(
            context.SYSTEM,
            Survey,
            {
                "year": 2027,
                "title": "Priorities survey 2027",
                "opens": datetime.date(2027, 1, 1),
                "closes": datetime.date(2027, 3, 1),
                "ranks": 3,
            },
        )
        found = services.transition(context.SYSTEM, found, "open")
    return members, found


def signed(method, n, doc=None):
    body = json.dumps(doc).encode() if doc is not None else b""
    headers = protocol.request_headers(KEYS[n], f"m-{n}", method, API, body, time.time())
    return Client().generic(method, API, body, content_type="application/json", headers=headers)


def test_answers_are_signed_checked_and_kept_once(hub):
    assert Client().get(API).status_code == 401  # unsigned
    refused = signed("POST", 0, {"ranked": ["governance", "governance"]})
    assert refused.status_code == 400
    assert "more than once" in refused.json()["reasons"]["ranked"]
    assert signed("POST", 0, {"ranked": ["nope", 1]}).json()["reasons"]["ranked"]
    assert signed("POST", 0, {"ranked": ["governance"], "challenges": "Hiring"}).json() == {
        "status": "kept",
        "year": 2027,
    }
    signed("POST", 0, {"ranked": ["continuity", "governance"]})
    kept = SurveyResponse.objects.get()
    assert kept.ranked == ["continuity", "governance"] and kept.challenges == ""
    described = signed("GET", 0).json()
    assert described["ranks"] == 3 and described["answer"]["ranked"] == kept.ranked
    assert {"key": "governance", "label": "Governance"} in described["priorities"]
    bad = Client().generic("POST", API, b"[" * 5000, content_type="application/json")
    assert bad.status_code == 401  # never a 500, whatever is sent


def test_the_report_counts_without_names_and_waits_for_enough_answers(hub, client_for, users):
    members, found = hub
    for n in range(4):
        signed("POST", n, {"ranked": ["governance", "modernization"][: 1 + n % 2]})
    with context.acting("web"):
        found = services.transition(users["admin"], found, "closed")
        with pytest.raises(ValidationError, match="only 4 members answered"):
            services.transition(users["admin"], found, "published")
    with context.acting("web"):
        found = services.transition(users["admin"], found, "open")
    answer = {"ranked": ["modernization", "governance"], "challenges": "Secret County"}
    signed("POST", 4, answer | {"other": "Broadband for Elm Valley"})
    admin = client_for("admin")
    page = f"/hub/surveys/{found.year}/"
    admin.post(page, {"action": "closed"})
    admin.post(page, {"action": "quote", "text": "Keeping staff we trained."})
    admin.post(page, {"action": "published"})
    listed = admin.get("/hub/surveys/").content.decode()
    assert "Priorities survey 2027" in listed and "Secret County" not in listed
    shown = admin.get(page).content.decode()
    assert "<strong>5</strong> members answered" in shown and "Secret County" in shown  # to quote
    assert "Broadband for Elm Valley" in shown.split('id="survey-others"')[1]
    assert client_for("manager").get(page).status_code == 403
    assert Survey.objects.get().status == "published" and SurveyQuote.objects.count() == 1
    report = Client().get("/hub/survey/2027/")
    text = report.content.decode()
    assert report.status_code == 200
    assert "5 members" in text and "Keeping staff we trained." in text
    assert "Secret County" not in text and "m-1" not in text and "Elm Valley" not in text
    assert "fewer than 5" in text  # modernization ranked first by one member only
    rows = Client().get("/hub/survey/2027/counts.csv").getvalue().decode()
    assert "Governance,5,fewer than 5,14" in rows  # ranked first 4 times (3 points), second once
    assert "Modernization,fewer than 5,fewer than 5,withheld" in rows  # 3 named it
    assert Client().get("/hub/survey/2026/").status_code == 404
    drafted = {"year": 2028, "title": "Next", "opens": "2028-01-01", "closes": "2028-02-01"}
    assert admin.post("/hub/surveys/", {**drafted, "ranks": 5}).status_code == 302


@pytest.fixture
def member(hub, users):
    return members.joined_profile("m-0", KEYS[0])


def test_the_member_fetches_and_answers_through_jobs(member, client_for):
    manager = client_for("manager")
    assert client_for("staff").get("/exchange/survey/").status_code == 403
    with client.use_transport(members.routed):
        assert manager.post("/exchange/survey/", {"action": "fetch"}).status_code == 302
        page = manager.get("/exchange/survey/").content.decode()
        assert 'name="rank_3"' in page and "Priorities survey 2027" in page
        refused = manager.post(
            "/exchange/survey/",
            {"action": "answer", "rank_1": "governance", "rank_2": "governance"},
        )
        assert "more than once" in refused.content.decode()
        for first in ("governance", "continuity"):
            manager.post(
                "/exchange/survey/", {"action": "answer", "rank_1": first, "challenges": "Budget"}
            )
    kept = SurveyResponse.objects.get()
    assert kept.ranked == ["continuity"] and kept.challenges == "Budget"
    assert MemberSurvey.objects.get().hub_answer == "kept"
    assert "Business continuity" in manager.get("/exchange/survey/").content.decode()
