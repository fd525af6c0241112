"""The merchant's page beyond the generic one: its purchases and subscriptions, deciding what
it is to IT, and asking for the merchants to be worked out again. Everyone who may see the
merchants reads them; only IT staff decide or ask (the verb refuses anyone else too)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from townhall.core import permissions, services
from townhall.jobs import runner
from townhall.shadowit import merchants
from townhall.shadowit import services as shadow_services
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
        "triage_moves": sorted(
            to for was, to in Merchant.transitions["status"] if was == obj.status
        ),
        "status_labels": dict(Merchant.Status.choices),
        **answer_pages.merchant_answers(request, obj),  # departments' answers, security review
        # Adopt, mark known, dismiss, add a rule: the queue's decisions (pages/queue.py).
        **(queue_pages.merchant_actions_context(request, obj) if can_triage else {}),
    }


@require_POST
def merchant_triage(request: HttpRequest, pk: int) -> HttpResponse:
    """Adopt, know, dismiss (with a reason) or reopen one merchant."""
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff decide what a merchant is.")
    merchant = get_object_or_404(Merchant.objects.restrict(request.user, "view"), pk=pk)
    version = request.POST.get("version", "")
    status = request.POST.get("status", "")
    if status not in Merchant.Status.values:
        messages.error(request, "Choose what the merchant is.")
        return redirect(merchant)
    try:
        shadow_services.triage(
            request.user,
            merchant,
            status,
            request.POST.get("reason", "")[:2000],
            version=int(version) if version.isdigit() else None,
        )
        messages.success(request, f"{merchant}: {Merchant.Status(status).label.lower()}.")
    except services.ConflictError as exc:
        messages.error(request, f"Someone changed this merchant meanwhile: {exc}")
    except ValidationError as exc:
        messages.error(request, f"Nothing was changed: {' '.join(exc.messages)}")
    return redirect(merchant)


@require_POST
def merchants_refresh(request: HttpRequest) -> HttpResponse:
    """Work the merchants out again from every purchase, now."""
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff ask for the merchants to be worked out again.")
    job = runner.submit(request.user, merchants.JOB_KIND, "Work out the shadow IT merchants", {})
    return redirect(job.get_absolute_url())
