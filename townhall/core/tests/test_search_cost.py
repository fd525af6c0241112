"""Global search reads a bounded number of hits per kind, by the kind's own fields."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.core import context, services
from townhall.estate import models as m


@pytest.mark.django_db
def test_search_reads_hits_unordered_and_shows_the_first_by_name(client_for):
    for i in (5, 12, 1, 9, 3, 11, 7, 2, 10, 4, 8, 6):
        services.create(context.SYSTEM, m.Component, {"name": f"srv-{i:02d}"})
    client = client_for("viewer")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/search/?q=SRV").content.decode()
    shown = [f"srv-{i:02d}" for i in range(1, 11)]
    assert [name for name in shown if name in html] == shown
    assert "srv-11" not in html and "srv-12" not in html
    assert "/estate/components/?q=SRV" in html  # the rest, on the list
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "estate_component"' in q["sql"]]
    # In name order the database walked the name index past every row that did not match.
    assert reads and not [sql for sql in reads if "ORDER BY" in sql]


@pytest.mark.django_db
def test_search_looks_at_a_records_own_fields(client_for):
    """An exposure names its system: the system is found by its name, not every exposure
    through a join (which read all of them on a large estate)."""
    client = client_for("viewer")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/search/?q=anything").status_code == 200
    exposures = [q["sql"] for q in ctx.captured_queries if 'FROM "cyber_exposure"' in q["sql"]]
    assert exposures
    conditions = [sql.split(" WHERE ", 1)[1] for sql in exposures]
    assert not [where for where in conditions if '"estate_' in where or '"cyber_known' in where]


def _components(first: int, count: int) -> None:
    """`count` components found by "srv": some by name, some by asset tag, some by both."""
    rows = []
    for i in range(first, first + count):
        tag = f"SRV-{i:05d}" if i % 3 else f"T-{i:05d}"
        name = f"srv-{i:05d}" if i % 2 else f"host-{i:05d}"
        rows.append({"name": name, "asset_tag": tag})
    services.create_many(context.SYSTEM, m.Component, rows)


def _search_queries(client, text: str) -> tuple[int, str]:  # noqa: ANN001
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(f"/search/?q={text}").content.decode()
    return len(ctx.captured_queries), html


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_the_hits(client_for):
    """One read per kind and one for the hits it shows, however many rows match."""
    client = client_for("viewer")
    _components(1, 20)
    small, html = _search_queries(client, "srv")
    assert "All matching components" in html
    _components(21, 300)
    larger, html = _search_queries(client, "srv")
    assert larger == small
    assert "All matching components" in html


@pytest.mark.django_db
def test_search_finds_a_record_by_any_field_once(client_for):
    """A component is found by its asset tag as by its name, and listed once when both
    match."""
    services.create_many(
        context.SYSTEM,
        m.Component,
        [
            {"name": "alpha", "asset_tag": "TAG-QZX-1"},
            {"name": "qzx-beta", "asset_tag": "TAG-2"},
            {"name": "qzx-gamma", "asset_tag": "QZX-3"},
            {"name": "delta", "asset_tag": "TAG-4"},
        ],
    )
    _, html = _search_queries(client_for("viewer"), "qzx")
    for name in ("alpha", "qzx-beta", "qzx-gamma"):
        assert html.count(f">{name}<") == 1, name
    assert ">delta<" not in html


@pytest.mark.django_db
def test_search_asks_each_indexed_field_on_its_own_on_postgresql(client_for):
    """On PostgreSQL the components (whose search fields all have trigram indexes) are
    searched one field at a time: with the fields joined by OR the planner read all
    100,000 components of the large estate instead of the indexes while these held pending
    entries (70 ms, not 13)."""
    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes are PostgreSQL's")
    with CaptureQueriesContext(connection) as ctx:
        client_for("viewer").get("/search/?q=server")
    reads = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "estate_component"' in q["sql"] and '"pk" FROM' in q["sql"]
    ]
    assert len(reads) == 1
    assert " UNION " in reads[0] and " OR " not in reads[0]
    assert reads[0].count("LIMIT 50") == 6  # each field's read is bounded, and the whole


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["qz", "a-b"])
def test_search_reads_a_table_once_for_a_text_no_index_can_look_up(client_for, text):
    """Under three letters or digits in a row there is no trigram to look up: a read per
    field would scan the table once per field."""
    with CaptureQueriesContext(connection) as ctx:
        client_for("viewer").get(f"/search/?q={text}")
    reads = [
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "estate_component"' in q["sql"] and '"pk" FROM' in q["sql"]
    ]
    assert len(reads) == 1
    assert " UNION " not in reads[0]
