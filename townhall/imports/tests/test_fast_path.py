"""The batch path's shortcuts give what the write path gives: the same stored values, the
same audit entries, the same errors, and no tag left behind by a row that is not kept."""

import datetime
import gc
import sqlite3
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from townhall.audit.models import AuditEntry
from townhall.core import bulk, context, services
from townhall.core.models import Tag
from townhall.estate import models as m
from townhall.imports import engine
from townhall.imports.tests.helpers import make, run_import

pytestmark = pytest.mark.django_db

SYSTEM = context.SYSTEM
SKIP = {"id", "created_at", "updated_at", "name"}


def _stored(obj: m.Component) -> dict:
    row = m.Component.objects.filter(pk=obj.pk).values().get()
    return {k: v for k, v in row.items() if k not in SKIP}


def _entry(obj: m.Component) -> AuditEntry:
    return AuditEntry.objects.get(content_type__model="component", object_id=str(obj.pk))


def test_batched_rows_store_what_the_write_path_stores(departments):
    hall = make(m.Location, name="City Hall")
    data = (
        b"Name,Department,Kind,Manufacturer,Quantity,Install date,End of support,"
        b"Replacement cost,Status,Location,Notes,External ID,Expected service life (years)\n"
        b'srv-01,PW,Network device,Cisco,3,3/14/2021,2030-06-30,"$1,200.50",spare,'
        b'City Hall,"two\nlines",AT-1,7\n'
        b"srv-02,,server,,,,,,,,,,\n"
    )
    out = run_import(SYSTEM, "component", data, "c.csv")
    assert out.problems == [] and out.counts()["created"] == 2
    full = m.Component.objects.get(name="srv-01")
    assert (full.install_date, full.replacement_cost) == (
        datetime.date(2021, 3, 14),
        Decimal("1200.50"),
    )
    assert full.location == hall and full.owner_department == departments["PW"]
    for imported in (full, m.Component.objects.get(name="srv-02")):
        values = {
            f.name: getattr(imported, f.name)
            for f in m.Component._meta.concrete_fields
            if f.name not in SKIP | {"version"}
        }
        with context.acting("import"):
            twin = services.create(SYSTEM, m.Component, {**values, "name": imported.name + "b"})
        assert _stored(imported) == _stored(twin)
        bulk_entry, entry = _entry(imported), _entry(twin)
        skip = ("id", "name")
        assert {k: v for k, v in bulk_entry.after.items() if k not in skip} == {
            k: v for k, v in entry.after.items() if k not in skip
        }
        assert list(bulk_entry.after) == list(entry.after)
        assert (bulk_entry.before, bulk_entry.action, bulk_entry.object_version) == (
            entry.before,
            entry.action,
            entry.object_version,
        )
        assert bulk_entry.after["id"] == imported.pk
        assert bulk_entry.object_repr == imported.name


def test_ids_come_back_in_row_order_across_statements(departments, monkeypatch):
    monkeypatch.setattr(bulk, "_max_params", lambda connection: 2 * 30)  # two rows a statement
    monkeypatch.setattr(engine, "BATCH", 5)
    names = [f"host-{i:02d}" for i in range(13)]
    data = "Name,Department,Quantity\n" + "".join(f"{n},PW,{i + 1}\n" for i, n in enumerate(names))
    out = run_import(SYSTEM, "component", data.encode(), "c.csv")
    assert out.counts()["created"] == 13
    for i, name in enumerate(names):
        record = m.Component.objects.get(name=name)
        assert record.quantity == i + 1
        entry = _entry(record)
        assert (entry.object_repr, entry.after["name"], entry.after["quantity"]) == (
            name,
            name,
            i + 1,
        )
    assert AuditEntry.objects.filter(via="import", content_type__model="component").count() == 13


