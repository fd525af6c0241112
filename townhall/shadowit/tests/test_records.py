"""Shadow IT's sources join the platform's contract; their own rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.shadowit import models as m


class TestPurchaseContract(ResourceContract):
    model = m.Purchase

    def data(self, departments, n=1):
        return {
            "paid_by": "card",
            "purchased_on": datetime.date(2026, 3, 1 + n % 28),
            "descriptor": f"SQ *MERCHANT {n}",
            "amount": f"{n}.50",
            "currency": "USD",
            "mcc": "5734",
            "cardholder": f"Cardholder {n}",
        }

    def invalid(self, departments):
        return [
            ("mcc", lambda post: {"mcc": "57A4"}),
            ("currency", lambda post: {"currency": "US$"}),
        ]


class TestSignInAppContract(ResourceContract):
    model = m.SignInApp

    def data(self, departments, n=1):
        return {
            "application": f"App {n}",
            "username": f"user{n}@city.example",
            "last_sign_in": datetime.date(2026, 3, 1 + n % 28),
            "system": "entra",
        }


class TestDomainUseContract(ResourceContract):
    model = m.DomainUse

    def data(self, departments, n=1):
        return {
            "domain": f"site{n}.example",
            "requests": 100 + n,
            "users": 3,
            "period_start": datetime.date(2026, 3, 1),
            "period_end": datetime.date(2026, 3, 31),
        }

    def invalid(self, departments):
        return [("period_end", lambda post: {"period_end": "2026-02-01"})]


@pytest.mark.django_db
def test_a_domain_is_kept_in_lower_case_without_its_root_dot():
    with context.acting("system"):
        use = services.create(
            context.SYSTEM,
            m.DomainUse,
            {
                "domain": "Zoom.US.",
                "period_start": datetime.date(2026, 3, 1),
                "period_end": datetime.date(2026, 3, 31),
            },
        )
    assert use.domain == "zoom.us"


@pytest.mark.django_db
def test_a_refund_is_negative_and_the_currency_upper_case():
    with context.acting("system"):
        refund = services.create(
            context.SYSTEM,
            m.Purchase,
            {
                "purchased_on": datetime.date(2026, 3, 20),
                "descriptor": "AMZN Mktp US*2K3",
                "amount": "-37.48",
                "currency": "usd",
            },
        )
        assert (str(refund.amount), refund.currency) == ("-37.48", "USD")
        with pytest.raises(ValidationError):
            services.create(
                context.SYSTEM,
                m.Purchase,
                {
                    "purchased_on": datetime.date(2026, 3, 20),
                    "descriptor": "X",
                    "amount": 1,
                    "mcc": "123",
                },
            )


class TestMerchantContract(ResourceContract):
    shared = True
    model = m.Merchant

    def data(self, departments, n=1):
        return {"key": f"merchant {n}", "name": f"Merchant {n}", "category": "software"}

    def changed(self, departments):
        return {"name": "Merchant renamed"}


class TestMerchantRuleContract(ResourceContract):
    shared = True
    model = m.MerchantRule

    def data(self, departments, n=1):
        return {
            "name": f"Rule {n}",
            "match": "contains",
            "pattern": f"WORD{n}",
            "category": "software",
            "active": True,
        }

    def invalid(self, departments):
        return [
            ("pattern", lambda post: {"match": "mcc", "pattern": "57A4"}),
            ("pattern", lambda post: {"match": "regex", "pattern": "ZOOM("}),
        ]


class TestSubscriptionContract(ResourceContract):
    shared = True
    model = m.Subscription

    def data(self, departments, n=1):
        merchant = m.Merchant.objects.order_by("-pk").first()
        if merchant is None:
            with context.acting("system"):
                merchant = services.create(
                    context.SYSTEM, m.Merchant, {"key": f"vendor {n}", "name": f"Vendor {n}"}
                )
        return {
            "merchant": merchant.pk,
            "department": departments["PW"].pk,
            "cadence": "monthly",
            "first_charge": datetime.date(2026, 1, 5),
            "typical_amount": "14.99",
            "last_charge": datetime.date(2026, 3, 5),
            "next_expected": datetime.date(2026, 4, 5),
            "annual_cost": "179.88",
            "lapsed": False,
        }


class TestMerchantAnswerContract(ResourceContract):
    model = m.MerchantAnswer

    def data(self, departments, n=1):
        # One answer per merchant and department: each row answers about its own merchant,
        # which every department bought from (a department answers only about those).
        merchant = m.Merchant.objects.filter(key=f"answered {n}").first()
        if merchant is None:
            with context.acting("system"):
                merchant = services.create(
                    context.SYSTEM,
                    m.Merchant,
                    {
                        "key": f"answered {n}",
                        "name": f"Answered {n}",
                        "departments": [d.pk for d in departments.values()],
                    },
                )
        return {
            "merchant": merchant.pk,
            "purpose": f"Forms for permits {n}",
            "resident_data": "yes",
        }

    def invalid(self, departments):
        return [("resident_data", lambda post: {"resident_data": "maybe"})]
