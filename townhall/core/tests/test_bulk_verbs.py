"""The write path's verbs for many records and for state changes: `create_many`,
`update_rows` (and `update_many` on it) and `transition` check, save all or none, and audit
each record as `create` and `update` do."""

import datetime
import gc
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.core.models import Tag
from townhall.estate import models as m

pytestmark = pytest.mark.django_db

SYSTEM = context.SYSTEM


def _entry(obj) -> AuditEntry:
    return AuditEntry.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name
    ).latest("pk")


def test_create_many_writes_what_create_writes(users, departments):
    staff = users["staff"]
    with context.writing():
        tag = Tag.objects.create(name="pilot")
    values = {"kind": "server", "quantity": 2, "owner_department": departments["PW"].pk}
    with context.acting("import"):
        made = services.create_many(
            staff, m.Component, [{**values, "name": f"srv-{i}", "tags": [tag.pk]} for i in range(3)]
        )
        one = services.create(staff, m.Component, {**values, "name": "srv-9", "tags": [tag]})
    assert [c.name for c in made] == ["srv-0", "srv-1", "srv-2"] and all(c.pk for c in made)
    bulk_entry, entry = _entry(made[0]), _entry(one)
    for key in ("action", "via", "actor_id", "actor_name", "object_version", "before"):
        assert getattr(bulk_entry, key) == getattr(entry, key)
    skip = ("id", "name")
    assert {k: v for k, v in bulk_entry.after.items() if k not in skip} == {
        k: v for k, v in entry.after.items() if k not in skip
    }
    assert bulk_entry.after["tags"] == ["pilot"]
    assert AuditEntry.objects.filter(action="create", content_type__model="component").count() == 4


def test_create_many_keeps_nothing_when_one_record_is_refused(users, departments):
    rows = [{"name": "ok"}, {"name": "bad", "quantity": -3}, {"name": "also"}]
    with pytest.raises(services.RowInvalid) as caught:
        services.create_many(users["staff"], m.Component, rows)
    assert caught.value.index == 1 and "quantity" in caught.value.error.message_dict
    assert not m.Component.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="component").exists()


def test_create_many_refuses_a_repeated_unique_value_in_the_write_paths_words(users):
    services.create(users["staff"], m.Location, {"name": "City Hall"})
    rows = [{"name": "Annex"}, {"name": "Annex"}]
    with pytest.raises(services.RowInvalid) as caught:
        services.create_many(users["staff"], m.Location, rows)
    assert caught.value.index == 1 and "already exists" in str(caught.value)
    with pytest.raises(services.RowInvalid, match="already exists"):
        services.create_many(users["staff"], m.Location, [{"name": "City Hall"}])
    assert m.Location.objects.count() == 1


def test_create_many_refuses_a_reference_to_nothing(users, departments):
    rows = [
        {"name": "a", "owner_department": departments["PW"].pk},
        {"name": "b", "owner_department": 987654},
    ]
    with pytest.raises(services.RowInvalid) as caught:
        services.create_many(users["staff"], m.Component, rows, batch=1)
    assert caught.value.index == 1 and "owner_department" in caught.value.error.message_dict
    assert not m.Component.objects.exists()


def test_create_many_asks_permission_per_department(users, departments):
    liaison = users["liaison"]  # Public Works
    rows = [
        {"name": "mine", "owner_department": departments["PW"].pk},
        {"name": "theirs", "owner_department": departments["FIN"].pk},
    ]
    with pytest.raises(PermissionDenied):
        services.create_many(liaison, m.Component, rows)
    assert not m.Component.objects.exists()
    made = services.create_many(liaison, m.Component, rows[:1])
    assert _entry(made[0]).actor == liaison


def test_create_many_saves_a_model_with_its_own_save_one_by_one(users, departments):
    vendor = services.create(users["staff"], m.Vendor, {"name": "Acme"})
    row = {
        "title": "Support",
        "vendor": vendor.pk,
        "kind": "support",
        "owner_department": departments["PW"].pk,
        "start": datetime.date(2025, 1, 1),
        "end": datetime.date(2027, 1, 1),
        "notice_days": 30,
    }
    (contract,) = services.create_many(users["staff"], m.Contract, [row])
    contract.refresh_from_db()
    assert contract.notice_deadline == datetime.date(2026, 12, 2)  # save() derives it
    assert _entry(contract).action == "create"


def test_update_rows_changes_each_record_with_its_own_values(users, departments):
    staff = users["staff"]
    made = services.create_many(staff, m.Component, [{"name": f"c{i}"} for i in range(3)])
    edits = [
        (made[0], {"quantity": 5}),
        (made[1], {"replacement_cost": Decimal("12.50")}),
        (made[2], {"name": "c2"}),  # unchanged: no save, no entry
    ]
    assert services.update_rows(staff, edits) == 2
    first, second, third = (m.Component.objects.get(pk=c.pk) for c in made)
    assert (first.quantity, first.version) == (5, 2)
    assert (second.replacement_cost, second.version) == (Decimal("12.50"), 2)
    assert third.version == 1
    entry = _entry(first)
    assert entry.action == "update" and entry.object_version == 2
    assert ("quantity", 1, 5) in entry.changes()
    assert _entry(third).action == "create"