def test_repeated_bad_values_are_reported_on_every_row(departments):
    data = (
        b"Name,Kind,Quantity,Install date\n"
        b"a,server,1,2/30/2024\nb,server,1,2/30/2024\n"
        b"c,server,-1,\nd,server,-1,\ne,server,1,\n"
    )
    out = run_import(SYSTEM, "component", data, "c.csv", valid_only=True)
    assert out.counts()["created"] == 1
    reported = [(p.row, p.column, p.value) for p in out.problems]
    assert reported == [
        (2, "Install date", "2/30/2024"),
        (3, "Install date", "2/30/2024"),
        (4, "Quantity", "-1"),
        (5, "Quantity", "-1"),
    ]
    assert out.problems[0].reason == out.problems[1].reason
    assert out.problems[2].reason == out.problems[3].reason
    assert "greater than or equal to 0" in out.problems[2].reason


def test_validation_remembers_only_what_a_field_accepted(departments):
    maker = bulk.Maker(m.Component)
    good = maker.build({"name": "a", "quantity": 2, "kind": "server"})[0]
    maker.validate(good)
    for bad_values in (
        {"name": "x" * 201},
        {"name": "b", "kind": "toaster"},
        {"name": "b", "quantity": -2},
        {"name": "b", "replacement_cost": Decimal("1.001")},
        {"name": "b", "replacement_cost": Decimal("123456789012345.00")},
    ):
        for _ in range(2):  # the second time may use what the first time remembered
            obj = maker.build(bad_values)[0]
            with pytest.raises(ValidationError) as caught:
                maker.validate(obj)
            reference = m.Component(**bad_values)
            with pytest.raises(ValidationError) as expected:
                reference.clean_fields()
            assert caught.value.message_dict == expected.value.message_dict
    assert bulk._memo_key(Decimal("1.0")) != bulk._memo_key(Decimal("1.00"))
    assert bulk._memo_key(1) != bulk._memo_key(True)


def test_a_choice_default_is_checked_once_not_on_every_record(monkeypatch):
    """A default given as a choice's member (support status: Unknown) is remembered like a
    plain value; it was checked in full for every row of an import."""
    checked = []
    full = bulk.Maker._check

    def counting(self, i, obj, raw, errors):
        checked.append(self.plan[i][1])
        return full(self, i, obj, raw, errors)

    monkeypatch.setattr(bulk.Maker, "_check", counting)
    maker = bulk.Maker(m.Component)
    for name in ("a", "b", "c"):
        obj = maker.build({"name": name, "kind": "server"})[0]
        maker.validate(obj)
        assert obj.support_state == m.SupportState.UNKNOWN
    assert checked.count("support_state") == 1
    assert bulk._memo_key(m.SupportState.UNKNOWN) == (m.SupportState, m.SupportState.UNKNOWN)
    assert bulk._memo_key(m.SupportState.UNKNOWN) != bulk._memo_key("unknown")


def test_a_record_is_built_as_the_write_path_builds_it(departments):
    maker = bulk.Maker(m.Component)
    data = {"name": "a", "owner_department": departments["PW"], "quantity": 4, "id": 99}
    obj, m2m = maker.build({**data, "tags": []})
    reference = m.Component()
    services._apply(reference, data)
    assert m2m == {"tags": []}
    assert {k: v for k, v in obj.__dict__.items() if k != "_state"} == {
        k: v for k, v in reference.__dict__.items() if k != "_state"
    }
    assert (obj._state.adding, obj._state.db) == (True, reference._state.db)


# --- tags of rows that are not kept ------------------------------------------------------


def test_a_row_refused_by_validation_adds_no_tag(departments):
    data = b"Name,Quantity,Tags\nkept,1,pilot\nrefused,-3,brand-new\n"
    out = run_import(SYSTEM, "component", data, "c.csv", valid_only=True)
    assert out.counts()["created"] == 1 and [p.row for p in out.problems] == [3]
    assert list(Tag.objects.values_list("name", flat=True)) == ["pilot"]
    assert not AuditEntry.objects.filter(content_type__model="tag", object_repr="brand-new")


