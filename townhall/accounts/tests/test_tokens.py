"""API tokens: kept hashed, shown once, scoped, expiring, revocable, several per person."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from townhall.accounts import tokens
from townhall.accounts.models import ApiToken, LoginFailure, User
from townhall.accounts.services import token_for
from townhall.audit.models import AuditEntry
from townhall.conftest import make_user
from townhall.core import context, permissions

LIST = "/api/org/departments/"


def api(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def later(days: int = 30) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@pytest.mark.django_db
def test_only_a_hash_of_the_secret_is_kept_and_history_holds_neither(users):
    token, secret = tokens.create(
        users["staff"], users["staff"], name="Nightly sync", scope="read", expires_at=later()
    )
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(row)
    assert row["prefix"] == secret[:12]
    assert row["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    entry = AuditEntry.objects.get(content_type__model="apitoken", action="create")
    assert entry.actor == users["staff"]
    assert "secret_hash" not in entry.after and secret not in str(entry.after)
    assert entry.after["name"] == "Nightly sync" and entry.after["scope"] == "read"


@pytest.mark.django_db
def test_a_person_holds_several_tokens_each_working_on_its_own(users):
    first = token_for(users["staff"], name="One")
    second = token_for(users["staff"], name="Two")
    assert api(first).get(LIST).status_code == 200
    assert api(second).get(LIST).status_code == 200
    tokens.revoke(users["staff"], ApiToken.objects.get(name="One"))
    assert api(first).get(LIST).status_code == 401
    assert api(second).get(LIST).status_code == 200


@pytest.mark.django_db
def test_a_read_only_token_reads_and_is_refused_any_change(users):
    read = token_for(users["staff"], scope="read")
    write = token_for(users["staff"], scope="write")
    assert api(read).get(LIST).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(api(read), method)(LIST, {"name": "Parks", "code": "PK"}, format="json")
        assert response.status_code == 403, method
        assert "read-only" in response.json()["detail"]
    created = api(write).post(LIST, {"name": "Parks", "code": "PK"}, format="json")
    assert created.status_code == 201
    assert AuditEntry.objects.filter(object_repr__contains="Parks", via="api").exists()


@pytest.mark.django_db
def test_a_write_token_does_no_more_than_its_owners_role(users):
    secret = token_for(users["viewer"], scope="write")
    response = api(secret).post(LIST, {"name": "Parks", "code": "PK"}, format="json")
    assert response.status_code == 403


@pytest.mark.django_db
def test_expired_revoked_and_unknown_tokens_are_refused_with_a_reason(users):
    expired = token_for(users["staff"], name="Old sync")
    ApiToken.objects.filter(name="Old sync").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    revoked = token_for(users["staff"], name="Leaked")
    tokens.revoke(users["admin"], ApiToken.objects.get(name="Leaked"))

    answer = api(expired).get(LIST)
    assert answer.status_code == 401 and "expired" in answer.json()["detail"]
    assert "Old sync" in answer.json()["detail"]
    answer = api(revoked).get(LIST)
    assert answer.status_code == 401 and "was revoked" in answer.json()["detail"]
    assert not LoginFailure.objects.exists()  # known tokens: not guesses
    for guess in ("x" * 43, revoked[:12] + "y" * 31, "short", revoked[:12] + "\x00é"):
        answer = api(guess).get(LIST)
        assert (
            answer.status_code == 401 and answer.json()["detail"] == "This API token is not valid."
        )
    assert LoginFailure.objects.count() == 4
    assert api("two parts").get(LIST).status_code == 401


@pytest.mark.django_db
def test_a_deactivated_owners_token_is_refused(users):
    secret = token_for(users["staff"])
    User.objects.filter(pk=users["staff"].pk).update(is_active=False)  # behind the write path
    answer = api(secret).get(LIST)
    assert answer.status_code == 401 and "deactivated" in answer.json()["detail"]


@pytest.mark.django_db
def test_last_use_is_written_at_most_once_a_minute(users):
    secret = token_for(users["staff"])
    token = ApiToken.objects.get()
    assert token.last_used_at is None

    def updates() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api(secret).get(LIST).status_code == 200
        return sum(q["sql"].startswith("UPDATE") for q in ctx.captured_queries)

    assert updates() == 1
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert updates() == 0
    assert updates() == 0
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    assert updates() == 1


@pytest.mark.django_db
def test_the_apis_queries_do_not_grow_with_the_number_of_tokens(users):
    secret = token_for(users["staff"])
    api(secret).get(LIST)  # its last use written

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api(secret).get(LIST).status_code == 200
        return len(ctx)

    few = count()
    people = [make_user(f"p{i}", "viewer") for i in range(20)]
    for person in people:
        for n in range(10):
            token_for(person, name=f"t{n}")
    assert ApiToken.objects.count() == 201
    assert count() == few


@pytest.mark.django_db
def test_people_see_and_revoke_their_own_tokens_administrators_anyones(users):
    mine = tokens.create(
        users["staff"], users["staff"], name="A", scope="read", expires_at=later()
    )[0]
    theirs = tokens.create(
        users["viewer"], users["viewer"], name="B", scope="read", expires_at=later()
    )[0]
    visible = permissions.restrict(ApiToken.objects.all(), users["staff"], "view")
    assert list(visible) == [mine]
    everyone = permissions.restrict(ApiToken.objects.all(), users["admin"], "change")
    assert set(everyone) == {mine, theirs}
    with pytest.raises(PermissionDenied):
        tokens.revoke(users["staff"], theirs)
    tokens.revoke(users["admin"], theirs)
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None
    entry = AuditEntry.objects.get(content_type__model="apitoken", action="update")
    assert entry.actor == users["admin"] and entry.after["revoked_at"]


@pytest.mark.django_db
def test_nobody_makes_a_token_for_someone_else_but_an_administrator(users):
    with pytest.raises(PermissionDenied):
        tokens.create(users["staff"], users["viewer"], name="X", scope="read", expires_at=later())
    token, _ = tokens.create(
        users["admin"], users["viewer"], name="X", scope="read", expires_at=later()
    )
    assert token.owner == users["viewer"]


@pytest.mark.django_db
def test_a_revoked_token_cannot_be_brought_back(users):
    token = tokens.create(
        users["staff"], users["staff"], name="A", scope="read", expires_at=later()
    )[0]
    tokens.revoke(users["staff"], token)
    from townhall.core import services

    token.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update(users["admin"], token, {"revoked_at": None}, version=None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"scope": "write"},
        {"expires_at": later(300)},
        {"name": "Other"},
        {"owner": "viewer"},
    ],
)
def test_a_token_changes_only_by_being_revoked(users, change):
    from townhall.core import services

    token = tokens.create(
        users["staff"], users["staff"], name="A", scope="read", expires_at=later()
    )[0]
    if "owner" in change:
        change = {"owner": users["viewer"]}
    with pytest.raises(ValidationError, match="cannot be changed once made"):
        services.update(users["staff"], token, change, version=None)
    fresh = ApiToken.objects.get()
    assert (fresh.scope, fresh.name, fresh.owner) == ("read", "A", users["staff"])


@pytest.mark.django_db
@pytest.mark.parametrize("days", [-1, 0, tokens.MAX_DAYS + 2])
def test_an_expiry_must_be_in_the_future_and_not_too_far(users, days):
    with pytest.raises(ValidationError):
        tokens.create(
            users["staff"], users["staff"], name="A", scope="read", expires_at=later(days)
        )
    assert not ApiToken.objects.exists()


# --- the account page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_account_page_makes_a_token_and_shows_its_secret_once(client_for, users):
    client = client_for("viewer")
    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("accounts:token_create"),
        {"name": "Dashboard feed", "scope": "read", "expires_at": day},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    page = response.content.decode()
    secret = page.split('id="token-secret" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith(token.prefix) and len(secret) == 43
    assert tokens.hash_secret(secret) == token.secret_hash
    assert token.owner == users["viewer"] and token.scope == "read"
    assert timezone.localtime(token.expires_at).date().isoformat() == day
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Dashboard feed" in account and secret not in account
    assert api(secret).get(LIST).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "scope": "read", "expires_at": "+30"}, "This field is required"),
        ({"name": "A", "scope": "admin", "expires_at": "+30"}, "Select a valid choice"),
        ({"name": "A", "scope": "read", "expires_at": "-1"}, "in the future"),
        ({"name": "A", "scope": "read", "expires_at": "+400"}, "at most 366 days"),
        ({"name": "A", "scope": "read", "expires_at": "not a date"}, "Enter a valid date"),
        ({"name": "A\x00", "scope": "read", "expires_at": "+30"}, "Null characters"),
    ],
)
def test_the_account_page_refuses_a_bad_token_with_a_reason(client_for, data, message):
    value = data["expires_at"]
    if value[0] in "+-":
        data = {
            **data,
            "expires_at": (timezone.localdate() + datetime.timedelta(days=int(value))).isoformat(),
        }
    response = client_for("viewer").post(reverse("accounts:token_create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_administrators_see_and_revoke_a_persons_tokens_on_their_page(client_for, users):
    token_for(users["staff"], name="Inventory sync")
    token = ApiToken.objects.get()
    admin = client_for("admin")
    page = admin.get(reverse("accounts:user_detail", args=[users["staff"].pk])).content.decode()
    assert "Inventory sync" in page and token.prefix in page
    response = admin.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[users["staff"].pk])
    token.refresh_from_db()
    assert token.revoked_at is not None
    again = admin.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "was already revoked" in again.content.decode()


# --- the command line -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_token_command_makes_lists_and_revokes(users):
    out = io.StringIO()
    call_command(
        "token", "create", username="staff1", name="Sync", scope="write", days=7, stdout=out
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.scope == "write" and token.name == "Sync"
    assert (token.expires_at - timezone.now()).days == 6
    assert AuditEntry.objects.get(content_type__model="apitoken").via == "cli"
    out = io.StringIO()
    call_command("token", "list", username="staff1", stdout=out)
    assert f"{token.prefix}…  Sync  Read and write" in out.getvalue()
    assert "Active" in out.getvalue()
    call_command("token", "create", username="staff1", name="Other", stdout=io.StringIO())
    assert ApiToken.objects.get(name="Other").scope == "read"  # the least by default
    out = io.StringIO()
    call_command("token", "revoke", username="staff1", all=True, stdout=out)
    assert "Revoked 2 of staff1's API tokens." in out.getvalue()
    assert api(secret).get(LIST).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"action": "create"}, "Give the token a name"),
        ({"action": "create", "name": "A", "days": 0}, "between 1 and 366"),
        ({"action": "create", "name": "A", "days": 400}, "between 1 and 366"),
        ({"action": "revoke"}, "Say which token"),
        ({"action": "create", "name": "A", "username": "nobody"}, "No user named"),
    ],
)
def test_the_token_command_refuses_with_a_reason(users, options, message):
    options = {"username": "staff1", **options}
    with pytest.raises(CommandError, match=message):
        call_command("token", options.pop("action"), **options)


@pytest.mark.django_db
def test_a_deactivated_account_gets_no_new_token(users):
    User.objects.filter(pk=users["staff"].pk).update(is_active=False)
    users["staff"].refresh_from_db()
    with pytest.raises(CommandError, match="deactivated"):
        call_command("token", "create", username="staff1", name="A")


# --- tokens from before -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_tokens_from_before_keep_working_hashed_and_the_plain_table_goes(users):
    """The migration that carries DRF's plain-text tokens over, run on such a table."""
    import importlib

    from django.apps import apps as global_apps

    migration = importlib.import_module("townhall.accounts.migrations.0004_tokens_from_before")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    created = timezone.now() - datetime.timedelta(days=100)
    with connection.schema_editor() as editor:
        editor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "user_id bigint NOT NULL, created timestamp with time zone NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "user_id bigint NOT NULL, created datetime NOT NULL)"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO authtoken_token (key, user_id, created) VALUES (%s, %s, %s)",
            [old_key, users["staff"].pk, created],
        )
    # The app's own models (the migration's are plain) save only on the write path.
    with context.writing(), connection.schema_editor() as editor:
        migration.carry_over(global_apps, editor)

    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get()
    assert token.name == "Token from before" and token.scope == "write"
    assert token.owner == users["staff"] and old_key not in str(ApiToken.objects.values().get())
    assert abs(
        (token.expires_at - timezone.now()) - datetime.timedelta(days=365)
    ) < datetime.timedelta(minutes=5)
    assert abs(token.created_at - created) < datetime.timedelta(seconds=1)
    assert api(old_key).get(LIST).status_code == 200
    # Run again (no table any more): nothing happens.
    with context.writing(), connection.schema_editor() as editor:
        migration.carry_over(global_apps, editor)
    assert ApiToken.objects.count() == 1


def test_the_old_token_app_is_gone():
    from django.conf import settings

    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
