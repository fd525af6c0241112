"""The whole SAML sign-in against a real identity provider on 127.0.0.1, and each way it is
refused: with a clear page, a kept refusal and its audit entry, and nobody signed in."""

import base64
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from townhall.accounts.models import Role
from townhall.core import context, services
from townhall.signin import config
from townhall.signin.models import GroupMapping, Identity, SeenAssertion, SignInRefusal
from townhall.signin.tests.conftest import SAML_ID, post_saml_response, saml_request, saml_sign_in
from townhall.signin.tests.saml_provider import (
    ENTRA_EMAIL,
    ENTRA_GROUPS,
    ENTRA_NAME,
    ENTRA_OBJECT_ID,
    key_and_cert,
)
from townhall.signin.tests.test_flow import pat, refusal_entry, signed_in_as

pytestmark = pytest.mark.django_db
Reason = SignInRefusal.Reason
__all__ = ["pat"]  # a fixture shared with the OpenID Connect tests


@pytest.fixture
def mappings(departments):
    with context.acting("system"):
        staff = services.create(
            context.SYSTEM, GroupMapping, {"group": "IT-Staff", "role": Role.STAFF}
        )
        liaison = services.create(
            context.SYSTEM,
            GroupMapping,
            {
                "provider": SAML_ID,
                "group": "PW-Liaison",
                "role": Role.LIAISON,
                "department": departments["PW"].pk,
            },
        )
    return {"staff": staff, "liaison": liaison}


def entra_person(groups: list[str], **more: list[str]) -> dict:
    return {
        "name_id": "pat-nameid",
        "attributes": {
            ENTRA_OBJECT_ID: ["0b6c4b1e-oid"],
            ENTRA_EMAIL: ["pat@county.example"],
            ENTRA_NAME: ["pat@county.example"],
            ENTRA_GROUPS: groups,
            **more,
        },
    }


def test_existing_account_signs_in_with_entra_claims_and_mapped_role(saml_idp, mappings, pat):
    saml_idp.person = entra_person(["PW-Liaison", "Unrelated"])
    client = Client()
    response = saml_sign_in(client, saml_idp, next_url="/estate/")
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/estate/"
    pat.refresh_from_db()
    assert signed_in_as(client) == pat
    assert pat.role == Role.LIAISON
    assert pat.department == mappings["liaison"].department
    # Linked by Entra's object ID, not the NameID.
    assert Identity.objects.get(provider=SAML_ID, subject="0b6c4b1e-oid").user == pat
    assert SeenAssertion.objects.filter(provider=SAML_ID).count() == 1
    assert not SignInRefusal.objects.exists()


def refused_page(response, reason: str, words: str) -> SignInRefusal:
    """The person saw a clear page, nobody is signed in, and the refusal was kept and
    audited."""
    assert response.status_code == 403, response.content.decode()[:500]
    text = response.content.decode()
    assert words in text
    assert "Not signed in" in text
    refusal = refusal_entry(reason)
    assert refusal.provider == SAML_ID
    assert words in refusal.message
    return refusal


@pytest.mark.parametrize(
    ("tamper", "reason", "words"),
    [
        ({"key": "none"}, Reason.BAD_SIGNATURE, "is not signed, or not by the provider"),
        ({"key": "other"}, Reason.BAD_SIGNATURE, "is not signed, or not by the provider"),
        ({"key": "response-only"}, Reason.BAD_SIGNATURE, "is not signed, or not by the"),
        ({"expired": True}, Reason.EXPIRED, "the assertion has expired"),
        ({"audience": "https://other.example/sp"}, Reason.WRONG_AUDIENCE, "another application"),
        ({"issuer": "https://other-idp.example/"}, Reason.WRONG_ISSUER, "another identity"),
        (
            {"recipient": "https://other.example/acs", "destination": "https://other.example/acs"},
            Reason.WRONG_RECIPIENT,
            "sent to another address",
        ),
        ({"in_response_to": "_someone-elses-request"}, Reason.STATE, "did not start"),
        # Unsolicited (IdP-started): answers no request of ours.
        ({"in_response_to": None}, Reason.STATE, "did not start"),
    ],
)
def test_untrusted_responses_are_refused(saml_idp, mappings, pat, tamper, reason, words):
    saml_idp.person = entra_person(["PW-Liaison"])
    client = Client()
    response = saml_sign_in(client, saml_idp, **tamper)
    refused_page(response, reason, words)
    assert signed_in_as(client) is None
    assert not Identity.objects.exists()
    assert not SeenAssertion.objects.exists()


