"""The demo county's social media accounts: across departments, with the problems counties
find, once."""

import pytest

from townhall.core import context
from townhall.estate import demo as estate_demo
from townhall.org import demo as org_demo
from townhall.registers import demo, social, social_input
from townhall.registers.models import SocialAccount

SIZES = estate_demo.Sizes(
    services=20,
    systems=30,
    components=60,
    vendors=4,
    contracts=3,
    dependencies=100,
    it_staff=6,
    owners_per_department=1,
)


@pytest.mark.django_db
def test_the_demo_social_accounts_tell_the_story_once(users):
    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        made = demo.load_social()
    assert made == len(demo.SOCIAL) == SocialAccount.objects.count()
    assert SocialAccount.objects.values("owner_department").distinct().count() >= 8
    parks = SocialAccount.objects.get(handle="@JuniperParks")
    assert parks.administrators.count() == 1 and parks.recovery_email.endswith("@gmail.com")
    assert not SocialAccount.objects.get(handle="@JuniperSheriff").multi_factor
    overview = social.overview(
        social_input.accounts(users["manager"]),
        social_input.government_domains(),
        parks.created_at.date(),
    )
    counts = {key: n for key, _, n in overview.counts}
    assert all(counts.values()), counts  # every problem shows somewhere
    assert counts["personal_recovery"] == 4
    assert len(overview.leaving) >= 3
    parks_admin = parks.administrators.get()
    [entry] = [p for p in overview.leaving if p.person.pk == parks_admin.pk]
    assert parks.handle + " on Instagram" in [loss.account.name for loss in entry.losses]
    assert demo.load_social() == 0
