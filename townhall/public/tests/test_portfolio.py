"""A budget year's public page: the requests, the criteria and weights in plain words, what
the board funded and why, and how funded projects are going; in a fixed number of queries
however many requests there are; and the project updates staff write for residents."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.core.context import SYSTEM
from townhall.governance.models import ProjectUpdate, Proposal
from townhall.public import kinds
from townhall.public.tests import samples

INVESTMENT_FIELDS = list(kinds.get("proposal").field_names)  # type: ignore[union-attr]
CYCLE_FIELDS = list(kinds.get("budget_cycle").field_names)  # type: ignore[union-attr]


def _request(cycle, department, title, status, **extra):
    values = {
        "cycle": cycle,
        "owner_department": department,
        "title": title,
        "problem": "Paper forms",
        "outcome": "Online forms",
        "kind": Proposal.Kind.MODERNIZATION,
        "status": status,
        "earliest_start": 2031,
        "duration": 2,
        "capital_costs": [100_000, 50_000],
        "operating_costs": [10_000],
        **extra,
    }
    with context.acting("system"):
        return services.create(SYSTEM, Proposal, values)


def _funded(cycle, department, title):
    found = _request(
        cycle,
        department,
        title,
        Proposal.Status.APPROVED,
        decision_rationale=f"{title} scored highest",
        votes_for=5,
        votes_against=2,
        votes_abstaining=0,
    )
    with context.acting("system"):
        services.create(
            SYSTEM,
            ProjectUpdate,
            {"proposal": found, "day": datetime.date(2031, 3, 1), "text": f"{title} began"},
        )
    return found


def _cycle_page(client: Client, cycle) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("public:detail", args=["budget-cycles", cycle.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.django_db
def test_a_budget_year_shows_requests_criteria_decisions_and_updates(departments):
    with context.acting("system"):
        cycle = samples.budget_cycle()
    pw = departments["PW"]
    _funded(cycle, pw, "Online permits")
    _request(
        cycle,
        pw,
        "New phone system",
        Proposal.Status.REJECTED,
        decision_rationale="The current one lasts two more years",
    )
    _request(cycle, pw, "Draft idea", Proposal.Status.DRAFT)
    samples.publish("budget_cycle", CYCLE_FIELDS)
    samples.publish("proposal", INVESTMENT_FIELDS)
    client = Client()

    page, queries = _cycle_page(client, cycle)
    # What departments asked for (drafts are not requests yet) and what was funded.
    assert "2 requests, $320,000 in one-time costs" in page
    assert "1 request, $160,000 in one-time costs" in page
    # The criteria as a table, weights as shares of the whole, the scale in plain words.
    assert '<th scope="row">Zqvalue to residents</th><td>75%</td>' in page
    assert '<th scope="row">Zqrisk</th><td>25%</td>' in page
    assert "a score from 1 (lowest) to 5 (highest)" in page
    # What the board funded and why, its vote, and how it is going; and what it did not.
    funded, declined = page.split("Not funded this time")
    assert "Online permits scored highest" in funded
    assert "5 for, 2 against, 0 abstaining" in funded
    assert "Online permits began" in funded and "2031-03-01" in funded
    assert "The current one lasts two more years" in declined
    assert "Draft idea" not in page
    # The index of budget years lists it.
    index = client.get(reverse("public:list", args=["budget-cycles"])).content.decode()
    assert "Zqyear 2031" in index

    # More requests, funded and with updates, ask no more queries.
    for n in range(5):
        _funded(cycle, pw, f"Project {n}")
    page, more = _cycle_page(client, cycle)
    assert "Project 4 began" in page
    assert more == queries

    # The investments' unpublished fields stay off the budget year's page: the rationale
    # and updates when unpublished, and the decisions entirely without the year or status.
    samples.publish(
        "proposal", [f for f in INVESTMENT_FIELDS if f not in ("decision_rationale", "updates")]
    )
    page, _ = _cycle_page(client, cycle)
    assert "Online permits" in page
    assert "scored highest" not in page and "began" not in page
    assert "How the project is going" not in page
    samples.publish("proposal", [f for f in INVESTMENT_FIELDS if f != "status"])
    page, _ = _cycle_page(client, cycle)
    assert "Online permits" not in page and "Funded projects" not in page
    # The investment's own page shows its updates as a table.
    samples.publish("proposal", INVESTMENT_FIELDS)
    permits = Proposal.objects.get(title="Online permits")
    detail = client.get(reverse("public:detail", args=["investments", permits.pk]))
    assert '<th scope="row">2031-03-01</th><td>Online permits began</td>' in detail.content.decode()


@pytest.mark.django_db
def test_updates_are_for_funded_projects_and_show_on_the_staff_page(departments, client_for):
    with context.acting("system"):
        cycle = samples.budget_cycle()
    waiting = _request(cycle, departments["PW"], "Waiting", Proposal.Status.SUBMITTED)
    with context.acting("system"), pytest.raises(ValidationError) as refused:
        services.create(
            SYSTEM,
            ProjectUpdate,
            {"proposal": waiting, "day": datetime.date(2031, 1, 1), "text": "Too soon"},
        )
    assert "funded" in str(refused.value)
    funded = _funded(cycle, departments["PW"], "Online permits")
    staff_page = client_for("staff").get(funded.get_absolute_url()).content.decode()
    assert "Project updates" in staff_page and "2031-03-01" in staff_page
    # Staff write them on the generic form, on the write path.
    add = client_for("staff").post(
        reverse("governance:projectupdate_add"),
        {"proposal": funded.pk, "day": "2031-04-01", "text": "Testing with residents"},
    )
    assert add.status_code == 302
    assert ProjectUpdate.objects.filter(text="Testing with residents").exists()
