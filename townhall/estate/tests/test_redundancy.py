"""Redundancy groups: their rules, their pages and API, and how dependencies on them read."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from townhall.core import context, services
from townhall.estate import models as m
from townhall.imports.tests.helpers import run_import, xlsx


def make(model, name, **values):
    return services.create(context.SYSTEM, model, {"name": name, **values})


def group(name, *members, **values):
    return services.create(
        context.SYSTEM,
        m.RedundancyGroup,
        {
            "name": name,
            "systems": [x for x in members if isinstance(x, m.System)],
            "components": [x for x in members if isinstance(x, m.Component)],
            **values,
        },
    )


@pytest.fixture
def estate(departments):
    """Permits (service) → Web servers (any one of web-01, web-02) → load balancer."""
    permits = make(m.Service, "Building permits", owner_department=departments["PW"])
    web1 = make(m.Component, "web-01")
    web2 = make(m.Component, "web-02")
    lb = make(m.Component, "Load balancer", kind="network_device")
    pair = group("Web servers", web1, web2, owner_department=departments["PW"])
    services.create(context.SYSTEM, m.Dependency, {"from_service": permits, "to_group": pair})
    for web in (web1, web2):
        services.create(context.SYSTEM, m.Dependency, {"from_component": web, "to_component": lb})
    return {"permits": permits, "web1": web1, "web2": web2, "lb": lb, "pair": pair}


# --- rules -----------------------------------------------------------------------------------


def test_a_group_needs_two_members(db):
    web1 = make(m.Component, "web-01")
    with pytest.raises(ValidationError, match="at least two members"):
        group("Lonely", web1)
    with pytest.raises(ValidationError, match="at least two members"):
        group("Empty")
    assert not m.RedundancyGroup.objects.exists()
    # A system and a component together are two members.
    app = make(m.System, "Permitting app")
    assert group("Mixed", web1, app).pk


def test_removing_a_member_below_two_is_refused(estate):
    pair = estate["pair"]
    with pytest.raises(ValidationError, match="at least two members"):
        services.update(context.SYSTEM, pair, {"components": [estate["web1"]]}, version=None)
    assert pair.components.count() == 2


def test_a_dependency_has_exactly_one_target_end(estate):
    both = m.Dependency(
        from_service=estate["permits"], to_group=estate["pair"], to_component=estate["lb"]
    )
    with pytest.raises(ValidationError, match="exactly one thing it depends on"):
        both.full_clean()
    dep = m.Dependency.objects.get(to_group=estate["pair"])
    assert dep.target == estate["pair"]
    assert str(dep) == "Building permits → Web servers"


def test_deleting_a_group_deletes_the_dependencies_on_it(estate):
    pair = estate["pair"]
    services.delete(context.SYSTEM, pair, version=pair.version)
    assert not m.Dependency.objects.filter(from_service=estate["permits"]).exists()


# --- pages and API ---------------------------------------------------------------------------


def test_list_detail_and_form_pages(client_for, estate):
    client = client_for("staff")
    listing = client.get(reverse("estate:redundancygroup_list")).content.decode()
    assert "Web servers" in listing
    detail = client.get(estate["pair"].get_absolute_url()).content.decode()
    assert "web-01" in detail and "web-02" in detail
    assert "Building permits" in detail  # what depends on the group
    form = client.get(reverse("estate:redundancygroup_add"))
    assert form.status_code == 200


def test_api_round_trip(users, estate, departments):
    api = APIClient()
    api.force_authenticate(users["staff"])
    a, b = make(m.Component, "link-a"), make(m.Component, "link-b")
    made = api.post(
        "/api/estate/redundancy-groups/",
        {
            "name": "Internet links",
            "components": [a.pk, b.pk],
            "systems": [],
            "owner_department": departments["PW"].pk,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert sorted(made.json()["components"]) == sorted([a.pk, b.pk])
    one = api.post(
        "/api/estate/redundancy-groups/",
        {"name": "Half", "components": [a.pk], "systems": []},
        format="json",
    )
    assert one.status_code == 400
    assert "two members" in json.dumps(one.json())
    dep = api.post(
        "/api/estate/dependencies/",
        {"from_service": estate["permits"].pk, "to_group": made.json()["id"]},
        format="json",
    )
    assert dep.status_code == 201, dep.content
    assert dep.json()["to_group"] == made.json()["id"]
    listed = api.get(f"/api/estate/dependencies/?to_group={made.json()['id']}").json()
    assert [d["id"] for d in listed["results"]] == [dep.json()["id"]]


# --- the dependency page ---------------------------------------------------------------------


def _graph_data(html):
    start = html.index('<script id="graph-data" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_the_dependency_page_draws_the_group_with_its_members(client_for, estate):
    address = reverse("estate:service_dependencies", args=[estate["permits"].pk])
    html = client_for("viewer").get(address).content.decode()
    assert "any one of: web-01, web-02" in html
    assert "Any one of" in html  # the relation from the group to each member
    assert f'href="{estate["pair"].get_absolute_url()}"' in html
    data = _graph_data(html)
    labels = {n["label"]: (n["kind"], n["level"]) for n in data["nodes"]}
    assert labels["Web servers: any one of web-01, web-02"] == ("group", 1)
    assert labels["web-01"] == ("component", 2)
    assert labels["Load balancer"] == ("component", 3)
    # From a member upwards: the group, then the service that needs it.
    address = reverse("estate:component_dependencies", args=[estate["web1"].pk])
    data = _graph_data(client_for("viewer").get(address).content.decode())
    levels = {n["label"]: n["level"] for n in data["nodes"]}
    assert levels["Web servers: any one of web-01, web-02"] == -1
    assert levels["Building permits"] == -2


def test_the_dependency_page_marks_only_the_shared_load_balancer(client_for, estate):
    from townhall.continuity.tests import factories as f

    f.impact(estate["permits"], rto_hours=4, mission_essential=True)
    address = reverse("estate:service_dependencies", args=[estate["permits"].pk])
    data = _graph_data(client_for("staff").get(address).content.decode())
    marked = {n["label"] for n in data["nodes"] if n.get("loss")}
    assert marked == {"Load balancer"}


# --- import ----------------------------------------------------------------------------------


def test_import_groups_and_dependencies_on_them(users, departments):
    make(m.Service, "Building permits", owner_department=departments["PW"])
    for name in ("web-01", "web-02"):
        make(m.Component, name)
    groups = xlsx(
        [
            ["Group name", "Department", "Members"],
            ["Web servers", "PW", "web-01; web-02"],
            ["Half", "PW", "web-01"],
        ]
    )
    out = run_import(users["staff"], "redundancy_group", groups, "groups.xlsx", valid_only=True)
    assert out.counts()["created"] == 1
    [problem] = out.problems
    assert "two members" in str(problem)
    pair = m.RedundancyGroup.objects.get(name="Web servers")
    assert sorted(pair.components.values_list("name", flat=True)) == ["web-01", "web-02"]
    deps = xlsx(
        [
            ["From", "To"],
            ["service:Building permits", "group:Web servers"],
            ["group:Web servers", "web-01"],
        ]
    )
    out = run_import(users["staff"], "dependency", deps, "deps.xlsx", valid_only=True)
    assert out.counts()["created"] == 1
    [problem] = out.problems
    assert "only be what something depends on" in str(problem)
    assert m.Dependency.objects.get().to_group == pair