def test_update_rows_keeps_nothing_when_one_record_is_refused(users, departments):
    staff = users["staff"]
    made = services.create_many(staff, m.Component, [{"name": "a"}, {"name": "b"}])
    with pytest.raises(services.RowInvalid) as caught:
        services.update_rows(staff, [(made[0], {"quantity": 4}), (made[1], {"quantity": -1})])
    assert caught.value.index == 1
    assert set(m.Component.objects.values_list("quantity", flat=True)) == {1}
    assert not AuditEntry.objects.filter(action="update").exists()


def test_update_rows_refuses_a_record_the_person_may_not_change(users, departments):
    theirs = services.create(
        SYSTEM, m.Component, {"name": "x", "owner_department": departments["FIN"]}
    )
    with pytest.raises(PermissionDenied):
        services.update_rows(users["liaison"], [(theirs, {"quantity": 3})])
    theirs.refresh_from_db()
    assert theirs.quantity == 1


def test_a_transition_is_checked_and_audited(users, departments):
    from townhall.continuity.models import RecoveryPlan

    staff = users["staff"]
    plan = services.create(staff, RecoveryPlan, {})
    with pytest.raises(ValidationError, match="cannot go from draft to superseded"):
        services.transition(staff, plan, RecoveryPlan.Status.SUPERSEDED)
    with context.writing():  # an approved version, as approval leaves it
        RecoveryPlan.objects.filter(pk=plan.pk).update(status="approved")
    with pytest.raises(PermissionDenied):
        services.transition(users["liaison"], plan, RecoveryPlan.Status.SUPERSEDED)
    done = services.transition(staff, plan, RecoveryPlan.Status.SUPERSEDED, note="v2 approved")
    assert done.status == "superseded" and done.version == plan.version == 2
    entry = _entry(plan)
    assert entry.action == "update" and entry.actor == staff
    assert (entry.before["status"], entry.after["status"]) == ("approved", "superseded")
    assert entry.after["transition"] == "status: approved → superseded (v2 approved)"


def test_a_transition_without_rules_needs_the_right_to_change(users, departments):
    doc = services.create(
        SYSTEM, m.Component, {"name": "x", "owner_department": departments["FIN"]}
    )
    with pytest.raises(PermissionDenied):
        services.transition(users["liaison"], doc, "retired")
    with pytest.raises(ValidationError):
        services.transition(users["staff"], doc, "no-such-status")
    services.transition(users["staff"], doc, "retired")
    doc.refresh_from_db()
    assert doc.status == "retired"


def test_a_transition_asks_the_models_rule_as_an_edit_does(users, departments, monkeypatch):
    """`check_write` is the model's rule about who may set which values: a transition sets
    values too (the state, and what `extra` carries), so it is asked, with the values before."""
    values = {"name": "x", "owner_department": departments["PW"]}
    item = services.create(SYSTEM, m.Component, values)
    asked: list[tuple] = []

    def check_write(self, user, before):
        asked.append((user, before["status"], self.status, self.notes))
        if self.status == "retired":
            raise PermissionDenied("Only the records office retires a component.")

    monkeypatch.setattr(m.Component, "check_write", check_write, raising=False)
    staff = users["staff"]
    with pytest.raises(PermissionDenied, match="records office"):
        services.transition(staff, item, "retired", extra={"notes": "gone"})
    item.refresh_from_db()
    assert item.status != "retired" and item.notes == "" and item.version == 1
    assert asked == [(staff, "in_service", "retired", "gone")]
    services.transition(staff, item, "planned")
    assert asked[-1] == (staff, "in_service", "planned", "")


def test_a_transition_from_an_old_version_is_a_conflict(users, departments):
    """As for `update`: someone saved the record after the person opened it."""
    staff, other = users["staff"], users["admin"]
    item = services.create(staff, m.Component, {"name": "x", "owner_department": departments["PW"]})
    seen = item.version
    services.update(other, item, {"notes": "moved racks"}, version=seen)
    with pytest.raises(services.ConflictError, match="changed by admin1 after") as exc:
        services.transition(staff, item, "retired", version=seen)
    assert exc.value.changed_fields()["notes"][1] == "moved racks"
    item.refresh_from_db()
    assert item.status != "retired"
    done = services.transition(staff, item, "retired", version=item.version)
    assert done.status == "retired" and done.version == seen + 2


