"""Forms offer a department liaison only their own department as the owner of a record
(they may save no other), and IT staff every department; a liaison's bulk edit has no
owner department to set, since every row they may select is theirs already."""

import re

import pytest
from django.urls import reverse

from townhall.core import context, services
from townhall.estate.models import System
from townhall.org.models import Department


@pytest.fixture
def many_departments(departments) -> dict[str, Department]:
    more = {
        code: services.create(context.SYSTEM, Department, {"name": name, "code": code})
        for code, name in (("PRK", "Parks"), ("LIB", "Library"), ("HLT", "Health"))
    }
    return {**departments, **more}


def department_options(page: str, name: str = "owner_department") -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no {name} field"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_a_liaison_adding_a_record_is_offered_only_their_department(client_for, many_departments):
    page = client_for("liaison").get(reverse("estate:system_add")).content.decode()
    pw = many_departments["PW"]
    assert department_options(page) == [(str(pw.pk), str(pw))]
    assert re.search(rf'<option value="{pw.pk}" selected>', page)


def test_it_staff_are_offered_every_department(client_for, many_departments):
    page = client_for("staff").get(reverse("estate:system_add")).content.decode()
    offered = {value for value, _ in department_options(page) if value}
    assert offered == {str(d.pk) for d in many_departments.values()}


def test_a_liaison_editing_their_record_cannot_pick_another_department(
    client_for, many_departments, users
):
    pw = many_departments["PW"]
    system = services.create(
        users["staff"], System, {"name": "Work orders", "owner_department": pw}
    )
    client = client_for("liaison")
    page = client.get(reverse("estate:system_edit", args=[system.pk])).content.decode()
    assert department_options(page) == [(str(pw.pk), str(pw))]
    # A form that failed validation offers the same single choice.
    bad = client.post(
        reverse("estate:system_edit", args=[system.pk]),
        {"name": "", "owner_department": pw.pk, "version": system.version},
    )
    assert bad.status_code == 400
    assert department_options(bad.content.decode()) == [(str(pw.pk), str(pw))]


@pytest.mark.parametrize(("role", "offered"), [("liaison", False), ("staff", True)])
def test_bulk_edit_offers_the_owner_department_to_it_staff_only(
    role, offered, client_for, many_departments, users
):
    system = services.create(
        users["staff"], System, {"name": "Work orders", "owner_department": many_departments["PW"]}
    )
    page = client_for(role).post(reverse("estate:system_bulk_edit"), {"pk": [system.pk]})
    assert page.status_code == 200
    assert ('name="owner_department"' in page.content.decode()) is offered
