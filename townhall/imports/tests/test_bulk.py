"""Large imports save new records in batches: the same records, counts and history as one
row at a time through the write path."""

import pytest

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.core.models import Tag
from townhall.estate import models as m
from townhall.imports import engine
from townhall.imports.tests.helpers import run_import

pytestmark = pytest.mark.django_db

SYSTEM = context.SYSTEM
COMPONENTS = (
    b"Name,Department,Kind,Quantity,Install date,Replacement cost,Tags\n"
    b'srv-01,PW,server,2,2023-03-15,"$8,000","pilot, grant-funded"\n'
)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(engine, "BATCH", 2)


def _comparable(entry: AuditEntry) -> dict:
    after = {k: v for k, v in entry.after.items() if k not in ("id", "name")}
    return {
        "after": after,
        "before": entry.before,
        "action": entry.action,
        "via": entry.via,
        "actor": (entry.actor_id, entry.actor_name),
        "type": entry.content_type_id,
        "version": entry.object_version,
    }


def test_batched_audit_entry_matches_the_write_path(users, departments):
    staff = users["staff"]
    out = run_import(staff, "component", COMPONENTS, "c.csv")
    assert out.counts()["created"] == 1
    srv = m.Component.objects.get(name="srv-01")
    bulk_entry = AuditEntry.objects.get(object_id=str(srv.pk), content_type__model="component")
    assert bulk_entry.after["id"] == srv.pk
    assert bulk_entry.after["tags"] == ["pilot", "grant-funded"]
    assert bulk_entry.request_id and bulk_entry.object_repr == "srv-01"

    values = {
        f.name: getattr(srv, f.name)
        for f in m.Component._meta.concrete_fields
        if f.name not in ("id", "created_at", "updated_at", "version")
    }
    values["name"] = "srv-02"
    values["tags"] = list(Tag.objects.order_by("pk"))
    with context.acting("import"):
        other = services.create(staff, m.Component, values)
    entry = AuditEntry.objects.get(object_id=str(other.pk), content_type__model="component")
    assert _comparable(bulk_entry) == _comparable(entry)
    assert bulk_entry.after.keys() == entry.after.keys()


def test_unknown_tags_are_added_through_the_write_path(users, departments):
    out = run_import(users["staff"], "component", COMPONENTS, "c.csv")
    assert out.problems == []
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["grant-funded", "pilot"]
    entry = AuditEntry.objects.get(content_type__model="tag", object_repr="pilot")
    assert (entry.via, entry.actor_name) == ("import", "staff1")
    srv = m.Component.objects.get(name="srv-01")
    assert sorted(t.name for t in srv.tags.all()) == ["grant-funded", "pilot"]


def test_a_liaison_may_use_tags_but_not_add_them(users, departments):
    with context.acting("system"):
        services.create(SYSTEM, Tag, {"name": "pilot"})
    data = b'Name,Tags\nkept,Pilot\nrefused,"pilot, brand-new"\n'
    out = run_import(users["liaison"], "component", data, "c.csv", valid_only=True)
    assert out.counts()["created"] == 1
    assert [(p.row, p.column, p.value) for p in out.problems] == [(3, "Tags", "pilot, brand-new")]
    assert "No tag called 'brand-new'" in out.problems[0].reason
    assert not Tag.objects.filter(name="brand-new").exists()
    assert [t.name for t in m.Component.objects.get(name="kept").tags.all()] == ["pilot"]


def test_rows_repeating_a_new_record_update_it(departments, small_batches):
    data = (
        b"Name,Department,Quantity\n"
        b"a,PW,1\nb,PW,1\nc,PW,1\n"
        b"a,PW,1\n"  # the same as row 2: unchanged
        b"b,PW,5\n"  # changes row 3's record
        b"a,FIN,1\n"  # another department's "a": a new record
    )
    preview = run_import(SYSTEM, "component", data, "c.csv", commit=False)
    out = run_import(SYSTEM, "component", data, "c.csv")
    expected = {"created": 4, "updated": 1, "unchanged": 1, "rejected": 0}
    assert preview.counts() == out.counts() == expected
    assert m.Component.objects.get(name="b").quantity == 5
    assert m.Component.objects.filter(name="a").count() == 2
    b = m.Component.objects.get(name="b")
    entries = AuditEntry.objects.filter(object_id=str(b.pk), content_type__model="component")
    assert [(e.action, e.object_version) for e in entries.order_by("pk")] == [
        ("create", 1),
        ("update", 2),
    ]