@pytest.mark.parametrize("where", ["recipient", "destination"])
def test_an_address_merely_containing_ours_is_refused(saml_idp, mappings, pat, where):
    """python3-saml accepts a Recipient that contains the ACS address and a Destination
    that starts with it; Townhall wants each to be that address exactly."""
    saml_idp.person = entra_person(["PW-Liaison"])
    client = Client()
    sent = saml_request(client)
    elsewhere = {
        "recipient": "https://elsewhere.example/?to=" + sent["acs"],
        "destination": sent["acs"] + "elsewhere/",
    }[where]
    saml_response = saml_idp.response(
        in_response_to=sent["id"],
        acs_url=sent["acs"],
        audience=sent["issuer"],
        tamper={where: elsewhere},
    )
    refused_page(
        post_saml_response(client, saml_response), Reason.WRONG_RECIPIENT, "another address"
    )
    assert signed_in_as(client) is None


def test_an_assertion_id_used_before_is_refused(saml_idp, mappings, pat):
    saml_idp.person = entra_person(["PW-Liaison"])
    first = Client()
    assert saml_sign_in(first, saml_idp, assertion_id="_same-assertion").status_code == 302
    assert signed_in_as(first) == pat
    again = Client()
    response = saml_sign_in(again, saml_idp, assertion_id="_same-assertion")
    refused_page(response, Reason.REPLAYED, "already used once")
    assert signed_in_as(again) is None
    seen = SeenAssertion.objects.get()
    assert seen.assertion_id == "_same-assertion"
    assert seen.expires_at > timezone.now()


def test_the_same_response_posted_twice_is_refused(saml_idp, mappings, pat):
    saml_idp.person = entra_person(["PW-Liaison"])
    client = Client()
    assert saml_sign_in(client, saml_idp).status_code == 302
    thief = Client()
    refused_page(post_saml_response(thief, saml_idp.sent[-1]), Reason.STATE, "not started")
    assert signed_in_as(thief) is None


def test_expired_assertions_are_forgotten(saml_idp, mappings, pat):
    saml_idp.person = entra_person(["PW-Liaison"])
    with context.acting("system"):
        old = services.create(
            context.SYSTEM,
            SeenAssertion,
            {
                "provider": SAML_ID,
                "assertion_id": "_old",
                "expires_at": timezone.now() - timedelta(minutes=1),
            },
        )
    assert saml_sign_in(Client(), saml_idp).status_code == 302
    assert not SeenAssertion.objects.filter(pk=old.pk).exists()
    assert SeenAssertion.objects.count() == 1


def test_unmapped_group_is_refused_and_account_left_alone(saml_idp, mappings, pat):
    saml_idp.person = entra_person(["Unrelated"])
    client = Client()
    refusal = refused_page(saml_sign_in(client, saml_idp), Reason.UNMAPPED, "none of your groups")
    assert refusal.groups == ["Unrelated"]
    assert refusal.user == pat
    pat.refresh_from_db()
    assert pat.role == Role.VIEWER
    assert signed_in_as(client) is None


def test_deactivated_account_is_refused(saml_idp, mappings, pat):
    with context.acting("system"):
        services.update(context.SYSTEM, pat, {"is_active": False}, version=None)
    saml_idp.person = entra_person(["PW-Liaison"])
    client = Client()
    refused_page(saml_sign_in(client, saml_idp), Reason.DEACTIVATED, "is deactivated")
    assert signed_in_as(client) is None


