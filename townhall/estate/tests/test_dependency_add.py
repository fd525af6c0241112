"""Adding dependencies from a service's, system's or component's page: links that open the
add form with this record filled in on the right side; the add form takes starting values
from the address only as its own fields would accept them, and only records the person
may see; and a dependency saved with no owner department gets the depending record's.

A test may import a later module (governance's proposals and fixtures, here) to test the
estate against it; production code may not (core/tests/test_import_rules.py)."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from townhall.core import context, services
from townhall.estate import models as m
from townhall.governance.models import Proposal
from townhall.governance.tests import conftest as governance_fixtures

ADD = "/estate/dependencies/add/"
# A budget cycle and make_proposal, shared with governance's own tests.
pools = governance_fixtures.pools
cycle = governance_fixtures.cycle
make_proposal = governance_fixtures.make_proposal


@pytest.fixture
def estate(departments) -> dict:
    with context.acting("system"):
        make = lambda model, **v: services.create(context.SYSTEM, model, v)  # noqa: E731
        return {
            "permits": make(m.Service, name="Permits", owner_department=departments["PW"]),
            "gis": make(m.System, name="GIS", owner_department=departments["PW"]),
            "ledger": make(m.System, name="Ledger", owner_department=departments["FIN"]),
            "db": make(m.Component, name="db-01", kind="server", owner_department=None),
        }


def chosen(page: str, name: str) -> list[str]:
    """The values a picker shows as chosen."""
    return re.findall(rf'name="{name}" id="[^"]*" value="(\d+)" checked', page)


@pytest.mark.parametrize(
    ("key", "end"), [("gis", "system"), ("permits", "service"), ("db", "component")]
)
def test_a_record_page_links_to_adding_what_it_depends_on_and_what_depends_on_it(
    client_for, estate, key, end
):
    obj = estate[key]
    page = client_for("staff").get(obj.get_absolute_url()).content.decode()
    kind = obj._meta.verbose_name
    assert f'href="{ADD}?from_{end}={obj.pk}">Add a dependency of this {kind}</a>' in page
    assert f'href="{ADD}?to_{end}={obj.pk}">Add something that depends on it</a>' in page


def test_people_who_cannot_add_dependencies_get_no_links(client_for, estate):
    page = client_for("viewer").get(estate["gis"].get_absolute_url()).content.decode()
    assert "Add a dependency of this system" not in page
    assert ADD not in page


@pytest.mark.parametrize("end", ["from", "to"])
def test_the_add_form_opens_with_the_record_filled_in(client_for, estate, end):
    gis = estate["gis"]
    response = client_for("staff").get(f"{ADD}?{end}_system={gis.pk}&kind=stores_data_in")
    assert response.status_code == 200
    page = response.content.decode()
    assert chosen(page, f"{end}_system") == [str(gis.pk)]
    assert chosen(page, f"{'to' if end == 'from' else 'from'}_system") == []
    assert re.search(r'<option value="stores_data_in" selected>', page)


@pytest.mark.parametrize(
    "query",
    [
        "from_system=not-a-number",
        "from_system=999999",  # no such system
        "kind=bogus",
        "version=7",  # not a value a person chooses
        "is_staff=1&role=admin",  # not fields of the form
    ],
)
def test_values_the_form_would_refuse_are_ignored(client_for, estate, query):
    response = client_for("staff").get(f"{ADD}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert chosen(page, "from_system") == []
    assert not re.search(r'<option value="bogus"', page)
    assert 'name="version" value="7"' not in page


def test_records_the_person_may_not_see_are_not_filled_in(client_for, departments, make_proposal):
    """A draft proposal is private to its department: a link naming it as a prerequisite
    fills in nothing for a liaison of another department."""
    draft = make_proposal("Finance's unsent idea", owner_department=departments["FIN"])
    shared = make_proposal("Permit portal", status=Proposal.Status.SUBMITTED)
    client = client_for("liaison")  # Public Works
    url = reverse("governance:proposal_add")
    page = client.get(f"{url}?prerequisites={draft.pk}&prerequisites={shared.pk}").content.decode()
    assert chosen(page, "prerequisites") == []
    page = client.get(f"{url}?prerequisites={shared.pk}").content.decode()
    assert chosen(page, "prerequisites") == [str(shared.pk)]


def test_a_dependency_added_with_no_owner_gets_the_depending_records(client_for, estate):
    gis, ledger = estate["gis"], estate["ledger"]
    response = client_for("staff").post(
        ADD, {"from_system": gis.pk, "to_system": ledger.pk, "kind": "integrates_with"}
    )
    assert response.status_code == 302
    dependency = m.Dependency.objects.get(from_system=gis, to_system=ledger)
    assert dependency.owner_department == gis.owner_department


def test_an_owner_given_is_kept(client_for, estate, departments):
    gis, ledger = estate["gis"], estate["ledger"]
    client_for("staff").post(
        ADD,
        {
            "from_system": gis.pk,
            "to_system": ledger.pk,
            "kind": "integrates_with",
            "owner_department": departments["FIN"].pk,
        },
    )
    dependency = m.Dependency.objects.get(from_system=gis, to_system=ledger)
    assert dependency.owner_department == departments["FIN"]


def test_through_the_api_a_liaison_may_leave_the_owner_to_the_depending_record(
    users, estate, departments
):
    api = APIClient()
    api.force_authenticate(users["liaison"])  # Public Works
    mine = api.post(
        "/api/estate/dependencies/",
        {"from_system": estate["gis"].pk, "to_system": estate["ledger"].pk, "kind": "runs_on"},
        format="json",
    )
    assert mine.status_code == 201, mine.content
    assert mine.json()["owner_department"] == departments["PW"].pk
    theirs = api.post(
        "/api/estate/dependencies/",
        {"from_system": estate["ledger"].pk, "to_system": estate["gis"].pk, "kind": "runs_on"},
        format="json",
    )
    assert theirs.status_code == 403  # Finance's system: Finance's dependency
