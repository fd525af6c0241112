"""The demo estate: deterministic, idempotent, the promised sizes and shape, written with one
audit entry per record through either the write path or the documented bulk loader."""

import dataclasses
import datetime

import pytest
from django.db.models import Count

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.estate import demo
from townhall.estate import models as m
from townhall.org import demo as org_demo
from townhall.org.models import Department

TODAY = datetime.date(2026, 11, 25)
TINY = demo.Sizes(
    services=50,
    systems=90,
    components=240,
    vendors=12,
    contracts=25,
    dependencies=500,
    it_staff=6,
    owners_per_department=1,
)
MODELS = [
    m.Location,
    m.Person,
    m.Vendor,
    m.Service,
    m.System,
    m.Component,
    m.Contract,
    m.RedundancyGroup,
    m.Dependency,
]
CODES = [row[0] for row in org_demo.DEPARTMENTS]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _load_org():
    with context.acting("cli"):
        org_demo.load()


def test_plan_is_deterministic_for_a_seed():
    one = demo.plan(seed=1, sizes=TINY, today=TODAY, departments=CODES)
    again = demo.plan(seed=1, sizes=TINY, today=TODAY, departments=CODES)
    other = demo.plan(seed=2, sizes=TINY, today=TODAY, departments=CODES)
    assert one == again
    assert one.records[m.System] != other.records[m.System]


def test_small_plan_has_the_promised_sizes_and_spread():
    p = demo.plan("small", seed=1, today=TODAY, departments=CODES)
    size = demo.SIZES["small"]
    assert len(p.records[m.Service]) == size.services == 60
    assert len(p.records[m.System]) == size.systems == 250
    assert len(p.records[m.Component]) == size.components == 3000
    assert len(p.records[m.Vendor]) == size.vendors == 120
    assert len(p.records[m.Contract]) == size.contracts == 200
    assert len(p.records[m.Dependency]) == size.dependencies
    systems = [v for _, v in p.records[m.System]]
    eos = [v["end_of_support"] for v in systems if v["end_of_support"]]
    assert sum(d < TODAY for d in eos) >= 10
    for months in (12, 24, 36):
        within = sum(TODAY <= d < demo.add_months(TODAY, months) for d in eos)
        assert within >= 15 * months // 12
    assert sum(not v["sanctioned"] for v in systems) >= 10
    assert sum(v["business_owner"] is None for v in systems) >= 10
    assert sum(v["technical_owner"] is None for v in systems) >= 10
    assert {v["lifecycle"] for v in systems} == set(m.System.Lifecycle.values)
    assert {v["hosting"] for v in systems} == set(m.System.Hosting.values)
    assert {v["criticality"] for v in systems} == {1, 2, 3, 4}
    soon = [
        v
        for _, v in p.records[m.Contract]
        if TODAY
        <= v["end"] - datetime.timedelta(days=v["notice_days"])
        <= TODAY + datetime.timedelta(days=90)
    ]
    assert len(soon) >= 10
    names = {v["name"] for _, v in p.records[m.System]}
    for expected in (
        "Computer-aided dispatch (CAD)",
        "Jail management system",
        "Radio system P25 management",
    ):
        assert expected in names
    kinds = {v["kind"] for _, v in p.records[m.Location]}
    assert kinds == {"data_center", "office", "911_center", "tower_site", "cloud_region"}
    # Layers: services -> systems -> platforms -> infrastructure.
    dep_shapes = {
        (next(k for k in v if k.startswith("from_")), next(k for k in v if k.startswith("to_")))
        for _, v in p.records[m.Dependency]
    }
    assert ("from_service", "to_system") in dep_shapes
    assert ("from_system", "to_component") in dep_shapes
    assert ("from_component", "to_component") in dep_shapes


def test_large_sizes():
    size = demo.SIZES["large"]
    assert (size.systems, size.components, size.dependencies) == (5000, 100_000, 300_000)


