"""Single sign-on is not asked for a two-step code (the provider asks for its own), even
for a role that must use it or a person who set up an app; the sign-in is still kept."""

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from townhall.accounts import mfa
from townhall.accounts.models import Role, SignInEvent
from townhall.conftest import make_user
from townhall.core import context, services
from townhall.signin.models import GroupMapping
from townhall.signin.tests.conftest import person, sign_in

pytestmark = pytest.mark.django_db


def test_single_sign_on_skips_the_code_and_is_kept(provider, departments, users):
    with context.acting("system"):
        services.create(context.SYSTEM, GroupMapping, {"group": "IT-Staff", "role": Role.STAFF})
    pat = make_user("pat", Role.STAFF)
    with context.writing():
        pat.email = "Pat@County.example"
        pat.save()
    secret = pyotp.random_base32()
    assert mfa.enrol(pat, secret, pyotp.TOTP(secret).now()) is not None
    mfa.require_for_roles(users["admin"], [Role.STAFF])
    provider.person = person(groups=["IT-Staff"])
    client = Client()
    response = sign_in(client, next_url="/estate/")
    assert response["Location"] == "/estate/"
    assert client.get(reverse("accounts:account")).status_code == 200
    event = SignInEvent.objects.get(user=pat)
    assert (event.kind, event.method) == (SignInEvent.Kind.SIGNED_IN, "single sign-on")
