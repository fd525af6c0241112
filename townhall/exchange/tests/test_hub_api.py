"""The hub's API as a member meets it: joining, submitting, reading statistics, and what
it refuses; and that no answer ever carries a member's own value."""

import json
import time

import pytest
from django.test import Client

from townhall.core import context, services
from townhall.exchange import hub, protocol
from townhall.exchange.metrics import METRIC_SET_VERSION
from townhall.exchange.models import HubMember

PROFILE = {
    "kind": "county",
    "population_band": "pop_100k_250k",
    "region": "south",
    "budget_band": "budget_50m_250m",
}
# Values no cohort figure can land on by chance (released figures are rounded to 0.1).
SECRETS = [11.11, 23.37, 35.53, 47.77, 59.99, 71.13, 60.01]


@pytest.fixture(autouse=True)
def _hub(settings):
    settings.EXCHANGE_HUB = True


def join(client: Client, name: str, key: str, **profile: str) -> str:
    with context.acting("cli"):
        code = hub.make_join_code(context.SYSTEM, name)
    body = {
        "join_code": code,
        "name": name,
        "public_key": protocol.public_key(key),
        "profile": {**PROFILE, **profile},
    }
    answer = client.post("/hub/api/join/", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    again = client.post("/hub/api/join/", body, content_type="application/json")
    assert again.status_code == 400 and "used" in again.json()["detail"]
    return answer.json()["member_id"]


def signed(client, key, member, method, path, body=b"", now=None):
    headers = protocol.request_headers(key, member, method, path, body, now or time.time())
    if method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, body, content_type="application/json", headers=headers)


def submission(key: str, values: dict, year: int = 2026) -> bytes:
    payload = {
        "year": year,
        "metric_set_version": METRIC_SET_VERSION,
        "profile": PROFILE,
        "values": values,
    }
    return json.dumps({"payload": payload, "signature": protocol.sign_document(key, payload)})


@pytest.mark.django_db
def test_members_submit_and_read_only_released_cohort_statistics():
    client = Client()
    keys = [protocol.new_private_key() for _ in SECRETS[:6]]
    ids = [join(client, f"County {i}", k) for i, k in enumerate(keys)]
    path = "/hub/api/submissions/"
    for key, member, value in zip(keys, ids, SECRETS[:6], strict=True):
        body = submission(key, {"it_vacancy_rate_pct": value})
        answer = signed(client, key, member, "POST", path, body.encode())
        assert answer.json() == {"revision": 1, "status": "accepted"}
    # The same values again change nothing; new ones count the revision up.
    same = submission(keys[0], {"it_vacancy_rate_pct": SECRETS[0]}).encode()
    assert signed(client, keys[0], ids[0], "POST", path, same).json()["status"] == "unchanged"
    new = submission(keys[5], {"it_vacancy_rate_pct": 60.01}).encode()
    assert signed(client, keys[5], ids[5], "POST", path, new).json()["revision"] == 2
    with context.acting("task"):
        hub.recompute()
    query = f"/hub/api/statistics/?year=2026&version={METRIC_SET_VERSION}"
    answer = signed(client, keys[0], ids[0], "GET", query)
    assert answer.status_code == 200
    stats = answer.json()["statistics"]
    assert {s["cohort"] for s in stats} >= {"all", "kind=county"}
    assert all(s["members"] == 6 for s in stats)
    text = answer.content.decode()
    assert not any(str(v) in text for v in SECRETS)
    assert "County" not in text and ids[1] not in text