def test_open_redirect_in_next_is_refused_before_leaving(saml_idp, mappings, pat):
    client = Client()
    response = client.post(f"/sso/saml/{SAML_ID}/start/", {"next": "https://evil.example/"})
    refused_page(response, Reason.UNSAFE_NEXT, "outside Townhall")
    assert not saml_idp.requests_seen
    assert "signin_saml_pending" not in client.session


def test_groups_from_a_named_attribute(saml_idp, mappings, pat, settings):
    """ADFS sends groups where its administrator says: GROUPS_ATTRIBUTE names it."""
    settings.TOWNHALL_SAML_PROVIDERS = [
        config.saml_app(
            SAML_ID,
            name="County ADFS",
            metadata_xml=saml_idp.metadata(),
            groups_attribute="http://schemas.xmlsoap.org/claims/Group",
        )
    ]
    saml_idp.person = {
        "name_id": "pat@county.example",
        "name_id_format": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "attributes": {"http://schemas.xmlsoap.org/claims/Group": ["IT-Staff"]},
    }
    client = Client()
    assert saml_sign_in(client, saml_idp).status_code == 302
    pat.refresh_from_db()
    assert pat.role == Role.STAFF
    # No lasting attribute: the (persistent-format) NameID is the subject.
    assert Identity.objects.get(provider=SAML_ID).subject == "pat@county.example"


