"""Sign in and out, throttling, password change, session expiry."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from townhall.conftest import PASSWORD


@pytest.mark.django_db
def test_sign_in_and_out(users):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "staff1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405  # sign-out is a POST
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(users):
    response = Client().post(reverse("accounts:login"), {"username": "staff1", "password": "nope"})
    assert response.status_code == 400
    assert b"correct username and password" in response.content


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_for_a_while(users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "staff1", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "staff1", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert client.get("/").status_code == 302  # still signed out
    # Another account is not affected.
    response = client.post(reverse("accounts:login"), {"username": "viewer1", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_failures_expire(users, settings):
    from townhall.accounts.models import LoginFailure

    settings.LOGIN_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "staff1", "password": "wrong"})
    LoginFailure.objects.update(at="2000-01-01T00:00:00Z")
    response = client.post(reverse("accounts:login"), {"username": "staff1", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_password_change(users):
    client = Client()
    client.force_login(users["viewer"])
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-7",
            "new_password2": "a-new-long-passphrase-7",
        },
    )
    assert response.status_code == 302
    users["viewer"].refresh_from_db()
    assert users["viewer"].check_password("a-new-long-passphrase-7")


def test_sessions_expire_after_idle_hours():
    # Renewed while in use by IdleSessionMiddleware (core/tests/test_busy.py).
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


@pytest.mark.django_db
def test_expired_session_is_sent_to_sign_in(users, settings):
    from django.contrib.sessions.models import Session

    client = Client()
    client.force_login(users["viewer"])
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    assert client.get("/").status_code == 302