def test_create_many_sets_older_objects_aside_and_hands_them_back(users, departments):
    """While it runs the collector's full passes skip what the process held before; after
    it, kept or refused, nothing is left frozen."""
    frozen: list[int] = []

    def rows(bad: bool):  # noqa: ANN202
        for i in range(3):
            frozen.append(gc.get_freeze_count())
            yield {"name": f"gc-{i}", "quantity": "many" if bad and i == 2 else 1}

    with context.acting("test"):
        services.create_many(users["staff"], m.Component, rows(bad=False))
        assert frozen and all(count > 0 for count in frozen)
        assert gc.get_freeze_count() == 0 and gc.isenabled()
        with pytest.raises(services.RowInvalid):
            services.create_many(users["staff"], m.Component, rows(bad=True))
        assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_create_many_leaves_objects_someone_else_froze_frozen(users, departments):
    gc.freeze()
    try:
        with context.acting("test"):
            services.create_many(users["staff"], m.Component, [{"name": "gc-kept"}])
        assert gc.get_freeze_count() > 0  # not handed back by create_many
    finally:
        gc.unfreeze()


def test_create_many_never_gives_a_deleted_records_id_again(users):
    staff = users["staff"]
    kept, last = services.create_many(staff, m.Location, [{"name": "Annex"}, {"name": "Depot"}])
    services.delete(staff, last, version=last.version)
    made = services.create_many(staff, m.Location, [{"name": "Yard"}, {"name": "Garage"}])
    one = services.create(staff, m.Location, {"name": "Shop"})
    assert [loc.pk for loc in made] == [last.pk + 1, last.pk + 2]  # as create counts them
    assert one.pk == last.pk + 3
    for loc in made:
        assert m.Location.objects.get(pk=loc.pk).name == loc.name
        assert _entry(loc).after["id"] == loc.pk


def test_create_many_sends_as_many_statements_for_a_hundred_records_as_for_5000(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements(count: int, start: int) -> int:
        rows = [{"name": f"site-{start + i}"} for i in range(count)]
        with CaptureQueriesContext(connection) as ctx:
            services.create_many(users["staff"], m.Location, rows, batch=count)  # one batch
        return len(ctx.captured_queries)

    statements(1, 0)  # what is read once per process (the kind of record, for history)
    assert statements(100, 1) == statements(5000, 101)


def test_update_rows_reads_links_once_and_writes_only_what_changed(users, departments):
    """Records given the same new value share one UPDATE, which names only the changed field
    (and the version and time of the change); links are read with the records, not per
    record, so the statements do not grow with the records."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = users["staff"]
    made = services.create_many(staff, m.Component, [{"name": f"c{i}"} for i in range(60)])
    with context.acting("system"):
        tag = services.create(SYSTEM, Tag, {"name": "kept"})
        services.update(SYSTEM, made[0], {"tags": [tag]}, version=1)

    def statements(records: list, quantity: int) -> tuple[int, list[str]]:
        fresh = list(m.Component.objects.filter(pk__in=[c.pk for c in records]))
        with CaptureQueriesContext(connection) as ctx:
            assert services.update_rows(staff, [(c, {"quantity": quantity}) for c in fresh])
        updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
        return len(ctx.captured_queries), updates

    statements(made[1:3], 2)  # what is read once per process (the kind of record, for history)
    few, updates = statements(made[:6], 3)
    many, _ = statements(made[6:], 3)
    assert few == many
    (update,) = updates
    assert '"quantity"' in update and '"version"' in update and '"updated_at"' in update
    assert '"name"' not in update and '"notes"' not in update
    first = m.Component.objects.get(pk=made[0].pk)
    assert (first.quantity, first.version) == (3, 3)
    assert [t.name for t in first.tags.all()] == ["kept"]
    assert ("quantity", 1, 3) in _entry(first).changes()


def test_an_update_reads_each_link_once_and_history_keeps_the_links(users):
    """The links are read for the record as it was; the new snapshot rereads only the links
    the change sets (a state change, `transition`, sets none and rereads none)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = users["staff"]
    with context.acting("system"):
        kept, added = (services.create(SYSTEM, Tag, {"name": n}) for n in ("kept", "added"))
    system = services.create(staff, m.System, {"name": "Permits"})
    vendor = services.create(staff, m.Vendor, {"name": "Acme"})
    contract = services.create(
        staff, m.Contract, {"vendor": vendor, "title": "Support", "tags": [kept]}
    )

    def reads(data: dict, version: int) -> dict[str, int]:
        with CaptureQueriesContext(connection) as ctx:
            services.update(staff, contract, data, version=version)
        return {
            name: sum(
                q["sql"].startswith("SELECT") and f'"estate_contract_{name}"' in q["sql"]
                for q in ctx.captured_queries
            )
            for name in ("tags", "systems", "components")
        }

    assert reads({"notes": "Renewed"}, 1) == {"tags": 1, "systems": 1, "components": 1}
    assert _entry(contract).after["tags"] == ["kept"]
    # The systems are set: read as they were, compared, set and read again; the rest once.
    assert reads({"systems": [system]}, 2) == {"tags": 1, "systems": 4, "components": 1}
    after = _entry(contract).after
    assert (after["tags"], after["systems"], after["components"]) == (["kept"], ["Permits"], [])
