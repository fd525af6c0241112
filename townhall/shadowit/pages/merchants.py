"""The merchant's page beyond the generic one: its purchases and subscriptions, the queue's
decisions on it (pages/queue.py, the one way to decide), and asking for the merchants to be
worked out again. Everyone who may see the merchants reads them; only IT staff decide or
ask (the verbs refuse anyone else too)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from townhall.core import permissions
from townhall.jobs import runner
from townhall.shadowit import merchants
from townhall.shadowit.models import Merchant, Purchase, Subscription
from townhall.shadowit.pages import answers as answer_pages
from townhall.shadowit.pages import queue as queue_pages

SHOWN = 25


def merchant_context(request: Any, obj: Merchant) -> dict[str, Any]:
    """Its purchases (the newest, of those the reader may see) and its subscriptions."""
    purchases = Purchase.objects.restrict(request.user, "view").filter(merchant_key=obj.key)
    subs = Subscription.objects.restrict(request.user, "view").filter(merchant=obj)
    can_triage = permissions.is_it_staff(request.user)
    return {
        "merchant_purchases": list(
            purchases.select_related("owner_department").order_by("-purchased_on", "-id")[:SHOWN]
        ),
        "merchant_purchase_count": purchases.count(),
        "merchant_subscriptions": list(subs.select_related("department")),
        "can_triage": can_triage,
        **answer_pages.merchant_answers(request, obj),  # departments' answers, security review
        # Adopt (as a new system or one the estate has), mark known, dismiss, reopen, add a
        # rule: the queue's decisions (pages/queue.py), the one way to decide here.
        **(queue_pages.merchant_actions_context(request, obj) if can_triage else {}),
    }


@require_POST
def merchants_refresh(request: HttpRequest) -> HttpResponse:
    """Work the merchants out again from every purchase, now."""
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff ask for the merchants to be worked out again.")
    job = runner.submit(request.user, merchants.JOB_KIND, "Work out the shadow IT merchants", {})
    return redirect(job.get_absolute_url())
