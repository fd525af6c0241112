"""Shadow IT's verbs, on the write path: deciding what a merchant is to IT."""

from typing import Any

from townhall.core import services
from townhall.shadowit.models import Merchant


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