@pytest.mark.parametrize("bulk", [False, True], ids=["write-path", "bulk"])
def test_load_creates_then_changes_nothing(db, bulk):
    _load_org()
    audit_before = AuditEntry.objects.count()
    created = demo.load(seed=3, sizes=TINY, today=TODAY, bulk=bulk)
    counts = _counts()
    assert counts == {
        "Location": len(demo.LOCATIONS),
        "Person": counts["Person"],
        "Vendor": 12,
        "Service": 50,
        "System": 90,
        "Component": 240,
        "Contract": 25,
        "RedundancyGroup": counts["RedundancyGroup"],
        "Dependency": 500,
    }
    # Switches, firewalls and storage in pairs; what needed one member needs the pair.
    assert counts["RedundancyGroup"] >= 5
    assert m.Dependency.objects.filter(to_group__isnull=False).count() > 50
    assert counts["Person"] == 2 * len(CODES) + len(CODES) + 6
    assert created == sum(counts.values())
    departments = Department.objects.count()
    # One audit entry per record, plus one per department given its head and IT liaison.
    assert AuditEntry.objects.count() - audit_before == created + departments
    assert (
        Department.objects.filter(head__isnull=False, it_liaison__isnull=False).count()
        == departments
    )
    assert not m.System.objects.filter(external_id="").exists()

    audit_after = AuditEntry.objects.count()
    assert demo.load(seed=3, sizes=TINY, today=TODAY, bulk=bulk) == 0
    assert _counts() == counts
    assert AuditEntry.objects.count() == audit_after  # nothing changed, nothing recorded


def test_bulk_and_write_path_record_the_same_history(db):
    """The bulk loader's audit entries hold what the write path would have recorded."""
    _load_org()
    demo.load(seed=4, sizes=TINY, today=TODAY, bulk=True)
    for model in (m.System, m.Contract, m.Dependency, m.Component):
        for obj in model.objects.order_by("pk")[:5]:
            entry = AuditEntry.objects.get(
                object_id=str(obj.pk), content_type__model=model._meta.model_name
            )
            assert entry.action == "create"
            assert entry.actor_name == "system"
            assert entry.object_repr == str(obj)[:300]
            assert entry.after == services.snapshot(obj)


def test_write_path_and_bulk_give_the_same_records(db):
    """The two ways of writing a plan produce the same rows."""

    def rows():
        """Each record's values, foreign keys named by what they point at (pks differ)."""
        result = {}
        for model in (m.System, m.Component, m.Contract, m.Dependency):
            for obj in model.objects.all():
                values = services.snapshot(obj)
                values.pop("id")
                for field in model._meta.concrete_fields:
                    if field.many_to_one:
                        values[field.name] = str(getattr(obj, field.name) or "")
                result[obj.external_id] = values
        return result

    _load_org()
    small = dataclasses.replace(TINY, components=60, dependencies=100, systems=40, services=45)
    demo.load(seed=5, sizes=small, today=TODAY, bulk=False)
    by_write_path = rows()
    for model in reversed(MODELS):
        services.delete_many(context.SYSTEM, model.objects.all())
    demo.load(seed=5, sizes=small, today=TODAY, bulk=True)
    by_bulk = rows()
    assert len(by_bulk) == 40 + 60 + 25 + 100
    assert by_bulk == by_write_path


def test_a_changed_record_is_put_back_through_the_write_path(db):
    _load_org()
    demo.load(seed=3, sizes=TINY, today=TODAY)
    system = m.System.objects.get(name="Computer-aided dispatch (CAD)")
    services.update(
        context.SYSTEM, system, {"lifecycle": "retired", "criticality": 4}, version=None
    )
    before = AuditEntry.objects.count()
    assert demo.load(seed=3, sizes=TINY, today=TODAY) == 0
    system.refresh_from_db()
    assert system.criticality == 1
    assert AuditEntry.objects.count() == before + 1


def test_vendor_names_are_fictional():
    names = [
        v["name"]
        for _, v in demo.plan(seed=1, sizes=TINY, today=TODAY, departments=CODES).records[m.Vendor]
    ]
    assert all(
        v["website"].endswith(".example")
        for _, v in demo.plan(seed=1, sizes=TINY, today=TODAY, departments=CODES).records[m.Vendor]
    )
    assert len(set(names)) == len(names)


def test_demo_command_loads_the_estate(db, capsys):
    from django.core.management import call_command

    demo_sizes = demo.SIZES["small"]
    try:
        demo.SIZES["small"] = TINY
        call_command("demo", "--seed", "2")
        out = capsys.readouterr().out
        assert "townhall.estate: " in out
        # The estate's own systems; the later modules' demos may add some (shadow IT adopts
        # a few tools it found outside IT, marked so).
        assert m.System.objects.filter(discovered_outside_it=False).count() == 90
        call_command("demo", "--seed", "2")
        assert "townhall.estate: 0 created" in capsys.readouterr().out
    finally:
        demo.SIZES["small"] = demo_sizes


def test_kinds_and_lifecycles_spread_in_the_database(db):
    _load_org()
    demo.load(seed=3, sizes=TINY, today=TODAY)
    kinds = dict(m.Component.objects.values_list("kind").annotate(n=Count("pk")))
    for kind in ("server", "virtual_machine", "network_device", "firewall", "storage"):
        assert kinds.get(kind, 0) > 0, kind
