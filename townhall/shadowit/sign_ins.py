"""The ORM side of `usage`: each merchant's sign-in application, people and last sign-in,
written from the single sign-on exports (`SignInApp`) and the domains reached (`DomainUse`).

`work_out(user)` runs in the merchant job (`tasks.py`), after the merchants are brought up
to date. It first adds the merchants found in the sign-ins or the domains and in no
purchase (`usage.discover`), then writes through the write path only the merchants whose
figures changed: run again on the same sign-ins it writes nothing. The departments whose
people sign in go to `Merchant.sign_in_departments`; a merchant with no purchase has them
as its departments too (the merchant job only sets the departments of merchants bought
from, and never touches a merchant without purchases). A write to sign-ins or domains asks
for the merchant job (`connect`), once per transaction and only once it commits.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max
from django.db.models.functions import Lower

from townhall.core import changes, services
from townhall.shadowit import merchants, usage
from townhall.shadowit.models import DomainUse, Merchant, MerchantRule, SignInApp

BATCH = 1000


def _ask() -> None:
    merchants.refresh()


def _changed(model: type) -> None:
    if any(entry[1] is _ask for entry in connection.run_on_commit):
        return
    transaction.on_commit(_ask)


def connect() -> None:
    """Hear of every write to sign-ins and domains (the app config calls this)."""
    changes.listen(["shadowit.SignInApp", "shadowit.DomainUse"], _changed)


def _sign_ins() -> list[usage.SignIn]:
    """One row per application and person, with their last sign-in: a person's many days
    are one row, read by the database."""
    rows = (
        SignInApp.objects.values("application", "username", "owner_department")
        .annotate(last=Max("last_sign_in"))
        .order_by()
    )
    return [
        usage.SignIn(r["application"], r["username"], r["last"], r["owner_department"])
        for r in rows.iterator()
    ]


def _domains() -> list[usage.Reached]:
    rows = (
        DomainUse.objects.values("domain", "owner_department")
        .annotate(most=Max("users"))
        .order_by()
    )
    return [usage.Reached(r["domain"], r["most"], r["owner_department"]) for r in rows]


def _matcher(held: list[Merchant]) -> usage.Matcher:
    return usage.Matcher(
        usage.Candidate(m.key, m.name, m.domain, m.sign_in_application) for m in held
    )


def discover(user: Any, held: list[Merchant], found_sign_ins: list[usage.SignIn]) -> int:
    """Add the merchants found in the sign-ins or the domains and in no purchase; name the
    application on a merchant that already has the key it reads as. How many were added."""
    estate = merchants._estate_vendors()
    known = [k for k in estate if not k.startswith("domain:")]
    rules = [r.as_rule() for r in MerchantRule.objects.filter(active=True).order_by("name")]
    found = usage.discover(_matcher(held), found_sign_ins, _domains(), known, rules)
    by_key = {m.key: m for m in held}
    new: list[dict[str, Any]] = []
    named: list[tuple[Merchant, dict[str, Any]]] = []
    for d in found:
        merchant = by_key.get(d.key)
        if merchant is not None:
            if d.application and not merchant.sign_in_application:
                named.append((merchant, {"sign_in_application": d.application}))
            continue
        values: dict[str, Any] = {
            "key": d.key,
            "name": d.name,
            "domain": d.domain[:253],
            "category": d.category,
            "confidence": Decimal(str(round(d.confidence, 2))),
            "why": d.why,
            "vendor": merchants._vendor_for(d.key, d.domain, estate),
            "sign_in_application": d.application,
            "departments": sorted(d.departments),
            "sign_in_departments": sorted(d.departments),
        }
        if d.kind:
            values["tool_kind"] = d.kind[:60]
        new.append(values)
    with transaction.atomic():
        for start in range(0, len(new), BATCH):
            services.create_many(user, Merchant, new[start : start + BATCH])
        if named:
            services.update_rows(user, named)
    return len(new)


def work_out(user: Any) -> int:
    """Write each merchant's sign-in application, people and last sign-in; how many
    merchants changed. A merchant no longer matched has no people and no last sign-in."""
    read = _sign_ins()
    before = set(Merchant.objects.values_list("key", flat=True))
    discover(user, list(Merchant.objects.order_by("pk")), read)
    held = list(
        Merchant.objects.order_by("pk").prefetch_related("departments", "sign_in_departments")
    )
    found = usage.summarise(_matcher(held), read, _domains())
    edits: list[tuple[Merchant, dict[str, Any]]] = []
    for merchant in held:
        use = found.get(merchant.key, usage.Usage())
        wanted: dict[str, Any] = {
            # A name a person gave is kept while no sign-in matches.
            "sign_in_application": use.application[:200] or merchant.sign_in_application,
            "users": use.users,
            "last_sign_in": use.last_sign_in,
        }
        differ = {k: v for k, v in wanted.items() if getattr(merchant, k) != v}
        signing = sorted(use.departments)
        if signing != sorted(d.pk for d in merchant.sign_in_departments.all()):
            differ["sign_in_departments"] = signing
        # Nobody bought it: its departments are those whose people use it (kept when the
        # sign-ins are gone, so the departments' answers stay theirs).
        bought = merchant.purchases or merchant.first_seen is not None
        current = sorted(d.pk for d in merchant.departments.all())
        if not bought and signing and current != sorted(set(current) | set(signing)):
            differ["departments"] = sorted(set(current) | set(signing))
        if differ:
            edits.append((merchant, differ))
    with transaction.atomic():
        for start in range(0, len(edits), BATCH):
            services.update_rows(user, edits[start : start + BATCH])
    added = {m.key for m in held} - before
    return len(added | {m.key for m, _ in edits})


def people_by_department(merchant: Merchant) -> dict[int, int]:
    """How many distinct people of each department sign in to `merchant`'s service: the
    applications the sign-in step matches to it (read per application, not per sign-in)."""
    held = list(Merchant.objects.only("key", "name", "domain", "sign_in_application"))
    matcher = _matcher(held)
    applications = SignInApp.objects.values_list("application", flat=True).distinct().order_by()
    mine = [
        app
        for app in applications
        if not usage.ignored(app)
        and (found := matcher.application(app)) is not None
        and found.key == merchant.key
    ]
    if not mine:
        return {}
    rows = (
        SignInApp.objects.filter(application__in=mine, owner_department__isnull=False)
        .values("owner_department")
        .annotate(people=Count(Lower("username"), distinct=True))
        .order_by()
    )
    return {r["owner_department"]: r["people"] for r in rows}
