"""The demo budget cycle: a board mid-way through FY2027, ready to explore."""

import pytest
from django.test import Client
from django.urls import reverse

from townhall.accounts import demo as accounts_demo
from townhall.accounts.models import User
from townhall.core import context
from townhall.governance import demo
from townhall.governance.models import Ballot, Proposal, Scenario, StatusChange
from townhall.org import demo as org_demo


@pytest.mark.django_db
def test_demo_cycle_has_requests_scores_and_solved_scenarios():
    with context.acting("cli"):
        org_demo.load()
        accounts_demo.load()
        assert demo.load() > 0
    proposals = Proposal.objects.filter(cycle__name="FY2027")
    assert proposals.count() == len(demo.REQUESTS) >= 40
    assert proposals.filter(mandated=True).count() >= 4
    assert proposals.filter(kind=Proposal.Kind.RENEWAL).count() >= 5
    chained = proposals.filter(prerequisites__prerequisites__isnull=False).distinct()
    assert chained.exists()  # at least one chain two links long
    assert User.objects.filter(role="board").count() == 5
    scored = proposals.filter(status=Proposal.Status.SCORED)
    assert scored.count() >= 20
    for proposal in scored[:5]:
        assert Ballot.objects.filter(proposal=proposal, submitted_at__isnull=False).count() == 5
    assert StatusChange.objects.filter(proposal__in=proposals).count() > 100
    # The `board` sign-in has proposals to score, each already scored by the four others,
    # and sees the board's scores on the proposals it scored.
    client = Client()
    client.force_login(User.objects.get(username="board"))
    queue = client.get(reverse("governance:my_scoring")).content.decode()
    waiting = proposals.filter(status=Proposal.Status.UNDER_REVIEW, mandated=False).exclude(
        ballots__member__username="board"
    )
    assert len(waiting) >= 2
    for proposal in waiting:
        assert reverse("governance:proposal_scores", args=[proposal.pk]) in queue
        others = Ballot.objects.filter(proposal=proposal, submitted_at__isnull=False)
        assert others.count() == 4
    consensus = client.get(reverse("governance:cycle_scores", args=[scored[0].cycle_id]))
    assert "5 of 5" in consensus.content.decode()
    scenarios = Scenario.objects.filter(cycle__name="FY2027")
    assert scenarios.count() == 2
    assert scenarios.filter(selected=True).count() == 1
    for scenario in scenarios:
        assert scenario.result["status"] in ("optimal", "time_limit")
        assert scenario.result["funded"]
    with context.acting("cli"):
        assert demo.load() == 0  # a second run changes nothing