@pytest.mark.django_db
def test_the_api_refuses_what_it_must_and_never_answers_500(settings):
    client = Client()
    key, other = protocol.new_private_key(), protocol.new_private_key()
    member = join(client, "Juniper County", key)
    second = join(client, "Aspen County", other)
    path = "/hub/api/submissions/"
    good = submission(key, {"it_vacancy_rate_pct": 5}).encode()

    def refused(answer, status, words):
        assert answer.status_code == status, answer.content
        assert words in answer.json()["detail"]

    refused(client.post(path, good, content_type="application/json"), 401, "header is missing")
    refused(signed(client, other, member, "POST", path, good), 401, "does not match")
    # Signed by the other member's key as that member, but the document is ours.
    refused(signed(client, other, second, "POST", path, good), 400, "signature")
    refused(
        signed(client, key, member, "POST", path, good, now=time.time() - 3600), 401, "too long"
    )
    payload = {"year": 2026, "metric_set_version": "1999.9", "profile": PROFILE, "values": {}}
    body = json.dumps({"payload": payload, "signature": protocol.sign_document(key, payload)})
    refused(signed(client, key, member, "POST", path, body.encode()), 400, "unknown metric set")
    bad = submission(key, {"it_vacancy_rate_pct": 250}).encode()
    refused(signed(client, key, member, "POST", path, bad), 400, "between 0 and 100")
    refused(signed(client, key, member, "POST", path, b"[1"), 400, "JSON object")
    for query in ("?year=%C2%B2&version=2026.1", "?year=2026&version=x", "?year=99999999999999"):
        refused(signed(client, key, member, "GET", f"/hub/api/statistics/{query}"), 400, "")
    huge = b"{" + b" " * (1024 * 1024 + 1) + b"}"
    refused(signed(client, key, member, "POST", path, huge), 413, "at most")
    with context.acting("cli"):
        services.update(
            context.SYSTEM, HubMember.objects.get(member_id=second), {"active": False}, version=None
        )
    refused(signed(client, other, second, "GET", "/hub/api/statistics/"), 401, "no active")
    settings.EXCHANGE_HUB = False
    refused(signed(client, key, member, "POST", path, good), 404, "not an exchange hub")


@pytest.mark.django_db
def test_the_hub_page_is_for_administrators_and_gone_when_not_a_hub(client_for, settings):
    assert client_for("staff").get("/hub/").status_code == 403
    admin = client_for("admin")
    answer = admin.post("/hub/", {"action": "code", "note": "Aspen"})
    assert answer.status_code == 200 and b"join-code" in answer.content
    assert b"adds no random noise" in Client().get("/hub/privacy/").content
    settings.EXCHANGE_EPSILON = 2.5
    assert b'id="epsilon">2.5<' in Client().get("/hub/privacy/").content
    assert b'id="revisions">5<' in Client().get("/hub/privacy/").content
    settings.EXCHANGE_HUB = False
    assert admin.get("/hub/").status_code == 404
    assert Client().get("/hub/privacy/").status_code == 404


@pytest.mark.django_db
def test_changes_are_capped_and_unchanged_cohorts_keep_their_noise(settings):
    """A member that could resubmit without end could probe its peers by watching the
    quartiles move; and figures drawn afresh at every recomputation could be averaged."""
    from townhall.exchange.models import CohortStatistic

    settings.EXCHANGE_MAX_REVISIONS = 2
    settings.EXCHANGE_EPSILON = 50.0
    client = Client()
    keys = [protocol.new_private_key() for _ in SECRETS[:6]]
    ids = [join(client, f"County {i}", k) for i, k in enumerate(keys)]
    path = "/hub/api/submissions/"
    for key, member, value in zip(keys, ids, SECRETS[:6], strict=True):
        body = submission(key, {"it_vacancy_rate_pct": value, "cyber_govern": 4.0})
        signed(client, key, member, "POST", path, body.encode())
    with context.acting("task"):
        hub.recompute()
    before = {
        (s.metric, s.cohort): (s.q1, s.median, s.q3)
        for s in CohortStatistic.objects.filter(suppressed="")
    }
    # Member 0 changes its vacancy rate twice (the most allowed); the third change is refused.
    for n, value in enumerate((12.5, 13.5), start=2):
        body = submission(keys[0], {"it_vacancy_rate_pct": value, "cyber_govern": 4.0})
        assert signed(client, keys[0], ids[0], "POST", path, body.encode()).json() == {
            "revision": n,
            "status": "accepted",
        }
    body = submission(keys[0], {"it_vacancy_rate_pct": 14.5, "cyber_govern": 4.0}).encode()
    refused = signed(client, keys[0], ids[0], "POST", path, body)
    assert refused.status_code == 400 and "already changed 2 times" in refused.json()["detail"]
    assert (
        HubMember.objects.get(member_id=ids[0]).submissions.get().values["it_vacancy_rate_pct"]
        == 13.5
    )
    with context.acting("task"):
        hub.recompute()
    after = {
        (s.metric, s.cohort): (s.q1, s.median, s.q3)
        for s in CohortStatistic.objects.filter(suppressed="")
    }
    governed = [k for k in before if k[0] == "cyber_govern"]
    assert governed and all(after[k] == before[k] for k in governed)  # same values, same draw
    # Nothing changed since: nothing is written, not even history.
    from townhall.audit.models import AuditEntry

    entries = AuditEntry.objects.count()
    with context.acting("task"):
        assert hub.recompute() == CohortStatistic.objects.count()
    assert AuditEntry.objects.count() == entries
