"""Estate list filters the dashboard and leaders rely on."""

import datetime

import pytest

from townhall.core import context, services
from townhall.estate import models as m


def rows_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""


@pytest.mark.django_db
def test_contract_notice_deadline_is_stored_and_filterable(client_for, departments):
    vendor = services.create(context.SYSTEM, m.Vendor, {"name": "Acme Civic Software"})
    soon = services.create(
        context.SYSTEM,
        m.Contract,
        {
            "title": "CAD support",
            "vendor": vendor,
            "end": datetime.date(2027, 3, 31),
            "notice_days": 60,
        },
    )
    later = services.create(
        context.SYSTEM,
        m.Contract,
        {"title": "GIS licence", "vendor": vendor, "end": datetime.date(2028, 1, 1)},
    )
    assert soon.notice_deadline == datetime.date(2027, 1, 30)
    assert later.notice_deadline == datetime.date(2028, 1, 1)
    services.update(context.SYSTEM, later, {"notice_days": 30}, version=1)
    later.refresh_from_db()
    assert later.notice_deadline == datetime.date(2027, 12, 2)
    html = rows_of(
        client_for("viewer").get(
            "/estate/contracts/?notice_after=2027-01-01&notice_before=2027-02-01"
        )
    )
    assert "CAD support" in html and "GIS licence" not in html


@pytest.mark.django_db
def test_systems_without_owner_and_support_window(client_for, departments):
    owner = services.create(context.SYSTEM, m.Person, {"name": "Dana Ortiz"})
    services.create(
        context.SYSTEM,
        m.System,
        {
            "name": "Permits",
            "business_owner": owner,
            "technical_owner": owner,
            "end_of_support": datetime.date(2027, 6, 1),
        },
    )
    services.create(
        context.SYSTEM,
        m.System,
        {
            "name": "Jail management",
            "business_owner": owner,
            "end_of_support": datetime.date(2029, 1, 1),
        },
    )
    client = client_for("viewer")
    html = rows_of(client.get("/estate/systems/?without_owner=true"))
    assert "Jail management" in html and "Permits" not in html
    html = rows_of(client.get("/estate/systems/?without_owner=false"))
    assert "Permits" in html and "Jail management" not in html
    html = rows_of(
        client.get(
            "/estate/systems/?end_of_support_after=2027-01-01&end_of_support_before=2028-01-01"
        )
    )
    assert "Permits" in html and "Jail management" not in html
