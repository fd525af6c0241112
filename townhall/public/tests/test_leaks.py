"""Published, never leaked: for every kind of record and every field the public site could
show, with that one field unpublished, neither its value nor its name appears on any public
page, feed, download, search result or error; with nothing published, nothing of the record
appears at all."""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from townhall.public import kinds, publishing
from townhall.public.kinds import PublicKind
from townhall.public.publishing import Published
from townhall.public.tests import samples


def test_every_kind_has_a_sample_record():
    assert {k.key for k in kinds.all_kinds()} == set(samples.SAMPLES)


def _everything_public(
    client: Client, kind: PublicKind, pk: int, words: list[str], languages: tuple = ("en", "es")
) -> Iterator[str]:
    """Every public answer that could show the record: pages in both languages, the feed,
    the download, searches for each word, and the errors of addresses near it."""
    addresses = [
        reverse("public:home"),
        reverse("public:list", args=[kind.slug]),
        reverse("public:list", args=[kind.slug]) + "?page=2",
        reverse("public:detail", args=[kind.slug, pk]),
        reverse("public:detail", args=[kind.slug, pk + 1000]),
        reverse("public:feed", args=[kind.slug]),
        reverse("public:csv", args=[kind.slug]),
        # A search shows what was asked: ask for all but the last letter of each word, which
        # finds the same records, so the whole word on the page can only be a result.
        *(reverse("public:search") + "?q=" + w[:-1] for w in words),
    ]
    for language in languages:
        client.cookies["django_language"] = language
        for address in addresses:
            response = client.get(address)
            assert response.status_code in (200, 404), (address, response.status_code)
            body = b"".join(response) if response.streaming else response.content
            yield body.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", kinds.all_kinds(), ids=lambda k: k.key)
def test_an_unpublished_field_shows_nowhere(kind, departments):
    record = samples.make(kind.key)
    every = Published(kind, kind.fields)
    full = publishing.record(every, record.pk)
    assert full is not None, f"the sample {kind.key} is not eligible to be public"
    texts = {v.field.name: v.text for v in full.values}
    # The sample's own words: a value a test can look for without meeting it elsewhere.
    words = {name: text for name, text in texts.items() if text.lower().startswith("zq")}
    assert words, f"the sample {kind.key} has no zq… texts to look for"
    client = Client()

    # Nothing published: the record is not there at all, not even its name.
    for body in _everything_public(client, kind, record.pk, [full.title, *words.values()]):
        assert full.title not in body
        assert not any(w in body for w in words.values())

    # Two rounds, each publishing half the fields: every field is out in one round and in
    # the other, so each is checked both ways in two rounds, not one round per field.
    names = list(kind.field_names)
    for hidden in (names[0::2], names[1::2]):
        samples.publish(kind.key, [n for n in names if n not in hidden])
        asked = [full.title, *(words[n] for n in names if n in words)]
        bodies = list(_everything_public(client, kind, record.pk, asked, ("en",)))
        assert any(full.title in b for b in bodies)  # the kind is public
        for name in names:
            field = kind.field(name)
            assert field is not None
            if name in hidden:
                for body in bodies:
                    assert words.get(name, "\0") not in body, f"{kind.key}.{name} leaked"
                    assert f">{field.label}<" not in body, f"{kind.key}.{name}'s heading shows"
            elif name in words:
                assert any(words[name] in b for b in bodies), f"{kind.key}.{name} never shows"

    # Internal notes are never a publishable field, and never show.
    samples.publish(kind.key, list(kind.field_names))
    for body in _everything_public(client, kind, record.pk, ["Zqnotes"]):
        assert "Zqnotes" not in body

    # Unpublishing the kind hides everything again.
    samples.publish(kind.key, list(kind.field_names), published=False)
    for body in _everything_public(client, kind, record.pk, [full.title]):
        assert full.title not in body


# --- Residents' input ---
@pytest.mark.django_db
def test_a_residents_address_shows_nowhere(client_for):
    """A resident's e-mail address, given to comment, is on no public page, feed, download,
    search or error, in either language, once the comment is published."""
    from townhall.public.models import ResidentInput
    from townhall.public.tests.input_helpers import ADDRESS, comment, last_link, open_proposal

    staff = client_for("staff")
    proposal = open_proposal(staff)
    client = Client()
    assert comment(client, proposal.pk, "Zqcomment a resident's words").status_code == 200
    client.post(last_link())
    item = ResidentInput.objects.get()
    staff.post(reverse("publishing:moderation"), {"input": item.pk, "action": "publish"})
    kind = kinds.get("proposal")
    assert kind is not None
    local = ADDRESS.split("@")[0]
    bodies = list(_everything_public(client, kind, proposal.pk, ["Zqcomment", local]))
    assert any("Zqcomment a resident" in b for b in bodies)  # the comment itself is public
    for body in bodies:
        assert local not in body
