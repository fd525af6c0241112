"""SAML 2.0 sign-in on python3-saml, with the checks Townhall adds to it.

python3-saml (strict mode) checks the XML against the SAML schema, the signature with the
provider's certificate, the audience, the destination, the subject confirmation (recipient,
time, InResponseTo) and the validity window (its clock drift is five minutes). Townhall adds:

- a signed assertion always (a signed response alone is not enough);
- the response must answer the request this browser started (an unsolicited, IdP-started
  response is refused), and the Destination and Recipient must be this Townhall's address
  exactly (python3-saml accepts any address containing it);
- an assertion used once is refused while it is still valid (kept in `SeenAssertion`).
Each refusal raises `services.Refused` with a reason the refusal page and its record name.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import xmlsec
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.errors import OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from townhall.core import context
from townhall.core import services as core_services
from townhall.signin import providers as signin_providers
from townhall.signin import saml_claims
from townhall.signin.models import ImportedMetadata, SeenAssertion, SignInRefusal
from townhall.signin.saml_metadata import MetadataError, idp_settings
from townhall.signin.services import Refused

Reason = SignInRefusal.Reason
METADATA_CACHE_SECONDS = 4 * 3600
# How long an assertion without its own end is remembered.
DEFAULT_KEEP = timedelta(days=1)

V = OneLogin_Saml2_ValidationError
SIGNATURE = {
    V.INVALID_SIGNATURE,
    V.NO_SIGNATURE_FOUND,
    V.NO_SIGNED_ASSERTION,
    V.NO_SIGNED_MESSAGE,
    V.WRONG_SIGNED_ELEMENT,
    V.ID_NOT_FOUND_IN_SIGNED_ELEMENT,
    V.DUPLICATED_ID_IN_SIGNED_ELEMENTS,
    V.INVALID_SIGNED_ELEMENT,
    V.DUPLICATED_REFERENCE_IN_SIGNED_ELEMENTS,
    V.UNEXPECTED_SIGNED_ELEMENTS,
    V.WRONG_NUMBER_OF_SIGNATURES_IN_RESPONSE,
    V.WRONG_NUMBER_OF_SIGNATURES_IN_ASSERTION,
    V.DEPRECATED_SIGNATURE_METHOD,
    V.DEPRECATED_DIGEST_METHOD,
}
# What each failed check means, in the words of the refusal page.
REFUSALS: dict[int, tuple[str, str]] = {
    **{
        code: (
            Reason.BAD_SIGNATURE,
            "its assertion is not signed, or not by the provider's certificate",
        )
        for code in SIGNATURE
    },
    V.ASSERTION_EXPIRED: (Reason.EXPIRED, "the assertion has expired"),
    V.ASSERTION_TOO_EARLY: (Reason.EXPIRED, "the assertion is not valid yet"),
    V.SESSION_EXPIRED: (Reason.EXPIRED, "the provider's session for it has expired"),
    V.WRONG_AUDIENCE: (Reason.WRONG_AUDIENCE, "the assertion is meant for another application"),
    V.WRONG_ISSUER: (Reason.WRONG_ISSUER, "it comes from another identity provider"),
    V.WRONG_DESTINATION: (Reason.WRONG_RECIPIENT, "it was sent to another address"),
    V.EMPTY_DESTINATION: (Reason.WRONG_RECIPIENT, "it does not say which address it is for"),
    V.WRONG_SUBJECTCONFIRMATION: (
        Reason.WRONG_RECIPIENT,
        "it is not confirmed for this Townhall's address, this sign-in and this time",
    ),
    V.WRONG_INRESPONSETO: (Reason.STATE, "it answers a sign-in this browser did not start"),
}


def saml_providers() -> list[dict[str, Any]]:
    """The environment's SAML providers and those switched on on the page (providers.py)."""
    return signin_providers.saml_apps()


def provider(provider_id: str) -> dict[str, Any] | None:
    return next((p for p in saml_providers() if p["provider_id"] == provider_id), None)


def untrusted(name: str, detail: str) -> str:
    return (
        f"{name} answered, but its answer could not be trusted: {detail}. Nothing was signed "
        "in. Try again; if this keeps happening, tell your Townhall administrator."
    )