def test_a_row_saved_on_its_own_and_refused_adds_no_tag(departments):
    data = b"Name,Website,Tags\nAcme,https://acme.example,pilot\nBad,not a url,brand-new\n"
    out = run_import(SYSTEM, "vendor", data, "v.csv", valid_only=True)
    assert out.counts()["created"] == 1 and [p.row for p in out.problems] == [3]
    assert list(Tag.objects.values_list("name", flat=True)) == ["pilot"]


def test_a_new_tag_named_by_a_refused_row_and_a_kept_one_is_added_once(departments):
    data = b"Name,Quantity,Tags\nrefused,-3,Fresh\nkept,1,fresh\nalso,1,FRESH; pilot\n"
    out = run_import(SYSTEM, "component", data, "c.csv", valid_only=True)
    assert out.counts()["created"] == 2
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["fresh", "pilot"]
    fresh = Tag.objects.get(name="fresh")
    assert [t.name for t in m.Component.objects.get(name="kept").tags.all()] == ["fresh"]
    assert sorted(t.pk for t in m.Component.objects.get(name="also").tags.all())[0] == fresh.pk
    assert AuditEntry.objects.filter(content_type__model="tag").count() == 2


def test_a_refused_batch_keeps_the_tags_of_the_rows_kept_alone(departments, monkeypatch):
    monkeypatch.setattr(bulk.Unique, "clashes", lambda self, obj: False)
    run_import(SYSTEM, "service", b"Name,Department,External ID\nPermits,PW,S-1\n", "s.csv")
    data = b"Name,Department,External ID,Tags\nFresh,PW,S-2,kept-tag\nPermits,PW,S-3,lost-tag\n"
    out = run_import(SYSTEM, "service", data, "s.csv", valid_only=True)
    assert out.counts() == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert list(Tag.objects.values_list("name", flat=True)) == ["kept-tag"]
    assert [t.name for t in m.Service.objects.get(name="Fresh").tags.all()] == ["kept-tag"]


def test_a_preview_adds_no_tags_and_counts_as_a_commit_would(departments):
    data = b"Name,Tags\na,new-one\nb,new-one\n"
    preview = run_import(SYSTEM, "component", data, "c.csv", commit=False)
    assert preview.counts()["created"] == 2 and not Tag.objects.exists()
    out = run_import(SYSTEM, "component", data, "c.csv")
    assert out.counts() == preview.counts()
    assert list(Tag.objects.values_list("name", flat=True)) == ["new-one"]


def test_an_existing_record_gaining_a_new_tag_is_updated(departments):
    run_import(SYSTEM, "component", b"Name,Department\nsrv,PW\n", "c.csv")
    out = run_import(SYSTEM, "component", b"Name,Department,Tags\nsrv,PW,shiny\n", "c.csv")
    assert out.counts()["updated"] == 1
    assert [t.name for t in m.Component.objects.get(name="srv").tags.all()] == ["shiny"]


def test_a_tag_name_too_long_is_refused_in_the_write_paths_words(departments):
    data = ("Name,Tags\nsrv," + "t" * 61 + "\n").encode()
    out = run_import(SYSTEM, "component", data, "c.csv")
    assert out.rejected == 1 and out.problems[0].column == "Tags"
    assert out.problems[0].reason.startswith(f"Tag {'t' * 61!r}: Ensure this value has at most 60")
    assert not Tag.objects.exists()


# --- records matched by later rows ----------------------------------------------------------


def test_rows_matching_one_existing_record_each_see_the_one_before(departments):
    run_import(SYSTEM, "component", b"Name,Department,Quantity\na,PW,1\n", "c.csv")
    data = b"Name,Department,Quantity\na,PW,5\na,PW,5\na,PW,7\n"
    out = run_import(SYSTEM, "component", data, "c.csv")
    assert out.counts() == {"created": 0, "updated": 2, "unchanged": 1, "rejected": 0}
    record = m.Component.objects.get(name="a")
    assert (record.quantity, record.version) == (7, 3)
    entries = AuditEntry.objects.filter(content_type__model="component", object_id=str(record.pk))
    assert [(e.before or {}).get("quantity") for e in entries.order_by("pk")] == [None, 1, 5]


