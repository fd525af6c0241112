"""The demo county's public site: what it publishes shows to a signed-out visitor in both
languages, residents' input is moderated as a moderator would, and no resident's address
is ever on a page."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from townhall.accounts import demo as accounts_demo
from townhall.audit.models import AuditEntry
from townhall.core import context
from townhall.estate import demo as estate_demo
from townhall.governance import demo as governance_demo
from townhall.governance.models import Proposal
from townhall.org import demo as org_demo
from townhall.public import demo, kinds, residents
from townhall.public.models import ResidentInput
from townhall.registers import demo as registers_demo

SIZES = estate_demo.Sizes(
    services=10,
    systems=12,
    components=20,
    vendors=8,
    contracts=2,
    dependencies=30,
    it_staff=4,
    owners_per_department=1,
)


@pytest.mark.django_db
def test_the_demo_public_site_shows_what_is_published_and_no_address():
    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        accounts_demo.load()
        governance_demo.load()
        registers_demo.load()
        assert demo.load() > 0
        entries = AuditEntry.objects.count()
        assert demo.load() == 0  # a second run changes nothing
    assert AuditEntry.objects.count() == entries

    visitor = Client()
    home = visitor.get(reverse("public:home")).content.decode()
    for kind in kinds.all_kinds():
        assert reverse("public:list", args=[kind.slug]) in home, kind.key

    pages = [reverse("public:home"), reverse("public:search") + "?q=the"]
    for kind in kinds.all_kinds():
        pages += [
            reverse("public:list", args=[kind.slug]),
            reverse("public:feed", args=[kind.slug]),
            reverse("public:csv", args=[kind.slug]),
        ]
    # The request open for comment: the published comment, never the waiting or rejected.
    open_one = Proposal.objects.get(title=demo.OPEN_FOR_COMMENT)
    address = reverse("public:detail", args=["investments", open_one.pk])
    page = html.unescape(visitor.get(address).content.decode())
    published, waiting, rejected = (said[1] for said in demo.SAID[:3])
    assert "Have your say" in page and published in page
    assert re.search(r"<title>([^<]*)</title>", page)[1].startswith(f"{open_one.title} · ")
    assert waiting not in page and rejected not in page
    # Funded requests carry their news, on their page and on the budget year's page.
    funded = Proposal.objects.get(title=demo.UPDATES[0][0])
    page = html.unescape(
        visitor.get(reverse("public:detail", args=["investments", funded.pk])).content.decode()
    )
    assert all(text in page for title, _, text in demo.UPDATES if title == funded.title)
    year = visitor.get(reverse("public:detail", args=["budget-cycles", funded.cycle_id]))
    assert demo.UPDATES[1][2] in html.unescape(year.content.decode())
    pages += [address, reverse("public:detail", args=["budget-cycles", funded.cycle_id])]
    # The readiness statements, in the visitor's language.
    spanish = Client(headers={"accept-language": "es"})
    statements = html.unescape(
        spanish.get(reverse("public:list", args=["readiness"])).content.decode()
    )
    assert all(heading in statements for _, heading, _, _ in demo.STATEMENTS)
    assert "data.json" in visitor.get(reverse("public:list", args=["data"])).content.decode()
    assert visitor.get(reverse("public:data_json")).status_code == 200

    hashes = set(ResidentInput.objects.values_list("address_hash", flat=True))
    addresses = {said[2] for said in demo.SAID} | {idea[2] for idea in demo.IDEAS}
    for client in (visitor, spanish):
        for path in pages:
            answer = client.get(path)
            assert answer.status_code == 200, path
            text = answer.content.decode() if not answer.streaming else ""
            if answer.streaming:
                text = b"".join(answer.streaming_content).decode()
            assert not [a for a in addresses | hashes if a in text], path

    # The board hears it: support and comments confirmed, the rejected one left out.
    said = residents.said("proposal", open_one.pk)
    assert said is not None and (said.support, said.comments, said.waiting) == (3, 2, 2)
    assert said.published == [published]
    rejected_item = ResidentInput.objects.get(body=rejected)
    assert rejected_item.status == "rejected" and rejected_item.reason
    # One idea became a draft request that links back; the other waits for a moderator.
    made, waits = (ResidentInput.objects.get(title=idea[0]) for idea in demo.IDEAS)
    assert made.proposal is not None and made.proposal.status == Proposal.Status.DRAFT
    assert f"number {made.pk}" in made.proposal.notes
    assert waits.proposal is None and waits.status == ResidentInput.Status.PENDING
