"""Set-ups shared by the tests of residents' input: a published proposal open for comment,
and a resident sending and confirming through the pages, as a resident would."""

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client
from django.urls import reverse

from townhall.public.tests import samples

ADDRESS = "zqresident.person@example.org"


def open_proposal(staff: Client) -> Any:
    """The sample proposal, published with its fields and opened for comment by staff."""
    proposal = samples.make("proposal")
    samples.publish("proposal", ["problem", "status"])
    today = datetime.date.today()
    answer = staff.post(
        reverse("publishing:windows"),
        {
            "target_kind": "proposal",
            "target_id": str(proposal.pk),
            "opens": str(today - datetime.timedelta(days=1)),
            "closes": str(today + datetime.timedelta(days=10)),
        },
    )
    assert answer.status_code == 302, answer.content
    return proposal


def last_link() -> str:
    """The confirmation address in the last message sent."""
    found = re.search(r"https?://\S+/public/confirm/\S+/", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return urlsplit(found.group(0)).path


def comment(client: Client, pk: int, body: str, **extra: str) -> Any:
    data = {"kind": "comment", "body": body, "email": ADDRESS, "website": "", **extra}
    return client.post(reverse("public:comment", args=["investments", pk]), data)
