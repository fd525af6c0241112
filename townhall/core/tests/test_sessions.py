"""Sessions are renewed while used, but not written on every request: each write made a
page that polls (a job's page, every second) a writer, which on SQLite made a background
job's own writes fail."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from townhall.core.middleware import SEEN, IdleSessionMiddleware

pytestmark = pytest.mark.django_db


def _session_writes(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return sum(
        1
        for q in captured.captured_queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def test_pages_do_not_write_the_session_on_every_request(client_for):
    client = client_for("viewer")
    assert _session_writes(client, "/") == 0
    assert _session_writes(client, "/org/departments/") == 0


def test_a_session_in_use_is_renewed_now_and_then(client_for):
    client = client_for("viewer")
    key = client.session.session_key
    store = SessionStore(session_key=key)
    store[SEEN] = int(time.time()) - IdleSessionMiddleware.REFRESH_SECONDS - 1
    store.save()
    Session.objects.filter(pk=key).update(expire_date="2030-01-01T00:00:00Z")
    assert _session_writes(client, "/") == 1
    renewed = Session.objects.get(pk=key).expire_date
    assert renewed.year != 2030  # renewed for the idle hours from now
    assert _session_writes(client, "/") == 0  # and not again at once
