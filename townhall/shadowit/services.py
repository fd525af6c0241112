"""Shadow IT's verbs, on the write path: deciding what a merchant is to IT (triage, adopting
it into the estate, marking it known, dismissing it), adding a rule from a merchant, a
department's answers about the merchants it bought from, and IT's security reviews."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from townhall.audit.models import AuditEntry
from townhall.core import permissions, services
from townhall.estate.models import System, Vendor
from townhall.org.models import Department
from townhall.shadowit import sign_ins
from townhall.shadowit.models import Merchant, MerchantAnswer, MerchantRule, Purchase

ADOPTED = Merchant.Status.ADOPTED


def _state(merchant: Merchant) -> str:
    """Its triage status inside a sentence ("adopted by IT", not "adopted by it")."""
    label = str(merchant.get_status_display())
    return label[:1].lower() + label[1:]


def triage(
    user: Any, merchant: Merchant, status: str, reason: str = "", version: int | None = None
) -> Merchant:
    """Move `merchant` to `status` (adopted, known, dismissed with a reason, or back to new).
    Only IT staff decide (`Merchant.may_transition`); the merchant job never undoes it.
    Leaving adopted unlinks the estate system it became (the system stays in the estate);
    adopting with a system goes through `adopt`."""
    reason = (reason or "").strip()
    extra: dict[str, Any] = {"dismiss_reason": reason} if status == "dismissed" else {}
    if status != ADOPTED:
        extra["system"] = None
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


def reopen(user: Any, merchant: Merchant, version: int | None = None) -> Merchant:
    """Back to new, undecided: a decision taken too fast, or a service whose use changed.
    An adopted merchant loses its link to the system; the system stays in the estate."""
    return triage(user, merchant, Merchant.Status.NEW, version=version)


def mark_known(user: Any, merchant: Merchant, version: int | None = None) -> Merchant:
    """IT knows of the service and allows it, without taking it into the estate."""
    return triage(user, merchant, Merchant.Status.KNOWN, version=version)


def dismiss(user: Any, merchant: Merchant, reason: str, version: int | None = None) -> Merchant:
    """Not something IT needs to act on (a personal account refunded, not technology after
    all); the reason is required and kept."""
    return triage(user, merchant, Merchant.Status.DISMISSED, reason, version=version)


BULK_DECISIONS = {
    Merchant.Status.KNOWN: "marked known and allowed",
    Merchant.Status.DISMISSED: "dismissed",
}


class DecisionRefused(ValidationError):
    """One merchant of a bulk decision was refused: nothing of the decision was kept.
    `merchant` names it, so the page can say which and why."""

    def __init__(self, merchant: Merchant, why: str) -> None:
        self.merchant = merchant
        super().__init__(f"{merchant}: {why}")


def decide_many(
    user: Any,
    merchants: Iterable[Merchant],
    action: str,
    reason: str = "",
    versions: Mapping[int, int] | None = None,
) -> list[Merchant]:
    """Mark several undecided merchants known, or dismiss them with one reason, as IT works
    a long queue down. Each goes through the same verb as a single decision (the write
    path's transition, audited one by one), all in one transaction: a merchant refused (no
    longer new, changed since the person saw it, a dismissal without a reason) leaves
    every merchant as it was, and the error names it. `versions` maps a merchant's id to
    the version the person saw; a merchant missing from it is not checked."""
    if not permissions.is_it_staff(user):
        raise PermissionDenied("Only IT staff decide what a merchant is.")
    if action not in BULK_DECISIONS:
        raise ValidationError({"action": "Choose to mark them known or to dismiss them."})
    reason = (reason or "").strip()
    if action == Merchant.Status.DISMISSED and not reason:
        raise ValidationError({"reason": "Say why the merchants are dismissed."})
    chosen = list(merchants)
    if not chosen:
        raise ValidationError({"merchants": "Choose at least one merchant."})
    versions = versions or {}
    decided: list[Merchant] = []
    with transaction.atomic():
        # Read and locked together, so the status checked is the one the verb moves from.
        fresh = Merchant.objects.select_for_update().in_bulk([m.pk for m in chosen])
        for merchant in chosen:
            try:
                current = fresh.get(merchant.pk)
                if current is None:
                    raise ValidationError("it no longer exists.")
                if current.status != Merchant.Status.NEW:
                    state = _state(current)
                    raise ValidationError(f"it is already {state}; decide on it on its own.")
                version = versions.get(merchant.pk)
                if action == Merchant.Status.KNOWN:
                    decided.append(mark_known(user, current, version=version))
                else:
                    decided.append(dismiss(user, current, reason, version=version))
            except services.ConflictError:
                raise DecisionRefused(
                    merchant, "someone changed it after the queue was opened."
                ) from None
            except ValidationError as exc:
                raise DecisionRefused(merchant, " ".join(exc.messages)) from None
    return decided


def spend_by_department(merchant: Merchant) -> list[tuple[Department, Decimal]]:
    """The departments that bought from `merchant` and how much each spent, most first."""
    rows = (
        Purchase.objects.filter(merchant_key=merchant.key, owner_department__isnull=False)
        .values("owner_department")
        .annotate(spent=Sum("amount"))
        .order_by()
    )
    spent = {r["owner_department"]: r["spent"] or Decimal(0) for r in rows}
    departments = Department.objects.in_bulk(list(spent))
    found = [(departments[pk], amount) for pk, amount in spent.items() if pk in departments]
    return sorted(found, key=lambda d: (-d[1], d[0].name))


def annual_cost(merchant: Merchant, today: datetime.date | None = None) -> Decimal | None:
    """What it costs a year: its subscriptions that have not lapsed, else what was spent on
    it in the last twelve months; None when that is nothing."""
    today = today or timezone.localdate()
    subs = merchant.subscriptions.filter(lapsed=False).aggregate(total=Sum("annual_cost"))
    total = subs["total"]
    if not total:
        since = today - datetime.timedelta(days=365)
        spent = Purchase.objects.filter(merchant_key=merchant.key, purchased_on__gt=since)
        total = spent.aggregate(total=Sum("amount"))["total"]
    if not total or total <= 0:
        return None
    return Decimal(total).quantize(Decimal("0.01"))


def owners(merchant: Merchant) -> tuple[list[Department], bool]:
    """Who may own the system `merchant` becomes, the likeliest first, and whether they are
    its buyers: the departments that bought from it, most spend first; when nobody bought
    it (found in the sign-ins alone), the departments whose people sign in to it, most
    people first."""
    spends = spend_by_department(merchant)
    if spends:
        return [d for d, _ in spends], True
    people = sign_ins.people_by_department(merchant)
    departments = Department.objects.in_bulk(list(people))
    ranked = sorted(
        (departments[pk] for pk in people if pk in departments),
        key=lambda d: (-people[d.pk], d.name),
    )
    return ranked, False


def _vendor(user: Any, merchant: Merchant) -> Vendor:
    """The estate vendor the merchant is: the one matched, one of that name, or a new one."""
    if merchant.vendor_id is not None:
        return merchant.vendor  # type: ignore[return-value]
    name = merchant.name[:200] or merchant.key[:200]
    same = Vendor.objects.filter(name__iexact=name).first()
    if same is not None:
        return same
    values: dict[str, Any] = {"name": name}
    if merchant.domain:
        values["website"] = f"https://{merchant.domain}"
    return services.create(user, Vendor, values)


def adopt(
    user: Any,
    merchant: Merchant,
    department: Department | int | None = None,
    name: str = "",
    version: int | None = None,
    system: System | int | None = None,
) -> System:
    """Take a service bought outside IT into the estate: a new system, marked discovered
    outside IT, named after the merchant (or `name`), owned by the buying department with
    the most spend unless another buying department is given (nobody bought it: the
    department with the most people signing in, or another whose people sign in; its cost
    is then unknown, not zero), with the estate vendor
    (created if none matched), hosted as SaaS when it is software, its yearly cost as the
    licence cost and the department's answer as its purpose. The merchant is linked to it
    and moves to adopted, in one transaction: a refusal leaves nothing written.

    Given `system` (one the person may see), the estate already has the service: the
    merchant is linked to that system, which is left as it is, and nothing is created."""
    if not permissions.is_it_staff(user):
        raise PermissionDenied("Only IT staff adopt a merchant into the estate.")
    with transaction.atomic():
        current = Merchant.objects.select_for_update().get(pk=merchant.pk)
        if (current.status, ADOPTED) not in Merchant.transitions["status"]:
            state = _state(current)
            raise ValidationError({"status": f"{current} is {state}: it cannot be adopted now."})
        if system not in (None, ""):
            return _link(user, merchant, current, system, version)
        candidates, bought = owners(current)
        if not candidates:
            raise ValidationError(
                {
                    "department": f"No department has bought from {current} or signs in to "
                    "it: nobody to own it."
                }
            )
        buyers = {d.pk: d for d in candidates}
        wanted = department.pk if isinstance(department, Department) else department
        if wanted in (None, ""):
            owner = candidates[0]
        elif int(wanted) in buyers:
            owner = buyers[int(wanted)]
        else:
            which = "bought it" if bought else "sign in to it"
            raise ValidationError({"department": f"Choose one of the departments that {which}."})
        system_name = (name or current.name or current.key).strip()[:200]
        if System.objects.filter(owner_department=owner, name__iexact=system_name).exists():
            raise ValidationError(
                {
                    "name": f"{owner} already has a system named “{system_name}”. Give the "
                    "new system another name, or link the merchant to that system on its "
                    "edit page once adopted."
                }
            )
        answer = MerchantAnswer.objects.filter(merchant=current, owner_department=owner).first()
        values: dict[str, Any] = {
            "name": system_name,
            "owner_department": owner,
            "vendor": _vendor(user, current),
            "product": current.name[:200],
            "purpose": answer.purpose if answer is not None else "",
            "cost_license": annual_cost(current),
            "discovered_outside_it": True,
            "users": current.users or None,
            "notes": f"Adopted from the {'purchases of' if bought else 'sign-ins to'} "
            f"{current} ({current.key}).",
        }
        if current.category == "software":
            values["hosting"] = System.Hosting.SAAS
        system = services.create(user, System, values)
        services.transition(
            user,
            current,
            ADOPTED,
            field="status",
            note=f"Adopted into the estate as {system} ({owner}).",
            extra={"system": system},
            version=version,  # a stale one rolls the new system back too
        )
    merchant.refresh_from_db()
    return system


def _link(
    user: Any, merchant: Merchant, current: Merchant, system: System | int, version: int | None
) -> System:
    """Adopt `current` as an estate system that already exists (inside `adopt`'s
    transaction): only one the person may see, so a link never reveals another."""
    wanted = system.pk if isinstance(system, System) else system
    try:
        pk = int(wanted)
    except (TypeError, ValueError):
        pk = 0
    found = System.objects.restrict(user, "view").filter(pk=pk).first() if pk > 0 else None
    if found is None:
        raise ValidationError({"system": "Choose a system of the estate you may see."})
    services.transition(
        user,
        current,
        ADOPTED,
        field="status",
        note=f"Adopted as the estate's existing system {found} ({found.owner_department}).",
        extra={"system": found},
        version=version,
    )
    merchant.refresh_from_db()
    return found


def add_rule(
    user: Any, merchant: Merchant, category: str | None = None, name: str = ""
) -> MerchantRule:
    """A rule from a merchant: purchases under its key are of `category` (its own category
    by default) on every later run of the merchant job, which the new rule asks for."""
    category = category or merchant.category
    rule_name = (name or f"{merchant} is {category.replace('_', ' ')}").strip()[:200]
    return services.create(
        user,
        MerchantRule,
        {"name": rule_name, "match": "key", "pattern": merchant.key, "category": category},
    )
