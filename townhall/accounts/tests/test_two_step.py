"""Two-step sign-in: enrolment, the code after the password, recovery codes, the roles that
must use it, resets, and what the audit trail keeps."""

import datetime
import json

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from townhall.accounts import mfa
from townhall.accounts.models import (
    AuthenticatorApp,
    LoginFailure,
    RecoveryCode,
    SessionPolicy,
    SignInEvent,
)
from townhall.accounts.views import NEW_SECRET
from townhall.audit.models import AuditEntry
from townhall.conftest import PASSWORD

LOGIN = "accounts:login"
CODE = "accounts:sign_in_code"


def enrol(user):
    """Set up an app for `user` the way the page does; returns (secret, recovery codes)."""
    secret = pyotp.random_base32()
    codes = mfa.enrol(user, secret, pyotp.TOTP(secret).now())
    assert codes is not None
    # The enrolment code used this time step: let the tests sign in with the current one.
    AuthenticatorApp.objects.filter(owner=user).update(last_used_step=0)
    return secret, codes


def password_step(client, username="staff1", password=PASSWORD):
    return client.post(reverse(LOGIN), {"username": username, "password": password})


def signed_in(client) -> bool:
    return client.get(reverse("accounts:account")).status_code == 200


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_first_code(users, client_for):
    client = client_for("staff")
    page = client.get(reverse("accounts:mfa"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "QR code for your authenticator app" in html
    secret = client.session[NEW_SECRET]
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert page["Cache-Control"] == "no-store"

    wrong = client.post(reverse("accounts:mfa"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "does not match" in wrong.content.decode()
    assert not AuthenticatorApp.objects.exists()

    done = client.post(reverse("accounts:mfa"), {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert done["Cache-Control"] == "no-store"
    html = done.content.decode()
    kept = AuthenticatorApp.objects.get(owner=users["staff"]).totp_secret
    assert secret not in kept and mfa.APP_SECRETS.unseal(kept) == secret  # sealed, not plain
    shown = [c for c in RecoveryCode.objects.filter(owner=users["staff"])]
    assert len(shown) == 10
    assert html.count("<code>") == 10
    # Only hashes are kept: no code appears in the database as typed.
    for row in shown:
        assert row.code_hash not in html and len(row.code_hash) == 64


@pytest.mark.django_db
def test_the_session_is_not_signed_in_until_the_code_passes(users):
    secret, _ = enrol(users["staff"])
    client = Client()
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"] == reverse(CODE)
    assert not signed_in(client)
    assert client.get("/").status_code == 302
    response = client.post(reverse(CODE), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_the_code_step_needs_the_password_step_first(users):
    enrol(users["staff"])
    response = Client().post(reverse(CODE), {"code": "123456"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(LOGIN))


@pytest.mark.django_db
def test_the_password_step_expires(users):
    secret, _ = enrol(users["staff"])
    client = Client()
    password_step(client)
    session = client.session
    from townhall.accounts.views import PENDING

    pending = session[PENDING]
    pending["at"] -= 301
    session[PENDING] = pending
    session.save()
    response = client.post(reverse(CODE), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"].startswith(reverse(LOGIN))
    assert not signed_in(client)


@pytest.mark.django_db
def test_codes_of_the_steps_beside_are_accepted_and_further_ones_refused(users):
    secret, _ = enrol(users["staff"])
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    assert mfa.code_matches(secret, totp.at(now - datetime.timedelta(seconds=30))) is not None
    assert mfa.code_matches(secret, totp.at(now + datetime.timedelta(seconds=30))) is not None
    assert mfa.code_matches(secret, totp.at(now - datetime.timedelta(seconds=95))) is None
    assert mfa.code_matches(secret, "abcdef") is None
    assert mfa.code_matches(secret, "") is None


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_counted(users):
    enrol(users["staff"])
    client = Client()
    password_step(client)
    response = client.post(reverse(CODE), {"code": "000000"})
    assert response.status_code == 400
    assert "not right" in response.content.decode()
    assert not signed_in(client)
    assert LoginFailure.objects.filter(username="staff1").count() == 1
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.CODE_FAILED)
    assert event.user == users["staff"]


@pytest.mark.django_db
def test_a_code_is_accepted_once(users):
    secret, _ = enrol(users["staff"])
    code = pyotp.TOTP(secret).now()
    first = Client()
    password_step(first)
    assert first.post(reverse(CODE), {"code": code}).status_code == 302
    second = Client()
    password_step(second)
    response = second.post(reverse(CODE), {"code": code})
    assert response.status_code == 400
    assert not signed_in(second)


@pytest.mark.django_db
def test_a_recovery_code_works_once(users):
    _, codes = enrol(users["staff"])
    client = Client()
    password_step(client)
    response = client.post(reverse(CODE), {"code": codes[3].upper()}, follow=True)
    assert signed_in(client)
    assert "9 left" in response.content.decode()
    assert SignInEvent.objects.filter(kind=SignInEvent.Kind.RECOVERY_CODE).count() == 1
    again = Client()
    password_step(again)
    assert again.post(reverse(CODE), {"code": codes[3]}).status_code == 400
    assert not signed_in(again)
    assert mfa.codes_left(users["staff"]) == 9


@pytest.mark.django_db
def test_after_a_change_of_server_key_the_page_says_to_use_a_recovery_code(users, settings):
    secret, codes = enrol(users["staff"])
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]  # rotating, the old key kept: still checked
    kept = Client()
    password_step(kept)
    kept.post(reverse(CODE), {"code": pyotp.TOTP(secret).now()})
    assert signed_in(kept)
    AuthenticatorApp.objects.update(last_used_step=0)
    settings.SECRET_KEY_FALLBACKS = []  # the old key dropped too soon
    client = Client()
    password_step(client)
    refused = client.post(reverse(CODE), {"code": pyotp.TOTP(secret).now()})
    assert refused.status_code == 400 and not signed_in(client)
    assert "Use one of your recovery codes" in refused.content.decode()
    client.post(reverse(CODE), {"code": codes[0]})
    assert signed_in(client)


@pytest.mark.django_db
def test_secrets_enrolled_before_sealing_are_sealed_by_the_migration(users):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "townhall.accounts.migrations.0007_sealed_authenticator_secrets"
    )
    secret = pyotp.random_base32()
    mfa.enrol(users["staff"], secret, pyotp.TOTP(secret).now())
    AuthenticatorApp.objects.update(totp_secret=secret, last_used_step=0)  # as kept before
    migration.seal_plain_secrets(apps, None)
    kept = AuthenticatorApp.objects.get().totp_secret
    assert kept != secret and mfa.APP_SECRETS.unseal(kept) == secret
    migration.seal_plain_secrets(apps, None)  # run twice: sealed once only
    assert AuthenticatorApp.objects.get().totp_secret == kept
    client = Client()
    password_step(client)
    client.post(reverse(CODE), {"code": pyotp.TOTP(secret).now()})
    assert signed_in(client)
    migration.open_sealed_secrets(apps, None)
    assert AuthenticatorApp.objects.get().totp_secret == secret


@pytest.mark.django_db
def test_wrong_codes_are_throttled_like_wrong_passwords(users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    secret, _ = enrol(users["staff"])
    client = Client()
    password_step(client)
    for _ in range(3):
        assert client.post(reverse(CODE), {"code": "000000"}).status_code == 400
    response = client.post(reverse(CODE), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in(client)
    # The password step itself is refused now too.
    assert password_step(client).status_code == 429


@pytest.mark.django_db
def test_turning_off_and_new_codes_need_the_password(users, client_for):
    _, codes = enrol(users["staff"])
    client = client_for("staff")
    wrong = client.post(reverse("accounts:mfa_codes"), {"codes-password": "nope"})
    assert wrong.status_code == 400
    assert "not your password" in wrong.content.decode()
    new = client.post(reverse("accounts:mfa_codes"), {"codes-password": PASSWORD})
    assert new.status_code == 200 and new.content.decode().count("<code>") == 10
    old = RecoveryCode.objects.filter(owner=users["staff"], code_hash=mfa._hash(codes[0]))
    assert not old.exists()

    assert client.post(reverse("accounts:mfa_off"), {"off-password": "nope"}).status_code == 400
    assert AuthenticatorApp.objects.filter(owner=users["staff"]).exists()
    assert client.post(reverse("accounts:mfa_off"), {"off-password": PASSWORD}).status_code == 302
    assert not AuthenticatorApp.objects.filter(owner=users["staff"]).exists()
    assert not RecoveryCode.objects.filter(owner=users["staff"]).exists()
    # Signing in takes the password alone again.
    fresh = Client()
    assert password_step(fresh)["Location"] == "/"


@pytest.mark.django_db
def test_a_role_that_must_use_it_enrols_before_anything_else(users, client_for):
    admin = client_for("admin")
    response = admin.post(reverse("accounts:mfa_roles"), {"mfa_roles": ["staff", "board"]})
    assert response.status_code == 302
    assert SessionPolicy.objects.get(pk=1).mfa_roles == ["board", "staff"]

    client = Client()
    response = password_step(client)
    assert response["Location"] == reverse("accounts:mfa")
    for path in ["/", reverse("accounts:account"), reverse("accounts:session_policy")]:
        answer = client.get(path)
        assert answer.status_code == 302 and answer["Location"] == reverse("accounts:mfa")
    api = client.get("/api/")
    assert api.status_code == 403
    assert "two-step" in json.loads(api.content)["detail"]
    page = client.get(reverse("accounts:mfa"))
    assert page.status_code == 200
    secret = client.session[NEW_SECRET]
    client.post(reverse("accounts:mfa"), {"code": pyotp.TOTP(secret).now()})
    assert client.get("/").status_code == 200

    # Viewers are not asked.
    viewer = Client()
    assert password_step(viewer, "viewer1")["Location"] == "/"
    # Nor may such a person turn it off.
    refused = client.post(reverse("accounts:mfa_off"), {"off-password": PASSWORD})
    assert refused.status_code == 400
    assert AuthenticatorApp.objects.filter(owner=users["staff"]).exists()


@pytest.mark.django_db
def test_only_administrators_choose_the_roles(users, client_for):
    response = client_for("staff").post(reverse("accounts:mfa_roles"), {"mfa_roles": ["staff"]})
    assert response.status_code == 403
    bad = client_for("admin").post(reverse("accounts:mfa_roles"), {"mfa_roles": ["king"]})
    assert bad.status_code == 400
    assert not SessionPolicy.objects.exists()


@pytest.mark.django_db
def test_an_administrator_resets_a_lost_phone(users, client_for):
    enrol(users["staff"])
    assert client_for("staff").post(
        reverse("accounts:mfa_reset", args=[users["staff"].pk])
    ).status_code in (403, 404)
    admin = client_for("admin")
    page = admin.get(reverse("accounts:user_detail", args=[users["staff"].pk]))
    assert b"Reset two-step sign-in" in page.content
    response = admin.post(reverse("accounts:mfa_reset", args=[users["staff"].pk]))
    assert response.status_code == 302
    assert not AuthenticatorApp.objects.filter(owner=users["staff"]).exists()
    assert not RecoveryCode.objects.filter(owner=users["staff"]).exists()
    entry = AuditEntry.objects.filter(
        object_repr="Authenticator app of staff1", action=AuditEntry.Action.DELETE
    ).get()
    assert entry.actor == users["admin"]
    assert password_step(Client())["Location"] == "/"


@pytest.mark.django_db
def test_the_audit_trail_keeps_sign_ins_failures_and_enrolment_without_secrets(users):
    secret, codes = enrol(users["staff"])
    client = Client()
    password_step(client, password="wrong")
    password_step(client)
    client.post(reverse(CODE), {"code": "000000"})
    client.post(reverse(CODE), {"code": pyotp.TOTP(secret).now()})
    kinds = list(SignInEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["password_failed", "code_failed", "signed_in"]
    assert SignInEvent.objects.get(kind="signed_in").method == "password and code"
    audited = AuditEntry.objects.filter(object_repr__startswith="Signed in: staff1")
    assert audited.count() == 1
    enrolled = AuditEntry.objects.get(object_repr="Authenticator app of staff1")
    assert enrolled.action == AuditEntry.Action.CREATE
    everything = json.dumps(list(AuditEntry.objects.values("before", "after")))
    assert secret not in everything
    assert "totp_secret" not in everything and "code_hash" not in everything
    for code in codes:
        assert code not in everything and mfa._hash(code) not in everything


@pytest.mark.django_db
def test_api_tokens_are_not_asked_for_a_code(users, client_for):
    from townhall.accounts.services import token_for

    enrol(users["staff"])
    client_for("admin").post(reverse("accounts:mfa_roles"), {"mfa_roles": ["staff"]})
    secret = token_for(users["staff"])
    response = Client().get("/api/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_bad_input_gets_a_message_not_an_error(users, client_for):
    enrol(users["staff"])
    client = Client()
    password_step(client)
    for code in ["", "x" * 500, "\u00e9\u00e9\u00e9", "12345678901"]:
        response = client.post(reverse(CODE), {"code": code})
        assert response.status_code == 400
    admin = client_for("admin")
    assert admin.post(reverse("accounts:mfa_reset", args=[999999])).status_code == 404
    assert admin.get(reverse("accounts:mfa_roles")).status_code == 302


@pytest.mark.django_db
def test_a_break_glass_sign_in_with_a_code_is_kept(users, settings):
    from townhall.signin.models import BreakGlassSignIn

    settings.TOWNHALL_PASSWORD_SIGN_IN = False
    settings.TOWNHALL_BREAK_GLASS_USERNAME = "admin1"
    secret, _ = enrol(users["admin"])
    client = Client()
    password_step(client, "admin1")
    assert not BreakGlassSignIn.objects.exists()  # not signed in yet
    client.post(reverse(CODE), {"code": pyotp.TOTP(secret).now()})
    assert signed_in(client)
    assert BreakGlassSignIn.objects.get().user == users["admin"]


@pytest.mark.django_db
def test_administrators_read_sign_ins_in_the_audit_log_and_others_do_not(users, client_for):
    secret, _ = enrol(users["staff"])
    client = Client()
    password_step(client, password="wrong")
    password_step(client)
    client.post(reverse(CODE), {"code": pyotp.TOTP(secret).now()})
    log = client_for("admin").get(reverse("audit:list")).content.decode()
    assert "Signed in: staff1" in log and "Sign-in refused at the password: staff1" in log
    assert "Authenticator app of staff1" in log
    theirs = client.get(reverse("audit:list")).content.decode()
    assert "Signed in: staff1" not in theirs
    # Once set up, the key is never shown again.
    assert secret not in client.get(reverse("accounts:mfa")).content.decode()


@pytest.mark.django_db
def test_holding_a_person_on_the_set_up_page_reads_nothing(users, rf, django_assert_num_queries):
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.http import HttpResponse

    from townhall.accounts.middleware import EnrolFirstMiddleware
    from townhall.accounts.views import ENROL_FIRST

    middleware = EnrolFirstMiddleware(lambda request: HttpResponse("page"))
    for flagged in (False, True):
        request = rf.get("/estate/")
        request.session = SessionStore()
        request.session[ENROL_FIRST] = flagged
        request._messages = type("Messages", (), {"add": lambda *a, **k: None})()
        with django_assert_num_queries(0):
            response = middleware(request)
        assert response.status_code == (302 if flagged else 200)


@pytest.mark.django_db
def test_the_command_line_resets_it_when_no_administrator_can_sign_in(users):
    from io import StringIO

    from django.core.management import CommandError, call_command

    enrol(users["admin"])
    out = StringIO()
    call_command("two_step", "status", username="admin1", stdout=out)
    assert "is on; 10 recovery codes left; 0 passkeys" in out.getvalue()
    call_command("two_step", "reset", username="admin1", stdout=out)
    assert "admin1: two-step sign-in was reset." in out.getvalue()
    assert not AuthenticatorApp.objects.exists()
    entry = AuditEntry.objects.get(
        object_repr="Authenticator app of admin1", action=AuditEntry.Action.DELETE
    )
    assert entry.via == "cli"
    with pytest.raises(CommandError, match="No user named"):
        call_command("two_step", "reset", username="nobody")