def test_finish_without_a_posted_response_is_refused(saml_idp, mappings):
    client = Client()
    saml_request(client)
    refused_page(client.get(f"/sso/saml/{SAML_ID}/finish/"), Reason.STATE, "not started")


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&lol3;</samlp:Response>"""


@pytest.mark.parametrize(
    "saml_response",
    [
        "",
        "%%%not base64%%%",
        base64.b64encode(b"not xml at all").decode(),
        base64.b64encode(b"<wrong-root/>").decode(),
        base64.b64encode(BOMB.encode()).decode(),
        base64.b64encode(
            b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            b'ID="_x" Version="2.0"/>'
        ).decode(),
        base64.b64encode("\x00\ud7ff".encode("utf-8", "surrogatepass")).decode(),
    ],
)
def test_malformed_responses_are_refused_not_server_errors(saml_idp, mappings, saml_response):
    client = Client()
    saml_request(client)
    posted = client.post(f"/sso/saml/{SAML_ID}/acs/", {"SAMLResponse": saml_response})
    response = client.get(posted["Location"])
    assert response.status_code == 403
    refusal = SignInRefusal.objects.get()
    assert refusal.reason in {Reason.INVALID_TOKEN, Reason.STATE, Reason.BAD_SIGNATURE}
    assert signed_in_as(client) is None


def test_metadata_is_published_at_a_stable_address(saml_idp):
    response = Client().get(f"/sso/saml/{SAML_ID}/metadata/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    document = etree.fromstring(response.content)
    assert document.get("entityID") == f"http://testserver/sso/saml/{SAML_ID}/metadata/"
    acs = document.find(".//{urn:oasis:names:tc:SAML:2.0:metadata}AssertionConsumerService")
    assert acs.get("Location") == f"http://testserver/sso/saml/{SAML_ID}/acs/"
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    sp = document.find(".//{urn:oasis:names:tc:SAML:2.0:metadata}SPSSODescriptor")
    assert sp.get("WantAssertionsSigned") == "true"


def test_unknown_saml_provider_is_not_found(saml_idp):
    client = Client()
    assert client.get("/sso/saml/nobody/metadata/").status_code == 404
    assert client.post("/sso/saml/nobody/start/").status_code == 404
    assert client.post("/sso/saml/nobody/acs/").status_code == 404


def test_metadata_read_from_the_providers_address(saml_idp, mappings, pat, settings):
    settings.TOWNHALL_SAML_PROVIDERS = [
        config.saml_app(SAML_ID, name="County ADFS", metadata_url=f"{saml_idp.address}/metadata")
    ]
    saml_idp.person = entra_person(["PW-Liaison"])
    client = Client()
    assert saml_sign_in(client, saml_idp).status_code == 302
    assert signed_in_as(client) == pat


def test_unreachable_metadata_address_is_a_clear_refusal(saml_idp, settings):
    settings.TOWNHALL_SAML_PROVIDERS = [
        config.saml_app(SAML_ID, name="County ADFS", metadata_url=f"{saml_idp.address}/gone")
    ]
    response = Client().post(f"/sso/saml/{SAML_ID}/start/", {"next": "/"})
    refused_page(response, Reason.PROVIDER, "metadata could not be read")


def test_with_townhalls_own_key_requests_are_signed_and_metadata_has_the_certificate(
    saml_idp, mappings, pat, settings
):
    key, cert = key_and_cert("Townhall")
    settings.TOWNHALL_SAML_SP = {"cert": cert, "key": key}
    sent = saml_request(Client())
    query = parse_qs(urlparse(sent["location"]).query)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    assert query["Signature"][0]
    metadata = Client().get(f"/sso/saml/{SAML_ID}/metadata/").content.decode()
    assert 'AuthnRequestsSigned="true"' in metadata
    assert cert.splitlines()[1] in metadata
    # And sign-in still works.
    saml_idp.person = entra_person(["PW-Liaison"])
    client = Client()
    assert saml_sign_in(client, saml_idp).status_code == 302


def test_an_unusable_certificate_is_a_clear_refusal_not_an_error(saml_idp, settings):
    settings.TOWNHALL_SAML_SP = {"cert": "-----BEGIN CERTIFICATE-----\nnonsense", "key": "x"}
    response = Client().post(f"/sso/saml/{SAML_ID}/start/", {"next": "/"})
    refused_page(response, Reason.PROVIDER, "cannot be used")
    assert Client().get(f"/sso/saml/{SAML_ID}/metadata/").status_code < 500


def test_a_provider_answering_with_an_error_status_is_a_clear_page(saml_idp, mappings, pat):
    client = Client()
    sent = saml_request(client)
    document = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_e" '
        f'Version="2.0" IssueInstant="2026-01-01T00:00:00Z" InResponseTo="{sent["id"]}">'
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">'
        '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/>'
        "</samlp:StatusCode></samlp:Status></samlp:Response>"
    )
    response = post_saml_response(client, base64.b64encode(document.encode()).decode())
    refused_page(response, Reason.CANCELLED, "cancelled or refused at County ADFS")


def test_an_assertion_changed_after_signing_is_refused(saml_idp, mappings, pat):
    """Someone holding a real response raises their groups: the digest no longer matches."""
    saml_idp.person = entra_person(["Unrelated"])
    client = Client()
    sent = saml_request(client)
    genuine = saml_idp.response(
        in_response_to=sent["id"], acs_url=sent["acs"], audience=sent["issuer"]
    )
    document = base64.b64decode(genuine).decode()
    assert document.count(">Unrelated<") == 1
    forged = base64.b64encode(document.replace(">Unrelated<", ">PW-Liaison<").encode()).decode()
    refused_page(post_saml_response(client, forged), Reason.BAD_SIGNATURE, "not by the provider")
    assert signed_in_as(client) is None


def test_a_second_forged_assertion_beside_the_signed_one_is_refused(saml_idp, mappings, pat):
    """Signature wrapping: an unsigned assertion put beside the signed one."""
    saml_idp.person = entra_person(["Unrelated"])
    client = Client()
    sent = saml_request(client)
    genuine = saml_idp.response(
        in_response_to=sent["id"], acs_url=sent["acs"], audience=sent["issuer"]
    )
    document = base64.b64decode(genuine).decode()
    start = document.index("<saml:Assertion")
    end = document.index("</saml:Assertion>") + len("</saml:Assertion>")
    forged_assertion = (
        document[start:end].replace(">Unrelated<", ">PW-Liaison<").replace('ID="_a', 'ID="_forged')
    )
    forged = document[:start] + forged_assertion + document[start:]
    response = post_saml_response(client, base64.b64encode(forged.encode()).decode())
    assert response.status_code == 403
    assert SignInRefusal.objects.get().reason in {Reason.INVALID_TOKEN, Reason.BAD_SIGNATURE}
    assert signed_in_as(client) is None
