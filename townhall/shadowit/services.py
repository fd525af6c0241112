"""Shadow IT's verbs, on the write path: deciding what a merchant is to IT, a department's
answers about the merchants it bought from, and IT's security reviews."""

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from townhall.audit.models import AuditEntry
from townhall.core import services
from townhall.org.models import Department
from townhall.shadowit.models import Merchant, MerchantAnswer


def triage(
    user: Any, merchant: Merchant, status: str, reason: str = "", version: int | None = None
) -> Merchant:
    """Move `merchant` to `status` (adopted, known, dismissed with a reason, or back to new).
    Only IT staff decide (`Merchant.may_transition`); the merchant job never undoes it."""
    reason = (reason or "").strip()
    extra = {"dismiss_reason": reason} if status == Merchant.Status.DISMISSED else {}
    return services.transition(
        user, merchant, status, field="status", note=reason, extra=extra, version=version
    )


def answer(
    user: Any,
    merchant: Merchant,
    department: Department,
    purpose: str,
    resident_data: str,
    version: int | None = None,
) -> MerchantAnswer:
    """Keep `department`'s answer about `merchant`: what it is for and whether it holds
    residents' data. Creates the department's answer or changes it; the write path refuses
    anyone who may not keep the department's records (a liaison of another department).

    `version` is the answer's version the person started from, 0 when they saw none: an
    answer someone saved meanwhile is a conflict, not overwritten. None skips the check
    (no person editing: the demo)."""
    data = {"purpose": (purpose or "").strip(), "resident_data": resident_data}
    current = MerchantAnswer.objects.filter(merchant=merchant, owner_department=department).first()
    if current is None:
        return services.create(
            user, MerchantAnswer, {"merchant": merchant, "owner_department": department, **data}
        )
    if version == 0:
        raise services.ConflictError(current, _entries(current))
    return services.update(user, current, data, version=version)


def _entries(answer: MerchantAnswer) -> list[Any]:
    """The history of an answer someone saved before the person's own, for the conflict."""
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(MerchantAnswer),
            object_id=str(answer.pk),
        )
    )


def record_security_review(
    user: Any, merchant: Merchant, day: datetime.date | None = None, version: int | None = None
) -> Merchant:
    """Note that IT reviewed the merchant's security on `day` (today when not given). Only
    IT staff change a merchant, so the write path refuses anyone else."""
    day = day or timezone.localdate()
    return services.update(user, merchant, {"security_reviewed_on": day}, version=version)