def test_reimporting_unchanged_rows_costs_no_query_per_row(departments):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(rows: int) -> int:
        data = "Name,Department,Quantity\n" + "".join(f"h{i},PW,1\n" for i in range(rows))
        run_import(SYSTEM, "component", data.encode(), "c.csv")
        with CaptureQueriesContext(connection) as ctx:
            out = run_import(SYSTEM, "component", data.encode(), "c.csv")
        assert out.counts()["unchanged"] == rows
        return len(ctx.captured_queries)

    assert queries(10) == queries(40)


def test_values_go_to_the_database_as_get_db_prep_save_makes_them():
    from django.db import connection
    from django.utils import timezone

    samples = {
        "text": ["", "abc", None],
        "integer": [0, 7, None],
        "boolean": [True, False],
        "date": [datetime.date(2024, 2, 29), None],
        "datetime": [timezone.now(), None],
        "decimal": [Decimal("12.50"), Decimal("3"), None],
        "reference": [1, None],
        "json": [{"a": [1, "b"]}, None],
    }

    def kind(f) -> str:  # noqa: ANN001
        if f.many_to_one:
            return "reference"
        name = f.get_internal_type()
        for key, names in (
            ("text", bulk.TEXT_FIELDS),
            ("integer", bulk.INTEGER_FIELDS),
            ("boolean", {"BooleanField"}),
            ("date", {"DateField"}),
            ("datetime", {"DateTimeField"}),
            ("decimal", {"DecimalField"}),
            ("json", {"JSONField"}),
        ):
            if name in names:
                return key
        raise AssertionError(name)

    def plain(value):  # noqa: ANN001, ANN202
        if connection.vendor == "sqlite":  # what sqlite3 stores, by the adapters Django set
            value = sqlite3.adapt(value, sqlite3.PrepareProtocol, value)
        return (type(value), getattr(value, "obj", value))  # psycopg's Jsonb holds `obj`

    for model in (m.Component, AuditEntry, m.Component.tags.through):
        table = bulk.Table(model, connection, returning=False)
        base = {f.attname: samples[kind(f)][0] for f in table.fields}
        for i, f in enumerate(table.fields):
            for value in samples[kind(f)] * 2:  # twice: the second may be remembered
                got = table.values({**base, f.attname: value})[i]
                assert plain(got) == plain(f.get_db_prep_save(value, connection)), (f, value)


# --- values accepted in line -------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"name": "x" * 200},
        {"name": "x" * 201},
        {"name": ""},
        {"name": "a\x00b"},
        {"name": "a", "notes": "n\x00"},
        {"name": "a", "notes": "long " * 5000},
        {"name": "a", "manufacturer": ""},
        {"name": "a", "asset_tag": "t" * 101},
        {"name": "a", "kind": ""},
        {"name": "a", "kind": "toaster"},
        {"name": None},
        {"name": 12},
        {"name": "a", "version": None},
        *(
            {"name": "a", "replacement_cost": Decimal(amount)}
            for amount in (
                "12.50",
                "-0.00",
                "1.001",
                "123456789012.00",
                "1234567890123.00",
                "1E+11",
                "1E+12",
                "0E-5",
                "NaN",
                "Infinity",
            )
        ),
    ],
)
def test_the_field_checks_agree_with_clean_fields(departments, values):
    """Each field's check, with its shortcuts for text and remembered values, refuses what
    Model.clean_fields refuses in the same words, and accepts the rest unchanged."""
    maker = bulk.Maker(m.Component)
    for _ in range(2):  # the second time may use what the first time remembered
        obj = maker.build(values)[0]
        reference = m.Component()
        services._apply(reference, values)
        try:
            reference.clean_fields()
        except ValidationError as exc:
            with pytest.raises(ValidationError) as caught:
                maker.clean_fields(obj)
            assert caught.value.message_dict == exc.message_dict
        else:
            maker.clean_fields(obj)
            assert {k: v for k, v in obj.__dict__.items() if k != "_state"} == {
                k: v for k, v in reference.__dict__.items() if k != "_state"
            }


