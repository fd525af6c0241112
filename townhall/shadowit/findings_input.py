"""Feeds `findings.py` from the database: only what the reader may see (every queryset
through `restrict(user, "view")`), as plain rows, in a fixed number of queries whatever the
number of merchants or purchases."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings

from townhall.estate.models import Contract, System
from townhall.org.models import Department
from townhall.shadowit import findings
from townhall.shadowit.models import Merchant, MerchantAnswer, Purchase


def consolidation_share() -> Decimal:
    """The share of the other departments' spend counted as saved by buying a tool once
    (`SHADOWIT_CONSOLIDATION_SHARE` in the settings, else `findings.CONSOLIDATION_SHARE`)."""
    value = getattr(settings, "SHADOWIT_CONSOLIDATION_SHARE", findings.CONSOLIDATION_SHARE)
    return Decimal(str(value))


def it_departments() -> frozenset[int]:
    """IT's own departments, by code (`SHADOWIT_IT_DEPARTMENTS` in the settings, "IT" unless
    set; case ignored): what they buy is bought by IT."""
    codes = [c.lower() for c in getattr(settings, "SHADOWIT_IT_DEPARTMENTS", ("IT",))]
    if not codes:
        return frozenset()
    return frozenset(
        pk for pk, code in Department.objects.values_list("id", "code") if code.lower() in codes
    )


def read(user: Any, today: datetime.date) -> findings.Input:
    """The rows for `user` on `today`: merchants (everyone signed in reads them), the
    purchases of the window, departments' answers, contracts and systems they may see."""
    first, last, _ = findings.window(today)
    merchants = [
        findings.MerchantRow(*row)
        for row in Merchant.objects.restrict(user, "view").values_list(
            "id",
            "key",
            "name",
            "category",
            "status",
            "tool_kind",
            "vendor_id",
            "system_id",
            "sign_in_application",
            "users",
            "security_reviewed_on",
        )
    ]
    purchases = [
        findings.PurchaseRow(*row)
        for row in Purchase.objects.restrict(user, "view")
        .filter(purchased_on__gte=first, purchased_on__lte=last)
        .exclude(merchant_key="")
        .order_by()
        .values_list("id", "merchant_key", "owner_department_id", "amount", "purchased_on")
        .iterator(chunk_size=5000)
    ]
    answers = [
        findings.AnswerRow(*row)
        for row in MerchantAnswer.objects.restrict(user, "view")
        .order_by()
        .values_list("id", "merchant_id", "owner_department_id", "resident_data")
    ]
    contract_rows = list(
        Contract.objects.restrict(user, "view")
        .order_by()
        .values_list("id", "vendor_id", "start", "end")
    )
    covers: dict[int, list[int]] = {}
    for contract_id, system_id in Contract.systems.through.objects.filter(
        contract_id__in=[c[0] for c in contract_rows]
    ).values_list("contract_id", "system_id"):
        covers.setdefault(contract_id, []).append(system_id)
    contracts = [
        findings.ContractRow(cid, vendor, start, end, tuple(covers.get(cid, ())))
        for cid, vendor, start, end in contract_rows
    ]
    systems = []
    for sid, dept, lic, sup, host, staff, lifecycle, pii in (
        System.objects.restrict(user, "view")
        .order_by()
        .values_list(
            "id",
            "owner_department_id",
            "cost_license",
            "cost_support",
            "cost_hosting",
            "cost_staff",
            "lifecycle",
            "holds_pii",
        )
    ):
        known = [c for c in (lic, sup, host, staff) if c is not None]
        cost = sum(known, Decimal(0)) if known else None
        systems.append(findings.SystemRow(sid, dept, cost, lifecycle, pii))
    return findings.Input(
        today=today,
        merchants=merchants,
        purchases=purchases,
        answers=answers,
        contracts=contracts,
        systems=systems,
        share=consolidation_share(),
        it_departments=it_departments(),
    )


def department_names() -> dict[int, str]:
    """Every department's name by id (names are not secret: every list shows them)."""
    return dict(Department.objects.order_by().values_list("id", "name"))


def compute(user: Any, today: datetime.date) -> findings.Findings:
    return findings.compute(read(user, today))
