"""Social media accounts join the platform's contract; their own rules; and recording a
review moves the next one (every register's records)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.people.tests import factories as pf
from townhall.registers.models import SocialAccount
from townhall.registers.tests import factories as f


class TestSocialAccountContract(ResourceContract):
    model = SocialAccount

    def data(self, departments, n=1):
        return {
            "platform": "instagram",
            "handle": f"@JuniperAccount{n}",
            "address": f"https://instagram.example/juniper{n}",
            "administrators": [pf.person(f"Admin {n}a"), pf.person(f"Admin {n}b")],
            "multi_factor": True,
            "credentials_kept_in": "vault",
            "recovery_email": f"social{n}@juniper.gov",
            "recovery_phone": "555-0100",
            "recovery_phone_government": True,
            "last_reviewed_on": datetime.date(2026, 1, 1),
        }

    def invalid(self, departments):
        return [
            ("handle", lambda post: {"handle": "Juniper Parks"}),
            (
                "recovery_phone_government",
                lambda post: {"recovery_phone": "", "recovery_phone_government": "true"},
            ),
            ("recovery_email", lambda post: {"recovery_email": "not an address"}),
            (
                "next_review_on",
                lambda post: {"last_reviewed_on": "2026-01-01", "next_review_on": "2025-12-01"},
            ),
        ]


@pytest.mark.django_db
def test_the_same_handle_twice_on_one_platform_is_refused(departments):
    f.social("@JuniperParks", departments["PW"], platform="instagram")
    f.social("@JuniperParks", departments["PW"], platform="x")
    with pytest.raises(ValidationError):
        f.social("@JuniperParks", departments["PW"], platform="instagram")


@pytest.mark.django_db
def test_a_recorded_review_moves_the_next_one(departments):
    account = f.social("@Juniper", departments["PW"], last_reviewed_on=datetime.date(2025, 1, 10))
    assert account.next_review_on == datetime.date(2026, 1, 10)
    with context.acting("system"):
        account = services.update(
            context.SYSTEM,
            account,
            {"last_reviewed_on": datetime.date(2026, 2, 1)},
            version=None,
        )
    assert account.next_review_on == datetime.date(2027, 2, 1)
    # A due day chosen with the review is kept.
    with context.acting("system"):
        account = services.update(
            context.SYSTEM,
            account,
            {
                "last_reviewed_on": datetime.date(2026, 3, 1),
                "next_review_on": datetime.date(2026, 9, 1),
            },
            version=None,
        )
    assert account.next_review_on == datetime.date(2026, 9, 1)
    # A change that is not a review leaves the due day alone.
    with context.acting("system"):
        account = services.update(context.SYSTEM, account, {"notes": "New admin"}, version=None)
    assert account.next_review_on == datetime.date(2026, 9, 1)


@pytest.mark.django_db
def test_a_review_recorded_on_the_edit_page_moves_the_next_one(departments, client_for):
    account = f.social(
        "@JuniperParks",
        departments["PW"],
        platform="instagram",
        last_reviewed_on=datetime.date(2025, 1, 10),
    )
    post = {
        "platform": "instagram",
        "handle": "@JuniperParks",
        "owner_department": departments["PW"].pk,
        "credentials_kept_in": "unknown",
        "last_reviewed_on": "2026-02-01",
        "next_review_on": "2026-01-10",
        "version": account.version,
    }
    from django.urls import reverse

    response = client_for("staff").post(
        reverse("registers:socialaccount_edit", args=[account.pk]), post
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert account.next_review_on == datetime.date(2027, 2, 1)
