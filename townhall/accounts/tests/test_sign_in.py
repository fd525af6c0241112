"""Sign in and out, throttling, password change, session expiry."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
    # The policy's idle limit starts from TOWNHALL_SESSION_HOURS (accounts/tests/
    # test_sessions.py); Django's own expiry, renewed while in use by IdleSessionMiddleware
    # (core/tests/test_busy.py), is only the outer bound, never shorter than the limit.
    from townhall.accounts.sessions import default_policy

    assert default_policy().idle_minutes == 8 * 60
    assert settings.SESSION_COOKIE_AGE >= 24 * 3600


@pytest.mark.django_db
def test_expired_session_is_sent_to_sign_in(users, settings):
    from django.contrib.sessions.models import Session

    client = Client()
    client.force_login(users["viewer"])
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    assert client.get("/").status_code == 302


# --- throttling an attacker cannot turn against the person -------------------------------------

ATTACKER, PERSON = "203.0.113.66", "198.51.100.7"


def sign_in(client: Client, username: str, password: str, address: str = PERSON):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_wrong_passwords_from_elsewhere_do_not_lock_the_person_out(users, settings):
    attacker = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT * 2):
        sign_in(attacker, "admin1", "guess", ATTACKER)
    # The attacker's own address is refused for that account, even with the right password ...
    response = sign_in(attacker, "admin1", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert b"from your network address" in response.content
    # ... while the administrator signs in from their own.
    assert sign_in(Client(), "admin1", PASSWORD, PERSON).status_code == 302


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_stopped(users, settings):
    from townhall.conftest import make_user

    names = [make_user(f"person{i:02}", "viewer").username for i in range(40)]
    attacker = Client()
    answers = []
    for name in names:  # 160 tries, 4 per account: under the per-account limit
        for _ in range(4):
            answers.append(sign_in(attacker, name, "guess", ATTACKER).status_code)
    assert answers[: settings.LOGIN_ADDRESS_LIMIT] == [400] * settings.LOGIN_ADDRESS_LIMIT
    assert set(answers[settings.LOGIN_ADDRESS_LIMIT :]) == {429}
    response = sign_in(attacker, "viewer1", PASSWORD, ATTACKER)
    assert response.status_code == 429  # whatever the account, from that address
    assert sign_in(Client(), "viewer1", PASSWORD, PERSON).status_code == 302


@pytest.mark.django_db
def test_guessing_one_account_from_many_addresses_slows_down(users, settings):
    from townhall.accounts.models import LoginFailure

    settings.LOGIN_FAILURE_LIMIT = 3
    for i in range(8):  # two tries from each of eight addresses: no pair reaches the limit
        for _ in range(2):
            sign_in(Client(), "staff1", "guess", f"192.0.2.{i + 1}")
    # The wait grows from one second: on a slow machine it could pass between the last guess
    # and the next try. Date the guesses to now, so the test does not depend on its speed.
    LoginFailure.objects.update(at=timezone.now())
    response = sign_in(Client(), "staff1", PASSWORD, "192.0.2.200")
    assert response.status_code == 429
    assert b"Wait" in response.content and b"seconds" in response.content
    # The wait is bounded: once it has passed, the right password works from anywhere.
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(seconds=61))
    assert sign_in(Client(), "staff1", PASSWORD, "192.0.2.200").status_code == 302


@pytest.mark.django_db
def test_a_browser_that_signed_in_before_is_not_kept_out_by_others(users, settings):
    browser = Client()
    assert sign_in(browser, "admin1", PASSWORD, ATTACKER).status_code == 302
    assert "townhall_known" in browser.cookies
    browser.post(reverse("accounts:logout"))
    # Someone else, even behind the same address (a shared office connection), tries hard:
    # this account until refused, then others until the address itself is refused.
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(Client(), "admin1", "guess", ATTACKER)
    for i in range(settings.LOGIN_ADDRESS_LIMIT):
        sign_in(Client(), f"someone{i}", "guess", ATTACKER)
    assert sign_in(Client(), "admin1", PASSWORD, ATTACKER).status_code == 429
    response = sign_in(Client(), "viewer1", PASSWORD, ATTACKER)
    assert response.status_code == 429 and b"from your network address" in response.content
    assert sign_in(browser, "admin1", PASSWORD, ATTACKER).status_code == 302
    # The browser's own failures still count against it.
    browser.post(reverse("accounts:logout"))
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert sign_in(browser, "admin1", "typo", ATTACKER).status_code == 400
    assert sign_in(browser, "admin1", PASSWORD, ATTACKER).status_code == 429


@pytest.mark.django_db
def test_a_forged_known_browser_cookie_counts_for_nothing(users, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(Client(), "admin1", "guess", ATTACKER)
    forger = Client()
    forger.cookies["townhall_known"] = '["admin1"]'
    assert sign_in(forger, "admin1", PASSWORD, ATTACKER).status_code == 429


@pytest.mark.django_db
def test_unknown_usernames_are_throttled_like_real_ones(users, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert sign_in(Client(), "nobody-here", "guess", ATTACKER).status_code == 400
    assert sign_in(Client(), "nobody-here", "guess", ATTACKER).status_code == 429


@pytest.mark.django_db
def test_forwarded_address_is_used_only_from_trusted_proxies(settings):
    from django.test import RequestFactory

    from townhall.accounts.throttle import client_address

    def address(remote: str, forwarded: str | None = None) -> str | None:
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_address(RequestFactory().get("/", **extra))

    settings.TRUSTED_PROXIES = []
    assert address("198.51.100.7", "203.0.113.5") == "198.51.100.7"  # nobody is trusted
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert address("10.1.2.3", "203.0.113.5") == "203.0.113.5"
    # Only the hops the proxies added count: a client cannot pick its address by sending one.
    assert address("10.1.2.3", "1.2.3.4, 203.0.113.5") == "203.0.113.5"
    assert address("127.0.0.1", "1.2.3.4, 203.0.113.5, 10.9.9.9") == "203.0.113.5"
    assert address("198.51.100.7", "203.0.113.5") == "198.51.100.7"  # not from a proxy
    assert address("10.1.2.3", "not-an-address") == "10.1.2.3"
    assert address("10.1.2.3") == "10.1.2.3"


@pytest.mark.django_db
def test_sign_in_behind_a_trusted_proxy_throttles_the_client_address(users, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attacker.post(reverse("accounts:login"), {"username": "staff1", "password": "x"})
    person = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=PERSON)
    assert (
        person.post(
            reverse("accounts:login"), {"username": "staff1", "password": PASSWORD}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_api_token_guessing_is_throttled_per_address(users, settings):
    from rest_framework.test import APIClient

    from townhall.accounts.services import token_for

    key = token_for(users["viewer"])
    guesser = APIClient(REMOTE_ADDR=ATTACKER)
    answers = []
    for i in range(settings.LOGIN_ADDRESS_LIMIT + 3):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token {i:040x}")
        answers.append(guesser.get("/api/org/departments/").status_code)
    assert answers[: settings.LOGIN_ADDRESS_LIMIT] == [401] * settings.LOGIN_ADDRESS_LIMIT
    assert set(answers[settings.LOGIN_ADDRESS_LIMIT :]) == {429}
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert guesser.get("/api/org/departments/").status_code == 429
    other = APIClient(REMOTE_ADDR=PERSON)
    other.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert other.get("/api/org/departments/").status_code == 200