def test_mixed_new_changed_and_unchanged_rows(departments, small_batches):
    run_import(SYSTEM, "service", b"Name,Department\nold,PW\nsame,PW\n", "s.csv")
    data = b"Name,Department,Description\nnew1,PW,\nold,PW,changed\nnew2,PW,\nsame,PW,\nnew3,PW,\n"
    out = run_import(SYSTEM, "service", data, "s.csv")
    assert out.counts() == {"created": 3, "updated": 1, "unchanged": 1, "rejected": 0}
    assert AuditEntry.objects.filter(via="import", content_type__model="service").count() == 6


def test_a_clash_is_reported_in_the_write_paths_words(departments):
    run_import(SYSTEM, "location", b"Name\nCity Hall\n", "l.csv")
    out = run_import(SYSTEM, "location", b"Name,External ID\nCity Hall,LOC-9\n", "l.csv")
    assert out.rejected == 1
    assert [(p.row, p.column) for p in out.problems] == [(2, "Name")]
    assert "already exists" in out.problems[0].reason


def test_a_batch_the_database_refuses_is_saved_row_by_row(departments, monkeypatch):
    from townhall.core import bulk

    monkeypatch.setattr(bulk.Unique, "clashes", lambda self, obj: False)
    run_import(SYSTEM, "service", b"Name,Department,External ID\nPermits,PW,S-1\n", "s.csv")
    data = b"Name,Department,External ID\nFresh,PW,S-2\nPermits,PW,S-3\n"
    out = run_import(SYSTEM, "service", data, "s.csv", valid_only=True)
    assert out.counts() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert out.problems[0].row == 3
    assert sorted(m.Service.objects.values_list("name", flat=True)) == ["Fresh", "Permits"]
    assert AuditEntry.objects.filter(via="import", object_repr="Fresh").count() == 1


def test_invalid_new_rows_are_reported_by_column(departments):
    data = b"Name,Department,Kind,Quantity\nok,PW,server,1\nbad,PW,server,-3\n"
    out = run_import(SYSTEM, "component", data, "c.csv")
    assert not out.committed and out.counts()["rejected"] == 1
    assert [(p.row, p.column, p.value) for p in out.problems] == [(3, "Quantity", "-3")]


def test_a_row_matching_a_refused_batch_row_is_new_again(departments, monkeypatch):
    from townhall.core import bulk

    monkeypatch.setattr(bulk.Unique, "clashes", lambda self, obj: False)
    run_import(SYSTEM, "service", b"Name,Department\nPermits,PW\n", "s.csv")
    data = b"Name,Department,External ID\nPermits,PW,S-3\nPermits,PW,S-3\n"
    out = run_import(SYSTEM, "service", data, "s.csv", valid_only=True)
    assert out.counts() == {"created": 0, "updated": 0, "unchanged": 0, "rejected": 2}
    assert [p.row for p in out.problems] == [2, 3]


def test_changed_rows_are_saved_in_batches_with_history(departments, small_batches, monkeypatch):
    rows = "".join(f"c{i},PW,{i + 1}\n" for i in range(5))
    run_import(SYSTEM, "component", f"Name,Department,Quantity\n{rows}".encode(), "c.csv")

    def one_by_one(*args, **kwargs):
        raise AssertionError("a changed row went through services.update on its own")

    monkeypatch.setattr(engine.services, "update", one_by_one)
    rows = "".join(f"c{i},PW,{i + 10}\n" for i in range(4)) + "c4,PW,5\n"
    out = run_import(SYSTEM, "component", f"Name,Department,Quantity\n{rows}".encode(), "c.csv")
    assert out.counts() == {"created": 0, "updated": 4, "unchanged": 1, "rejected": 0}
    c0 = m.Component.objects.get(name="c0")
    assert (c0.quantity, c0.version) == (10, 2)
    entry = AuditEntry.objects.filter(object_id=str(c0.pk), action="update").get()
    assert entry.via == "import" and ("quantity", 1, 10) in entry.changes()
    assert m.Component.objects.get(name="c4").version == 1


def test_a_refused_change_in_a_batch_is_reported_and_the_others_kept(departments):
    rows = "".join(f"c{i},PW,{i + 1}\n" for i in range(3))
    run_import(SYSTEM, "component", f"Name,Department,Quantity\n{rows}".encode(), "c.csv")
    data = b"Name,Department,Quantity\nc0,PW,7\nc1,PW,-4\nc2,PW,9\n"
    out = run_import(SYSTEM, "component", data, "c.csv", valid_only=True)
    assert out.counts() == {"created": 0, "updated": 2, "unchanged": 0, "rejected": 1}
    assert [(p.row, p.column, p.value) for p in out.problems] == [(3, "Quantity", "-4")]
    quantities = dict(m.Component.objects.values_list("name", "quantity"))
    assert quantities == {"c0": 7, "c1": 2, "c2": 9}
