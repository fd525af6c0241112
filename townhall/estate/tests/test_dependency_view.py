"""The dependency page of a service, system or component: permissions, content, queries.

The single points of failure it marks are continuity's (registered through `core.plugins`),
so these tests run with the continuity app installed, as the project always is."""

import dataclasses
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.core.models import TrackedQuerySet
from townhall.estate import models as m
from townhall.estate.pages import dependency as dependency_pages

ROLES = ("admin", "staff", "liaison", "board", "viewer")


def make(model, name, **values):
    return services.create(context.SYSTEM, model, {"name": name, **values})


def depend(source, target, kind="runs_on"):
    values = {f"from_{source._meta.model_name}": source, "kind": kind}
    values[f"to_{target._meta.model_name}"] = target
    return services.create(context.SYSTEM, m.Dependency, values)


def url(obj, **query):
    address = reverse(f"estate:{obj._meta.model_name}_dependencies", args=[obj.pk])
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


def graph_data(response):
    html = response.content.decode()
    start = html.index('<script id="graph-data" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def chain(n):
    systems = [make(m.System, f"Chain {i:03d}") for i in range(n)]
    for a, b in zip(systems, systems[1:], strict=False):
        depend(a, b)
    return systems


@pytest.fixture
def estate(db):
    """Permits (service) → Permitting app (system) → db-01 (component) → SAN (component);
    the app also authenticates with Directory (system), which runs on db-01 too."""
    permits = make(m.Service, "Building permits")
    app = make(m.System, "Permitting app")
    directory = make(m.System, "Directory")
    db01 = make(m.Component, "db-01", kind="database")
    san = make(m.Component, "SAN", kind="storage")
    depend(permits, app)
    depend(app, db01, "stores_data_in")
    depend(app, directory, "authenticates_with")
    depend(directory, db01)
    depend(db01, san)
    return {"permits": permits, "app": app, "directory": directory, "db01": db01, "san": san}


# --- permissions ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, estate):
    response = client.get(url(estate["app"]))
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_view(client_for, estate, role):
    for obj in estate.values():
        response = client_for(role).get(url(obj))
        assert response.status_code == 200, (role, obj)


def test_missing_record_is_404(client_for, estate):
    client = client_for("viewer")
    for name in ("service", "system", "component"):
        address = reverse(f"estate:{name}_dependencies", args=[999_999])
        assert client.get(address).status_code == 404


def test_records_hidden_from_the_person_are_left_out(client_for, estate, monkeypatch):
    """Whatever restrict() hides is neither listed nor drawn."""
    original = TrackedQuerySet.restrict

    def hiding(self, user, action="view"):
        qs = original(self, user, action)
        return qs.exclude(name="SAN") if self.model is m.Component else qs

    monkeypatch.setattr(TrackedQuerySet, "restrict", hiding)
    response = client_for("viewer").get(url(estate["app"]))
    assert response.status_code == 200
    assert "SAN" not in response.content.decode()
    assert "db-01" in response.content.decode()
    assert client_for("viewer").get(url(estate["san"])).status_code == 404


# --- what the page shows -------------------------------------------------------------------


def test_both_directions_with_kinds_and_links(client_for, estate):
    response = client_for("board").get(url(estate["app"]))
    html = response.content.decode()
    assert "Dependencies of Permitting app" in html
    assert "What Permitting app depends on (3)" in html
    assert "What depends on Permitting app (1)" in html
    assert f'href="{estate["db01"].get_absolute_url()}"' in html
    assert "Stores data in" in html and "Authenticates with" in html
    assert "already listed above" in html  # db-01 again, under Directory
    assert "cycle: already listed above</strong>" not in html
    data = graph_data(response)
    kinds = {n["label"]: (n["kind"], n["level"], n["focus"]) for n in data["nodes"]}
    assert kinds == {
        "Building permits": ("service", -1, False),
        "Permitting app": ("system", 0, True),
        "Directory": ("system", 1, False),
        "db-01": ("component", 1, False),
        "SAN": ("component", 2, False),
    }
    assert len(data["edges"]) == 5
    # breadcrumbs back to the record and its list
    assert f'href="{estate["app"].get_absolute_url()}"' in html
    assert f'href="{reverse("estate:system_list")}"' in html


def test_nothing_recorded(client_for, db):
    lone = make(m.Component, "Lonely switch", kind="network_device")
    html = client_for("viewer").get(url(lone)).content.decode()
    assert "Lonely switch depends on nothing recorded." in html
    assert "Nothing recorded depends on Lonely switch." in html


def test_cycles_are_marked_never_looped(client_for, db):
    a, b, c = (make(m.System, n) for n in ("Alpha", "Bravo", "Charlie"))
    depend(a, b)
    depend(b, c)
    depend(c, a)  # a ring of three through the focus
    d = make(m.System, "Delta")
    depend(c, d)
    depend(d, c)  # and a ring of two
    response = client_for("viewer").get(url(a))
    html = response.content.decode()
    assert (
        html.count("<strong>cycle: already listed above</strong>") == 4
    )  # C→A and D→C, in both lists
    assert "Cycles: 1 group of records" in html  # A, B, C and D are one tangle
    assert any(e["cycle"] for e in graph_data(response)["edges"])


def test_depth_limit_note(client_for, db):
    systems = chain(10)
    response = client_for("viewer").get(url(systems[0], depth=3))
    html = response.content.decode()
    assert "6 more levels not shown." in html
    assert "more not shown" in html
    assert 'href="?depth=4"' in html
    assert len(graph_data(response)["nodes"]) == 4
    response = client_for("viewer").get(url(systems[0], depth="lots"))
    assert response.status_code == 200  # the default depth


def test_node_cap(client_for, db, monkeypatch):
    monkeypatch.setattr(dependency_pages, "MAX_NODES", 5)
    hub = make(m.Component, "Core switch", kind="network_device")
    for i in range(8):
        depend(make(m.System, f"App {i}"), hub, "network_path")
    response = client_for("viewer").get(url(hub))
    html = response.content.decode()
    assert "only the first 5 are shown" in html
    assert len(graph_data(response)["nodes"]) == 5


# --- queries -------------------------------------------------------------------------------


def queries(client, address):
    cache.clear()  # the loss counts are worked out afresh each time, for the same count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queries_grow_with_depth_not_records(client_for, db):
    client = client_for("viewer")
    queries(client, reverse("core:home"))  # the session and person load once; warm up
    short, long_ = chain(5), chain(50)
    depth = dependency_pages.MAX_DEPTH
    fixed = 8  # session, person, the record, names of each kind, savepoints
    bound = fixed + 2 * (depth + dependency_pages.LOOK_BEYOND + 1)
    q_short = queries(client, url(short[0], depth=depth))
    q_long = queries(client, url(long_[0], depth=depth))
    assert q_short <= fixed + 5 + 1  # one per level (4) and one that finds nothing, upstream
    assert q_long <= bound
    # At a fixed depth, a longer chain beyond it costs nothing more.
    longer = chain(80)
    assert queries(client, url(long_[0], depth=3)) == queries(client, url(longer[0], depth=3))


def test_queries_constant_in_fan_out(client_for, db):
    client = client_for("viewer")
    counts = []
    for n in (10, 100):
        hub = make(m.Component, f"Hub {n}", kind="storage")
        for i in range(n):
            depend(make(m.System, f"Fan {n}-{i}"), hub, "stores_data_in")
        counts.append(queries(client, url(hub, depth=1)))
        html = client.get(url(hub, depth=1)).content.decode()
        assert f"What depends on Hub {n} ({n})" in html
    assert counts[0] == counts[1]


def test_queries_do_not_grow_with_what_lies_past_the_depth(client_for, db, monkeypatch):
    """Past the levels shown, the page reads a bounded number of edges to count the levels
    it leaves out: a wider graph below costs no more queries than a narrow one, and the
    note says "at least"."""
    monkeypatch.setattr(dependency_pages, "MAX_LOOK_EDGES", 12)
    client = client_for("viewer")
    queries(client, reverse("core:home"))  # warm up
    counts = {}
    for width in (2, 5):
        grid = [[make(m.System, f"Grid {width} {lv}-{i}") for i in range(width)] for lv in range(8)]
        for upper, lower in zip(grid, grid[1:], strict=False):
            for a in upper:
                for b in lower:
                    depend(a, b)
        counts[width] = queries(client, url(grid[0][0], depth=1))
        html = client.get(url(grid[0][0], depth=1)).content.decode()
        assert f"What Grid {width} 0-0 depends on ({width})" in html
        assert "not shown" in html
    assert counts[5] < counts[2]  # it stopped reading sooner
    assert "At least 1 more level not shown" in html


def test_dependencies_url_helper(estate):
    app = estate["app"]
    assert dependency_pages.dependencies_url(app) == f"/estate/systems/{app.pk}/dependencies/"
    vendor = services.create(context.SYSTEM, m.Vendor, {"name": "Acme"})
    assert dependency_pages.dependencies_url(vendor) is None


def test_detail_urls_are_the_record_pages(estate):
    records = list(estate.values())
    keys = [(r._meta.model_name, r.pk) for r in records]
    urls = dependency_pages.detail_urls(keys)
    assert [urls[k] for k in keys] == [r.get_absolute_url() for r in records]
    assert dependency_pages.detail_urls([("system", 4_294_967_291)]) == {
        ("system", 4_294_967_291): "/estate/systems/4294967291/"
    }


@pytest.mark.django_db
def test_record_pages_link_to_their_dependencies(client_for, departments):
    system = services.create(context.SYSTEM, m.System, {"name": "Linked system"})
    html = client_for("viewer").get(system.get_absolute_url()).content.decode()
    assert f"/estate/systems/{system.pk}/dependencies/" in html
    vendor = services.create(context.SYSTEM, m.Vendor, {"name": "No graph vendor"})
    assert (
        f"/{vendor.pk}/dependencies/"
        not in client_for("viewer").get(vendor.get_absolute_url()).content.decode()
    )


def test_edges_are_read_from_the_records_reached(client_for, estate):
    """Where everyone may see every service, system and component, the edge queries ask
    only for the records reached, not `to_system_id IN (SELECT id FROM every system)`,
    which scanned every dependency of a large estate."""
    client = client_for("viewer")
    client.get(url(estate["app"]))  # warm up
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url(estate["app"])).status_code == 200
    edges = [q["sql"] for q in ctx.captured_queries if 'FROM "estate_dependency"' in q["sql"]]
    assert edges
    assert not [sql for sql in edges if "IN (SELECT" in sql]


def test_loss_counts_are_kept_until_something_changes(client_for, estate, monkeypatch):
    """The walk below every mission-essential service is the same for every record's page:
    worked out once per person, and again after any change."""
    from townhall.core import plugins

    calls = []
    marks = plugins.single_points()  # continuity's, registered in its app config
    counted = dataclasses.replace(marks, counts=lambda u: calls.append(u) or marks.counts(u))
    monkeypatch.setattr(plugins, "_single_points", [counted])
    cache.clear()
    client = client_for("viewer")
    client.get(url(estate["app"]))
    client.get(url(estate["db01"]))
    assert len(calls) == 1
    make(m.System, "Something new")
    client.get(url(estate["app"]))
    assert len(calls) == 2
    client_for("staff").get(url(estate["app"]))
    assert len(calls) == 3  # another person: their own


def test_tree_escapes_names(client_for, db):
    a = make(m.System, "<b>bold</b> & co")
    b = make(m.Component, 'db "quoted"')
    depend(a, b)
    html = client_for("viewer").get(url(b)).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co</a> (system) runs on db &quot;quoted&quot;" in html
    assert "<b>bold</b>" not in html
