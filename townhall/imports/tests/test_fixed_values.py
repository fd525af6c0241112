"""A kind may fix a field's value for every row it reads (`ImportKind.fixed`): a second kind
on one model reads a whole file one way, whatever the file says, and exports only the
records it would read."""

import pytest

from townhall.core import context, plugins
from townhall.imports import exporting, kinds
from townhall.imports.tests.helpers import run_import
from townhall.org.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_offices(monkeypatch):
    """Departments of seven people: a kind of the platform's own model, for the test."""
    monkeypatch.setattr(plugins, "_import_kinds", dict(plugins._import_kinds))
    plugins.register_import_kind(
        plugins.ImportKind(
            key="small_office",
            label="Small offices",
            model="org.Department",
            order=1,
            fields=("name", "code"),
            fixed={"employees": 7},
        )
    )
    kinds.get.cache_clear()
    yield kinds.get("small_office")
    kinds.get.cache_clear()


def test_every_row_takes_the_fixed_value(small_offices):
    data = b"Name,Code,Employees\nHarbor Office,HRB,300\nFerry Office,FRY,\n"
    guessed = small_offices.guess(["Name", "Code", "Employees"])
    assert guessed["Employees"] == ""  # not a column of the kind
    out = run_import(context.SYSTEM, "small_office", data, "offices.csv")
    assert out.problems == [], out.report()
    assert out.counts()["created"] == 2
    made = Department.objects.filter(code__in=["HRB", "FRY"])
    assert sorted(made.values_list("employees", flat=True)) == [7, 7]


def test_the_export_holds_only_records_with_the_fixed_values(small_offices, departments):
    run_import(context.SYSTEM, "small_office", b"Name,Code\nHarbor Office,HRB\n", "o.csv")
    names = [row[0] for row in exporting.rows(small_offices, context.SYSTEM)]
    assert names == ["Harbor Office"]
    everyone = [row[0] for row in exporting.rows(kinds.get("department"), context.SYSTEM)]
    assert "Harbor Office" in everyone and len(everyone) > 1
