"""The importable export reads back as "everything unchanged", for every kind of record.

The importer's tests load estate records, the records most kinds of import are about (a
test may import the module it tests against; production code may not)."""

import datetime
from decimal import Decimal

import pytest

from townhall.estate import models as m
from townhall.imports import kinds
from townhall.imports.tests.helpers import make, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(departments):
    pw, fin = departments["PW"], departments["FIN"]
    ana = make(m.Person, name="Ana Ruiz", email="ana@city.example", owner_department=pw)
    make(m.Person, name="-Dash Person", title="=HYPERLINK()", owner_department=fin)
    site = make(m.Location, name="City Hall DC", kind="data_center", address="1 Main St")
    tyler = make(m.Vendor, name="Tyler", aliases="Tyler Tech\nTTI", website="https://t.example")
    svc = make(m.Service, name="Pay Employees", owner_department=fin, audience="internal")
    payroll = make(
        m.System,
        name="Payroll",
        owner_department=fin,
        vendor=tyler,
        business_owner=ana,
        end_of_support=datetime.date(2027, 6, 30),
        cost_license=Decimal("1200.50"),
        cost_support=Decimal("-5.00"),
        holds_pii=True,
        criticality=2,
        time_disposition="invest",
        notes="two\nlines, with a comma",
        external_id="APP-1",
    )
    make(m.System, name="Payroll", owner_department=pw)  # same name, other department
    db = make(
        m.Component,
        name="db-01",
        owner_department=fin,
        location=site,
        install_date=datetime.date(2020, 1, 2),
        quantity=3,
        replacement_cost=Decimal("9000"),
    )
    contract = make(
        m.Contract,
        title="ERP support",
        vendor=tyler,
        number="C-1",
        owner_department=fin,
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2026, 12, 31),
        auto_renew=True,
        annual_cost=Decimal("12000"),
    )
    from townhall.core import context, services

    with context.acting("system"):
        services.update(
            context.SYSTEM, contract, {"systems": [payroll], "components": [db]}, version=None
        )
    from townhall.core.models import Tag

    tags = [make(Tag, name="pilot"), make(Tag, name="grant-funded")]
    with context.acting("system"):
        services.update(context.SYSTEM, payroll, {"tags": tags}, version=None)
        services.update(context.SYSTEM, db, {"tags": tags[:1]}, version=None)
    make(m.Dependency, from_service=svc, to_system=payroll, kind="runs_on", owner_department=fin)
    make(m.Dependency, from_system=payroll, to_component=db, kind="stores_data_in")
    db2 = make(m.Component, name="db-02", owner_department=fin)
    cluster = make(
        m.RedundancyGroup,
        name="Payroll database cluster",
        owner_department=fin,
        components=[db, db2],
        systems=[],
    )
    make(m.Dependency, from_system=payroll, to_group=cluster, kind="stores_data_in")
    return departments


# The platform's and the estate's kinds (continuity's have their own round trip).
ESTATE_KINDS = [k.key for k in kinds.all_kinds() if k.model._meta.app_label in ("org", "estate")]


@pytest.mark.parametrize("key", ESTATE_KINDS)
def test_export_then_import_is_unchanged(key, estate, client_for, users):
    client = client_for("staff")
    response = client.get(f"/import/export/{key}.csv")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    count = kinds.get(key).model._default_manager.count()
    assert count > 0
    out = run_import(users["staff"], key, data, f"{key}.csv")
    assert out.problems == []
    assert out.counts() == {"created": 0, "updated": 0, "unchanged": count, "rejected": 0}


def test_export_is_formula_safe(estate, client_for):
    text = b"".join(client_for("staff").get("/import/export/person.csv").streaming_content)
    assert b"'-Dash Person" in text and b"'=HYPERLINK()" in text


def test_template_has_the_canonical_columns(client_for):
    response = client_for("viewer").get("/import/template/system.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.strip().split(",")[:3] == ["Name", "Purpose", "Department"]
    assert response["Content-Disposition"].startswith("attachment")
