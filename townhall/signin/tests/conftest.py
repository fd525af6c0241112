import base64
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.http import HttpResponse
from django.test import Client
from lxml import etree

from townhall.signin import config
from townhall.signin.tests.provider import CLIENT_ID, CLIENT_SECRET, LocalProvider
from townhall.signin.tests.saml_provider import NS, LocalSamlProvider

PROVIDER_ID = "county"


@pytest.fixture
def provider(settings) -> Iterator[LocalProvider]:
    """The test provider, running, configured as Townhall's only provider "county"."""
    running = LocalProvider().start()
    settings.SOCIALACCOUNT_PROVIDERS = config.allauth_settings(
        [
            config.app(
                PROVIDER_ID,
                name="County ID",
                issuer=running.issuer,
                client_id=CLIENT_ID,
                secret=CLIENT_SECRET,
            )
        ]
    )
    yield running
    running.stop()


def person(**claims: Any) -> dict[str, Any]:
    return {"sub": "sub-1", "email": "pat@county.example", "email_verified": True, **claims}


def sign_in(client: Client, next_url: str = "/") -> HttpResponse:
    """The whole code flow: start at Townhall, authorize at the provider, come back."""
    start = client.post(f"/sso/{PROVIDER_ID}/start/", {"next": next_url})
    assert start.status_code == 302, start.content
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlparse(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


SAML_ID = "adfs"


@pytest.fixture
def saml_idp(settings) -> Iterator[LocalSamlProvider]:
    """The test SAML identity provider, running, configured as Townhall's provider "adfs"
    (its metadata given as a file's contents would be)."""
    running = LocalSamlProvider().start()
    settings.TOWNHALL_SAML_PROVIDERS = [
        config.saml_app(SAML_ID, name="County ADFS", metadata_xml=running.metadata())
    ]
    yield running
    running.stop()


def saml_request(client: Client, next_url: str = "/") -> dict[str, str]:
    """Start a SAML sign-in at Townhall; what its AuthnRequest asked of the provider."""
    start = client.post(f"/sso/saml/{SAML_ID}/start/", {"next": next_url})
    assert start.status_code == 302, start.content
    query = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
    raw = zlib.decompress(base64.b64decode(query["SAMLRequest"]), -15)
    request = etree.fromstring(raw)
    return {
        "id": request.get("ID", ""),
        "acs": request.get("AssertionConsumerServiceURL", ""),
        "issuer": request.findtext("saml:Issuer", namespaces=NS) or "",
        "location": start["Location"],
    }


def post_saml_response(client: Client, saml_response: str) -> HttpResponse:
    """The browser posts the provider's response to the ACS and follows it to the finish."""
    posted = client.post(f"/sso/saml/{SAML_ID}/acs/", {"SAMLResponse": saml_response})
    assert posted.status_code == 302, posted.content
    return client.get(posted["Location"])


def saml_sign_in(
    client: Client, idp: LocalSamlProvider, next_url: str = "/", **tamper: Any
) -> HttpResponse:
    """The whole SAML flow: start at Townhall, sign in at the provider, post back."""
    sent = saml_request(client, next_url)
    saml_response = idp.response(
        in_response_to=sent["id"], acs_url=sent["acs"], audience=sent["issuer"], tamper=tamper
    )
    return post_saml_response(client, saml_response)
