"""The generated part of the recovery plan: the recovery sequence by tier, a runbook per
service, the contact lists and the known gaps, as JSON-ready data built from the estate.

A draft plan shows this live; approving a version stores it in `RecoveryPlan.content`, so
the approved plan reads the same after the estate changes. `SCHEMA` says which shape a
stored version has; templates and the Word export read that shape.

Everything is read in a fixed number of queries, each restricted to what the reader may see
(`restrict(user, "view")`; `user` None reads everything, as the command line does), and the
recovery answers come from `graph_input.analyze` and `report.as_data`.

Shape (schema 1)
    schema, generated_at (ISO), generated_by, jurisdiction
    counts: services, items, dependencies, hidden_dependencies, tiers, runbooks,
        mission_essential
    items: {"system:12": item}: every item listed anywhere in the plan, once. An item is
        {key, kind, kind_label, id, name, url, department, tier, restore_hours,
        restore_text, restore_known, recovery_site {name, url} | None, procedure_link,
        last_restore_test}
    sequence: one entry per tier {tier, count, listed, more, more_text, longest_text,
        items: [key]}. A tier lists its services, its systems and the components with
        recovery details recorded (restore time, site, procedure), at most TIER_ITEMS; the
        rest, infrastructure with nothing recorded about its recovery, is counted by kind in
        `more_text` (the runbooks name the parts of it each service runs on).
    runbooks: one per service, mission-essential first, then by RTO: {service, department,
        analysis_url, essential_function, mission_essential, mtd/rto/rpo hours and text,
        recovery_hours, at_least, recovery_text, rto_status (met, missed, unconfirmed,
        none), gap_text, rpo {status, text, data_store}, tier, chain [ref],
        restore_first [key], more, unknown [ref], unknown_count, peak_periods,
        manual_workarounds, minimum_staff, alternate_locations, vital_records,
        contacts [{role, of, person}], vendors [{name, url, support_contact, systems}]}
    contacts: coordinator, alternate_coordinator, roles [{role, responsibilities, person,
        alternate}], departments [{name, code, url, head, it_liaison}],
        system_owners [{system, department, business_owner, technical_owner}],
        systems_without_owner, vendors [{name, url, support_contact, website, systems}]
    gaps: rto_gaps, rto_unconfirmed, rto_inversions, rpo_gaps, single_points, cycles (as in
        `report.as_data`, with texts for hours)
    A person is {id, name, title, email, phone, url}; a ref is {kind, id, name, url}.

What a runbook lists first
    A service needs, directly or not, hundreds of items in a real estate: the network,
    storage and power under everything. A runbook lists what is particular to it: every
    service and system it needs, the components those (and the service) run on directly,
    and every item on its critical chain, in recovery order, at most RUNBOOK_ITEMS. The
    deeper shared infrastructure is counted (`more`) and restored by the plan's sequence.
"""

from __future__ import annotations

import datetime
from collections import Counter
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from townhall.continuity import graph_input, report
from townhall.continuity.analysis import TOL, Key, record_id
from townhall.continuity.models import ImpactAnalysis, PlanRole, RecoveryCapability, RecoveryPlan
from townhall.core.models import TrackedModel, TrackedQuerySet
from townhall.estate.models import Component, Location, Person, Service, System, Vendor
from townhall.org.models import Department

SCHEMA = 1
TIER_ITEMS = 200  # items listed per tier of the sequence; the rest are counted
RUNBOOK_ITEMS = 200  # items listed first in a runbook; the rest are counted
SINGLE_POINTS = 20
KIND_LABELS = {
    "service": "Service",
    "system": "System",
    "component": "Component",
    "group": "Redundancy group",
}
PLURALS = {
    "service": "services",
    "system": "systems",
    "component": "components",
    "group": "redundancy groups",
}
ESSENTIAL = dict(ImpactAnalysis.Essential.choices)
BIA_STATUS = dict(ImpactAnalysis.Status.choices)
RTO_STATUS = {
    "met": "Can meet its recovery time objective",
    "missed": "Cannot meet its recovery time objective",
    "unconfirmed": "Meets its recovery time objective only if the unknown restore times are short",
    "none": "No recovery time objective set",
}
_MARK = 987654321


