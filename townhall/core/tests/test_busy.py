"""A busy database is told to retry, never answered with 500."""

import pytest
from django.db import OperationalError
from django.test import Client

from townhall.core import busy
from townhall.core.middleware import IdleSessionMiddleware
from townhall.org.models import Department

pytestmark = pytest.mark.django_db


def _locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_a_page_meeting_a_locked_database_answers_503_with_retry_after(client_for, monkeypatch):
    monkeypatch.setattr("townhall.core.services.create", _locked)
    client = client_for("staff")
    response = client.post("/org/departments/add/", {"name": "Parks", "code": "PK"})
    assert response.status_code == 503
    assert response["Retry-After"] == str(busy.RETRY_AFTER_SECONDS)
    assert busy.MESSAGE in response.content.decode()
    assert not Department.objects.filter(code="PK").exists()


def test_an_api_call_meeting_a_locked_database_answers_503_json(client_for, monkeypatch):
    monkeypatch.setattr("townhall.core.services.create", _locked)
    response = client_for("staff").post(
        "/api/org/departments/", {"name": "Parks", "code": "PK"}, content_type="application/json"
    )
    assert response.status_code == 503
    assert response["Retry-After"] == str(busy.RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": busy.MESSAGE, "code": "busy"}


def test_a_locked_database_outside_a_view_answers_503_too(users, monkeypatch):
    """An error raised by middleware (saving the session) reaches the 500 handler, which
    tells a busy database apart as well."""
    from django.contrib.sessions.backends import db

    client = Client(raise_request_exception=False)
    client.force_login(users["viewer"])
    monkeypatch.setattr(db.SessionStore, "save", _locked)
    monkeypatch.setattr(IdleSessionMiddleware, "REFRESH_SECONDS", -1)  # save this time
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"]


def test_other_errors_stay_server_errors(users, monkeypatch):
    from django.contrib.sessions.backends import db

    def broken(*args, **kwargs):
        raise OperationalError("no such table: django_session")

    client = Client(raise_request_exception=False)
    client.force_login(users["viewer"])
    monkeypatch.setattr(db.SessionStore, "save", broken)
    monkeypatch.setattr(IdleSessionMiddleware, "REFRESH_SECONDS", -1)
    assert client.get("/").status_code == 500


def test_transient_errors_are_told_apart():
    assert busy.transient(OperationalError("database is locked"))
    assert busy.transient(OperationalError("deadlock detected"))
    assert not busy.transient(OperationalError("no such table: x"))
    assert not busy.transient(ValueError("database is locked"))
