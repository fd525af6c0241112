"""Foundation records join the platform's contract; the suggestion's own rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.cyber.models import ProductRelease
from townhall.estate.models import Component, System
from townhall.foundation import models as m

KINDS = list(Component.Kind.values)


class TestServiceLifeContract(ResourceContract):
    model = m.ServiceLife
    shared = True

    def data(self, departments, n=1):
        return {"kind": KINDS[n % len(KINDS)], "years": 5 + n % 3}

    def invalid(self, departments):
        return [
            ("years", lambda post: {"years": "0"}),
            ("years", lambda post: {"years": "51"}),
        ]

    @pytest.mark.django_db
    def test_list_queries_do_not_grow_with_rows(self, users, departments):
        # The contract's version lists 100 rows, but there is one row per kind of component:
        # compare 3 rows with one for every kind instead.
        client = Client()
        client.force_login(users["liaison"])

        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(self.url("list") + "?per_page=100").status_code == 200
            return len(ctx.captured_queries)

        for n in range(3):
            self.make(departments, n=n)
        few = queries()
        for n in range(3, len(KINDS)):
            self.make(departments, n=n)
        assert self.count() == len(KINDS)
        assert queries() == few


class TestUnitCostContract(ResourceContract):
    model = m.UnitCost
    shared = True

    def data(self, departments, n=1):
        return {"kind": "server", "model_number": f"R{n}", "capital": 1000 + n, "operating": -5}

    def invalid(self, departments):
        return [
            ("capital", lambda post: {"capital": "-1"}),
            ("kind", lambda post: {"kind": "toaster"}),
        ]


class TestCapitalCapContract(ResourceContract):
    model = m.CapitalCap
    shared = True

    def data(self, departments, n=1):
        # A year per row, within 2000–2100, for the row numbers the contract uses.
        if n >= 2000:
            year = 2010 + (n - 2000) % 91
        elif n >= 1000:
            year = 2000 + (n - 1000) % 10
        else:
            year = 2000 + n % 101
        return {"fiscal_year": year, "amount": 100000 + n}

    def invalid(self, departments):
        return [
            ("amount", lambda post: {"amount": "-1"}),
            ("fiscal_year", lambda post: {"fiscal_year": "1999"}),
        ]


@pytest.mark.django_db
def test_a_suggestion_concerns_one_item_and_its_state_agrees_with_its_date(departments):
    release = services.create(
        context.SYSTEM, ProductRelease, {"product": "widget-os", "cycle": "1"}
    )
    system = services.create(
        context.SYSTEM, System, {"name": "Permits", "owner_department": departments["PW"]}
    )
    box = services.create(
        context.SYSTEM, Component, {"name": "srv-1", "owner_department": departments["PW"]}
    )
    day = datetime.date(2027, 1, 1)
    for values, field in [
        ({"release": release}, None),
        ({"release": release, "system": system, "component": box}, None),
        ({"release": release, "system": system}, "end_of_support"),
        (
            {
                "release": release,
                "system": system,
                "support_state": "no_end_date",
                "end_of_support": day,
            },
            "end_of_support",
        ),
    ]:
        values.setdefault("support_state", "dated")
        with pytest.raises(ValidationError) as refused:
            services.create(context.SYSTEM, m.SupportSuggestion, values)
        if field:
            assert field in refused.value.message_dict
    made = services.create(
        context.SYSTEM,
        m.SupportSuggestion,
        {"release": release, "component": box, "support_state": "dated", "end_of_support": day},
    )
    assert made.status == "pending" and made.item == box
    assert str(made) == "srv-1: support ends January 1, 2027"