def item_key(kind: str, pk: Any) -> str:
    """The key of an item in `content["items"]`: "system:12"."""
    return f"{kind}:{pk}"


def _num(value: Any) -> float | int | None:
    if value is None:
        return None
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def _text(value: Any, at_least: bool = False) -> str:
    return report.hours_text(None if value is None else float(value), at_least)


class _Urls:
    """Addresses by URL name and primary key, without a reverse() per row."""

    def __init__(self) -> None:
        self._patterns: dict[str, str] = {}

    def __call__(self, name: str, pk: Any) -> str:
        pattern = self._patterns.get(name)
        if pattern is None:
            pattern = self._patterns[name] = reverse(name, args=[_MARK])
        return pattern.replace(str(_MARK), str(pk))


def _visible(model: type[TrackedModel], user: Any) -> TrackedQuerySet:
    qs = model.objects.all()
    return qs if user is None else qs.restrict(user, "view")


class _Records:
    """What the plan reads beyond the analysis, one query per property, read when first
    needed and restricted to what the reader may see."""

    def __init__(self, user: Any, plan: RecoveryPlan | None) -> None:
        self.user = user
        self.plan = plan
        self.url = _Urls()

    @cached_property
    def departments(self) -> dict[int, dict[str, Any]]:
        rows = _visible(Department, self.user).order_by("name", "pk")
        return {
            pk: {
                "id": pk,
                "name": name,
                "code": code,
                "url": self.url("org:department_detail", pk),
                "head_id": head,
                "it_liaison_id": liaison,
            }
            for pk, name, code, head, liaison in rows.values_list(
                "pk", "name", "code", "head_id", "it_liaison_id"
            )
        }

    @cached_property
    def people(self) -> dict[int, dict[str, Any]]:
        """The people the plan names: heads and IT liaisons of departments, owners of
        systems, the plan's coordinators and the people in its roles."""
        wanted = (
            Q(pk__in=Department.objects.values("head_id"))
            | Q(pk__in=Department.objects.values("it_liaison_id"))
            | Q(pk__in=System.objects.values("business_owner_id"))
            | Q(pk__in=System.objects.values("technical_owner_id"))
        )
        plan = self.plan
        if plan is not None and plan.pk is not None:
            roles = PlanRole.objects.filter(plan_id=plan.pk)
            wanted |= Q(pk__in=roles.values("person_id")) | Q(pk__in=roles.values("alternate_id"))
            chosen = [p for p in (plan.coordinator_id, plan.alternate_coordinator_id) if p]
            if chosen:
                wanted |= Q(pk__in=chosen)
        rows = _visible(Person, self.user).filter(wanted)
        return {
            pk: {
                "id": pk,
                "name": name,
                "title": title,
                "email": email,
                "phone": phone,
                "url": self.url("estate:person_detail", pk),
            }
            for pk, name, title, email, phone in rows.values_list(
                "pk", "name", "title", "email", "phone"
            )
        }

    def person(self, pk: int | None) -> dict[str, Any] | None:
        return self.people.get(pk) if pk else None

    @cached_property
    def services(self) -> dict[int, tuple[str, int | None]]:
        rows = _visible(Service, self.user).values_list("pk", "name", "owner_department_id")
        return {pk: (name, dept) for pk, name, dept in rows}

    @cached_property
    def systems(self) -> dict[int, tuple]:
        """pk -> (name, department, business owner, technical owner, vendor)."""
        rows = _visible(System, self.user).order_by("name", "pk")
        return {
            row[0]: row[1:]
            for row in rows.values_list(
                "pk",
                "name",
                "owner_department_id",
                "business_owner_id",
                "technical_owner_id",
                "vendor_id",
            )
        }

    @cached_property
    def components(self) -> dict[int, int | None]:
        rows = _visible(Component, self.user).values_list("pk", "owner_department_id")
        return dict(rows)

    @cached_property
    def impacts(self) -> dict[int, dict[str, Any]]:
        rows = _visible(ImpactAnalysis, self.user).values(
            "pk",
            "service_id",
            "essential_function",
            "mtd_hours",
            "peak_periods",
            "minimum_staff",
            "alternate_locations",
            "manual_workarounds",
            "vital_records",
            "status",
        )
        return {row["service_id"]: row for row in rows}

    @cached_property
    def capabilities(self) -> dict[Key, dict[str, Any]]:
        rows = _visible(RecoveryCapability, self.user).values(
            "system_id", "component_id", "recovery_site_id", "procedure_link", "last_restore_test"
        )
        out = {}
        for row in rows:
            key = ("system", row["system_id"]) if row["system_id"] else None
            key = key or ("component", row["component_id"])
            out[key] = row
        return out

    @cached_property
    def locations(self) -> dict[int, str]:
        used = RecoveryCapability.objects.values("recovery_site_id")
        rows = _visible(Location, self.user).filter(pk__in=used).values_list("pk", "name")
        return dict(rows)

    @cached_property
    def vendors(self) -> dict[int, dict[str, Any]]:
        used = System.objects.values("vendor_id")
        rows = _visible(Vendor, self.user).filter(pk__in=used).order_by("name", "pk")
        return {
            pk: {
                "id": pk,
                "name": name,
                "url": self.url("estate:vendor_detail", pk),
                "support_contact": contact,
                "website": website,
            }
            for pk, name, contact, website in rows.values_list(
                "pk", "name", "support_contact", "website"
            )
        }

    @cached_property
    def roles(self) -> list[dict[str, Any]]:
        if self.plan is None or self.plan.pk is None:
            return []
        rows = (
            _visible(PlanRole, self.user)
            .filter(plan_id=self.plan.pk)
            .order_by("order", "role", "pk")
            .values_list("role", "responsibilities", "person_id", "alternate_id")
        )
        return [
            {
                "role": role,
                "responsibilities": duties,
                "person": self.person(person),
                "alternate": self.person(alternate),
            }
            for role, duties, person, alternate in rows
        ]

    def department_of(self, key: Key) -> int | None:
        kind, pk = key[0], record_id(key)
        if kind == "service":
            return self.services.get(pk, (None, None))[1]
        if kind == "system":
            row = self.systems.get(pk)
            return row[1] if row else None
        if kind == "group":
            return None  # any one of its members: their departments restore them
        return self.components.get(pk)

    def department_ref(self, pk: int | None) -> dict[str, Any] | None:
        dept = self.departments.get(pk) if pk else None
        return {"name": dept["name"], "url": dept["url"]} if dept else None

    # --- contact lists ------------------------------------------------------------------

    def contacts(self) -> dict[str, Any]:
        plan = self.plan
        departments = [
            {
                "name": d["name"],
                "code": d["code"],
                "url": d["url"],
                "head": self.person(d["head_id"]),
                "it_liaison": self.person(d["it_liaison_id"]),
            }
            for d in self.departments.values()
        ]
        owners = []
        without = 0
        per_vendor: Counter[int] = Counter()
        for pk, (name, dept, business, technical, vendor) in self.systems.items():
            if vendor:
                per_vendor[vendor] += 1
            row = {
                "system": {
                    "kind": "system",
                    "id": pk,
                    "name": name,
                    "url": self.url("estate:system_detail", pk),
                },
                "department": self.departments[dept]["name"] if dept in self.departments else "",
                "business_owner": self.person(business),
                "technical_owner": self.person(technical),
            }
            if row["business_owner"] or row["technical_owner"]:
                owners.append(row)
            else:
                without += 1
        vendors = [
            {**v, "systems": per_vendor[pk]} for pk, v in self.vendors.items() if per_vendor[pk]
        ]
        return {
            "coordinator": self.person(plan.coordinator_id) if plan else None,
            "alternate_coordinator": self.person(plan.alternate_coordinator_id) if plan else None,
            "roles": self.roles,
            "departments": departments,
            "system_owners": owners,
            "systems_without_owner": without,
            "vendors": vendors,
        }


