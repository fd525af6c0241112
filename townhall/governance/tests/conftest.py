"""Fixtures for governance: a budget cycle with criteria, skill pools, a board and requests."""

from typing import Any

import pytest

from townhall.accounts.models import Role
from townhall.conftest import make_user
from townhall.core import context, services
from townhall.governance import presets
from townhall.governance import services as gov
from townhall.governance.models import BudgetCycle, Proposal, SkillPool


@pytest.fixture
def pools(db) -> dict[str, SkillPool]:
    return {
        code: services.create(context.SYSTEM, SkillPool, {"name": name, "code": code})
        for code, name in (("apps", "Applications"), ("infra", "Infrastructure"))
    }


@pytest.fixture
def cycle(users, pools) -> BudgetCycle:
    """FY2027, three years, the county six-criteria preset (scored 1–5)."""
    criteria_set = gov.load_preset(context.SYSTEM, presets.ORANGE_COUNTY_STYLE)
    return gov.open_cycle(
        context.SYSTEM,
        {
            "name": "FY2027",
            "first_year": 2027,
            "years": 3,
            "criteria_set": criteria_set,
            "status": BudgetCycle.Status.SCORING,
            "budgets": {
                str(y): {"capital": 1_000_000, "operating": 300_000} for y in (2027, 2028, 2029)
            },
            "capacities": {
                "apps": {str(y): 4000 for y in (2027, 2028, 2029)},
                "infra": {str(y): 3000 for y in (2027, 2028, 2029)},
            },
        },
    )


@pytest.fixture
def board(users) -> list:
    """Three board members: the shared board1 and two more."""
    return [users["board"], make_user("board2", Role.BOARD), make_user("board3", Role.BOARD)]


@pytest.fixture
def make_proposal(cycle, departments):
    """make_proposal(title, status="draft", **values) -> a proposal of the PW department."""

    def make(title: str, status: str = Proposal.Status.DRAFT, **values: Any) -> Proposal:
        data = {
            "cycle": cycle,
            "owner_department": departments["PW"],
            "title": title,
            "problem": "Paper forms and re-keying.",
            "outcome": "Residents apply online.",
            "kind": Proposal.Kind.MODERNIZATION,
            "earliest_start": 2027,
            "duration": 2,
            "capital_costs": [200_000, 50_000],
            "operating_costs": [0, 10_000],
            "recurring_operating": 20_000,
            "effort": {"apps": [800, 200]},
            "status": status,
            **values,
        }
        return services.create(context.SYSTEM, Proposal, data)

    return make
