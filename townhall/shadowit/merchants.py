"""The merchant layer, worked out from the purchases (the ORM side of `descriptors`,
`classify` and `subscriptions`, which know nothing of Django).

`work_out(user, today)` does it all, each step writing only what changed, so running it
again on the same purchases changes nothing:

1. purchases without a merchant key get one: the descriptor normalised, then grouped with
   the keys already known (the reference vendors', the estate's vendors', the merchants'
   own) so that spellings of one vendor meet under one key;
2. each key's merchant is created or brought up to date: its name, domain and processor,
   its category (a person's active rules first), how sure and why, the estate vendor it is,
   and its figures (first and last purchase, spend, number of purchases, departments). Its
   triage status is a person's decision: the job never touches it;
3. each merchant's subscriptions are found again and replaced.

It works from what changed: only purchases without a key are keyed; one grouped query in
the database gives every key's figures and a fingerprint of its purchases, compared with the
one kept from the last run (`MerchantReading`); only the keys whose purchases changed have
their descriptors, departments and charges read and their subscriptions found again. Every
merchant is classified again only when the active rules or the estate's vendors changed
(merchants are few; purchases are many).

It runs as a job (`tasks.py`), asked for after every write to purchases or rules
(`connect`) and by the "Work out again" button.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Sum

from townhall.core import changes, context, services
from townhall.estate.models import Vendor
from townhall.jobs import runner
from townhall.jobs.models import Job
from townhall.shadowit import classify, keying, subscriptions, vendors
from townhall.shadowit.descriptors import compact, first_key, group, normalize
from townhall.shadowit.models import (
    Merchant,
    MerchantReading,
    MerchantRule,
    MerchantSpelling,
    Purchase,
    Subscription,
)

JOB_KIND = "shadowit_merchants"
BATCH = 1000
KEYS_PER_QUERY = 500  # keys named in one `IN (…)` when reading the keys that changed
# Set while the job writes, so its own writes to purchases do not ask for it again.
_working: contextvars.ContextVar[bool] = contextvars.ContextVar("_working", default=False)


def _ask() -> None:
    if not _working.get():
        refresh()


def _changed(model: type) -> None:
    if _working.get():
        return
    # At most once per transaction, and only once it commits.
    if any(entry[1] is _ask for entry in connection.run_on_commit):
        return
    transaction.on_commit(_ask)


def connect() -> None:
    """Hear of every write to purchases and rules (the app config calls this)."""
    changes.listen(["shadowit.Purchase", "shadowit.MerchantRule"], _changed)


def refresh() -> Job:
    """Ask for the job as the system: one waiting job however many ask. A job already
    running may have read the purchases before this change: a new one is queued after it."""
    waiting = Job.objects.filter(
        kind=JOB_KIND, status=Job.Status.QUEUED, created_by__isnull=True
    ).first()
    if waiting is not None:
        return waiting
    return runner.submit(
        context.SYSTEM, JOB_KIND, "Work out the shadow IT merchants", {}, dedupe=False
    )


@dataclass
class Report:
    keyed: int = 0
    created: int = 0
    updated: int = 0
    subscriptions: int = 0
    merchants: int = 0

    def text(self) -> str:
        return (
            f"{self.merchants:,} merchants: {self.keyed:,} purchases given a merchant, "
            f"{self.created:,} merchants new and {self.updated:,} brought up to date; "
            f"{self.subscriptions:,} subscriptions."
        )


@dataclass
class _Seen:
    descriptors: Counter[tuple[str, str]] = field(default_factory=Counter)
    first: datetime.date | None = None
    last: datetime.date | None = None
    total: Decimal = Decimal(0)
    count: int = 0
    departments: set[int] = field(default_factory=set)
    charges: list[subscriptions.Charge] = field(default_factory=list)


def _chunks(qs: Any, size: int = BATCH) -> Iterator[list[Any]]:
    """Rows read `size` at a time by id, each read ending before the next begins."""
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"] if isinstance(rows[-1], dict) else rows[-1].pk


def _estate_vendors() -> dict[str, Vendor]:
    """The estate's vendors by the normalised key of each name and alias, and by domain."""
    found: dict[str, Vendor] = {}
    for vendor in Vendor.objects.order_by("name"):
        for name in [vendor.name, *vendor.alias_list()]:
            key = normalize(name).key
            if key:
                found.setdefault(key, vendor)
                found.setdefault(compact(key), vendor)
        website = (vendor.website or "").lower().split("//")[-1].split("/")[0]
        if website:
            found.setdefault("domain:" + website.removeprefix("www."), vendor)
    return found


