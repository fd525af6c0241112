"""Governance records join the platform's contract: permissions, audit, conflicts, API."""

import pytest

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.governance import models as m


def _criteria_set(n: int) -> m.CriteriaSet:
    return services.create(context.SYSTEM, m.CriteriaSet, {"name": f"Criteria for {n}"})


def _cycle(n: int) -> m.BudgetCycle:
    return services.create(
        context.SYSTEM,
        m.BudgetCycle,
        {"name": f"FY{2030 + n}", "first_year": 2030, "criteria_set": _criteria_set(n)},
    )


def _proposal(cycle_pk: int, department, title: str) -> m.Proposal:
    return services.create(
        context.SYSTEM,
        m.Proposal,
        {
            "cycle": cycle_pk,
            "title": title,
            "owner_department": department,
            "problem": "Manual work.",
            "outcome": "Less manual work.",
            "kind": "modernization",
        },
    )


class TestSkillPoolContract(ResourceContract):
    model = m.SkillPool
    shared = True

    def data(self, departments, n=1):
        return {"name": f"Pool {n}", "code": f"pool-{n}"}


class TestCriteriaSetContract(ResourceContract):
    model = m.CriteriaSet
    shared = True

    def data(self, departments, n=1):
        return {"name": f"Set {n}", "scale_min": 1, "scale_max": 5}


class TestCriterionContract(ResourceContract):
    model = m.Criterion
    shared = True

    def data(self, departments, n=1):
        return {"criteria_set": _criteria_set(n), "name": f"Criterion {n}", "weight": 10}

    def invalid(self, departments):
        def frozen(post):
            cycle = _cycle(900 + post["criteria_set"])
            return {"criteria_set": cycle.criteria_set_id}

        return [
            ("criteria_set", frozen),
            ("anchors", lambda post: {"anchors": "9: Beyond the scale"}),
        ]


class TestBudgetCycleContract(ResourceContract):
    model = m.BudgetCycle
    shared = True

    def data(self, departments, n=1):
        return {
            "name": f"FY{2026 + n}",
            "first_year": 2027,
            "years": 3,
            "status": "intake",
            "criteria_set": _criteria_set(n),
        }


class TestProposalContract(ResourceContract):
    """Requests are shared once submitted; a liaison edits only their department's drafts."""

    model = m.Proposal
    draft_owner: str | None = None

    def make(self, departments, owner="PW", n=1):
        obj = super().make(departments, owner, n)
        if owner != self.draft_owner:
            with context.writing():
                m.Proposal.objects.filter(pk=obj.pk).update(status="submitted")
            obj.refresh_from_db()
        return obj

    def private_rows(self, departments, n=1):
        """Another department's draft is private to it (and IT); a submitted one is not."""
        self.draft_owner = "FIN"
        rows = [self.make(departments, "FIN", n=n), self.make(departments, "PW", n=n + 1)]
        self.draft_owner = None
        return rows

    @pytest.mark.django_db
    def test_liaison_writes_only_own_department(self, users, departments):
        self.draft_owner = "PW"
        super().test_liaison_writes_only_own_department(users, departments)

    def data(self, departments, n=1):
        return {
            "cycle": _cycle(n),
            "title": f"Request {n}",
            "problem": "Manual work.",
            "outcome": "Less manual work.",
            "kind": "modernization",
            "duration": 1,
            "recurring_operating": 0,
        }

    def invalid(self, departments):
        return [
            ("mandate", lambda post: {"mandated": True, "mandate": ""}),
            ("earliest_start", lambda post: {"earliest_start": 2099}),
        ]


class TestScenarioContract(ResourceContract):
    model = m.Scenario
    shared = True

    def data(self, departments, n=1):
        return {
            "cycle": _cycle(n),
            "name": f"Scenario {n}",
            "objective": "score",
            "budget_level": 1,
            "time_limit": 5,
        }

    def invalid(self, departments):
        def both(post):
            proposal = _proposal(post["cycle"], departments["PW"], f"Both ways {post['name']}")
            return {"force_in": [proposal.pk], "force_out": [proposal.pk]}

        def elsewhere(post):
            other = _cycle(800 + post["cycle"])
            proposal = _proposal(other.pk, departments["PW"], f"Elsewhere {post['name']}")
            return {"force_in": [proposal.pk]}

        return [("force_out", both), ("force_in", elsewhere)]


# --- Project updates for residents ---


def _funded(n: int, department) -> m.Proposal:
    proposal = _proposal(_cycle(500 + n).pk, department, f"Funded {n}")
    with context.writing():
        m.Proposal.objects.filter(pk=proposal.pk).update(status="approved")
    proposal.refresh_from_db()
    return proposal


class TestProjectUpdateContract(ResourceContract):
    """Updates for residents are shared records IT staff write about funded projects."""

    model = m.ProjectUpdate
    shared = True

    def data(self, departments, n=1):
        return {
            "proposal": _funded(n, departments["PW"]),
            "day": "2031-03-01",
            "text": f"Work began {n}",
        }

    def invalid(self, departments):
        def not_funded(post):
            cycle = m.BudgetCycle.objects.get(proposals=post["proposal"])
            return {"proposal": _proposal(cycle.pk, departments["PW"], "Waiting").pk}

        return [("proposal", not_funded), ("text", lambda post: {"text": "   "})]
