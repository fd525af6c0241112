"""The member's side: joining, computing, approving, sending and fetching, against a small
hub written here that checks every signature as a real hub would."""

import json
import time
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.utils.html import escape

from townhall.core import context, services
from townhall.cyber import services as cyber
from townhall.cyber.tests import assessment_factories as af
from townhall.estate.models import Component, Person
from townhall.exchange import bands, client, member, metrics, metrics_input, protocol
from townhall.exchange.models import JurisdictionProfile, MetricSubmission, PeerStatistic
from townhall.jobs.models import Job
from townhall.people.tests import factories as pf

VERSION = metrics.METRIC_SET_VERSION


class Hub:
    """A hub in the test's process: keeps the public key a member joins with, refuses any
    request or document that key did not sign, and answers as `protocol.py` says."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.received: list[dict] = []
        self.revisions: dict[int, int] = {}
        self.statistics: object = {"statistics": []}
        self.refuse: tuple[int, bytes] | None = None

    def __call__(self, method: str, url: str, headers: dict, body: bytes) -> tuple[int, bytes]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        endpoint = parts.path.split("/hub/api/", 1)[1]
        if self.refuse:
            return self.refuse
        if endpoint == protocol.JOIN:
            doc = json.loads(body)
            assert set(doc) == {"join_code", "name", "public_key", "profile"}
            assert doc["join_code"] == "OPEN-SESAME"
            assert bands.profile_problems(doc["profile"]) == []
            self.keys["m-7"] = doc["public_key"]
            return 200, b'{"member_id": "m-7"}'
        key = self.keys[headers[protocol.MEMBER_HEADER]]
        protocol.verify_request(key, method, path, body, headers, time.time())
        if endpoint == protocol.SUBMISSIONS:
            doc = json.loads(body)
            protocol.verify_document(key, doc["payload"], doc["signature"])
            payload = doc["payload"]
            assert metrics.problems(payload["metric_set_version"], payload["values"]) == []
            before = [p for p in self.received if p["year"] == payload["year"]]
            same = before and before[-1] == payload
            if not same:
                self.revisions[payload["year"]] = self.revisions.get(payload["year"], 0) + 1
            self.received.append(payload)
            answer = {"revision": self.revisions[payload["year"]]}
            answer["status"] = "unchanged" if same else "accepted"
            return 200, json.dumps(answer).encode()
        assert endpoint == protocol.STATISTICS and method == "GET"
        return 200, json.dumps(self.statistics).encode()


@pytest.fixture
def hub():
    fake = Hub()
    with client.use_transport(fake):
        yield fake


@pytest.fixture
def profile(users):
    with context.acting("cli"):
        return services.create(
            context.SYSTEM,
            JurisdictionProfile,
            {
                "name": "Juniper County",
                "kind": "county",
                "population": 150_123,
                "region": "south",
                "operating_budget": Decimal(400_000_000),
                "employees": 2000,
                "it_operating_budget": Decimal(12_000_000),
            },
        )


def _joined(client_for, hub):
    admin = client_for("admin")
    answer = admin.post(
        "/exchange/profile/",
        {"action": "join", "hub_url": "https://hub.example.org", "join_code": "OPEN-SESAME"},
    )
    assert answer.status_code == 302
    return admin


def _records(users):
    """A completed assessment, components in service and IT positions."""
    admin = users["admin"]
    with context.acting("cli"):
        fw, reqs = af.tree()
        done = cyber.start_assessment(admin, fw, 2026, "2026 self-assessment")
        levels = {"GV.OC-01": 4, "GV.OC-02": 5, "GV.RR-01": 6, "ID.AM-01": 3}
        af.score_all(admin, done, levels | {"ID.AM-02": 3, "ID.AM-03": 3}, reqs)
        cyber.complete(admin, done)
        for name, ends, qty in (("Old switch", "2020-01-01", 1), ("New server", None, 3)):
            values = {"name": name, "end_of_support": ends, "quantity": qty}
            services.create(context.SYSTEM, Component, values)
        services.create(context.SYSTEM, Component, {"name": "Gone", "status": "retired"})
        team = pf.team("Infrastructure")
        for n in range(3):
            person = services.create(context.SYSTEM, Person, {"name": f"Analyst {n}"})
            pf.position(f"Analyst {n}", team, person)
        pf.position("Engineer", team)
    return done


def test_join_keeps_a_sealed_key_and_the_member_id(client_for, profile, hub):
    _joined(client_for, hub)
    kept = JurisdictionProfile.objects.get()
    assert kept.member_id == "m-7" and kept.joined_at is not None
    assert kept.hub_url == "https://hub.example.org"
    key = client.private_key(kept)
    assert key and key not in kept.signing_key  # sealed, never kept as it is
    assert hub.keys["m-7"] == protocol.public_key(key)
    page = client_for("admin").get("/exchange/profile/").content.decode()
    assert "100,000 to 249,999 residents" in page and "m-7" in page
    assert client_for("staff").get("/exchange/profile/").status_code == 403


def test_metrics_come_from_the_records_and_nothing_leaves_before_approval(
    client_for, users, profile, hub
):
    done = _records(users)
    found = {f.key: f for f in metrics_input.compute(users["admin"], profile)}
    assert found["cyber_govern"].value == 5.0 and found["cyber_identify"].value == 3.0
    assert found["cyber_protect"].value is None and "no scores" in found["cyber_protect"].reason
    assert found["cyber_govern"].sources[0].url == done.get_absolute_url()
    assert found["components_past_support_pct"].value == 25.0  # 1 of 4, the retired left out
    assert found["it_spend_pct_operating"].value == 3.0
    assert found["it_staff_per_1000_employees"].value == 1.5
    assert found["it_vacancy_rate_pct"].value == 25.0
    assert found["training_completion_pct"].value is None
    assert "No continuity analysis" in found["services_meeting_rto_pct"].reason
    assert "No critical system" in found["key_person_risk_pct"].reason
    assert all(f.reason for f in found.values() if f.value is None)
    _joined(client_for, hub)
    page = client_for("admin").get("/exchange/metrics/?year=2026").content.decode()
    assert "Not computed: " in page and escape(metrics.BY_KEY["cyber_govern"].means) in page
    assert hub.received == []


def test_approved_figures_are_signed_carry_only_bands_and_replace_by_year(
    client_for, users, profile, hub
):
    _records(users)
    admin = _joined(client_for, hub)
    shown = admin.get("/exchange/metrics/").context["shown"]
    stale = admin.post("/exchange/metrics/", {"year": "2026", "shown": "{}", "action": "submit"})
    assert stale.status_code == 400 and hub.received == []
    admin.post("/exchange/metrics/", {"year": "2026", "shown": shown, "action": "submit"})
    sent = hub.received[-1]
    assert set(sent) == {"year", "metric_set_version", "profile", "values"}
    assert sent["profile"] == member.bands_of(profile) and "150" not in json.dumps(sent["profile"])
    assert sent["values"] == json.loads(shown)
    first = MetricSubmission.objects.get()
    assert first.values == sent["values"] and first.hub_revision == 1

    with context.acting("cli"):
        kept = JurisdictionProfile.objects.get()
        services.update(context.SYSTEM, kept, {"it_operating_budget": 8_000_000}, version=None)
    shown = admin.get("/exchange/metrics/").context["shown"]
    admin.post("/exchange/metrics/", {"year": "2026", "shown": shown, "action": "submit"})
    again = MetricSubmission.objects.get()
    assert again.pk == first.pk and again.hub_revision == 2
    assert again.values["it_spend_pct_operating"] == 2.0


def test_a_refusal_or_a_malformed_answer_writes_nothing(client_for, users, profile, hub):
    _records(users)
    admin = _joined(client_for, hub)
    shown = admin.get("/exchange/metrics/").context["shown"]
    hub.refuse = (403, b'{"detail": "this member is not active"}')
    admin.post("/exchange/metrics/", {"year": "2026", "shown": shown, "action": "submit"})
    failed = Job.objects.get(kind=member.SUBMIT)
    assert failed.status == Job.Status.FAILED and "not active" in failed.message
    assert not MetricSubmission.objects.exists()

    hub.refuse = None
    row = {"metric": "cyber_govern", "cohort": "all", "cohort_label": "all members"}
    row |= {"members": 6, "q1": 3.1, "median": 4.0, "q3": 4.5}
    hub.statistics = {"year": 2026, "metric_set_version": VERSION, "statistics": [row]}
    admin.post("/exchange/metrics/", {"year": "2026", "action": "fetch"})
    assert PeerStatistic.objects.get().median == 4.0
    page = admin.get("/exchange/metrics/?year=2026").content.decode()
    assert "all members" in page and "Cyber maturity: Govern" in page

    bad = [row | {"cohort": "kind=county"}, row | {"q1": 9.0}, row | {"member_name": "x"}]
    hub.statistics = {"year": 2026, "metric_set_version": VERSION, "statistics": bad}
    admin.post("/exchange/metrics/", {"year": "2026", "action": "fetch"})
    refused = Job.objects.filter(kind=member.FETCH).order_by("-pk").first()
    assert refused.status == Job.Status.FAILED and "not understood" in refused.message
    assert list(PeerStatistic.objects.values_list("cohort", flat=True)) == ["all"]


def test_governed_spending_is_the_governance_dashboards_split_of_yearly_system_cost(
    users, departments, profile
):
    from townhall.estate.models import System
    from townhall.governance import presets
    from townhall.governance import services as gov
    from townhall.governance.models import Proposal

    admin = users["admin"]
    found = {f.key: f for f in metrics_input.compute(admin, profile)}
    assert "No system has a yearly cost" in found["governed_spend_pct"].reason
    with context.acting("cli"):
        permits = services.create(context.SYSTEM, System, {"name": "Permits", "cost_license": 300})
        services.create(context.SYSTEM, System, {"name": "Ledger", "cost_support": 600})
        services.create(context.SYSTEM, System, {"name": "Mail", "cost_hosting": 100})
        cycle = gov.open_cycle(
            context.SYSTEM,
            {
                "name": "FY2027",
                "first_year": 2027,
                "years": 1,
                "criteria_set": gov.load_preset(context.SYSTEM, presets.ORANGE_COUNTY_STYLE),
            },
        )
        for title, status in (("Permits online", "approved"), ("Ledger swap", "rejected")):
            services.create(
                context.SYSTEM,
                Proposal,
                {
                    "cycle": cycle,
                    "owner_department": departments["PW"],
                    "title": title,
                    "problem": "Paper forms.",
                    "outcome": "Online forms.",
                    "kind": Proposal.Kind.MODERNIZATION,
                    "status": status,
                    "extends_systems": [permits],
                },
            )
    figure = {f.key: f for f in metrics_input.compute(admin, profile)}["governed_spend_pct"]
    assert figure.value == 30.0  # Permits' 300 of 1,000 (the rejected request counts nothing)
    assert "$300 of $1,000" in figure.sources[0].label
