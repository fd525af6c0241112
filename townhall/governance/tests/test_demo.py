"""The demo budget cycle: a board mid-way through FY2027, ready to explore."""

import pytest

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
    scenarios = Scenario.objects.filter(cycle__name="FY2027")
    assert scenarios.count() == 2
    assert scenarios.filter(selected=True).count() == 1
    for scenario in scenarios:
        assert scenario.result["status"] in ("optimal", "time_limit")
        assert scenario.result["funded"]
    with context.acting("cli"):
        assert demo.load() == 0  # a second run changes nothing
