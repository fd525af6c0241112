"""Entra ID's multi-tenant endpoints: the discovery document names `{tenantid}`, and only
the tenants the administrator listed are let in."""

import pytest
from django.test import Client

from townhall.accounts.models import Role
from townhall.conftest import make_user
from townhall.core import context, services
from townhall.signin import config
from townhall.signin.models import GroupMapping, SignInRefusal
from townhall.signin.tests.conftest import PROVIDER_ID, person, sign_in
from townhall.signin.tests.provider import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db
OURS = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def multi_tenant(provider, settings, departments):
    provider.multi_tenant = True
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(
                PROVIDER_ID,
                name="Entra ID",
                issuer=f"{provider.issuer}/organizations/v2.0",
                client_id=CLIENT_ID,
                secret=CLIENT_SECRET,
                tenants=[OURS],
            )
        ]
    )
    with context.acting("system"):
        services.create(context.SYSTEM, GroupMapping, {"group": "IT-Staff", "role": Role.STAFF})
    user = make_user("pat", Role.VIEWER)
    with context.writing():
        user.email = "pat@county.example"
        user.save()
    return provider


def test_a_listed_tenant_signs_in(multi_tenant):
    multi_tenant.person = person(tid=OURS, groups=["IT-Staff"])
    response = sign_in(Client())
    assert response.status_code == 302, response.content


def test_another_tenant_is_refused(multi_tenant):
    multi_tenant.person = person(tid="99999999-0000-0000-0000-000000000000", groups=["IT-Staff"])
    response = sign_in(Client())
    assert response.status_code == 403
    assert "is not one this Townhall accepts" in response.content.decode()
    assert SignInRefusal.objects.get().reason == SignInRefusal.Reason.WRONG_ISSUER


def test_a_discovery_document_for_another_issuer_is_refused(provider, settings, departments):
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(
                PROVIDER_ID,
                name="County ID",
                issuer=f"{provider.issuer}/elsewhere",
                client_id=CLIENT_ID,
                secret=CLIENT_SECRET,
            )
        ]
    )
    provider.person = person(groups=["IT-Staff"])
    response = sign_in(Client())
    assert response.status_code == 403
    assert "not the configured" in response.content.decode()
