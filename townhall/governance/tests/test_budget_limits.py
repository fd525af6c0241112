"""The budget grid's limits live on the budget cycle, so every door that writes a cycle's
budgets and staff hours (the grid, the write path the CLI and modules call) refuses the
same amounts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from townhall.core import services
from townhall.governance.models import BudgetCycle

TOO_MUCH = 10**12  # a trillion: one digit more than the grid's amounts hold


def test_the_grid_refuses_a_budget_beyond_its_digits(cycle, client_for):
    page = client_for("staff").post(
        reverse("governance:cycle_budgets", args=[cycle.pk]),
        {"capital_2027": str(TOO_MUCH), "operating_2027": "5"},
    )
    assert page.status_code == 400
    assert BudgetCycle.objects.get(pk=cycle.pk).budget(2027, "capital") == 1_000_000


def test_the_write_path_refuses_a_budget_beyond_the_grids_digits(cycle, users):
    budgets = {**cycle.budgets, "2027": {"capital": TOO_MUCH, "operating": 5}}
    with pytest.raises(ValidationError, match="at most 999,999,999,999.99"):
        services.update(users["staff"], cycle, {"budgets": budgets}, version=None)
    assert BudgetCycle.objects.get(pk=cycle.pk).budget(2027, "capital") == 1_000_000


def test_the_write_path_refuses_staff_hours_beyond_the_grids_digits(cycle, users):
    capacities = {**cycle.capacities, "apps": {"2027": 10**9, "2028": 1, "2029": 1}}
    with pytest.raises(ValidationError, match="at most 999,999,999.9"):
        services.update(users["staff"], cycle, {"capacities": capacities}, version=None)
    assert BudgetCycle.objects.get(pk=cycle.pk).capacity("apps", 2027) == 4000
    largest = {**cycle.capacities, "apps": {"2027": "999999999.9", "2028": 1, "2029": 1}}
    services.update(users["staff"], cycle, {"capacities": largest}, version=None)
