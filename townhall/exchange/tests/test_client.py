"""The member's client: signs what it sends with the sealed key, and turns the hub's
refusals and silences into errors an administrator can read."""

import json
import time

import pytest

from townhall.exchange import client, protocol
from townhall.exchange.tests import members

KEY = protocol.new_private_key()


@pytest.fixture
def profile(db):
    return members.joined_profile("m-1", KEY)


def test_a_call_is_signed_with_the_sealed_key(profile):
    seen = {}

    def hub(method, url, headers, body):
        path = url.removeprefix("https://hub.example.org")
        protocol.verify_request(protocol.public_key(KEY), method, path, body, headers, time.time())
        seen.update(method=method, path=path, body=json.loads(body))
        return 200, b'{"status": "accepted"}'

    with client.use_transport(hub):
        answer = client.call(profile, "POST", protocol.SUBMISSIONS, {"a": 1}, query="x=1")
    assert answer == {"status": "accepted"}
    assert seen == {"method": "POST", "path": "/hub/api/submissions/?x=1", "body": {"a": 1}}
    assert profile.signing_key != KEY  # kept sealed, never as it is


def test_refusals_and_bad_answers_are_errors_in_words(profile):
    answers = [
        (401, b'{"detail": "the signature does not match"}', "refused the request (401)"),
        (500, b"<html>", "no reason given"),
        (200, b"<html>", "something other than JSON"),
    ]
    for status, body, words in answers:
        with client.use_transport(lambda *args, s=status, b=body: (s, b)):
            with pytest.raises(
                client.HubError, match=words.replace("(", r"\(").replace(")", r"\)")
            ):
                client.call(profile, "GET", protocol.STATISTICS)


def test_no_call_without_membership_or_address(profile):
    profile.member_id = ""
    with pytest.raises(client.HubError, match="not joined"):
        client.call(profile, "GET", protocol.STATISTICS)
    profile.hub_url = ""
    with pytest.raises(client.HubError, match="No exchange hub"):
        client.call(profile, "GET", protocol.STATISTICS)
    with pytest.raises(client.HubError, match="must start with"):
        client._urllib("GET", "file:///etc/passwd", {}, b"")
