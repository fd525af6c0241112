"""The one write path: permission, validation, conflict detection, audit, no side doors."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.core.models import Tag
from townhall.org.models import Department, Document


@pytest.mark.django_db
def test_saving_outside_the_write_path_is_refused(departments):
    dept = departments["PW"]
    dept.name = "Renamed"
    with pytest.raises(context.OutsideWritePath):
        dept.save()
    with pytest.raises(context.OutsideWritePath):
        Department.objects.filter(pk=dept.pk).update(name="Renamed")
    with pytest.raises(context.OutsideWritePath):
        Department.objects.filter(pk=dept.pk).delete()
    with pytest.raises(context.OutsideWritePath):
        Department.objects.bulk_create([Department(name="X", code="X")])
    with pytest.raises(context.OutsideWritePath):
        Tag(name="loose").save()
    assert Department.objects.get(pk=dept.pk).name == "Public Works"


@pytest.mark.django_db
def test_create_update_delete_record_before_and_after(users, departments):
    staff = users["staff"]
    with context.acting("cli", request_id="req-12345678"):
        dept = services.create(staff, Department, {"name": "Parks", "code": "PRK", "employees": 5})
        services.update(staff, dept, {"employees": 7, "parent": departments["PW"]}, version=1)
        services.delete(staff, Department.objects.get(pk=dept.pk))
    entries = list(
        AuditEntry.objects.filter(object_id=str(dept.pk), object_repr="Parks").order_by("at", "id")
    )
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(
        e.actor == staff and e.via == "cli" and e.request_id == "req-12345678" for e in entries
    )
    assert entries[0].before is None and entries[0].after["employees"] == 5
    assert entries[1].changes() == [
        ("version", 1, 2),
        ("parent", None, departments["PW"].pk),
        ("employees", 5, 7),
    ]
    assert entries[2].before["employees"] == 7 and entries[2].after is None


@pytest.mark.django_db
def test_unchanged_save_keeps_version_and_writes_no_entry(users, departments):
    dept = departments["PW"]
    count = AuditEntry.objects.count()
    same = services.update(users["staff"], dept, {"name": "Public Works"}, version=1)
    assert same.version == 1
    assert AuditEntry.objects.count() == count


@pytest.mark.django_db
def test_conflict_reports_who_changed_what(users, departments):
    dept = departments["PW"]
    services.update(users["staff"], dept, {"employees": 40}, version=1)
    services.update(users["admin"], dept, {"employees": 41, "notes": "n"}, version=2)
    with pytest.raises(services.ConflictError) as caught:
        services.update(users["staff"], dept, {"employees": 1}, version=1)
    changed = caught.value.changed_fields()
    assert changed["employees"] == (None, 41, "admin1")
    assert changed["notes"] == ("", "n", "admin1")
    assert Department.objects.get(pk=dept.pk).employees == 41


@pytest.mark.django_db
def test_invalid_values_save_nothing(users, departments):
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.create(users["staff"], Department, {"name": "Bad", "code": "has space"})
    assert "code" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.update(users["staff"], departments["PW"], {"parent": departments["PW"]}, version=1)
    assert AuditEntry.objects.count() == count
    assert not Department.objects.filter(name="Bad").exists()
    assert Department.objects.get(pk=departments["PW"].pk).parent is None


@pytest.mark.django_db
def test_protected_delete_explains_and_keeps_everything(users, departments):
    services.create(
        users["staff"], Department, {"name": "Roads", "code": "RDS", "parent": departments["PW"]}
    )
    with pytest.raises(ValidationError) as caught:
        services.delete(users["staff"], departments["PW"])
    assert "Roads" in caught.value.messages[0]
    assert Department.objects.filter(pk=departments["PW"].pk).exists()


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(users, departments):
    entry = AuditEntry.objects.first()
    entry.actor_name = "someone else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(actor_name="x")
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "system"


@pytest.mark.django_db
def test_bulk_update_is_all_or_nothing(users, departments):
    liaison = users["liaison"]  # Public Works
    docs = [
        services.create(
            context.SYSTEM,
            Document,
            {"title": f"D{i}", "file": "documents/x.txt", "owner_department": departments[code]},
        )
        for i, code in enumerate(["PW", "FIN"])
    ]
    with pytest.raises(PermissionDenied):
        services.update_many(liaison, docs, {"kind": "plan"})
    assert set(Document.objects.values_list("kind", flat=True)) == {"other"}


@pytest.mark.django_db
def test_tags_are_recorded_in_history(users, departments):
    with context.writing():
        tag = Tag.objects.create(name="grant-funded")
    services.update(users["staff"], departments["PW"], {"tags": [tag]}, version=1)
    entry = AuditEntry.objects.filter(action="update").first()
    assert ("tags", [], ["grant-funded"]) in entry.changes()


@pytest.mark.django_db
def test_text_with_a_nul_character_is_refused_by_field(departments):
    """PostgreSQL cannot keep a NUL in text; the write path says which field holds one
    instead of failing at the insert (code reading files and feeds does not pass forms)."""
    with pytest.raises(ValidationError) as refused:
        services.create(context.SYSTEM, Department, {"name": "Parks\x00", "code": "PK"})
    assert "NUL character" in str(refused.value.message_dict["name"])
    pw = departments["PW"]
    with pytest.raises(ValidationError):
        services.update(context.SYSTEM, pw, {"notes": "a\x00b"}, version=None)
    pw.refresh_from_db()
    assert pw.notes == "" and not Department.objects.filter(code="PK").exists()


@pytest.mark.django_db
def test_a_new_record_reads_back_only_the_links_it_was_given(users):
    """Its history lists the links given and no others, without a query per empty field."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = users["staff"]
    through = Department.tags.through._meta.db_table
    with CaptureQueriesContext(connection) as plain:
        dept = services.create(staff, Department, {"name": "Parks", "code": "PRK"})
    assert not [q for q in plain.captured_queries if through in q["sql"] and "SELECT" in q["sql"]]
    entry = AuditEntry.objects.get(object_id=str(dept.pk), action="create", object_repr="Parks")
    assert entry.after["tags"] == []
    tag = services.create(staff, Tag, {"name": "critical"})
    tagged = services.create(staff, Department, {"name": "Fleet", "code": "FLT", "tags": [tag]})
    entry = AuditEntry.objects.get(object_id=str(tagged.pk), action="create", object_repr="Fleet")
    assert entry.after["tags"] == ["critical"]