class _Builder:
    """The analysis and the records, turned into the plan's generated part."""

    def __init__(self, user: Any, plan: RecoveryPlan | None) -> None:
        self.user = user
        self.records = _Records(user, plan)
        self.estate = graph_input.analyze(user, single_points=SINGLE_POINTS)
        result = self.estate.result
        self.graph = result.graph
        self.times = result.times
        self.tier = result.order.tier
        self.rpo_gaps = {g.key: g for g in result.rpo_gaps}
        self.items: dict[str, dict[str, Any]] = {}

    # --- items --------------------------------------------------------------------------

    def ref(self, key: Key) -> dict[str, Any]:
        """{kind, id, name, url} of an item."""
        return {
            "kind": key[0],
            "id": key[1],
            "name": self.estate.name(key),
            "url": self.records.url(f"estate:{key[0]}_detail", key[1]),
        }

    def chain(self, keys: tuple[Key, ...]) -> list[dict[str, Any]]:
        return [self.ref(k) for k in keys]

    def item(self, key: Key) -> str:
        """Adds the item to `items` (once) and answers its key there."""
        name = item_key(*key)
        if name in self.items:
            return name
        r = self.records
        item = self.graph.item(key)
        capability = r.capabilities.get(key, {})
        site = capability.get("recovery_site_id")
        tested = capability.get("last_restore_test")
        restore = None if key[0] == "service" else item.restore_hours
        owner = r.department_of(key)
        dept = r.departments.get(owner) if owner is not None else None
        self.items[name] = {
            "key": name,
            "kind": key[0],
            "kind_label": KIND_LABELS[key[0]],
            "id": key[1],
            "name": item.name,
            "url": r.url(f"estate:{key[0]}_detail", key[1]),
            "department": dept["name"] if dept else "",
            "tier": self.tier[key],
            "restore_hours": _num(restore),
            "restore_known": key[0] == "service" or restore is not None,
            "restore_text": "when what it needs is back"
            if key[0] == "service"
            else (_text(restore) if restore is not None else "not recorded"),
            "recovery_site": (
                {"name": r.locations[site], "url": r.url("estate:location_detail", site)}
                if site in r.locations
                else None
            ),
            "procedure_link": capability.get("procedure_link", ""),
            "last_restore_test": tested.isoformat() if tested else None,
        }
        return name

    # --- runbooks -----------------------------------------------------------------------

    def _first(self, key: Key, chain: tuple[Key, ...]) -> tuple[list[Key], int]:
        """What the runbook lists as restored first, and how many more it needs."""
        needs = self.graph.needs(key)
        upper = [k for k in needs if k[0] != "component"]
        listed = set(upper) | (set(chain) - {key})
        dependencies = self.graph.dependencies
        for k in [key, *upper]:
            listed.update(d for d in dependencies(k) if d[0] == "component" and d != key)
        order = sorted(listed, key=lambda k: (self.tier[k], self.graph.item(k).name.lower(), k))
        shown = order[:RUNBOOK_ITEMS]
        return shown, len(needs) - len(shown)

    def _contacts(self, key: Key, shown: list[Key]) -> tuple[list[dict], list[dict]]:
        r = self.records
        contacts = []
        owner = r.department_of(key)
        dept = r.departments.get(owner) if owner is not None else None
        if dept:
            for role, field in (("Department head", "head_id"), ("IT liaison", "it_liaison_id")):
                person = r.person(dept[field])
                if person:
                    contacts.append({"role": role, "of": None, "person": person})
        vendors: dict[int, dict[str, Any]] = {}
        for k in shown:
            if k[0] != "system" or k[1] not in r.systems:
                continue
            _, _, business, technical, vendor = r.systems[k[1]]
            ref = self.ref(k)
            for role, pk in (("Business owner", business), ("Technical owner", technical)):
                person = r.person(pk)
                if person:
                    contacts.append({"role": role, "of": ref, "person": person})
            if vendor in r.vendors:
                entry = vendors.setdefault(vendor, {**r.vendors[vendor], "systems": []})
                entry["systems"].append(ref)
        return contacts, sorted(vendors.values(), key=lambda v: v["name"].lower())

    def runbook(self, key: Key) -> dict[str, Any]:
        r = self.records
        item = self.graph.item(key)
        impact = r.impacts.get(record_id(key), {})
        hours = self.times.hours(key)
        at_least = self.times.at_least(key)
        rto = item.rto_hours
        if rto is None:
            status = "none"
        elif hours > float(rto) + TOL:
            status = "missed"
        else:
            status = "unconfirmed" if at_least else "met"
        chain = self.times.chain(key)
        shown, more = self._first(key, chain)
        unknown = [k for k in self.times.unknown(key) if k != key]
        contacts, vendors = self._contacts(key, shown)
        gap = self.rpo_gaps.get(key)
        if item.rpo_target_hours is None:
            rpo: dict[str, Any] = {
                "status": "none",
                "text": "No recovery point objective set",
                "data_store": None,
            }
        elif gap:
            rpo = {
                "status": "missed",
                "text": f"Could lose up to {_text(gap.rpo_achievable_hours)} of work: "
                f"{self.estate.name(gap.data_store)} is backed up only that often.",
                "data_store": self.ref(gap.data_store),
            }
        else:
            rpo = {"status": "met", "text": "Backups are frequent enough", "data_store": None}
        staff = impact.get("minimum_staff")
        return {
            "service": self.ref(key),
            "department": r.department_ref(r.department_of(key)),
            "analysis_url": (
                r.url("continuity:impactanalysis_detail", impact["pk"]) if impact else None
            ),
            "analysis_status": BIA_STATUS.get(impact.get("status", ""), ""),
            "essential_function": ESSENTIAL.get(impact.get("essential_function", ""), ""),
            "mission_essential": item.mission_essential,
            "mtd_hours": _num(impact.get("mtd_hours")),
            "mtd_text": _text(impact.get("mtd_hours")),
            "rto_hours": _num(rto),
            "rto_text": _text(rto),
            "rpo_hours": _num(item.rpo_target_hours),
            "rpo_text": _text(item.rpo_target_hours),
            "recovery_hours": _num(hours),
            "at_least": at_least,
            "recovery_text": _text(hours, at_least),
            "rto_status": status,
            "rto_status_text": RTO_STATUS[status],
            "gap_text": _text(hours - float(rto), at_least)
            if rto is not None and status == "missed"
            else "",
            "rpo": rpo,
            "tier": self.tier[key],
            "chain": self.chain(chain),
            "restore_first": [self.item(k) for k in shown],
            "more": more,
            "unknown": [self.ref(k) for k in unknown[:20]],
            "unknown_count": len(unknown),
            "peak_periods": impact.get("peak_periods", ""),
            "manual_workarounds": impact.get("manual_workarounds", ""),
            "minimum_staff": staff,
            "alternate_locations": impact.get("alternate_locations", ""),
            "vital_records": impact.get("vital_records", ""),
            "contacts": contacts,
            "vendors": vendors,
        }

    def runbooks(self) -> list[dict[str, Any]]:
        services = [i for i in self.graph.items if i.kind == "service"]
        services.sort(
            key=lambda i: (
                not i.mission_essential,
                i.rto_hours is None,
                float(i.rto_hours or 0),
                i.name.lower(),
                i.id,
            )
        )
        return [self.runbook(i.key) for i in services]

    # --- the sequence ---------------------------------------------------------------------

    def sequence(self) -> list[dict[str, Any]]:
        capabilities = self.records.capabilities
        rank = {"service": 0, "system": 1}

        def priority(k: Key) -> int:
            if k[0] in rank:
                return rank[k[0]]
            return 2 if k in capabilities else 3

        out = []
        for n, keys in enumerate(self.estate.result.order.tiers):
            ordered = sorted(keys, key=priority)  # stable: names stay in order within a rank
            listable = [k for k in ordered if priority(k) < 3]
            shown = listable[:TIER_ITEMS]
            rest = Counter(k[0] for k in ordered[len(shown) :])
            restores = [self.graph.item(k).restore_hours for k in keys if k[0] != "service"]
            known = [float(h) for h in restores if h is not None]
            longest = max(known) if known else None
            out.append(
                {
                    "tier": n,
                    "count": len(keys),
                    "listed": len(shown),
                    "more": len(keys) - len(shown),
                    "more_text": ", ".join(
                        f"{count:,} {KIND_LABELS[k].lower() if count == 1 else PLURALS[k]}"
                        for k, count in sorted(rest.items(), key=lambda kc: rank.get(kc[0], 2))
                    ),
                    "longest_text": _text(longest, len(known) < len(restores)),
                    "items": [self.item(k) for k in shown],
                }
            )
        return out

    @cached_property
    def data(self) -> dict[str, Any]:
        """The analysis as `report.as_data` gives it (for the counts and the gaps)."""
        return report.as_data(self.estate, urls=True)

    # --- gaps -----------------------------------------------------------------------------

    def gaps(self) -> dict[str, Any]:
        data = self.data
        rto_gaps = [
            {
                **g,
                "rto_text": _text(g["rto_hours"]),
                "recovery_text": _text(g["recovery_hours"], g["at_least"]),
                "gap_text": _text(g["gap_hours"], g["at_least"]),
            }
            for g in data["rto_gaps"]
        ]
        rpo_gaps = [
            {
                **g,
                "rpo_text": _text(g["rpo_target_hours"]),
                "backup_text": _text(g["rpo_achievable_hours"]),
            }
            for g in data["rpo_gaps"]
        ]
        inversions = [
            {
                **i,
                "dependency_rto_text": _text(i["dependency_rto_hours"]),
                "dependant_rto_text": _text(i["dependant_rto_hours"]),
            }
            for i in data["rto_inversions"]
        ]
        return {
            "rto_gaps": rto_gaps,
            "rto_unconfirmed": data["rto_unconfirmed"],
            "rto_inversions": inversions,
            "rpo_gaps": rpo_gaps,
            "single_points": data["single_points"],
            "cycles": data["cycles"],
        }


