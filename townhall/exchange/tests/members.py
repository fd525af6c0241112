"""A member Townhall that has joined a hub, for the exchange's tests: its profile, and a
transport that sends its signed calls to the hub's views in this process."""

from decimal import Decimal

from django.test import Client

from townhall.core import context, services
from townhall.exchange import client
from townhall.exchange.models import JurisdictionProfile

HUB_URL = "https://hub.example.org/"


def joined_profile(member_id: str, key: str, **values: object) -> JurisdictionProfile:
    """Juniper County, a county of 150,000, joined to the hub at HUB_URL with `key`."""
    data = {
        "name": "Juniper County",
        "kind": "county",
        "population": 150_000,
        "region": "south",
        "operating_budget": Decimal(400_000_000),
        "employees": 2400,
        "hub_url": HUB_URL,
        "member_id": member_id,
        "signing_key": client.SIGNING_KEYS.seal(key),
        **values,
    }
    with context.acting("cli"):
        return services.create(context.SYSTEM, JurisdictionProfile, data)


def routed(method: str, url: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    """`client.use_transport(routed)`: the hub's answer from its views, as over the wire."""
    path = url.removeprefix(HUB_URL.rstrip("/"))
    answer = Client().generic(method, path, body, content_type="application/json", headers=headers)
    return answer.status_code, answer.content
