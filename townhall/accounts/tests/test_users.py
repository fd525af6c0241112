"""Administrators manage accounts; nobody else sees them."""

import pytest
from django.test import Client
from django.urls import reverse

from townhall.accounts.models import User
from townhall.audit.models import AuditEntry


@pytest.mark.django_db
def test_only_administrators_see_and_manage_users(client_for, users, departments):
    for role in ("staff", "liaison", "board", "viewer"):
        client = client_for(role)
        assert client.get(reverse("accounts:user_list")).status_code == 200
        assert b"admin1" not in client.get(reverse("accounts:user_list")).content
        assert (
            client.get(reverse("accounts:user_detail", args=[users["admin"].pk])).status_code == 404
        )
        assert client.get(reverse("accounts:user_add")).status_code == 403
    admin = client_for("admin")
    response = admin.post(
        reverse("accounts:user_add"),
        {
            "username": "newperson",
            "role": "liaison",
            "department": departments["FIN"].pk,
            "is_active": "on",
            "password": "long-enough-pass-42",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person = User.objects.get(username="newperson")
    assert person.check_password("long-enough-pass-42")
    entry = AuditEntry.objects.get(object_id=str(person.pk), object_repr="newperson")
    assert "password" not in entry.after  # never copied into history
    assert Client().login(username="newperson", password="long-enough-pass-42")


@pytest.mark.django_db
def test_user_api_never_returns_password(users):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(users["admin"])
    body = api.get("/api/accounts/users/").json()
    assert body["count"] == 6
    assert all("password" not in row for row in body["results"])
    api.force_authenticate(users["staff"])
    assert api.get("/api/accounts/users/").json()["count"] == 0
