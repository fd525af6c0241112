"""The foundation front page: support coverage against the goal, ends past and near, the
pending suggestions, and links to the records behind each figure."""

import datetime

import pytest
from django.test import Client

from townhall.core import context, services
from townhall.cyber.models import ProductRelease
from townhall.estate.models import Component, System
from townhall.foundation import dashboard
from townhall.foundation.models import ServiceLife, SupportSuggestion

D = datetime.date
TODAY = D(2026, 6, 1)


def create(model, **values):
    return services.create(context.SYSTEM, model, values)


@pytest.fixture
def estate(departments):
    pw, fin = departments["PW"], departments["FIN"]
    create(ServiceLife, kind="server", years=5)
    create(ServiceLife, kind="network_device", years=7)
    rows = [
        # name, kind, department, end of support, state, install date, own life, status
        ("srv-past", "server", pw, D(2026, 1, 1), "", None, None, "in_service"),
        ("srv-soon", "server", pw, D(2027, 5, 1), "", None, None, "in_service"),
        ("srv-later", "server", fin, D(2030, 1, 1), "", None, None, "in_service"),
        ("srv-open", "server", pw, None, "no_end_date", None, None, "in_service"),
        ("srv-old", "server", pw, None, "", D(2020, 1, 1), None, "in_service"),  # life over
        ("srv-own", "server", pw, None, "", D(2024, 1, 1), 3, "in_service"),  # 2027-01-01
        ("sw-young", "network_device", pw, None, "", D(2024, 1, 1), None, "in_service"),
        ("srv-gone", "server", pw, None, "", D(2010, 1, 1), None, "retired"),
    ]
    for name, kind, dept, eos, state, installed, own, status in rows:
        values = {
            "name": name,
            "kind": kind,
            "owner_department": dept,
            "end_of_support": eos,
            "install_date": installed,
            "service_life_years": own,
            "status": status,
        }
        if state:
            values["support_state"] = state
        create(Component, **values)
    create(System, name="Permits", owner_department=pw, end_of_support=D(2025, 1, 1))
    create(System, name="Mail", owner_department=pw)
    release = create(ProductRelease, product="widget-os", cycle="1")
    system = System.objects.get(name="Mail")
    create(SupportSuggestion, system=system, release=release, support_state="no_end_date")


@pytest.mark.django_db
def test_the_figures(estate, users):
    found = dashboard.summary(users["staff"], today=TODAY)
    components = found["coverage"]["components"]
    # Seven not retired; four known (three dated, one open-ended).
    assert (components["total"], components["known"], components["unknown"]) == (7, 4, 3)
    assert components["percent"] == 57 and not components["met"]
    assert components["unknown_url"] == "/estate/components/?support_state=unknown"
    systems = found["coverage"]["systems"]
    assert (systems["total"], systems["known"], systems["percent"]) == (2, 1, 50)
    assert found["support"]["components"]["past"] == 1
    assert found["support"]["components"]["soon"] == 1
    assert found["support"]["systems"]["past"] == 1
    # srv-old ended its five years in 2025; srv-own's own three years end in January 2027;
    # the switch has seven; the retired server is not counted.
    assert found["life"] == {"past": 1, "soon": 1}
    assert found["pending"] == 1


def test_the_goal_is_met_only_at_95_percent():
    assert dashboard.percent(94, 100) == 94
    assert dashboard.percent(949, 1000) == 94  # never rounded up to the goal
    assert dashboard.percent(0, 0) is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "staff", "liaison", "board", "viewer"])
def test_the_front_page_for_each_role(estate, client_for, role):
    response = client_for(role).get("/foundation/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Goal 95%" in page
    assert 'href="/estate/components/?support_state=unknown"' in page
    assert "1 support suggestion" in page


@pytest.mark.django_db
def test_the_front_page_with_nothing_recorded(users, client_for):
    assert Client().get("/foundation/").status_code == 302  # sign in first
    page = client_for("viewer").get("/foundation/").content.decode()
    assert "Nothing recorded yet" in page and "No support suggestion is waiting" in page
