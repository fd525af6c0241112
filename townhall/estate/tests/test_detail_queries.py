"""A record's page costs the same number of queries however many records relate to it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.core import context, services
from townhall.estate import models as m


def _system_with(n: int) -> m.System:
    system = services.create(context.SYSTEM, m.System, {"name": f"Hub {n}"})
    for i in range(n):
        server = services.create(context.SYSTEM, m.Component, {"name": f"srv-{n}-{i}"})
        service = services.create(context.SYSTEM, m.Service, {"name": f"Svc {n}-{i}"})
        services.create(
            context.SYSTEM, m.Dependency, {"from_system": system, "to_component": server}
        )
        services.create(
            context.SYSTEM, m.Dependency, {"from_service": service, "to_system": system}
        )
    return system


@pytest.mark.django_db
def test_detail_queries_do_not_grow_with_related_records(client_for):
    client = client_for("viewer")

    def queries(system: m.System) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(system.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    few, many = _system_with(10), _system_with(200)
    # The first page asks for the kept foundation health, whose job runs inside that request
    # here (the immediate job backend); the pages after read what it kept.
    client.get(few.get_absolute_url())
    assert queries(few) == queries(many)
    html = client.get(many.get_absolute_url()).content.decode()
    assert "Depends on (200)" in html and "Depended on by (200)" in html


@pytest.mark.django_db
def test_long_related_list_links_to_all_of_it(client_for):
    system = _system_with(30)
    client = client_for("viewer")
    html = client.get(system.get_absolute_url()).content.decode()
    assert "Depends on (30)" in html and "Showing 25 of 30." in html
    link = f"/estate/dependencies/?from_system={system.pk}"
    assert f'href="{link}"' in html
    listed = client.get(link).content.decode()
    assert "30 dependencies match" in listed


@pytest.mark.django_db
def test_related_lists_are_read_through_their_key(client_for):
    """`id IN (SELECT …)` joined to the names' tables made PostgreSQL hash-join every
    dependency in the estate; the lists are read by their foreign key instead."""
    system = _system_with(3)
    client = client_for("viewer")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(system.get_absolute_url()).status_code == 200
    reading = [q["sql"] for q in ctx.captured_queries if 'FROM "estate_dependency"' in q["sql"]]
    assert reading
    assert not [sql for sql in reading if "IN (SELECT" in sql]


@pytest.mark.django_db
def test_dependency_list_filters_by_an_end(client_for):
    system = _system_with(2)
    client = client_for("viewer")
    ok = client.get(f"/estate/dependencies/?to_system={system.pk}")
    assert "2 dependencies match" in ok.content.decode()
    for bad in ("abc", "1.5", "-3", str(2**70)):
        assert client.get(f"/estate/dependencies/?from_system={bad}").status_code == 200
        api = client.get(f"/api/estate/dependencies/?from_system={bad}")
        assert api.status_code == 400, bad
    api = client.get(f"/api/estate/dependencies/?from_system={system.pk}").json()
    assert api["count"] == 2


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_rows(client_for):
    """The dependencies list (each row naming both ends) and the systems list (with their
    contracts) cost the same queries with 10 or 200 related rows behind them."""
    client = client_for("viewer")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few, many = _system_with(10), _system_with(200)
    vendor = services.create(context.SYSTEM, m.Vendor, {"name": "Acme"})
    for system, n in ((few, 10), (many, 200)):
        for i in range(n):
            values = {"vendor": vendor, "title": f"C{n}-{i}", "systems": [system]}
            services.create(context.SYSTEM, m.Contract, values)
    lists = [
        "/estate/dependencies/?from_system={}&per_page=100",
        "/estate/systems/?q={}",
        "/api/estate/dependencies/?to_system={}",
    ]
    for url in lists:
        assert queries(url.format(few.pk)) == queries(url.format(many.pk)), url
