"""Figures kept until the next change are worked out again after any change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.core import context, kept, services
from townhall.estate import models as m


@pytest.mark.django_db
def test_kept_until_an_audited_change():
    calls = []

    def compute(x):
        calls.append(x)
        return None  # None is kept too (the dependency page's "too much to work out")

    assert kept.kept("t", compute, 1) is None
    with CaptureQueriesContext(connection) as ctx:
        kept.kept("t", compute, 1)
    assert calls == [1] and len(ctx.captured_queries) == 1  # the newest audit entry's id
    services.create(context.SYSTEM, m.Vendor, {"name": "A change"})
    kept.kept("t", compute, 1)
    assert calls == [1, 1]


@pytest.mark.django_db
def test_home_counts_follow_changes(client_for):
    client = client_for("viewer")
    services.create(context.SYSTEM, m.Vendor, {"name": "First vendor"})
    before = client.get("/").content.decode()
    services.create(context.SYSTEM, m.Vendor, {"name": "Second vendor"})
    after = client.get("/").content.decode()
    assert before != after
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert len(ctx.captured_queries) < 15  # not one count per kind of record
