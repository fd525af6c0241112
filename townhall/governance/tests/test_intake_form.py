"""The intake form: costs and staff hours typed in a grid by project year."""

import pytest
from django.urls import reverse

from townhall.governance.models import Proposal


def _post(cycle, departments, **grid):
    return {
        "title": "Body cameras",
        "cycle": cycle.pk,
        "owner_department": departments["PW"].pk,
        "kind": "new_capability",
        "problem": "No video evidence.",
        "outcome": "Every patrol records.",
        "earliest_start": 2028,
        "duration": 2,
        "recurring_operating": "15000",
        **grid,
    }


@pytest.mark.django_db
def test_grid_becomes_costs_and_hours_by_project_year(cycle, departments, pools, client_for):
    client = client_for("liaison")
    page = client.get(reverse("governance:proposal_add")).content.decode()
    assert "One-time capital, year 1" in page and "Applications hours, year 5" in page
    response = client.post(
        reverse("governance:proposal_add"),
        _post(cycle, departments, capital_1="$120,000", capital_2="30000.50", hours_apps_1="400"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = Proposal.objects.get(title="Body cameras")
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.capital_costs == [120000, 30000.5]
    assert proposal.operating_costs == [0, 0]
    assert proposal.effort == {"apps": [400, 0]}
    # Editing shows the same numbers back.
    edit = client.get(reverse("governance:proposal_edit", args=[proposal.pk])).content.decode()
    assert 'value="120000"' in edit


@pytest.mark.django_db
def test_grid_errors_name_the_cell_and_nothing_is_saved(cycle, departments, pools, client_for):
    client = client_for("liaison")
    response = client.post(
        reverse("governance:proposal_add"),
        _post(cycle, departments, capital_1="lots", capital_4="5000", hours_infra_1="-3"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "One-time capital, year 1: “lots” is not a number." in text
    assert "One-time capital, year 4: the request lasts 2 year(s)." in text
    assert "Infrastructure hours, year 1: use zero or a positive amount." in text
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_liaison_cannot_request_for_another_department(cycle, departments, client_for):
    data = _post(cycle, departments)
    data["owner_department"] = departments["FIN"].pk
    response = client_for("liaison").post(reverse("governance:proposal_add"), data)
    assert response.status_code == 400
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_earliest_start_must_fall_in_the_cycle(cycle, departments, client_for):
    data = _post(cycle, departments)
    data["earliest_start"] = 2035
    response = client_for("staff").post(reverse("governance:proposal_add"), data)
    assert response.status_code == 400
    assert "The cycle plans fiscal years 2027–2029." in response.content.decode()
