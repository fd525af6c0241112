"""Behind the county's reverse proxy every resident arrives from the proxy's address: the
limit per client counts the address the proxy names (X-Forwarded-For, from a trusted proxy
only), as sign-in's throttle does, or one busy hour would shut out every resident."""

import pytest
from django.test import Client
from django.urls import reverse

from townhall.public.tests.input_helpers import open_proposal

PROXY = "10.0.0.5"


def _send(client: Client, pk: int, n: int, email: str) -> int:
    data = {"kind": "comment", "body": f"Zqcomment {n}", "email": email, "website": ""}
    return client.post(reverse("public:comment", args=["investments", pk]), data).status_code


@pytest.mark.django_db
def test_residents_behind_a_trusted_proxy_are_limited_one_by_one(client_for, settings):
    proposal = open_proposal(client_for("staff"))
    settings.TRUSTED_PROXIES = [PROXY]
    settings.PUBLIC_INPUT_PER_CLIENT = 2
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert [_send(first, proposal.pk, n, f"a{n}@example.org") for n in range(3)] == [200, 200, 429]
    assert _send(second, proposal.pk, 9, "b@example.org") == 200  # another resident
    # A forwarded address from an untrusted sender is not believed: it counts as its own.
    settings.TRUSTED_PROXIES = []
    forged = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert [_send(forged, proposal.pk, n, f"c{n}@example.org") for n in range(3)] == [200, 200, 429]