def idp(app: dict[str, Any]) -> dict[str, Any]:
    """The provider's part of the settings: from metadata imported on the Single sign-on
    page, else its metadata file or its address (fetched and kept for a few hours). Raises
    Refused when it cannot be had."""
    imported = ImportedMetadata.objects.filter(provider=app["provider_id"]).first()
    if imported is not None:
        try:
            return idp_settings(imported.document, app["entity_id"])
        except MetadataError as exc:  # the provider's entity ID setting changed since
            raise Refused(
                Reason.PROVIDER,
                f"{app['name']}'s imported metadata cannot be used ({exc}). Tell your "
                "Townhall administrator.",
            ) from None
    if not app["metadata_url"] and not app["metadata_xml"]:
        raise Refused(
            Reason.PROVIDER,
            f"{app['name']}'s metadata has not been imported yet, so nobody can sign in "
            "with it. A Townhall administrator imports it on the Single sign-on page.",
        )
    if app["metadata_xml"]:
        return idp_settings(app["metadata_xml"], app["entity_id"])
    url = app["metadata_url"]
    key = "signin.saml.metadata." + hashlib.sha256(url.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    try:
        answer = requests.get(url, timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)
        answer.raise_for_status()
        found = idp_settings(answer.text, app["entity_id"])
    except (requests.RequestException, MetadataError) as exc:
        raise Refused(
            Reason.PROVIDER,
            f"{app['name']}'s metadata could not be read ({exc}), so nobody can sign in with "
            "it now. Try again in a moment; if this keeps happening, tell your Townhall "
            "administrator.",
        ) from None
    cache.set(key, found, METADATA_CACHE_SECONDS)
    return found


def base_url(request: HttpRequest) -> str:
    scheme = "https" if request.is_secure() or settings.PRODUCTION else "http"
    return f"{scheme}://{request.get_host()}"


def acs_url(request: HttpRequest, provider_id: str) -> str:
    return base_url(request) + reverse("saml_acs", args=[provider_id])


def sp_settings(request: HttpRequest, provider_id: str) -> dict[str, Any]:
    """Townhall as this provider's service provider: its entity ID is its metadata address."""
    sp: dict[str, Any] = {
        "entityId": base_url(request) + reverse("saml_metadata", args=[provider_id]),
        "assertionConsumerService": {
            "url": acs_url(request, provider_id),
            "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST,
        },
        "NameIDFormat": OneLogin_Saml2_Constants.NAMEID_UNSPECIFIED,
    }
    own = settings.TOWNHALL_SAML_SP
    if own["cert"]:
        sp["x509cert"] = own["cert"]
        sp["privateKey"] = own["key"]
    return sp


def security() -> dict[str, Any]:
    return {
        "authnRequestsSigned": bool(settings.TOWNHALL_SAML_SP["key"]),
        "wantAssertionsSigned": True,
        "wantMessagesSigned": False,
        "wantNameId": False,
        # No groups sent is refused as unmapped, with a clearer page than a missing statement.
        "wantAttributeStatement": False,
        "rejectDeprecatedAlgorithm": True,
        "signatureAlgorithm": OneLogin_Saml2_Constants.RSA_SHA256,
        "digestAlgorithm": OneLogin_Saml2_Constants.SHA256,
        # Ask for no particular way of authenticating: ADFS with Windows sign-in would refuse.
        "requestedAuthnContext": False,
        # An intranet Townhall may live at a one-word host name (http://townhall/).
        "allowSingleLabelDomains": True,
    }


def full_settings(request: HttpRequest, app: dict[str, Any]) -> dict[str, Any]:
    return {
        "strict": True,
        "debug": False,
        "sp": sp_settings(request, app["provider_id"]),
        "idp": idp(app),
        "security": security(),
    }


def sp_metadata(request: HttpRequest, provider_id: str) -> str:
    """Townhall's metadata for this provider, for its administrators to import."""
    config = {
        "strict": True,
        "sp": sp_settings(request, provider_id),
        "security": security(),
    }
    saml_settings = OneLogin_Saml2_Settings(settings=config, sp_validation_only=True)
    metadata = saml_settings.get_sp_metadata()
    return metadata.decode() if isinstance(metadata, bytes) else str(metadata)


def request_data(request: HttpRequest, provider_id: str, post: dict[str, str]) -> dict[str, Any]:
    """The request as python3-saml reads it: the address is always the ACS's, as the
    response was posted there (the browser reaches the rest of the flow elsewhere)."""
    return {
        "https": "on" if base_url(request).startswith("https") else "off",
        "http_host": request.get_host(),
        "script_name": "",
        "path_info": reverse("saml_acs", args=[provider_id]),
        "get_data": {},
        "post_data": post,
    }


def login_url(request: HttpRequest, app: dict[str, Any]) -> tuple[str, str]:
    """The provider's sign-in address with our AuthnRequest, and that request's ID."""
    try:
        auth = OneLogin_Saml2_Auth(
            request_data(request, app["provider_id"], {}), full_settings(request, app)
        )
        url = auth.login(return_to=None, set_nameid_policy=False)
    except (OneLogin_Saml2_Error, xmlsec.Error) as exc:
        raise _unusable(app, exc) from None
    return str(url), str(auth.get_last_request_id())


def _unusable(app: dict[str, Any], exc: Exception) -> Refused:
    """The provider's metadata, or Townhall's own key and certificate, cannot be used."""
    return Refused(
        Reason.PROVIDER,
        f"Townhall's settings for {app['name']} cannot be used ({exc}), so nobody can sign "
        "in with it now. Tell your Townhall administrator.",
    )


def verify(
    request: HttpRequest, app: dict[str, Any], saml_response: str, request_id: str
) -> dict[str, Any]:
    """The person's claims from a response the provider posted back, after every check;
    raises Refused otherwise (nothing kept but the assertion's ID, once it is trusted)."""
    name = app["name"]
    try:
        config = OneLogin_Saml2_Settings(full_settings(request, app))
    except OneLogin_Saml2_Error as exc:
        raise _unusable(app, exc) from None
    try:
        response = OneLogin_Saml2_Response(config, saml_response)
        response.is_valid(
            request_data(request, app["provider_id"], {"SAMLResponse": saml_response}),
            request_id,
            raise_exceptions=True,
        )
    except OneLogin_Saml2_ValidationError as exc:
        if exc.code == V.STATUS_CODE_IS_NOT_SUCCESS:
            raise Refused(
                Reason.CANCELLED,
                f"The sign-in was cancelled or refused at {name} ({exc}). Nothing was signed in.",
            ) from None
        reason, detail = REFUSALS.get(
            exc.code, (Reason.INVALID_TOKEN, "it is not a SAML response Townhall can use")
        )
        raise Refused(reason, untrusted(name, detail)) from None
    except Exception:  # noqa: BLE001 - garbage base64, broken XML, a DTD: all unreadable
        raise Refused(
            Reason.INVALID_TOKEN, untrusted(name, "it is not a readable SAML response")
        ) from None
    _check_addressed(request, app, response, request_id)
    try:
        found = saml_claims.claims(
            response.get_attributes(),
            response.get_nameid(),
            response.get_nameid_format(),
            app["groups_attributes"],
        )
    except OneLogin_Saml2_ValidationError:
        raise Refused(
            Reason.INVALID_TOKEN, untrusted(name, "it does not say who you are")
        ) from None
    _remember(app, response)
    return found


def _check_addressed(
    request: HttpRequest, app: dict[str, Any], response: Any, request_id: str
) -> None:
    """What python3-saml leaves loose: an answer to our own request, sent to our address."""
    name = app["name"]
    if response.get_in_response_to() != request_id:
        raise Refused(
            Reason.STATE, untrusted(name, "it answers a sign-in this browser did not start")
        )
    expected = acs_url(request, app["provider_id"])
    destination = response.document.get("Destination")
    recipients = [
        node.get("Recipient")
        for node in response._query_assertion(
            "/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData"
        )
    ]
    if (destination is not None and destination != expected) or expected not in recipients:
        raise Refused(Reason.WRONG_RECIPIENT, untrusted(name, "it was sent to another address"))


def _remember(app: dict[str, Any], response: Any) -> None:
    """Keep the assertion's ID until it expires; refuse it if it is kept already."""
    assertion_id = str(response.get_assertion_id() or "")[:255]
    ends = response.get_assertion_not_on_or_after()
    now = timezone.now()
    expires = (
        datetime.fromtimestamp(ends, tz=UTC)
        + timedelta(seconds=OneLogin_Saml2_Constants.ALLOWED_CLOCK_DRIFT)
        if ends
        else now + DEFAULT_KEEP
    )
    spent = list(SeenAssertion.objects.filter(expires_at__lt=now)[:200])
    if spent:
        core_services.delete_many(context.SYSTEM, spent)
    try:
        with transaction.atomic():
            core_services.create(
                context.SYSTEM,
                SeenAssertion,
                {
                    "provider": app["provider_id"],
                    "assertion_id": assertion_id,
                    "expires_at": expires,
                },
            )
    except (ValidationError, IntegrityError):
        raise Refused(
            Reason.REPLAYED, untrusted(app["name"], "this assertion was already used once")
        ) from None


def fetch_metadata(address: str) -> str:
    """An identity provider's metadata document from its address; ValidationError with
    what went wrong otherwise."""
    try:
        answer = requests.get(address, timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT)
        answer.raise_for_status()
    except requests.RequestException as exc:
        raise ValidationError(f"The metadata could not be read from {address} ({exc}).") from None
    return answer.text


def import_metadata(
    user: Any, app: dict[str, Any], document: str, address: str = ""
) -> ImportedMetadata:
    """Keep an administrator's import of a provider's metadata (in place of the one its
    environment variables name), once it is known to be usable."""
    try:
        found = idp_settings(document, app["entity_id"])
    except MetadataError as exc:
        raise ValidationError(f"This metadata cannot be used: {exc}.") from None
    values = {
        "provider": app["provider_id"],
        "document": document.replace("\x00", ""),
        "address": address,
        "entity_id": str(found["entityId"])[:500],
    }
    kept = ImportedMetadata.objects.filter(provider=app["provider_id"]).first()
    if kept is None:
        return core_services.create(user, ImportedMetadata, values)
    return core_services.update(user, kept, values, version=None)
