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

    few, many = _system_with(2), _system_with(20)
    assert queries(few) == queries(many)
    html = client.get(many.get_absolute_url()).content.decode()
    assert "Depends on (20)" in html and "Depended on by (20)" in html
