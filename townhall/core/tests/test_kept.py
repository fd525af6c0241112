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
    before = client.get("/records/").content.decode()
    services.create(context.SYSTEM, m.Vendor, {"name": "Second vendor"})
    after = client.get("/records/").content.decode()
    assert before != after
    with CaptureQueriesContext(connection) as ctx:
        client.get("/records/")
    assert len(ctx.captured_queries) < 15  # not one count per kind of record


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/records/", "/audit/"])
def test_change_lists_leave_values_unread(client_for, address):
    """The home page and the audit log list who changed what, not the values: an entry
    can hold a whole document (a recovery plan's content), which they must not read."""
    services.create(context.SYSTEM, m.Vendor, {"name": "Listed vendor"})
    client = client_for("staff")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(address).content.decode()
    assert "Listed vendor" in html
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "audit_auditentry"' in q["sql"]]
    assert reads and not [sql for sql in reads if '"audit_auditentry"."after"' in sql]


@pytest.mark.django_db
def test_signing_in_changes_no_kept_figure_nor_the_recent_changes(client_for, users):
    """A sign-in is audited, but changes no record a figure counts: a county's staff signing
    in all morning must not make every kept figure be worked out again."""
    from django.test import RequestFactory

    from townhall.accounts import mfa
    from townhall.accounts.models import SignInEvent

    calls = []
    kept.kept("t", calls.append, 1)
    request = RequestFactory().post("/accounts/sign-in/", REMOTE_ADDR="192.0.2.7")
    mfa.record_event(request, SignInEvent.Kind.SIGNED_IN, user=users["viewer"], method="password")
    kept.kept("t", calls.append, 1)
    assert calls == [1]
    page = client_for("admin").get("/records/").content.decode()
    assert "Sign-in: Signed in: viewer" not in page and "Department: Finance" in page
    services.create(context.SYSTEM, m.Vendor, {"name": "A change"})
    kept.kept("t", calls.append, 1)
    assert calls == [1, 1]
