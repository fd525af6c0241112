"""The triage queue: every merchant that is technology, the undecided newest first, with
what IT needs to decide (who bought it and for how much, who signs in to it, whether the
estate already has it), and the decisions themselves. Everyone who may see the merchants
reads it; only IT staff get the actions (the verbs in `services.py` refuse anyone else too).

A page costs the same queries whatever the number of merchants: the page's merchants with
their vendor and system, the departments signing in to them, one grouped read of their
purchases by department, and one read of which of their systems the reader may see.

A merchant found in the sign-ins or the domains reached alone (`usage.discover`) has no
first purchase: it comes after those bought among the undecided, and the "Found in" filter
("Only in sign-ins") lists them together."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from townhall.core import permissions, services
from townhall.core.http import whole_number
from townhall.core.paging import Paginator
from townhall.estate.models import System
from townhall.org.models import Department
from townhall.shadowit import services as shadow_services
from townhall.shadowit.models import CATEGORY_CHOICES, Merchant, Purchase

PER_PAGE = 25
TECHNOLOGY = [(v, label) for v, label in CATEGORY_CHOICES if v != "not_technology"]
ACTIONS = ("adopt", "known", "dismiss", "reopen", "rule")
# How many merchants one bulk decision may name: a few pages' worth, never a whole table.
MOST_AT_ONCE = 500
# Where a merchant was found, as the queue filters it.
FOUND_IN = [
    ("purchases", "Purchases"),
    ("sign_ins", "Sign-ins"),
    ("both", "Both purchases and sign-ins"),
    ("only_sign_ins", "Only in sign-ins"),
    ("only_domains", "Only in domains reached"),
]
_BOUGHT = Q(purchases__gt=0) | Q(first_seen__isnull=False)
_SIGNED_IN = Q(last_sign_in__isnull=False)
FOUND_FILTERS = {
    "purchases": _BOUGHT,
    "sign_ins": _SIGNED_IN,
    "both": _BOUGHT & _SIGNED_IN,
    "only_sign_ins": ~_BOUGHT & _SIGNED_IN,
    "only_domains": ~_BOUGHT & ~_SIGNED_IN,
}


@dataclass
class Row:
    merchant: Merchant
    spend: list[tuple[int, str, Decimal]] = field(default_factory=list)
    system_visible: bool = False

    @property
    def can_adopt(self) -> bool:
        return (self.merchant.status, "adopted") in Merchant.transitions["status"]

    @property
    def can_know(self) -> bool:
        return (self.merchant.status, "known") in Merchant.transitions["status"]

    @property
    def can_dismiss(self) -> bool:
        return (self.merchant.status, "dismissed") in Merchant.transitions["status"]


def queue_queryset(user: Any, params: QueryDict) -> tuple[Any, dict[str, str]]:
    """The merchants the reader may see that are technology, filtered by triage status,
    category, department (bought by, or for a merchant nobody bought, signing in) and
    where it was found (purchases, sign-ins, domains reached), the undecided first and the
    newest first among them; and the filters as understood (unknown values are ignored)."""
    qs = Merchant.objects.restrict(user, "view").exclude(category="not_technology")
    chosen: dict[str, str] = {}
    status = params.get("status", "")
    if status in Merchant.Status.values:
        qs = qs.filter(status=status)
        chosen["status"] = status
    category = params.get("category", "")
    if category in dict(TECHNOLOGY):
        qs = qs.filter(category=category)
        chosen["category"] = category
    department = params.get("department", "")
    if department.isdigit() and len(department) < 12:
        qs = qs.filter(departments=int(department))
        chosen["department"] = department
    found = params.get("found", "")
    if found in FOUND_FILTERS:
        qs = qs.filter(FOUND_FILTERS[found])
        chosen["found"] = found
    undecided = Case(
        When(status="new", then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    qs = qs.annotate(undecided=undecided).order_by(
        "undecided", F("first_seen").desc(nulls_last=True), "key", "pk"
    )
    return qs, chosen


def _rows(user: Any, merchants: list[Merchant]) -> list[Row]:
    """Each merchant with its spend by department (of the purchases the reader may see) and
    whether the reader may see the system it was adopted as."""
    rows = [Row(m) for m in merchants]
    keys = [m.key for m in merchants]
    spend: dict[str, list[tuple[int, str, Decimal]]] = defaultdict(list)
    if keys:
        grouped = (
            Purchase.objects.restrict(user, "view")
            .filter(merchant_key__in=keys, owner_department__isnull=False)
            .values("merchant_key", "owner_department", "owner_department__name")
            .annotate(spent=Sum("amount"))
            .order_by()
        )
        for g in grouped:
            spend[g["merchant_key"]].append(
                (g["owner_department"], g["owner_department__name"], g["spent"] or Decimal(0))
            )
    system_ids = [m.system_id for m in merchants if m.system_id is not None]
    visible = (
        set(
            System.objects.restrict(user, "view")
            .filter(pk__in=system_ids)
            .values_list("pk", flat=True)
        )
        if system_ids
        else set()
    )
    for row in rows:
        row.spend = sorted(spend.get(row.merchant.key, []), key=lambda s: (-s[2], s[1]))
        row.system_visible = row.merchant.system_id in visible
    return rows


@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The triage queue, a page at a time."""
    qs, chosen = queue_queryset(request.user, request.GET)
    paginator = Paginator(
        qs.select_related("vendor", "system").prefetch_related("sign_in_departments"), PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    query.update(chosen)
    here = reverse("shadowit:queue") + (f"?{query.urlencode()}" if chosen else "")
    if page.number > 1:
        here += ("&" if chosen else "?") + f"page={page.number}"
    context = {
        "page": page,
        "rows": _rows(request.user, list(page.object_list)),
        "query": query.urlencode(),
        "chosen": chosen,
        "statuses": Merchant.Status.choices,
        "categories": TECHNOLOGY,
        "found_in": FOUND_IN,
        "departments": list(Department.objects.order_by("name").values_list("pk", "name")),
        "can_triage": permissions.is_it_staff(request.user),
        "rule_categories": CATEGORY_CHOICES,
        "here": here,
    }
    return render(request, "shadowit/queue.html", context)


def merchant_actions_context(request: Any, merchant: Merchant) -> dict[str, Any]:
    """What the merchant's page needs to show the same decisions as the queue, and the
    estate's systems the reader may see, to adopt it as one that already exists."""
    spend = _rows(request.user, [merchant])[0].spend
    systems = (
        System.objects.restrict(request.user, "view")
        .order_by("name", "owner_department__name", "pk")
        .values_list("pk", "name", "owner_department__name")
    )
    return {
        "merchant_spend": spend,
        "rule_categories": CATEGORY_CHOICES,
        "adopt_systems": list(systems),
    }


def _back(request: HttpRequest, merchant: Merchant) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return merchant.get_absolute_url()


def _number(raw: str) -> int | None:
    """A record's id from a form, or None for anything else."""
    return whole_number(raw, 11)


@require_POST
def merchant_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Adopt into the estate, mark known, dismiss with a reason, or add a rule from the
    merchant; from the queue or from the merchant's page, back to where it was asked."""
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff decide what a merchant is.")
    merchant = get_object_or_404(Merchant.objects.restrict(request.user, "view"), pk=pk)
    back = _back(request, merchant)
    if action not in ACTIONS:
        messages.error(request, "Choose what to do with the merchant.")
        return redirect(back)
    version = _number(request.POST.get("version", ""))
    try:
        if action == "adopt":
            department = _number(request.POST.get("department", ""))
            existing = _number(request.POST.get("system", ""))
            system = shadow_services.adopt(
                request.user,
                merchant,
                department,
                name=request.POST.get("name", "")[:200],
                version=version,
                system=existing,
            )
            how = "linked to the estate's system" if existing else "adopted into the estate as"
            messages.success(request, f"{merchant} {how} {system} ({system.owner_department}).")
        elif action == "reopen":
            shadow_services.reopen(request.user, merchant, version=version)
            messages.success(request, f"{merchant}: back to new, undecided.")
        elif action == "known":
            shadow_services.mark_known(request.user, merchant, version=version)
            messages.success(request, f"{merchant}: known and allowed.")
        elif action == "dismiss":
            reason = request.POST.get("reason", "")[:2000]
            shadow_services.dismiss(request.user, merchant, reason, version=version)
            messages.success(request, f"{merchant}: dismissed.")
        else:
            category = request.POST.get("category", "")
            if category not in dict(CATEGORY_CHOICES):
                category = ""
            rule = shadow_services.add_rule(request.user, merchant, category or None)
            messages.success(
                request,
                f"Rule “{rule}” added: it applies when the merchants are next worked out.",
            )
    except services.ConflictError as exc:
        messages.error(request, f"Someone changed this merchant meanwhile: {exc}")
    except ValidationError as exc:
        messages.error(request, f"Nothing was changed: {' '.join(exc.messages)}")
    return redirect(back)


BULK_ACTIONS = {"known": Merchant.Status.KNOWN, "dismiss": Merchant.Status.DISMISSED}


@require_POST
def queue_decide(request: HttpRequest) -> HttpResponse:
    """Mark the merchants ticked on a queue page known, or dismiss them with one reason:
    all of them or, when one is refused, none (the message names it and says why)."""
    if not permissions.is_it_staff(request.user):
        raise PermissionDenied("Only IT staff decide what a merchant is.")
    back = _back_to_queue(request)
    # Each row sends the version it showed; "all on this page" takes every row shown.
    shown: dict[int, int] = {}
    for name in request.POST:
        pk = _number(name.removeprefix("version-")) if name.startswith("version-") else None
        version = _number(request.POST.get(name, ""))
        if pk is not None and version is not None:
            shown[pk] = version
    if request.POST.get("all") == "1":
        picked = list(shown)
    else:
        picked = [pk for pk in map(_number, request.POST.getlist("merchant")) if pk is not None]
    picked = list(dict.fromkeys(picked))
    action = BULK_ACTIONS.get(request.POST.get("action", ""))
    if not picked:
        messages.error(request, "Nothing was changed: tick the merchants to decide on.")
        return redirect(back)
    if len(picked) > MOST_AT_ONCE:
        messages.error(request, f"Nothing was changed: decide on {MOST_AT_ONCE} at most at once.")
        return redirect(back)
    if action is None:
        messages.error(request, "Nothing was changed: choose to mark them known or dismiss them.")
        return redirect(back)
    found = Merchant.objects.restrict(request.user, "view").in_bulk(picked)
    if len(found) < len(picked):
        messages.error(request, "Nothing was changed: a merchant ticked no longer exists.")
        return redirect(back)
    try:
        decided = shadow_services.decide_many(
            request.user,
            [found[pk] for pk in picked],
            action,
            request.POST.get("reason", "")[:2000],
            versions=shown,
        )
    except ValidationError as exc:
        messages.error(request, f"Nothing was changed: {' '.join(exc.messages)}")
        return redirect(back)
    names = ", ".join(str(m) for m in decided)
    count = len(decided)
    what = shadow_services.BULK_DECISIONS[action]
    messages.success(request, f"{count} merchant{'s' if count != 1 else ''} {what}: {names}.")
    return redirect(back)


def _back_to_queue(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("shadowit:queue")
