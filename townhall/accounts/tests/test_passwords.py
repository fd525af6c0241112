"""Passwords: one policy on every door, a change is never dropped, and it revokes the tokens."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from townhall.accounts import services as accounts
from townhall.accounts.models import ApiToken, Role, User
from townhall.audit.models import AuditEntry
from townhall.conftest import PASSWORD, make_user
from townhall.core import services

NEW = "a-fresh-long-passphrase-31"


def edit_post(person: User, **changes: object) -> dict:
    values = {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "role": person.role,
        "department": person.department_id or "",
        "is_active": "on" if person.is_active else "",
        "password": "",
    }
    values.update(changes)
    return values


def signs_in(username: str, password: str) -> bool:
    return Client().login(username=username, password=password)


def api_for(user: User) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.django_db
def test_administrator_changes_only_the_password_on_the_edit_page(client_for, users):
    viewer = users["viewer"]
    client = client_for("admin")
    url = reverse("accounts:user_edit", args=[viewer.pk])
    response = client.post(url, edit_post(viewer, password=NEW), follow=True)
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    assert signs_in("viewer1", NEW)
    assert not signs_in("viewer1", PASSWORD)
    entry = AuditEntry.objects.filter(object_id=str(viewer.pk), action="update").get()
    assert entry.after["password"] == "changed" and "password" not in (entry.before or {})
    assert User.objects.get(pk=viewer.pk).password not in str(entry.after)


@pytest.mark.django_db
def test_api_patch_of_the_password_changes_it(users):
    viewer = users["viewer"]
    response = api_for(users["admin"]).patch(
        f"/api/accounts/users/{viewer.pk}/", {"password": NEW}, format="json"
    )
    assert response.status_code == 200, response.content
    assert "password" not in response.json()
    assert signs_in("viewer1", NEW)
    assert not signs_in("viewer1", PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["short", "password123", "12345678901"])
def test_api_applies_the_password_policy(users, departments, weak):
    api = api_for(users["admin"])
    response = api.post(
        "/api/accounts/users/",
        {"username": "newperson", "role": "viewer", "password": weak},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["password"]
    assert not User.objects.filter(username="newperson").exists()
    viewer = users["viewer"]
    response = api.patch(f"/api/accounts/users/{viewer.pk}/", {"password": weak}, format="json")
    assert response.status_code == 400
    assert response.json()["password"]
    assert signs_in("viewer1", PASSWORD)


@pytest.mark.django_db
def test_api_new_account_needs_a_password(users):
    response = api_for(users["admin"]).post(
        "/api/accounts/users/", {"username": "nopass", "role": "viewer"}, format="json"
    )
    assert response.status_code == 400 and response.json()["password"]


@pytest.mark.django_db
def test_the_write_path_applies_the_policy_whatever_the_door(users):
    with pytest.raises(ValidationError) as caught:
        services.create(users["admin"], User, {"username": "x1", "password": "password123"})
    assert "password" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.update(users["admin"], users["viewer"], {"password": "short"}, version=None)
    # Rules comparing the password with the account's other values see the new ones.
    with pytest.raises(ValidationError) as caught:
        services.update(
            users["admin"],
            users["viewer"],
            {"email": "harriet.longbottom@example.gov", "password": "harriet.longbottom"},
            version=None,
        )
    assert "too similar" in " ".join(caught.value.message_dict["password"])
    assert signs_in("viewer1", PASSWORD)


@pytest.mark.django_db
def test_own_password_change_on_the_edit_page_keeps_the_session(client_for, users):
    client = client_for("admin")
    admin = users["admin"]
    response = client.post(
        reverse("accounts:user_edit", args=[admin.pk]), edit_post(admin, password=NEW)
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:user_list")).status_code == 200  # still signed in
    assert signs_in("admin1", NEW)


# --- tokens ------------------------------------------------------------------------------------


def token_works(key: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/org/departments/").status_code == 200


@pytest.mark.django_db
def test_a_new_password_revokes_the_token_through_every_door(client_for, users, monkeypatch):
    viewer = users["viewer"]

    def fresh_token() -> str:
        key = accounts.token_for(viewer)
        assert token_works(key)
        return key

    # The administrator's edit page.
    key = fresh_token()
    client_for("admin").post(
        reverse("accounts:user_edit", args=[viewer.pk]), edit_post(viewer, password=NEW)
    )
    assert not token_works(key)
    # The API.
    key = fresh_token()
    api_for(users["admin"]).patch(
        f"/api/accounts/users/{viewer.pk}/", {"password": NEW + "x"}, format="json"
    )
    assert not token_works(key)
    # The person's own password page.
    key = fresh_token()
    client = Client()
    viewer.refresh_from_db()
    client.force_login(viewer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": NEW + "x", "new_password1": NEW + "y", "new_password2": NEW + "y"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert not token_works(key)
    # The command line (Django's changepassword).
    key = fresh_token()
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: NEW + "z")
    call_command("changepassword", "viewer1", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert signs_in("viewer1", NEW + "z")
    assert not token_works(key)
    # A change of anything else leaves the token alone.
    key = fresh_token()
    services.update(users["admin"], viewer, {"first_name": "Vic"}, version=None)
    assert token_works(key)


@pytest.mark.django_db
def test_people_revoke_their_own_token_on_their_account_page(users):
    key = accounts.token_for(users["viewer"], name="Sync")
    token = ApiToken.objects.get(owner=users["viewer"])
    client = Client()
    client.force_login(users["viewer"])
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Sync" in page and token.prefix in page and key not in page
    url = reverse("accounts:token_revoke", args=[token.pk])
    response = client.post(url, follow=True)
    assert "The token “Sync” was revoked" in response.content.decode()
    assert not token_works(key)
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_administrators_revoke_anyones_token_and_nobody_else_does(client_for, users):
    key = accounts.token_for(users["staff"])
    url = reverse("accounts:token_revoke", args=[ApiToken.objects.get().pk])
    for role in ("liaison", "board", "viewer"):
        assert client_for(role).post(url).status_code == 404  # not theirs to see
    assert token_works(key)
    admin = client_for("admin")
    page = admin.get(reverse("accounts:user_detail", args=[users["staff"].pk])).content.decode()
    assert 'Revoke<span class="usa-sr-only"> the token API token' in page
    assert admin.post(url).status_code == 302
    assert not token_works(key)


@pytest.mark.django_db
def test_token_revoke_command(users, capsys):
    key = accounts.token_for(users["staff"], name="Sync")
    call_command("token", "revoke", username="staff1", name="Sync")
    assert "Revoked staff1's API token Sync" in capsys.readouterr().out
    assert not token_works(key)
    call_command("token", "revoke", username="staff1", name="Sync")
    assert "has no such API token in use" in capsys.readouterr().out
    assert ApiToken.objects.get().revoked_reason == "revoked from the command line"


# --- administrators and their own account ----------------------------------------------------


@pytest.mark.django_db
def test_administrator_cannot_delete_their_own_account(client_for, users):
    admin = users["admin"]
    api = api_for(admin)
    response = api.delete(f"/api/accounts/users/{admin.pk}/")
    assert response.status_code == 403
    assert "cannot delete your own account" in response.json()["detail"]
    client = client_for("admin")
    detail = client.get(reverse("accounts:user_detail", args=[admin.pk])).content.decode()
    assert reverse("accounts:user_delete", args=[admin.pk]) not in detail
    response = client.post(reverse("accounts:user_delete", args=[admin.pk]))
    assert response.status_code == 403
    assert User.objects.filter(pk=admin.pk).exists()
    # Another administrator may.
    other = make_user("admin2", Role.ADMIN)
    assert api_for(other).delete(f"/api/accounts/users/{admin.pk}/").status_code == 204
    assert not User.objects.filter(pk=admin.pk).exists()


@pytest.mark.django_db
def test_administrator_cannot_demote_or_deactivate_themselves(users):
    admin = users["admin"]
    api = api_for(admin)
    url = f"/api/accounts/users/{admin.pk}/"
    response = api.patch(url, {"role": "viewer"}, format="json")
    assert response.status_code == 400 and "administrator role" in response.json()["role"][0]
    response = api.patch(url, {"is_active": False}, format="json")
    assert response.status_code == 400 and "deactivate" in response.json()["is_active"][0]
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.is_active


@pytest.mark.django_db
def test_the_same_password_hashed_again_keeps_the_token(users, settings):
    """Signing in re-hashes a password kept with an older hasher: not a new password."""
    key = accounts.token_for(users["viewer"])
    old_hash = User.objects.get(pk=users["viewer"].pk).password
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert signs_in("viewer1", PASSWORD)
    assert User.objects.get(pk=users["viewer"].pk).password != old_hash  # upgraded
    assert token_works(key)


@pytest.mark.django_db
def test_ones_own_password_change_is_audited_without_the_hash(users):
    """The password page changes the password through the write path: anyone may change
    their own, the history names them and says only that it changed."""
    viewer = users["viewer"]
    client = Client()
    client.force_login(viewer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert signs_in("viewer1", NEW)
    entry = AuditEntry.objects.filter(content_type__model="user", object_id=str(viewer.pk)).latest(
        "pk"
    )
    assert (entry.action, entry.actor, entry.after["password"]) == ("update", viewer, "changed")
    viewer.refresh_from_db()
    assert "password" not in entry.before
    assert viewer.password not in str(entry.before) + str(entry.after)
    # Still signed in on this browser, and the policy is the write path's too.
    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": NEW, "new_password1": "viewer1", "new_password2": "viewer1"},
    )
    assert weak.status_code == 200 and signs_in("viewer1", NEW)


@pytest.mark.django_db
def test_the_own_password_verb_changes_only_ones_own_password(users):
    with pytest.raises(PermissionDenied):
        services.set_own_password(AnonymousUser(), NEW)
    with pytest.raises(ValidationError):
        services.set_own_password(users["viewer"], "short")
    assert services.set_own_password(users["viewer"], NEW).check_password(NEW)
