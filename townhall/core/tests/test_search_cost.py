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
