"""The merchant job writes what a reference vendor's tool does, and leaves a person's answer
for merchants the reference list does not know."""

import datetime
from decimal import Decimal

import pytest

from townhall.core import context, services
from townhall.shadowit import merchants
from townhall.shadowit.models import Merchant, Purchase


def _buy(descriptor, department):
    return {
        "purchased_on": datetime.date(2026, 3, 5),
        "descriptor": descriptor,
        "amount": Decimal("20.00"),
        "mcc": "",
        "owner_department": department,
        "cardholder": "Pat",
    }


def _run():
    with context.acting("task"):
        merchants.work_out(context.SYSTEM, datetime.date(2026, 4, 10))


@pytest.mark.django_db
def test_the_kind_of_tool_comes_from_the_reference_vendor(departments):
    pw = departments["PW"]
    rows = [
        _buy("ZOOM.US 888-799-9666", pw),
        _buy("DOCUSIGN INC 866-219-4318 CA", pw),
        _buy("JOTFORM INC.", pw),
        _buy("SQ *GOVFORMS", pw),
        _buy("CDW GOVT #ABC1234 800-808-4239 IL", pw),
    ]
    with context.acting("system"):
        services.create_many(context.SYSTEM, Purchase, rows)
    _run()
    kinds = dict(Merchant.objects.values_list("key", "tool_kind"))
    assert kinds == {
        "zoom": "video meetings",
        "docusign": "e-signature",
        "jotform": "online forms",
        "govforms": "",  # not on the reference list
        "cdw": "",  # a reseller of everything
    }

    govforms = Merchant.objects.get(key="govforms")
    with context.acting("system"):
        services.update(
            context.SYSTEM, govforms, {"tool_kind": "online forms"}, version=govforms.version
        )
    _run()
    govforms.refresh_from_db()
    assert govforms.tool_kind == "online forms"  # a person's answer stays
