"""A system's and a component's support status kept with its end-of-support date, by the
model, so every door agrees: the write path, the importer (with the words cities use)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from townhall.core import context, services
from townhall.estate import models as m
from townhall.imports.tests.helpers import run_import

SYSTEM = context.SYSTEM
D = datetime.date


@pytest.mark.django_db
def test_a_date_alone_says_the_status_and_contradictions_are_refused(departments):
    pw = departments["PW"]
    dated = services.create(
        SYSTEM,
        m.Component,
        {"name": "sw-1", "owner_department": pw, "end_of_support": D(2028, 1, 1)},
    )
    assert dated.support_state == "dated"
    plain = services.create(SYSTEM, m.System, {"name": "Permits", "owner_department": pw})
    assert plain.support_state == "unknown"
    with pytest.raises(ValidationError) as refused:
        services.update(SYSTEM, plain, {"support_state": "dated"}, version=plain.version)
    assert "end_of_support" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.update(SYSTEM, dated, {"support_state": "no_end_date"}, version=dated.version)
    assert "support_state" in refused.value.message_dict
    # Clearing the date needs a status that has none.
    with pytest.raises(ValidationError):
        services.update(SYSTEM, dated, {"end_of_support": None}, version=dated.version)
    services.update(
        SYSTEM,
        dated,
        {"end_of_support": None, "support_state": "no_end_date"},
        version=dated.version,
    )
    assert m.Component.objects.get(pk=dated.pk).support_state == "no_end_date"


@pytest.mark.django_db
def test_the_importer_reads_the_support_status_column(departments):
    data = (
        b"Name,Department,Support status,End of support\n"
        b"Cloud mail,PW,Supported,\n"
        b"Old permits,PW,,2024-12-31\n"
        b"Mystery,PW,TBD,\n"
        b"Confused,PW,No end date announced,2027-01-01\n"
    )
    out = run_import(SYSTEM, "system", data, "s.csv", valid_only=True)
    states = dict(m.System.objects.values_list("name", "support_state"))
    assert states == {"Cloud mail": "no_end_date", "Old permits": "dated", "Mystery": "unknown"}
    assert [(p.row, p.column) for p in out.problems] == [(5, "Support status")]
    assert "End of support date known" in out.problems[0].reason


@pytest.mark.django_db
def test_the_lists_filter_by_support_status(departments, client_for):
    pw = departments["PW"]
    services.create(
        SYSTEM,
        m.Component,
        {"name": "known-1", "owner_department": pw, "support_state": "no_end_date"},
    )
    services.create(SYSTEM, m.Component, {"name": "blank-1", "owner_department": pw})
    page = client_for("viewer").get("/estate/components/?support_state=unknown").content.decode()
    assert "blank-1" in page and "known-1" not in page
