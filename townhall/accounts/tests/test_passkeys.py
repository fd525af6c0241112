"""Passkeys at the second step: a software authenticator made here (an EC P-256 key, the
WebAuthn structures written out) registers and signs in, and every forged or replayed
answer is refused and counted."""

import hashlib
import json
import os
import struct

import cbor2
import pyotp
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from townhall.accounts import mfa
from townhall.accounts.models import LoginFailure, Passkey, SignInEvent
from townhall.conftest import PASSWORD

ORIGIN = "http://testserver"
RP_ID = "testserver"


class SoftKey:
    """Just enough of an authenticator: makes a credential and signs assertions."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.count = 0

    def _cose(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin}).encode()

    def create(self, options: dict, origin: str = ORIGIN) -> dict:
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attested = (
            bytes(16)
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose()
        )
        auth_data = (
            hashlib.sha256(options["rp"]["id"].encode()).digest()
            + bytes([0x45])
            + struct.pack(">I", 0)
            + attested
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": bytes_to_base64url(self.credential_id),
            "rawId": bytes_to_base64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
            },
        }

    def get(self, options: dict, origin: str = ORIGIN, count: int | None = None) -> dict:
        self.count = self.count + 1 if count is None else count
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([0x05])
            + struct.pack(">I", self.count)
        )
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": bytes_to_base64url(self.credential_id),
            "rawId": bytes_to_base64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
            },
        }


def post_json(client, name, body=None):
    return client.post(reverse(name), json.dumps(body or {}), content_type="application/json")


def with_app(user):
    secret = pyotp.random_base32()
    assert mfa.enrol(user, secret, pyotp.TOTP(secret).now()) is not None


def add_passkey(client, key: SoftKey, name="Laptop"):
    options = json.loads(post_json(client, "accounts:passkey_options").content)
    assert base64url_to_bytes(options["challenge"])
    return post_json(
        client, "accounts:passkey_add", {"name": name, "credential": key.create(options)}
    )


def password_step(client):
    client.post(reverse("accounts:login"), {"username": "staff1", "password": PASSWORD})


@pytest.mark.django_db
def test_a_passkey_is_added_and_signs_in_once_per_challenge(users, client_for):
    with_app(users["staff"])
    key = SoftKey()
    response = add_passkey(client_for("staff"), key)
    assert response.status_code == 200, response.content
    stored = Passkey.objects.get(owner=users["staff"])
    assert stored.name == "Laptop"

    client = Client()
    password_step(client)
    assert client.get(reverse("accounts:account")).status_code == 302  # not yet signed in
    options = json.loads(post_json(client, "accounts:sign_in_passkey_options").content)
    answer = key.get(options)
    response = post_json(client, "accounts:sign_in_passkey", {"credential": answer})
    assert response.status_code == 200 and json.loads(response.content) == {"redirect": "/"}
    assert client.get(reverse("accounts:account")).status_code == 200
    assert SignInEvent.objects.filter(method="password and passkey").count() == 1

    # The same answer again (its challenge is spent) lets nobody in.
    again = Client()
    password_step(again)
    post_json(again, "accounts:sign_in_passkey_options")
    replayed = post_json(again, "accounts:sign_in_passkey", {"credential": answer})
    assert replayed.status_code == 400
    assert again.get(reverse("accounts:account")).status_code == 302
    assert LoginFailure.objects.filter(username="staff1").count() == 1


@pytest.mark.django_db
def test_forged_answers_are_refused_and_counted(users, client_for, settings):
    settings.LOGIN_FAILURE_LIMIT = 20  # each case starts again with the password
    with_app(users["staff"])
    key = SoftKey()
    add_passkey(client_for("staff"), key)
    cases = [
        lambda o: SoftKey().get(o),  # another key, unknown here
        lambda o: key.get(o, origin="https://evil.example"),
        lambda o: key.get({**o, "challenge": bytes_to_base64url(b"x" * 32)}),
        lambda o: {**key.get(o), "response": {**key.get(o)["response"], "signature": "AAAA"}},
        lambda o: "not a credential",
        lambda o: None,
    ]
    for forge in cases:
        client = Client()
        password_step(client)
        options = json.loads(post_json(client, "accounts:sign_in_passkey_options").content)
        response = post_json(client, "accounts:sign_in_passkey", {"credential": forge(options)})
        assert response.status_code == 400, response.content
        assert json.loads(response.content)["detail"]
        assert client.get(reverse("accounts:account")).status_code == 302
    failed = SignInEvent.objects.filter(kind=SignInEvent.Kind.CODE_FAILED, method="passkey")
    assert failed.count() == len(cases)


@pytest.mark.django_db
def test_passkeys_need_the_password_step_and_an_app(users, client_for):
    assert post_json(Client(), "accounts:sign_in_passkey_options").status_code == 403
    assert post_json(Client(), "accounts:sign_in_passkey").status_code == 403
    client = client_for("staff")
    refused = post_json(client, "accounts:passkey_options")
    assert refused.status_code == 400
    assert "authenticator app first" in json.loads(refused.content)["detail"]
    bad = client.post(reverse("accounts:passkey_add"), "{not json", content_type="application/json")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_removing_passkeys_one_by_one_and_with_a_reset(users, client_for):
    with_app(users["staff"])
    add_passkey(client_for("staff"), SoftKey())
    key = Passkey.objects.get()
    assert (
        client_for("viewer").post(reverse("accounts:passkey_remove", args=[key.pk])).status_code
        == 404
    )
    client_for("staff").post(reverse("accounts:passkey_remove", args=[key.pk]))
    assert not Passkey.objects.exists()
    add_passkey(client_for("staff"), SoftKey())
    client_for("admin").post(reverse("accounts:mfa_reset", args=[users["staff"].pk]))
    assert not Passkey.objects.exists()


@pytest.mark.django_db
def test_passkey_attempts_are_throttled(users, client_for, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    with_app(users["staff"])
    key = SoftKey()
    add_passkey(client_for("staff"), key)
    client = Client()
    password_step(client)
    options = json.loads(post_json(client, "accounts:sign_in_passkey_options").content)
    forged = SoftKey().get(options)
    assert post_json(client, "accounts:sign_in_passkey", {"credential": forged}).status_code == 400
    options = json.loads(post_json(client, "accounts:sign_in_passkey_options").content)
    right = key.get(options)
    response = post_json(client, "accounts:sign_in_passkey", {"credential": right})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in json.loads(response.content)["detail"]
    assert client.get(reverse("accounts:account")).status_code == 302
