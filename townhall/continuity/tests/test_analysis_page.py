"""The continuity analysis page: ranked answers with every name linked, for each role, in a
number of queries that does not grow with the estate."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.continuity.tests import estate
from townhall.continuity.tests import factories as f

URL = "/continuity/analysis/"


def test_url_name():
    assert reverse("continuity:analysis") == URL


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(departments):
    response = Client().get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "viewer", "board", "liaison"])
def test_every_role_sees_the_ranked_answers(role, client_for, departments):
    s = estate.build(departments)
    response = client_for(role).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    payroll = reverse("estate:service_detail", args=[s["payroll"].pk])
    erp = reverse("estate:system_detail", args=[s["erp"].pk])
    san = reverse("estate:component_detail", args=[s["san"].pk])
    # The RTO gap, its size and its chain, every step linked.
    assert f'<a href="{payroll}">Payroll</a> → <a href="{erp}">ERP</a> →' in page
    assert f'→ <a href="{san}">SAN</a>' in page
    assert "<td>14 h</td>" in page
    assert "at least 0 h" in page  # Dispatch: the CAD server's restore time is unknown
    assert "Tier 3: 2 items" in page
    assert "4 recovery tiers" in page


@pytest.mark.django_db
def test_empty_estate(client_for):
    response = client_for("liaison").get(URL)
    assert response.status_code == 200
    assert b"No services recorded." in response.content


@pytest.mark.django_db
def test_post_is_refused(client_for):
    assert client_for("staff").post(URL).status_code == 405


@pytest.mark.django_db
def test_queries_do_not_grow_with_services(client_for, departments):
    estate.build(departments)
    client = client_for("liaison")

    def count():
        client.get(URL)  # the first request after a change has the analysis worked out again
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(20):
        svc = f.service(f"Extra {n}", departments["PW"])
        system = f.system(f"Extra system {n}", departments["FIN"])
        f.impact(svc, rto_hours=1, mission_essential=True)
        f.recovery(system, restore_hours=2)
        f.needs(svc, system)
    page = client.get(URL).content.decode()
    assert "Extra 19" in page
    assert count() == few
