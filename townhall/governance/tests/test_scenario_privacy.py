"""A saved plan holds each funded proposal's weighted total, which stays private while the
board scores: the scenario's history, the audit log (page, filters, API list and detail)
and the scenario's own pages show it only to people who may see the board's scores."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from townhall.audit.models import HIDDEN_VALUE, AuditEntry
from townhall.core import context, services
from townhall.governance import portfolio, scores
from townhall.governance import services as gov
from townhall.governance.models import Proposal, Scenario

S = Proposal.Status


@pytest.fixture
def open_scoring(cycle, make_proposal, board, users):
    """One proposal under review, scored by board2 and board3 but not by board1, and a
    scenario solved by IT staff. Returns (scenario, weighted total as pages write it)."""
    proposal = make_proposal("Permits online", S.UNDER_REVIEW)
    criteria = list(cycle.criteria_set.criteria.all())
    marks = [5, 4, 2, 3, 4, 1]
    for member, shift in ((board[1], 0), (board[2], 1)):
        given = {
            c.pk: min(5, max(1, marks[i % 6] + shift * (i % 2))) for i, c in enumerate(criteria)
        }
        gov.save_ballot(member, proposal, given, submit=True)
    total = scores.cycle_totals(cycle)[proposal.pk].total
    scenario = services.create(context.SYSTEM, Scenario, {"cycle": cycle, "name": "Base"})
    scenario = portfolio.solve(scenario, users["staff"])
    portfolio.compute_frontier(scenario, users["staff"], levels=(0.5, 1.0))
    assert [f["value"] for f in scenario.result["funded"]] == [total]
    return scenario, f"{total:.1f}"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def plan_entry(scenario):
    """The entry of the solve (the frontier's follows it)."""
    return (
        AuditEntry.objects.filter(
            object_id=str(scenario.pk), content_type__model="scenario", action="update"
        )
        .order_by("pk")
        .first()
    )


def every_reading(user, scenario) -> dict[str, str]:
    """Every place a person reads the scenario's history, as text."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    entry = plan_entry(scenario)
    reads = {
        "history page": client.get(reverse("governance:scenario_history", args=[scenario.pk])),
        "audit log": client.get(reverse("audit:list")),
        "audit log by kind": client.get(
            reverse("audit:list"), {"content_type": entry.content_type_id}
        ),
        "audit log by request": client.get(reverse("audit:list"), {"request_id": entry.request_id}),
        "audit entry page": client.get(reverse("audit:detail", args=[entry.pk])),
        "audit API list": api(user).get("/api/audit/entries/"),
        "audit API by kind": api(user).get(
            "/api/audit/entries/", {"content_type": entry.content_type_id}
        ),
        "audit API detail": api(user).get(f"/api/audit/entries/{entry.pk}/"),
    }
    for where, response in reads.items():
        assert response.status_code == 200, where
    return {where: response.content.decode() for where, response in reads.items()}


@pytest.mark.parametrize("who", ["viewer", "liaison", "board"])
def test_history_and_audit_hide_the_plan_from_people_who_may_not_see_the_scores(
    open_scoring, users, who
):
    scenario, total = open_scoring
    for where, text in every_reading(users[who], scenario).items():
        assert total not in text, f"{who} reads the weighted total on the {where}"
    body = api(users[who]).get(f"/api/audit/entries/{plan_entry(scenario).pk}/").json()
    assert body["after"]["result"] == HIDDEN_VALUE
    assert body["after"]["solved_at"]  # the rest of the change still shows


@pytest.mark.parametrize("who", ["admin", "staff", "board2"])
def test_people_who_see_the_scores_read_the_whole_plan(open_scoring, users, board, who):
    scenario, total = open_scoring
    user = users.get(who) or next(m for m in board if m.username == who)
    readings = every_reading(user, scenario)
    assert total in readings["history page"] and total in readings["audit API detail"]
    body = api(user).get(f"/api/audit/entries/{plan_entry(scenario).pk}/").json()
    assert body["after"]["result"]["funded"][0]["value"] == float(total)


def test_once_scoring_closes_everyone_reads_the_plan(open_scoring, users):
    scenario, total = open_scoring
    proposal = Proposal.objects.get(title="Permits online")
    gov.move(context.SYSTEM, proposal, S.SCORED)
    assert total in every_reading(users["viewer"], scenario)["history page"]


@pytest.mark.parametrize("who", ["viewer", "liaison", "board"])
def test_scenario_pages_hide_the_totals_while_scores_are_private(
    open_scoring, client_for, users, who
):
    scenario, total = open_scoring
    client = client_for(who)
    pages = {
        "scenario": client.get(scenario.get_absolute_url()),
        "frontier": client.get(reverse("governance:scenario_frontier", args=[scenario.pk])),
        "comparison": client.get(reverse("governance:cycle_compare", args=[scenario.cycle_id])),
    }
    for where, response in pages.items():
        assert response.status_code == 200
        assert total not in response.content.decode(), f"{who} reads the total on the {where}"
    assert "Permits online" in pages["scenario"].content.decode()  # what is funded shows
    assert "hidden until you may see the board" in pages["scenario"].content.decode()


def test_scenario_pages_show_the_totals_to_a_member_who_scored(open_scoring, board):
    from django.test import Client

    scenario, total = open_scoring
    client = Client()
    client.force_login(board[1])
    assert total in client.get(scenario.get_absolute_url()).content.decode()
    frontier = client.get(reverse("governance:scenario_frontier", args=[scenario.pk]))
    assert "Value at each budget level" in frontier.content.decode()


def test_audit_filter_names_only_people_whose_changes_the_reader_may_see(
    open_scoring, client_for, board
):
    response = client_for("viewer").get(reverse("audit:list"))
    choices = [str(u) for u in response.context["filterset"].form.fields["actor"].queryset]
    assert "staff1" in choices  # solved the scenario
    assert not {"board2", "board3"} & set(choices)  # only ever changed their private ballots
    response = client_for("admin").get(reverse("audit:list"))
    choices = [str(u) for u in response.context["filterset"].form.fields["actor"].queryset]
    assert {"board2", "board3"} <= set(choices)


@pytest.mark.parametrize("who", ["viewer", "liaison", "board", "board2"])
def test_a_ballot_stays_out_of_the_audit_log_until_others_may_see_it(
    cycle, make_proposal, board, users, who
):
    proposal = make_proposal("Fleet telematics", S.UNDER_REVIEW)
    criterion = cycle.criteria_set.criteria.first()
    gov.save_ballot(board[2], proposal, {criterion.pk: 2}, {criterion.pk: "ballot-comment-z9"})
    user = users.get(who) or next(m for m in board if m.username == who)
    from django.test import Client

    client = Client()
    client.force_login(user)
    for response in (
        client.get(reverse("audit:list")),
        api(user).get("/api/audit/entries/", {"page_size": 500}),
    ):
        assert "ballot-comment-z9" not in response.content.decode()
    ballot_entry = AuditEntry.objects.get(content_type__model="ballot")
    assert api(user).get(f"/api/audit/entries/{ballot_entry.pk}/").status_code == 404
    assert client.get(reverse("audit:detail", args=[ballot_entry.pk])).status_code == 404
    assert "ballot-comment-z9" in api(users["staff"]).get("/api/audit/entries/").content.decode()


def test_hiding_plans_costs_the_same_for_few_and_many_entries(open_scoring, client_for, cycle):
    """The audit log's queries do not grow with the number of plans on the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scenario, total = open_scoring
    client = client_for("viewer")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(
                reverse("audit:list"), {"content_type": plan_entry(scenario).content_type_id}
            )
        assert total not in response.content.decode()
        return len(ctx.captured_queries)

    def more_plans(n: int) -> None:
        for i in range(n):
            copy = services.create(
                context.SYSTEM, Scenario, {"cycle": cycle, "name": f"Copy {n}-{i}"}
            )
            services.update(context.SYSTEM, copy, {"result": scenario.result}, version=None)

    more_plans(2)
    queries()  # the first request fills caches (content types, the session)
    few = queries()
    more_plans(15)
    assert queries() == few
