"""The registers' front page and the reviews across registers."""

import pytest
from django.urls import reverse

from townhall.registers import reviews


@pytest.mark.django_db
def test_every_role_reads_the_front_page(client_for):
    for role in ("admin", "manager", "staff", "liaison", "board", "viewer"):
        response = client_for(role).get(reverse("registers:home"))
        assert response.status_code == 200
        assert b"<h1>Registers</h1>" in response.content
        assert len(response.context["registers"]) == len(reviews.reviewed_models())


@pytest.mark.django_db
def test_no_notice_for_people_reviews_do_not_concern(users):
    for role in ("liaison", "board", "viewer"):
        assert reviews.home_notice(users[role]) is None