def test_text_with_a_validator_of_its_own_is_checked_in_full(departments):
    """A department's code has a pattern beyond its length: no shortcut passes it."""
    from townhall.org.models import Department

    maker = bulk.Maker(Department)
    obj = maker.build({"name": "Parks", "code": "P&R"})[0]
    with pytest.raises(ValidationError) as caught:
        maker.clean_fields(obj)
    assert list(caught.value.message_dict) == ["code"]
    assert bulk._text_limit(Department._meta.get_field("code")) == 0
    assert bulk._text_limit(Department._meta.get_field("name")) == 200


def test_a_bad_value_on_the_last_row_names_its_row_and_column(departments):
    data = (
        "Name,Kind,Manufacturer,Serial or asset tag\n"
        "a,server,Dell,T1\n"
        "b,server,Dell,T2\n"
        f"c,server,Dell,{'T' * 101}\n"
    ).encode()
    out = run_import(SYSTEM, "component", data, "c.csv")
    assert out.counts() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert not out.committed
    [problem] = out.problems
    assert (problem.row, problem.column) == (4, "Serial or asset tag")
    assert "at most 100 characters" in problem.reason
    assert not m.Component.objects.exists()


def test_a_file_naming_a_new_record_twice_updates_it_the_second_time(departments):
    """Filling an empty table reads no records ahead, yet a row naming a record added by an
    earlier row still changes it."""
    data = b"Name,Department,Quantity\na,PW,1\nb,PW,1\na,PW,4\n"
    out = run_import(SYSTEM, "component", data, "c.csv")
    assert out.counts() == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 0}
    assert m.Component.objects.get(name="a").quantity == 4


def test_a_batch_sent_in_bulk_records_each_records_history_as_it_reads(departments):
    """Enough rows for PostgreSQL's COPY: each audit entry's values after are the record's
    snapshot, written as plain JSON text rather than through the field."""
    rows = bulk.COPY_FROM + 5
    data = "Name,Department,Quantity,Replacement cost,Install date,Notes\n" + "".join(
        f'h{i},PW,{i},"${i},000.25",3/{1 + i % 28}/2021,"line ""{i}"" é"\n' for i in range(rows)
    )
    out = run_import(SYSTEM, "component", data.encode(), "c.csv")
    assert out.counts()["created"] == rows
    for record in m.Component.objects.all():
        entry = _entry(record)
        assert entry.after == services.snapshot(record)
        assert (entry.object_repr, entry.object_version) == (record.name, 1)


# --- the garbage collector during a load -------------------------------------------------


def test_an_import_sets_older_objects_aside_while_it_runs_and_hands_them_back():
    """During the load the collector's full passes skip what the process held before (and
    each finished batch); afterwards nothing is left frozen, whether the file was kept or
    refused."""
    assert gc.get_freeze_count() == 0
    frozen: list[int] = []  # how many objects were set aside, every 100 rows
    good = "Name\n" + "".join(f"gc-{i}\n" for i in range(250))
    out = run_import(
        SYSTEM,
        "component",
        good.encode(),
        "c.csv",
        progress=lambda _: frozen.append(gc.get_freeze_count()),
    )
    assert out.counts()["created"] == 250
    assert len(frozen) == 2 and all(count > 0 for count in frozen)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    bad = "Name,Quantity\ngc-a,1\ngc-b,many\n"
    out = run_import(SYSTEM, "component", bad.encode(), "c.csv")
    assert out.rejected == 1 and not out.committed
    assert gc.get_freeze_count() == 0 and gc.isenabled()