def _generated(user: Any, now: datetime.datetime | None) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generated_at": timezone.localtime(now or timezone.now()).isoformat(),
        "generated_by": getattr(user, "username", "") or "system",
        "jurisdiction": settings.JURISDICTION_NAME,
    }


def build_content(
    user: Any = None, *, plan: RecoveryPlan | None = None, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """The plan's generated part for what `user` may see (everything when None); `plan`
    gives the roles and coordinators of that version."""
    builder = _Builder(user, plan)
    runbooks = builder.runbooks()
    sequence = builder.sequence()
    counts = dict(builder.data["counts"])
    counts.update(
        tiers=len(sequence),
        runbooks=len(runbooks),
        mission_essential=sum(1 for r in runbooks if r["mission_essential"]),
    )
    return {
        **_generated(user, now),
        "counts": counts,
        "items": builder.items,
        "sequence": sequence,
        "runbooks": runbooks,
        "contacts": builder.records.contacts(),
        "gaps": builder.gaps(),
    }


def build_runbook(
    user: Any, service_id: int, *, plan: RecoveryPlan | None = None
) -> dict[str, Any] | None:
    """One service's runbook, live, with its items in place (as `expanded` gives them);
    None when the service does not exist or `user` may not see it."""
    builder = _Builder(user, plan)
    key: Key = ("service", service_id)
    if key not in builder.graph:
        return None
    book = builder.runbook(key)
    return {**_generated(user, None), **_expand_runbook(book, builder.items)}


def build_contacts(user: Any, *, plan: RecoveryPlan | None = None) -> dict[str, Any]:
    """The contact lists alone (no analysis needed), for what `user` may see."""
    return {**_generated(user, None), **_Records(user, plan).contacts()}


def _expand_runbook(book: dict[str, Any], items: dict[str, dict]) -> dict[str, Any]:
    on_chain = {item_key(r["kind"], r["id"]) for r in book["chain"]}
    steps = [{**items[k], "on_chain": k in on_chain} for k in book["restore_first"] if k in items]
    return {**book, "restore_first": steps}


def expanded(content: dict[str, Any]) -> dict[str, Any]:
    """The content with item keys replaced by the items, for templates and exports; the
    stored content is left as it is."""
    items = content.get("items", {})
    return {
        **content,
        "sequence": [
            {**tier, "items": [items[k] for k in tier["items"] if k in items]}
            for tier in content.get("sequence", [])
        ],
        "runbooks": [_expand_runbook(book, items) for book in content.get("runbooks", [])],
    }


def runbook_in(content: dict[str, Any], service_id: int) -> dict[str, Any] | None:
    """One service's runbook from stored content (expanded), or None."""
    for book in content.get("runbooks", []):
        if book["service"]["id"] == service_id:
            return _expand_runbook(book, content.get("items", {}))
    return None
