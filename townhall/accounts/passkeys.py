"""Passkeys (WebAuthn) as the second step of a password sign-in, beside the authenticator
app: py_webauthn checks the browser's answers (challenge, origin, relying party,
signature, counter); this module keeps the challenges in the session and the keys in
`Passkey`. A passkey is added once the app is set up, so the recovery codes exist."""

import json
from typing import Any

import webauthn
from django.http import HttpRequest
from django.utils import timezone
from webauthn.helpers import bytes_to_base64url, options_to_json
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from townhall.accounts.models import Passkey, User
from townhall.core import services

CHALLENGE = "townhall_passkey_challenge"
RP_NAME = "Townhall"


class Refused(Exception):
    """The browser's answer did not prove the passkey; the message says what to do."""


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """The relying party id (the host name) and the origin the browser must name: both from
    the request, whose host Django already checked against ALLOWED_HOSTS."""
    host = request.get_host()
    rp_id = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    origin = ("https://" if request.is_secure() else "http://") + host
    return rp_id.strip("[]"), origin


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(cid))
        for cid in Passkey.objects.filter(owner=user).values_list("credential_id", flat=True)
    ]


def registration_options(request: HttpRequest, user: User) -> str:
    rp_id, _ = relying_party(request)
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_name=user.username,
        user_id=f"townhall-{user.pk}".encode(),
        user_display_name=user.get_full_name() or user.username,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    request.session[CHALLENGE] = bytes_to_base64url(options.challenge)
    result: str = options_to_json(options)
    return result


def _challenge(request: HttpRequest) -> bytes:
    value = request.session.pop(CHALLENGE, None)
    if not isinstance(value, str):
        raise Refused("The passkey request expired. Try again.")
    return webauthn.base64url_to_bytes(value)


def add(request: HttpRequest, user: User, credential: Any, name: str) -> Passkey:
    """Keep a new passkey once the browser's answer to our challenge checks out."""
    rp_id, origin = relying_party(request)
    challenge = _challenge(request)
    try:
        verified = webauthn.verify_registration_response(
            credential=json.dumps(credential) if not isinstance(credential, str) else credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (InvalidRegistrationResponse, ValueError, TypeError, KeyError) as exc:
        raise Refused(f"The passkey was not added: {exc}") from None
    return services.create(
        user,
        Passkey,
        {
            "owner": user,
            "name": (name or "Passkey").strip()[:60] or "Passkey",
            "credential_id": bytes_to_base64url(verified.credential_id),
            "public_key": bytes_to_base64url(verified.credential_public_key),
            "sign_count": verified.sign_count,
        },
    )


def authentication_options(request: HttpRequest, user: User) -> str:
    rp_id, _ = relying_party(request)
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[CHALLENGE] = bytes_to_base64url(options.challenge)
    result: str = options_to_json(options)
    return result


def check(request: HttpRequest, user: User, credential: Any) -> Passkey:
    """The passkey that answered our challenge for this person, its counter moved on."""
    rp_id, origin = relying_party(request)
    challenge = _challenge(request)
    raw_id = credential.get("id") if isinstance(credential, dict) else None
    key = Passkey.objects.filter(owner=user, credential_id=raw_id).first() if raw_id else None
    if key is None:
        raise Refused("That passkey is not one of yours here. Use your code instead.")
    try:
        verified = webauthn.verify_authentication_response(
            credential=json.dumps(credential),
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=webauthn.base64url_to_bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except (InvalidAuthenticationResponse, ValueError, TypeError, KeyError) as exc:
        raise Refused(f"The passkey did not check out: {exc}") from None
    # Not a change anyone made (like the last sign-in): no audit entry.
    moved = Passkey.objects.filter(pk=key.pk, sign_count=key.sign_count).update(
        sign_count=verified.new_sign_count, last_used_at=timezone.now()
    )
    if not moved:
        raise Refused("The passkey was used at the same moment elsewhere. Try again.")
    return key
