"""The board packet: a real PDF (and the same packet as HTML), only what the reader may see,
the selected scenario, batched estate warnings, and a query count that does not grow."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townhall.core import context, services
from townhall.estate.models import Component, Dependency, System
from townhall.governance import linkage, packet, scores
from townhall.governance import services as gov
from townhall.governance.models import Proposal, Scenario
from townhall.jobs.models import Job

S = Proposal.Status


def url(cycle, **params) -> str:
    base = reverse("governance:cycle_packet", args=[cycle.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _scores(cycle, value):
    return {c.pk: value for c in cycle.criteria_set.criteria.all()}


def _scored(users, board, cycle, make_proposal, title, values, **extra):
    """A proposal the whole board scored (one score per member for every criterion)."""
    p = make_proposal(title, S.UNDER_REVIEW, submitted_at=timezone.now(), **extra)
    for member, value in zip(board, values, strict=True):
        gov.save_ballot(member, p, _scores(cycle, value), submit=True)
    return gov.move(users["staff"], p, S.SCORED)


@pytest.fixture
def packet_case(users, board, cycle, departments, make_proposal):
    best = _scored(users, board, cycle, make_proposal, "Radio core renewal", [5, 5, 4])
    second = _scored(users, board, cycle, make_proposal, "Permit portal", [3, 3, 3])
    low = _scored(users, board, cycle, make_proposal, "Kiosk refresh", [1, 5, 1])
    mandated = make_proposal(
        "Records retention", S.UNDER_REVIEW, mandated=True, mandate="State records act"
    )
    approved = gov.move(
        users["staff"],
        mandated,
        S.APPROVED,
        "Required by law.",
        decision={
            "rationale": "Required by law.",
            "votes_for": 4,
            "votes_against": 1,
            "votes_abstaining": 0,
            "approved_start": 2028,
        },
    )
    make_proposal("Public Works draft", S.DRAFT)
    make_proposal("Finance secret draft", S.DRAFT, owner_department=departments["FIN"])
    return {"best": best, "second": second, "low": low, "approved": approved}


def _select(cycle, result, name="Adopted plan"):
    return services.create(
        context.SYSTEM,
        Scenario,
        {"cycle": cycle, "name": name, "selected": True, "result": result},
    )


def _plan_for(case) -> dict:
    best, second = case["best"], case["second"]
    return {
        "status": "optimal",
        "summary": f"Funds p{best.pk} and p{second.pk}.",
        "value": 142.5,
        "gap": 0.0,
        "funded": [
            {"id": f"p{second.pk}", "title": second.title, "start": 2028, "end": 2029, "value": 50},
            {"id": f"p{best.pk}", "title": best.title, "start": 2027, "end": 2028, "value": 92.5},
            {"id": "p999999", "title": "Someone else's", "start": 2027, "end": 2027, "value": 1},
        ],
        "use": [
            {
                "year": 2027,
                "capital": 200000.0,
                "capital_limit": 1000000.0,
                "operating": 20000.0,
                "operating_limit": 300000.0,
                "hours": {},
                "hours_limit": {},
                "infrastructure_spending": 0.0,
                "total_spending": 220000.0,
            }
        ],
        "baseline": {"funded": [f"p{best.pk}"], "value": 92.5},
        "value_difference": 50.0,
        "conflicts": [],
        "commitments": [],
    }


# --- the PDF ---------------------------------------------------------------------------------


def test_pdf_is_laid_out_by_a_background_job(client_for, users, cycle, packet_case, settings):
    """Laying out the packet takes seconds: the link queues a job (run at once here, as jobs
    run in-process in tests) whose page offers the PDF."""
    _select(cycle, _plan_for(packet_case))
    client = client_for("viewer")
    response = client.get(url(cycle))
    job = Job.objects.get(kind=packet.PACKET_JOB)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.DONE and job.created_by == users["viewer"]
    assert job.message == "FY2027-board-packet.pdf is ready."
    assert "Download the file" in client.get(job.get_absolute_url()).content.decode()
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download["Content-Disposition"] == 'attachment; filename="FY2027-board-packet.pdf"'
    assert "no-store" in download["Cache-Control"]
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert client_for("staff").get(job.get_absolute_url()).status_code == 404


def test_asking_twice_while_it_waits_gives_the_same_job(client_for, cycle, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_for("viewer")
    first, again = client.get(url(cycle)), client.get(url(cycle))
    job = Job.objects.get(kind=packet.PACKET_JOB)
    assert first["Location"] == again["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.QUEUED


def test_pages_grow_with_proposals(users, cycle, make_proposal):
    def pages() -> int:
        html = Client()
        html.force_login(users["staff"])
        text = html.get(url(cycle, format="html")).content.decode()
        return len(packet.document(text).pages)

    for i in range(2):
        make_proposal(f"Request {i}", S.SUBMITTED)
    few = pages()
    for i in range(2, 6):
        make_proposal(f"Request {i}", S.SUBMITTED)
    # A cover, the ranking, one page (or more) per proposal and the scenario.
    assert pages() >= few + 4
    assert few >= 1 + 1 + 2 + 1


def test_anonymous_is_sent_to_sign_in(cycle):
    response = Client().get(url(cycle))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_unknown_cycle_is_404(client_for, cycle):
    response = client_for("viewer").get(reverse("governance:cycle_packet", args=[cycle.pk + 99]))
    assert response.status_code == 404


# --- what it says (the HTML variant) ---------------------------------------------------------


def _html(client, cycle) -> str:
    response = client.get(url(cycle, format="html"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_contents(client_for, cycle, packet_case):
    _select(cycle, _plan_for(packet_case))
    html = _html(client_for("staff"), cycle)
    # Cover: cycle, date generated, criteria with weights, budgets, counts by status.
    assert "FY2027 board packet" in html
    assert timezone.localdate().strftime("%B") in html
    for criterion in cycle.criteria_set.criteria.all():
        assert criterion.name in html
    assert "$1,000,000" in html and "$300,000" in html
    assert re.search(r"Scored</th><td class=\"num\">3<", html)
    assert re.search(r"Draft</th><td class=\"num\">2<", html)
    # The ranking, highest first, then mandated.
    ranking = html[html.index('id="ranking"') : html.index('id="proposal-')]
    order = [ranking.index(t) for t in ("Radio core renewal", "Permit portal", "Kiosk refresh")]
    assert order == sorted(order)
    assert ranking.index("Kiosk refresh") < ranking.index("Records retention")
    # A proposal's page: facts, costs, scores with the flag, the decision and vote.
    low = packet_case["low"]
    page = html[html.index(f'id="proposal-{low.pk}"') :]
    page = page[: page.index("</section>")]
    assert "Public Works" in page and "Modernization" in page
    assert "Paper forms and re-keying." in page and "Residents apply online." in page
    assert "$200,000" in page and "$20,000" in page and "800" in page
    assert "Yes: scores far apart" in page  # 1, 5, 1 on a 1–5 scale
    mandated = packet_case["approved"]
    page = html[html.index(f'id="proposal-{mandated.pk}"') :]
    page = page[: page.index("</section>")]
    assert "Yes: State records act" in page
    assert "Mandated: funded first and not scored." in page
    assert "Vote: 4 for, 1 against, 0 abstaining." in page
    assert "Approved to start in FY2028" in page
    # The selected scenario: funded proposals by start year, titles put in words.
    scenario = html[html.index('id="scenario"') :]
    assert "Adopted plan" in scenario
    assert scenario.index("Radio core renewal") < scenario.index("Permit portal")
    assert "Funds Radio core renewal and Permit portal." in scenario
    assert "Someone else" not in scenario and "A request you cannot see" in scenario
    assert "Optimal" in scenario and "92.5" in scenario
    assert "$200,000" in scenario


def test_scores_by_consensus(users, cycle, packet_case):
    context_ = packet.packet_context(users["staff"], cycle)
    pages = {page["p"].title: page for page in context_["proposals"]}
    best = pages["Radio core renewal"]
    assert best["rank"] == 1
    # Means of 14/3 on every criterion of a 1–5 scale: (14/3 − 1) / 4 = 91.7 of 100.
    assert best["consensus"].total == pytest.approx(91.7)
    assert pages["Permit portal"]["consensus"].total == 50.0
    assert pages["Records retention"]["rank"] is None
    assert pages["Public Works draft"]["consensus"] is None


def test_liaison_sees_only_what_they_may(client_for, cycle, packet_case):
    html = _html(client_for("liaison"), cycle)
    assert "Public Works draft" in html
    assert "Finance secret draft" not in html
    assert "Radio core renewal" in html
    staff = _html(client_for("staff"), cycle)
    assert "Finance secret draft" in staff


def test_board_member_sees_scores_only_after_submitting(users, board, cycle, make_proposal):
    open_one = make_proposal("Open for scoring", S.UNDER_REVIEW, submitted_at=timezone.now())
    gov.save_ballot(board[1], open_one, _scores(cycle, 4), submit=True)
    context_ = packet.packet_context(board[0], cycle)
    assert context_["hidden_count"] == 1
    mine = context_["proposals"][0]
    assert mine["consensus"] is None  # board1 has not submitted: others' scores stay private
    assert mine["hidden"] == scores.SUBMIT_FIRST
    staff = packet.packet_context(users["staff"], cycle)["proposals"][0]
    assert staff["consensus"].total == 75.0
    viewer = packet.packet_context(users["viewer"], cycle)["proposals"][0]
    assert viewer["consensus"] is None  # scoring still open
    assert viewer["hidden"] == scores.AFTER_CLOSE


def test_plan_values_hide_private_scores(client_for, users, board, cycle, make_proposal):
    open_one = make_proposal("Open for scoring", S.UNDER_REVIEW, submitted_at=timezone.now())
    gov.save_ballot(board[1], open_one, _scores(cycle, 4), submit=True)
    funded = {"id": f"p{open_one.pk}", "title": open_one.title, "start": 2027, "end": 2028}
    _select(
        cycle,
        {
            "status": "optimal",
            "gap": 0.0,
            "value": 75.0,
            "funded": [{**funded, "value": 75.0}],
            "use": [],
        },
    )
    viewer = _html(client_for("viewer"), cycle)
    scenario = viewer[viewer.index('id="scenario"') :]
    assert "Open for scoring" in scenario and "not shown" in scenario
    staff = _html(client_for("staff"), cycle)
    scenario = staff[staff.index('id="scenario"') :]
    assert "not shown" not in scenario and "75.0" in scenario


def test_no_scenario_selected(client_for, cycle, packet_case):
    services.create(context.SYSTEM, Scenario, {"cycle": cycle, "name": "Not chosen"})
    html = _html(client_for("viewer"), cycle)
    assert "No scenario selected yet." in html
    assert "Not chosen" not in html


def test_selected_but_not_solved(client_for, cycle, packet_case):
    _select(cycle, None, name="Waiting for a solve")
    html = _html(client_for("viewer"), cycle)
    assert "Waiting for a solve" in html
    assert "has not been solved yet" in html


def test_html_variant_admits_only_its_own_styles(client_for, cycle):
    response = client_for("viewer").get(url(cycle, format="html"))
    policy = response["Content-Security-Policy"]
    (digest,) = packet.style_hashes(response.content.decode())
    assert f"style-src 'self' 'sha256-{digest}'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_record_text_cannot_fetch_resources(users, cycle, make_proposal):
    make_proposal("<img src='file:///etc/passwd'>", S.SUBMITTED)
    client = Client()
    client.force_login(users["staff"])
    html = _html(client, cycle)
    assert "<img src=" not in html and "&lt;img src=" in html
    fetched = []

    import weasyprint
    from weasyprint.urls import URLFetcher

    class Spy(URLFetcher):
        def fetch(self, url, headers=None):  # noqa: ANN001, ANN201
            fetched.append(url)
            return super().fetch(url, headers)

    doc = weasyprint.HTML(
        string='<img src="file:///etc/hostname">', url_fetcher=Spy(allowed_protocols=())
    )
    doc.render()
    assert fetched == ["file:///etc/hostname"]  # asked, and refused by the empty allow list


# --- estate warnings in one query -----------------------------------------------------------


def test_estate_warnings_match_linkage(users, cycle, departments, make_proposal):
    today = datetime.date(2026, 6, 1)
    old = services.create(
        context.SYSTEM,
        System,
        {
            "name": "Old CAD",
            "owner_department": departments["PW"],
            "end_of_support": datetime.date(2026, 1, 1),
        },
    )
    fine = services.create(
        context.SYSTEM, System, {"name": "New CAD", "owner_department": departments["PW"]}
    )
    server = services.create(
        context.SYSTEM,
        Component,
        {
            "name": "DB server",
            "owner_department": departments["PW"],
            "end_of_support": datetime.date(2027, 3, 1),
        },
    )
    services.create(
        context.SYSTEM, Dependency, {"from_system": fine, "to_component": server, "kind": "runs_on"}
    )
    a = make_proposal("Extends old", S.SUBMITTED, extends_systems=[old])
    b = make_proposal("Extends new", S.SUBMITTED, extends_systems=[fine])
    c = make_proposal("Replaces old", S.SUBMITTED, replaces_systems=[old])
    proposals = list(
        Proposal.objects.filter(pk__in=[a.pk, b.pk, c.pk]).prefetch_related(
            "extends_systems", "extends_components"
        )
    )
    batched = packet.estate_warnings(users["viewer"], proposals, today)
    for p in proposals:
        one = linkage.warnings(p, today)
        assert [(w.item, w.past, w.via) for w in batched[p.pk]] == [
            (w.item, w.past, w.via) for w in one
        ]
    assert [w.item for w in batched[b.pk]] == [server]
    assert batched[c.pk] == []


# --- queries ----------------------------------------------------------------------------------


def test_queries_do_not_grow_with_proposals(users, board, cycle, departments, make_proposal):
    client = Client()
    client.force_login(users["staff"])
    system = services.create(
        context.SYSTEM,
        System,
        {"name": "Ledger", "owner_department": departments["PW"], "end_of_support": None},
    )

    def add(start: int, n: int) -> None:
        for i in range(start, start + n):
            _scored(
                users,
                board,
                cycle,
                make_proposal,
                f"Proposal {i}",
                [3, 4, 5],
                extends_systems=[system],
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(cycle, format="html")).status_code == 200
        return len(queries)

    add(0, 3)
    few = _select(cycle, {"status": "optimal", "funded": [], "use": []})
    three = count()
    add(3, 5)
    assert Proposal.objects.filter(cycle=cycle).count() == 8
    assert count() == three
    assert few.pk
