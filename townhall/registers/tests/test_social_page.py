"""The social media page and each account's page: flags, counts, who would take which
account with them, for what the reader may see, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from townhall.people.tests import factories as pf
from townhall.registers import social_input
from townhall.registers.tests import factories as f

URL = "/registers/social-media/"


def _accounts(departments, n=1):
    ann = pf.person(f"Ann Lee {n}", departments["PW"], email=f"ann{n}@juniper-county.example")
    bo = pf.person(f"Bo Diaz {n}", departments["FIN"], email=f"bo{n}@juniper-county.example")
    today = timezone.localdate()
    parks = f.social(
        f"@JuniperParks{n}",
        departments["PW"],
        platform="instagram",
        administrators=[ann],
        multi_factor=True,
        recovery_email=f"parks{n}@gmail.com",
        recovery_person=ann,
        last_reviewed_on=today - datetime.timedelta(days=30),
    )
    sheriff = f.social(
        f"@JuniperSheriff{n}",
        departments["FIN"],
        platform="x",
        administrators=[ann, bo],
        multi_factor=False,
        recovery_email=f"sheriff{n}@juniper-county.example",
        last_reviewed_on=today - datetime.timedelta(days=30),
    )
    return ann, bo, parks, sheriff


@pytest.mark.django_db
def test_the_page_shows_flags_counts_and_who_would_take_what(departments, client_for):
    ann, bo, parks, sheriff = _accounts(departments)
    response = client_for("manager").get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Social media at risk</h1>" in body
    overview = response.context["overview"]
    counts = {key: n for key, _, n in overview.counts}
    assert counts == {
        "one_admin": 1,
        "personal_recovery": 1,
        "no_recovery": 0,
        "no_mfa": 1,
        "not_reviewed": 0,
        "personal_credentials": 0,
    }
    assert [p.person.name for p in overview.leaving] == ["Ann Lee 1"]
    loss = overview.leaving[0].losses[0]
    assert loss.account.pk == parks.pk
    assert loss.reasons == ("the only administrator", "the recovery contacts are theirs")
    assert "the only administrator, the recovery contacts are theirs" in body
    assert "No multi-factor sign-in" in body


@pytest.mark.django_db
def test_a_liaison_sees_only_the_accounts_they_may(departments, users, client_for):
    _accounts(departments)
    # The liaison is Public Works', and register records are visible to every reader: the
    # page lists what `restrict` gives, nothing more.
    from townhall.registers.models import SocialAccount

    for role in ("liaison", "viewer", "board"):
        seen = SocialAccount.objects.restrict(users[role], "view").count()
        response = client_for(role).get(URL)
        assert response.status_code == 200
        assert len(response.context["overview"].accounts) == seen


@pytest.mark.django_db
def test_the_page_queries_do_not_grow(departments, client_for):
    client = client_for("manager")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    _accounts(departments, 1)
    queries()
    few = queries()
    for n in range(2, 5):
        _accounts(departments, n)
    assert queries() == few


@pytest.mark.django_db
def test_the_input_is_three_queries_or_two_with_domains_set(departments, users, settings):
    for n in range(1, 4):
        _accounts(departments, n)
    with CaptureQueriesContext(connection) as captured:
        social_input.accounts(users["manager"])
        social_input.government_domains()
    assert len(captured.captured_queries) == 3
    settings.REGISTERS_GOVERNMENT_DOMAINS = ["juniper-county.example"]
    with CaptureQueriesContext(connection) as captured:
        assert social_input.government_domains() == {"juniper-county.example"}
    assert len(captured.captured_queries) == 0


@pytest.mark.django_db
def test_a_configured_domain_list_decides_what_is_personal(departments, client_for, settings):
    _accounts(departments)
    settings.REGISTERS_GOVERNMENT_DOMAINS = ["juniper.gov"]
    overview = client_for("manager").get(URL).context["overview"]
    counts = {key: n for key, _, n in overview.counts}
    # The Sheriff's address is on the people's domain, which the list leaves out.
    assert counts["personal_recovery"] == 2


@pytest.mark.django_db
def test_an_accounts_page_shows_its_flags(departments, client_for):
    ann, bo, parks, sheriff = _accounts(departments)
    client = client_for("viewer")
    body = client.get(parks.get_absolute_url()).content.decode()
    assert 'id="social-flags"' in body
    assert "One administrator or none" in body
    assert "Personal recovery contacts" in body
    assert "Ann Lee 1</a> (the only administrator, the recovery contacts are theirs)" in body
    body = client.get(sheriff.get_absolute_url()).content.decode()
    assert "No multi-factor sign-in" in body
    assert "One administrator" not in body
    assert "No recovery contact" not in body
    assert 'id="social-leaving"' not in body
    # No recovery e-mail and no phone: nobody could reset it, on its page and the list's.
    bare = f.social("@JuniperLibrary", departments["PW"], administrators=[ann, bo])
    body = client.get(bare.get_absolute_url()).content.decode()
    assert "<li>No recovery contact</li>" in body
    assert "<li>Personal recovery contacts</li>" not in body
    page = client.get(URL)
    counts = {key: n for key, _, n in page.context["overview"].counts}
    assert counts["no_recovery"] == 1 and counts["personal_recovery"] == 1
    row = page.content.decode().split("@JuniperLibrary on Facebook</a>", 1)[1].split("</tr>", 1)[0]
    assert "No recovery contact" in row


@pytest.mark.django_db
def test_bad_query_strings_do_not_break_the_page(departments, client_for):
    _accounts(departments)
    client = client_for("staff")
    for query in ("?page=-1", "?x=" + "a" * 3000):
        assert client.get(URL + query).status_code == 200
    assert client.get(URL + "?flag=%00").status_code == 400  # the platform refuses a NUL
    assert client.post(URL).status_code == 405
