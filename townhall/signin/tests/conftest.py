from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
from django.http import HttpResponse
from django.test import Client

from townhall.signin import config
from townhall.signin.tests.provider import CLIENT_ID, CLIENT_SECRET, LocalProvider

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
