"""A provisioning token of an administrator, and a client that sends it as a provider does."""

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from townhall.accounts import tokens


class Provider:
    """Sends SCIM requests with the bearer token, as Entra ID and Okta do."""

    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/scim/v2/{path}", params, headers=self.headers)

    def send(self, method: str, path: str, body: Any) -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            f"/scim/v2/{path}",
            data,
            content_type="application/scim+json",
            headers=self.headers,
        )

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.send("put", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.send("patch", path, body)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/scim/v2/{path}", headers=self.headers)


def token_secret(owner: Any, scope: str = "write") -> str:
    _, secret = tokens.create(
        owner,
        owner,
        name="Provisioning",
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    return secret


@pytest.fixture
def provider(users) -> Provider:
    return Provider(token_secret(users["admin"]))