def _vendor_for(key: str, domain: str, estate: dict[str, Vendor]) -> Vendor | None:
    if domain:
        parts = domain.split(".")
        for i in range(len(parts) - 1):
            found = estate.get("domain:" + ".".join(parts[i:]))
            if found is not None:
                return found
    return estate.get(key) or estate.get(compact(key))


def _spellings_of(keys: list[str]) -> dict[tuple[str, str], int]:
    """How many purchases of each of these merchant keys print each descriptor."""
    found: dict[tuple[str, str], int] = {}
    for chunk in _in_chunks(keys):
        rows = (
            Purchase.objects.filter(merchant_key__in=chunk)
            .values_list("merchant_key", "descriptor")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for key, descriptor, n in rows:
            found[(key, descriptor)] = n
    return found


def _remember(spellings: dict[str, str]) -> None:
    """Keep how these spellings were grouped, for new purchases to be keyed by."""
    MerchantSpelling.objects.bulk_create(
        [MerchantSpelling(spelling=k[:200], key=v) for k, v in sorted(spellings.items())],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    keying.forget()


def assign_keys(user: Any, estate: dict[str, Vendor], keys: list[str]) -> int:
    """Group the spellings of the purchases under these merchant keys (new or changed ones,
    and the empty key of purchases not keyed yet) and give each purchase whose key differs
    from its spelling's group that key, on the write path; how many were given one.

    A purchase arrives keyed (`keying`): its descriptor's spelling as last grouped, or the
    reference vendor's key. A spelling not grouped yet is grouped here with the keys already
    known (the reference vendors', the estate's vendors', the merchants' own) and kept
    (`MerchantSpelling`), so the next purchases of it arrive with the right key and only
    the few whose grouping was not known yet are written again."""
    printed = _spellings_of(keys)
    if not printed:
        return 0
    spelled = {descriptor: normalize(descriptor).key for _, descriptor in printed}
    grouped = dict(MerchantSpelling.objects.values_list("spelling", "key"))
    fresh: Counter[str] = Counter()
    decided: dict[str, Counter[str]] = {}
    for (key, descriptor), n in printed.items():
        spelling = spelled[descriptor]
        if spelling in grouped:
            continue
        if key and key != first_key(spelling, {}):
            # Keyed by an earlier grouping that kept no spelling: that grouping stands.
            decided.setdefault(spelling, Counter())[key] += n
        else:
            fresh[spelling] += n
    kept = {spelling: keys.most_common(1)[0][0] for spelling, keys in decided.items()}
    for spelling in kept:
        fresh.pop(spelling, None)
    if kept:
        _remember(kept)
        grouped.update(kept)
    if fresh:
        existing = dict(Merchant.objects.values_list("key", "purchases"))
        known = [k for k in estate if not k.startswith("domain:")]
        pool = fresh + Counter({k: max(n, 1) for k, n in existing.items()})
        canonical = group(pool, known=[*known, *existing])
        new = {k: (canonical.get(k, k) or k)[:200] for k in fresh}
        _remember(new)
        grouped.update(new)
    moved = {
        (key, descriptor): grouped[spelled[descriptor]]
        for key, descriptor in printed
        if grouped.get(spelled[descriptor], key) != key
    }
    done = 0
    for chunk in _in_chunks(sorted({key for key, _ in moved})):
        rows = Purchase.objects.filter(merchant_key__in=chunk).values_list(
            "pk", "merchant_key", "descriptor"
        )
        pks = {pk: moved[(k, d)] for pk, k, d in rows.order_by("pk") if (k, d) in moved}
        ordered = sorted(pks)
        for start in range(0, len(ordered), BATCH):
            batch = ordered[start : start + BATCH]
            purchases = Purchase.objects.in_bulk(batch)
            edits = [(purchases[pk], {"merchant_key": pks[pk]}) for pk in batch if pk in purchases]
            done += services.update_rows(user, edits)
    return done


def _figures() -> dict[str, tuple[_Seen, str]]:
    """Every key's figures and the fingerprint of its purchases, in one grouped query: the
    database adds them up, no purchase is read into Python. Purchases not keyed yet are
    under the empty key."""
    rows = (
        Purchase.objects.values("merchant_key")
        .annotate(
            n=Count("pk"),
            total=Sum("amount"),
            first=Min("purchased_on"),
            last=Max("purchased_on"),
            ids=Sum("pk"),
            changed=Max("updated_at"),
        )
        .order_by()
    )
    found: dict[str, tuple[_Seen, str]] = {}
    for row in rows.iterator(chunk_size=5000):
        total = Decimal(row["total"] or 0).quantize(Decimal("0.01"))
        seen = _Seen(first=row["first"], last=row["last"], total=total, count=row["n"])
        changed = row["changed"].isoformat() if row["changed"] else ""
        fingerprint = f"{row['n']}|{total}|{row['first']}|{row['last']}|{row['ids']}|{changed}"
        found[row["merchant_key"]] = (seen, fingerprint[:255])
    return found


def _in_chunks(keys: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(keys), KEYS_PER_QUERY):
        yield keys[start : start + KEYS_PER_QUERY]


def _read_descriptors(seen: dict[str, _Seen], keys: list[str]) -> None:
    """Each key's descriptors with their codes and how often each was printed, grouped in the
    database."""
    for chunk in _in_chunks(keys):
        rows = (
            Purchase.objects.filter(merchant_key__in=chunk)
            .values_list("merchant_key", "descriptor", "mcc")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for key, descriptor, mcc, n in rows:
            seen[key].descriptors[(descriptor, mcc)] += n


def _read_changed(seen: dict[str, _Seen], keys: list[str]) -> None:
    """For the keys whose purchases changed: their departments and their charges (date,
    amount, department), which subscriptions are found in."""
    for chunk in _in_chunks(keys):
        qs = Purchase.objects.filter(merchant_key__in=chunk).order_by()
        departments = qs.exclude(owner_department__isnull=True).values_list(
            "merchant_key", "owner_department_id"
        )
        for key, department in departments.distinct():
            seen[key].departments.add(department)
        charges = qs.values_list("merchant_key", "purchased_on", "amount", "owner_department_id")
        for key, day, amount, department in charges.order_by("merchant_key", "purchased_on", "pk"):
            seen[key].charges.append(
                subscriptions.Charge(day, amount, str(department) if department else "")
            )


def _rules_fingerprint(rules: list[classify.Rule], estate: dict[str, Vendor]) -> str:
    """What every merchant is classified and matched by: the active rules, the estate's
    vendors."""
    text = repr(sorted(map(repr, rules))) + repr(sorted((k, v.pk) for k, v in estate.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def _by_key_rule(
    key: str, answers: list[tuple[int, Any, classify.Classification, str]], rules: list
) -> tuple[Any, classify.Classification] | None:
    """A rule naming the merchant by its key, asked of the key the descriptors were grouped
    under (a descriptor's own key may be another spelling of it)."""
    keyed = [r for r in rules if r.key]
    for _n, merchant, _result, mcc in sorted(answers, key=lambda a: -a[0]):
        grouped = dataclasses.replace(merchant, key=key)
        result = classify.classify(grouped, mcc or None, keyed)
        if result.source == "rule":
            return grouped, result
    return None


def _describe(
    key: str, s: _Seen, classifier: classify.Classifier, estate: dict[str, Vendor]
) -> dict[str, Any]:
    """A merchant's worked-out values from its purchases."""
    answers = [(n, *classifier(d, mcc or None), mcc) for (d, mcc), n in s.descriptors.items()]
    # A person's rule wins over any other answer, then the most frequent descriptor's.
    n, merchant, result, _ = max(answers, key=lambda a: (a[2].source == "rule", a[0]))
    _, common, _, _ = max(answers, key=lambda a: a[0])
    if result.source != "rule":
        by_key = _by_key_rule(key, answers, list(classifier.rules))
        if by_key is not None:
            merchant, result = by_key
    reference = vendors.lookup_key(result.vendor) if result.vendor else None
    domain = merchant.domain or common.domain or ""
    vendor = _vendor_for(key, domain, estate)
    if vendor is None and reference is not None:
        vendor = _vendor_for(normalize(reference.name).key, "", estate)
    return {
        "name": (reference.name if reference else common.name)[:200] or key,
        "domain": domain[:253],
        "processor": (common.processor or "")[:100],
        "category": result.category,
        "confidence": Decimal(str(round(result.confidence, 2))),
        "why": result.why,
        "vendor": vendor,
        "first_seen": s.first,
        "last_seen": s.last,
        "total_spend": s.total,
        "purchases": s.count,
        **({"tool_kind": reference.kind} if reference is not None and reference.kind else {}),
    }


# What a merchant with no purchases left shows.
NO_FIGURES: dict[str, Any] = {
    "first_seen": None,
    "last_seen": None,
    "total_spend": Decimal(0),
    "purchases": 0,
}


def _same(obj: Merchant, values: dict[str, Any]) -> dict[str, Any]:
    """The values that differ from what `obj` holds."""
    differ = {}
    for name, value in values.items():
        held = obj.vendor_id if name == "vendor" else getattr(obj, name)
        wanted = value.pk if name == "vendor" and value is not None else value
        if held != wanted:
            differ[name] = value
    return differ


def _subscriptions(user: Any, merchant: Merchant, s: _Seen, today: datetime.date) -> int:
    found = subscriptions.detect(s.charges, today)
    wanted = {
        (int(f.department) if f.department else None, f.cadence, f.first_charge): f for f in found
    }
    held = {
        (sub.department_id, sub.cadence, sub.first_charge): sub
        for sub in merchant.subscriptions.all()
    }
    gone = [sub for k, sub in held.items() if k not in wanted]
    if gone:
        services.delete_many(user, gone)
    new, edits = [], []
    for (department, cadence, first), f in wanted.items():
        values = {
            "typical_amount": f.typical_amount.quantize(Decimal("0.01")),
            "last_charge": f.last_charge,
            "next_expected": f.next_expected,
            "annual_cost": f.annual_cost.quantize(Decimal("0.01")),
            "lapsed": f.lapsed,
            "why": f.why,
        }
        sub = held.get((department, cadence, first))
        if sub is None:
            new.append(
                {
                    "merchant": merchant,
                    "department": department,
                    "cadence": cadence,
                    "first_charge": first,
                    **values,
                }
            )
        else:
            differ = {k: v for k, v in values.items() if getattr(sub, k) != v}
            if differ:
                edits.append((sub, differ))
    if new:
        services.create_many(user, Subscription, new)
    if edits:
        services.update_rows(user, edits)
    return len(wanted)


def _keep(kept: dict[str, str], fingerprints: dict[str, str]) -> None:
    """Keep what this run read, for the next run to compare with (bookkeeping: no history)."""
    fresh = [
        MerchantReading(key=k, fingerprint=f) for k, f in fingerprints.items() if k not in kept
    ]
    MerchantReading.objects.bulk_create(fresh, batch_size=BATCH)
    moved = [(k, f) for k, f in fingerprints.items() if k in kept and kept[k] != f]
    if moved:
        rows = MerchantReading.objects.filter(key__in=[k for k, _ in moved])
        by_key = dict(moved)
        readings = list(rows)
        for reading in readings:
            reading.fingerprint = by_key[reading.key]
        MerchantReading.objects.bulk_update(readings, ["fingerprint"], batch_size=BATCH)


def work_out(
    user: Any,
    today: datetime.date | None = None,
    progress: Callable[[int, str], Any] | None = None,
) -> Report:
    """Key the purchases, bring the merchants up to date and find their subscriptions."""
    today = today or datetime.date.today()
    step = progress or (lambda done, message: None)
    report = Report()
    token = _working.set(True)
    try:
        estate = _estate_vendors()
        kept = dict(MerchantReading.objects.values_list("key", "fingerprint"))
        # A merchant someone deleted is made again, as if its purchases had changed.
        merchant_keys = set(Merchant.objects.values_list("key", flat=True))

        def read() -> tuple[dict[str, tuple[_Seen, str]], list[str]]:
            figures = _figures()
            changed = sorted(
                k
                for k, (_, f) in figures.items()
                if k and (kept.get(k) != f or k not in merchant_keys)
            )
            return figures, changed

        figures, changed = read()
        unkeyed = [""] if "" in figures else []
        with transaction.atomic():
            report.keyed = assign_keys(user, estate, unkeyed + changed)
        if report.keyed:
            figures, changed = read()
        figures.pop("", None)  # a purchase whose descriptor gives no key at all
        # Keys whose purchases are all gone (deleted, or grouped under another key since):
        # their merchants keep IT's decisions but no longer any figures or subscriptions.
        emptied = sorted(k for k in kept if k and k not in figures and k in merchant_keys)
        step(1, "Classifying the merchants.")
        rules = [r.as_rule() for r in MerchantRule.objects.filter(active=True).order_by("name")]
        classifier = classify.Classifier(rules)
        everything = _rules_fingerprint(rules, estate)
        described = sorted(figures) if kept.get("") != everything else changed
        seen = {key: figures[key][0] for key in described}
        _read_descriptors(seen, described)
        _read_changed(seen, changed)
        touched = set(changed)
        held = {
            m.key: m
            for chunk in _in_chunks(described)
            for m in Merchant.objects.filter(key__in=chunk).prefetch_related("departments")
        }
        new: list[dict[str, Any]] = []
        edits: list[tuple[Merchant, dict[str, Any]]] = []
        for key, s in sorted(seen.items()):
            values = _describe(key, s, classifier, estate)
            merchant = held.get(key)
            if merchant is None:
                new.append({"key": key, **values, "departments": sorted(s.departments)})
                continue
            differ = _same(merchant, values)
            departments = {d.pk for d in merchant.departments.all()}
            if key in touched and departments != s.departments:
                differ["departments"] = sorted(s.departments)
            if differ:
                edits.append((merchant, differ))
        gone = [
            m
            for chunk in _in_chunks(emptied)
            for m in Merchant.objects.filter(key__in=chunk).prefetch_related(
                "departments", "subscriptions"
            )
        ]
        for merchant in gone:
            differ = _same(merchant, NO_FIGURES)
            if merchant.departments.all():
                differ["departments"] = []
            if differ:
                edits.append((merchant, differ))
        with transaction.atomic():
            for start in range(0, len(new), BATCH):
                services.create_many(user, Merchant, new[start : start + BATCH])
            for start in range(0, len(edits), BATCH):
                services.update_rows(user, edits[start : start + BATCH])
        report.created, report.updated = len(new), len(edits)
        step(2, "Finding the subscriptions.")
        with transaction.atomic():
            for chunk in _in_chunks(changed):
                for merchant in Merchant.objects.filter(key__in=chunk).prefetch_related(
                    "subscriptions"
                ):
                    _subscriptions(user, merchant, seen[merchant.key], today)
            for merchant in gone:
                subs = list(merchant.subscriptions.all())
                if subs:
                    services.delete_many(user, subs)
            _keep(kept, {**{k: figures[k][1] for k in changed}, "": everything})
            for chunk in _in_chunks(emptied):  # so purchases coming back read as a change
                MerchantReading.objects.filter(key__in=chunk).delete()
        report.subscriptions = Subscription.objects.count()
        report.merchants = len(figures)
    finally:
        _working.reset(token)
    return report
