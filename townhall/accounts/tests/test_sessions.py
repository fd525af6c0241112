"""Signed-in sessions: recorded, listed, ended one by one or everywhere, limited by the
administrator's policy; deactivating an account ends its sessions and tokens at once."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from townhall.accounts import sessions
from townhall.accounts.models import ApiToken, SessionPolicy, SignedInSession
from townhall.accounts.services import token_for
from townhall.audit.models import AuditEntry
from townhall.conftest import PASSWORD
from townhall.core import context, services

HOME = "/"
ACCOUNT = "/accounts/me/"


def sign_in(username: str, agent: str = "Firefox/128", address: str = "10.0.0.7") -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def record_of(client: Client) -> SignedInSession:
    return SignedInSession.objects.get(pk=client.session[sessions.RECORD])


def signed_in(client: Client) -> bool:
    return client.get(ACCOUNT).status_code == 200


def age(record: SignedInSession, **kwargs: datetime.timedelta) -> None:
    SignedInSession.objects.filter(pk=record.pk).update(
        **{field: getattr(record, field) - delta for field, delta in kwargs.items()}
    )


@pytest.mark.django_db
def test_signing_in_records_the_session_without_its_key(users):
    client = sign_in("viewer1", agent="A" * 500)
    record = record_of(client)
    key = client.session.session_key
    assert record.owner == users["viewer"] and record.ended_at is None
    assert record.ip_address == "10.0.0.7"
    assert len(record.user_agent) == 200 and record.user_agent.endswith("…")
    assert record.key_hash == sessions.key_hash(key) and key not in str(
        SignedInSession.objects.values().get()
    )


@pytest.mark.django_db
def test_the_account_page_lists_open_sessions_and_marks_this_one(users):
    first = sign_in("viewer1", agent="Firefox/128")
    sign_in("viewer1", agent="Edge/130")
    sign_in("staff1", agent="Safari/18")
    page = first.get(ACCOUNT).content.decode()
    assert "Firefox/128 <strong>(this session)</strong>" in page
    assert "Edge/130" in page and "Safari/18" not in page


@pytest.mark.django_db
def test_ending_a_session_signs_its_browser_out_with_a_reason(users):
    laptop = sign_in("viewer1", agent="Laptop")
    phone = sign_in("viewer1", agent="Phone")
    target = record_of(phone)
    response = laptop.post(reverse("accounts:session_end", args=[target.pk]))
    assert response.status_code == 302 and response["Location"] == ACCOUNT
    target.refresh_from_db()
    assert target.ended_at is not None and target.ended_reason == "ended by viewer1"
    entry = AuditEntry.objects.get(content_type__model="signedinsession")
    assert entry.actor == users["viewer"] and entry.after["ended_at"]
    answer = phone.get(ACCOUNT, follow=True)
    assert answer.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "session was ended from another session" in answer.content.decode()
    assert not signed_in(phone)
    assert signed_in(laptop)


@pytest.mark.django_db
def test_ending_this_session_signs_out_here(users):
    laptop = sign_in("viewer1")
    response = laptop.post(reverse("accounts:session_end", args=[record_of(laptop).pk]))
    assert response.status_code == 302
    assert not signed_in(laptop)


@pytest.mark.django_db
def test_nobody_ends_someone_elses_session_but_an_administrator(users, client_for):
    staff = sign_in("staff1")
    record = record_of(staff)
    url = reverse("accounts:session_end", args=[record.pk])
    assert sign_in("viewer1").post(url).status_code == 404
    assert client_for("liaison").post(url).status_code == 404
    assert signed_in(staff)
    admin = client_for("admin")
    page = admin.get(reverse("accounts:user_detail", args=[users["staff"].pk])).content.decode()
    assert "Firefox/128" in page
    response = admin.post(url)
    assert response["Location"] == reverse("accounts:user_detail", args=[users["staff"].pk])
    assert not signed_in(staff)


@pytest.mark.django_db
def test_signing_out_everywhere_ends_every_session_and_the_tokens(users):
    here = sign_in("viewer1")
    elsewhere = [sign_in("viewer1"), sign_in("viewer1")]
    staff = sign_in("staff1")
    secret = token_for(users["viewer"])
    response = here.post(reverse("accounts:sign_out_everywhere_own"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert (
        "You signed out everywhere: 3 sessions ended; 1 API token revoked."
        in response.content.decode()
    )
    assert not signed_in(here) and not any(signed_in(c) for c in elsewhere)
    assert signed_in(staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/org/departments/").status_code == 401
    ends = AuditEntry.objects.filter(action="update", actor=users["viewer"])
    assert ends.filter(content_type__model="signedinsession").count() == 3
    assert ends.filter(content_type__model="apitoken").count() == 1


@pytest.mark.django_db
def test_signing_out_everywhere_may_keep_the_tokens(users):
    here = sign_in("viewer1")
    secret = token_for(users["viewer"])
    response = here.post(
        reverse("accounts:sign_out_everywhere_own"), {"keep_tokens": "on"}, follow=True
    )
    assert "1 session ended; API tokens kept." in response.content.decode()
    assert not signed_in(here)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/org/departments/").status_code == 200


@pytest.mark.django_db
def test_administrators_sign_a_person_out_everywhere(users, client_for):
    staff = [sign_in("staff1"), sign_in("staff1")]
    secret = token_for(users["staff"])
    url = reverse("accounts:sign_out_everywhere", args=[users["staff"].pk])
    assert client_for("viewer").post(url).status_code == 403
    assert all(signed_in(c) for c in staff)
    admin = client_for("admin")
    response = admin.post(url, {"keep_tokens": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "accounts:user_detail", args=[users["staff"].pk]
    )
    assert "staff1: 2 sessions ended; API tokens kept." in response.content.decode()
    assert not any(signed_in(c) for c in staff)
    assert signed_in(admin)
    assert AuditEntry.objects.filter(content_type__model="signedinsession").count() == 2
    assert ApiToken.objects.get(prefix=secret[:12]).revoked_at is None
    admin.post(url)
    assert ApiToken.objects.get(prefix=secret[:12]).revoked_reason == "signed out everywhere"
    assert (
        client_for("admin").post(reverse("accounts:sign_out_everywhere", args=[99999])).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_session_changes_only_by_being_ended(users):
    from django.core.exceptions import ValidationError

    record = record_of(sign_in("viewer1"))
    with pytest.raises(ValidationError, match="cannot be changed once made"):
        services.update(users["admin"], record, {"owner": users["admin"]}, version=None)
    sessions.end(users["viewer"], record, "ended")
    record.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be resumed"):
        services.update(users["admin"], record, {"ended_at": None}, version=None)


@pytest.mark.django_db
def test_signing_out_ends_the_record(users):
    client = sign_in("viewer1")
    record = record_of(client)
    client.post(reverse("accounts:logout"))
    record.refresh_from_db()
    assert record.ended_reason == "signed out"
    assert not sessions.active(users["viewer"]).exists()


@pytest.mark.django_db
def test_records_of_long_unused_sessions_go_when_their_owner_signs_in(users):
    old = record_of(sign_in("viewer1"))
    age(old, last_seen_at=datetime.timedelta(days=sessions.KEEP_DAYS + 1))
    recent = record_of(sign_in("viewer1"))
    age(recent, last_seen_at=datetime.timedelta(days=sessions.KEEP_DAYS - 1))
    others = record_of(sign_in("staff1"))
    age(others, last_seen_at=datetime.timedelta(days=sessions.KEEP_DAYS + 1))
    sign_in("viewer1")
    assert not SignedInSession.objects.filter(pk=old.pk).exists()
    assert SignedInSession.objects.filter(pk__in=[recent.pk, others.pk]).count() == 2


@pytest.mark.django_db
def test_the_account_pages_queries_do_not_grow_with_tokens_and_sessions(users, client_for):
    client = sign_in("viewer1")
    admin = client_for("admin")
    viewer_page = reverse("accounts:user_detail", args=[users["viewer"].pk])

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as own:
            assert client.get(ACCOUNT).status_code == 200
        with CaptureQueriesContext(connection) as theirs:
            assert admin.get(viewer_page).status_code == 200
        return len(own), len(theirs)

    token_for(users["viewer"])
    few = counts()
    for i in range(30):
        token_for(users["viewer"], name=f"t{i}")
        sign_in("viewer1")
    assert counts() == few


@pytest.mark.django_db
def test_a_session_recorded_twice_at_once_keeps_one_record(users):
    """Two first requests of a session from before records were kept, side by side."""
    from django.test import RequestFactory

    client = sign_in("viewer1")
    record = record_of(client)
    request = RequestFactory().get("/")
    request.session = client.session
    del request.session[sessions.RECORD]
    assert sessions.start(request, users["viewer"]) == record
    assert request.session[sessions.RECORD] == record.pk
    assert SignedInSession.objects.count() == 1


# --- limits ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_idle_past_the_limit_is_sent_to_sign_in_with_a_reason(users):
    client = sign_in("viewer1")
    record = record_of(client)
    limit = sessions.limits().idle
    age(record, last_seen_at=limit - datetime.timedelta(minutes=2))
    assert signed_in(client)
    age(record_of(client), last_seen_at=limit + datetime.timedelta(minutes=1))
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=" + ACCOUNT
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 8 hours without activity. Sign in again." in page
    record.refresh_from_db()
    assert record.ended_reason == "limit reached"
    assert not signed_in(client)


@pytest.mark.django_db
def test_a_session_past_the_absolute_limit_ends_however_busy(users):
    client = sign_in("viewer1")
    record = record_of(client)
    age(record, created_at=sessions.limits().absolute + datetime.timedelta(minutes=1))
    response = client.get(ACCOUNT, follow=True)
    assert "sessions last at most 24 hours" in response.content.decode()
    assert not signed_in(client)


@pytest.mark.django_db
def test_the_api_answers_an_ended_session_with_401_in_json(users):
    client = sign_in("viewer1")
    assert client.get("/api/org/departments/").status_code == 200
    age(record_of(client), last_seen_at=datetime.timedelta(days=2))
    response = client.get("/api/org/departments/")
    assert response.status_code == 401 and "without activity" in response.json()["detail"]


@pytest.mark.django_db
def test_an_htmx_request_of_an_ended_session_is_redirected_whole(users):
    client = sign_in("viewer1")
    age(record_of(client), last_seen_at=datetime.timedelta(days=2))
    response = client.get(ACCOUNT, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_last_seen_is_written_at_most_once_a_minute(users):
    client = sign_in("viewer1")
    record = record_of(client)

    def writes() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(ACCOUNT).status_code == 200
        return sum(
            q["sql"].startswith("UPDATE") and "signedinsession" in q["sql"]
            for q in ctx.captured_queries
        )

    assert writes() == 0
    assert writes() == 0
    age(record, last_seen_at=datetime.timedelta(seconds=61))
    assert writes() == 1
    record.refresh_from_db()
    assert timezone.now() - record.last_seen_at < datetime.timedelta(seconds=5)
    assert writes() == 0


@pytest.mark.django_db
def test_a_session_from_before_records_were_kept_gets_one(users):
    client = Client()
    client.force_login(users["viewer"])
    SignedInSession.objects.all().delete()
    session = client.session
    del session[sessions.RECORD]
    session.save()
    assert signed_in(client)
    assert SignedInSession.objects.get().owner == users["viewer"]


@pytest.mark.django_db
def test_a_new_session_key_follows_its_record(users):
    """Django gives a session a new key (a new password kept signed in): same record."""
    client = sign_in("viewer1")
    record = record_of(client)
    session = client.session
    session.cycle_key()
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert signed_in(client)
    record.refresh_from_db()
    assert record.key_hash == sessions.key_hash(session.session_key)


# --- the policy --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_administrators_open_the_session_limits(client_for):
    url = reverse("accounts:session_policy")
    for role in ("staff", "liaison", "board", "viewer"):
        assert client_for(role).get(url).status_code == 403
        assert (
            client_for(role).post(url, {"idle_minutes": 5, "absolute_hours": 1}).status_code == 403
        )
    assert not SessionPolicy.objects.exists()
    page = client_for("admin").get(url).content.decode()
    assert 'value="480"' in page and 'value="24"' in page  # the settings' defaults


@pytest.mark.django_db
def test_administrators_set_the_limits_audited_and_they_apply_at_once(client_for, users):
    client = sign_in("viewer1")
    age(record_of(client), last_seen_at=datetime.timedelta(minutes=20))
    assert signed_in(client)
    url = reverse("accounts:session_policy")
    admin = client_for("admin")
    response = admin.post(url, {"idle_minutes": 15, "absolute_hours": 12})
    assert response.status_code == 302
    policy = SessionPolicy.objects.get()
    assert (policy.idle_minutes, policy.absolute_hours) == (15, 12)
    entry = AuditEntry.objects.get(content_type__model="sessionpolicy")
    assert entry.actor == users["admin"] and entry.after["idle_minutes"] == 15
    age(record_of(client), last_seen_at=datetime.timedelta(minutes=20))
    response = client.get(ACCOUNT, follow=True)
    assert "after 15 minutes without activity" in response.content.decode()
    admin.post(url, {"idle_minutes": 30, "absolute_hours": 12})
    assert SessionPolicy.objects.get().idle_minutes == 30
    assert AuditEntry.objects.filter(content_type__model="sessionpolicy").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"idle_minutes": 2, "absolute_hours": 8}, "between 5 and 1,440 minutes"),
        ({"idle_minutes": 2000, "absolute_hours": 8}, "between 5 and 1,440 minutes"),
        ({"idle_minutes": 60, "absolute_hours": 0}, "between 1 and 720 hours"),
        ({"idle_minutes": 60, "absolute_hours": 1000}, "between 1 and 720 hours"),
        ({"idle_minutes": 600, "absolute_hours": 2}, "cannot be shorter than the idle one"),
        ({"idle_minutes": "soon", "absolute_hours": 2}, "Enter a whole number"),
        ({"idle_minutes": "", "absolute_hours": 2}, "This field is required"),
        ({"idle_minutes": 10**30, "absolute_hours": 2}, "between 5 and 1,440"),
    ],
)
def test_the_limits_refuse_bad_values_with_a_reason(client_for, data, message):
    response = client_for("admin").post(reverse("accounts:session_policy"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SessionPolicy.objects.exists()


# --- a new password, a deactivated account ---------------------------------------------------


@pytest.mark.django_db
def test_a_new_password_on_ones_own_page_keeps_this_session_and_ends_the_others(users):
    here = sign_in("viewer1")
    other = sign_in("viewer1")
    new = "a-fresh-long-passphrase-31"
    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    # Django signs the others out itself (their sessions hold the old password's hash).
    assert signed_in(here) and not signed_in(other)
    assert [r.user_agent for r in sessions.active(users["viewer"])] == ["Firefox/128"]


@pytest.mark.django_db
def test_deactivating_an_account_ends_its_sessions_and_tokens_at_once(users, client_for):
    browsers = [sign_in("staff1"), sign_in("staff1")]
    secrets = [token_for(users["staff"], name=f"t{i}") for i in range(2)]
    other = token_for(users["viewer"])
    api = APIClient()
    with context.acting("web"):  # one request, as a page or the API would make
        services.update(users["admin"], users["staff"], {"is_active": False}, version=None)

    assert not SignedInSession.objects.filter(owner=users["staff"], ended_at__isnull=True).exists()
    assert not ApiToken.objects.filter(owner=users["staff"], revoked_at__isnull=True).exists()
    assert set(
        ApiToken.objects.filter(owner=users["staff"]).values_list("revoked_reason", flat=True)
    ) == {"account deactivated"}
    for secret in secrets:
        api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        assert api.get("/api/org/departments/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {other}")
    assert api.get("/api/org/departments/").status_code == 200
    assert not any(signed_in(c) for c in browsers)
    # Each ending is in history, in the same request as the change that caused it.
    change = AuditEntry.objects.get(content_type__model="user", action="update")
    ends = AuditEntry.objects.filter(
        content_type__model__in=["apitoken", "signedinsession"], action="update"
    )
    assert ends.count() == 4
    assert {e.request_id for e in ends} == {change.request_id}
    assert {e.actor_name for e in ends} == {"system"}


@pytest.mark.django_db
def test_deactivating_on_the_edit_page_ends_access_too(users, client_for):
    from townhall.accounts.tests.test_passwords import edit_post

    browser = sign_in("staff1")
    secret = token_for(users["staff"])
    response = client_for("admin").post(
        reverse("accounts:user_edit", args=[users["staff"].pk]),
        {**edit_post(users["staff"]), "is_active": ""},
    )
    assert response.status_code == 302
    assert not signed_in(browser)
    assert ApiToken.objects.get(prefix=secret[:12]).revoked_reason == "account deactivated"


@pytest.mark.django_db
def test_a_change_of_anything_else_leaves_sessions_and_tokens_alone(users):
    browser = sign_in("staff1")
    secret = token_for(users["staff"])
    services.update(users["admin"], users["staff"], {"first_name": "Sam"}, version=None)
    assert signed_in(browser)
    assert ApiToken.objects.get(prefix=secret[:12]).revoked_at is None
