"""NIST's NICE Framework release: the pure reader, the built-in core set and the import
verb on the write path."""

import json
from pathlib import Path

import pytest

from townhall.core import context
from townhall.people import nice, nice_core, services
from townhall.people.models import Skill

FIXTURE = Path(__file__).parent / "fixtures" / "nice_components.json"


def _file(*elements: dict) -> str:
    return json.dumps({"response": {"elements": {"elements": list(elements)}}})


def test_the_reader_takes_work_roles_and_competency_areas_only():
    found = nice.parse(FIXTURE.read_text())
    assert [(e.code, e.name, e.kind) for e in found] == [
        ("IO-WRL-002", "Database Administration", "work_role"),
        ("IO-WRL-005", "Systems Administration", "work_role"),
        ("NF-COM-004", "Cloud Security", "competency_area"),
    ]
    assert found[0].document == "NICE Framework v1.0.0"
    assert found[0].description == "Fixture text: looks after the databases."


def test_the_reader_accepts_the_inner_object_too():
    inner = json.loads(FIXTURE.read_text())["response"]
    assert len(nice.parse(json.dumps(inner))) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "The file is not JSON"),
        ('{"catalog": {}}', "not a NICE Framework components file"),
        (_file("x"), "Element 1 is not an object."),
        (_file({"element_type": "work_role", "title": "X"}), "Element 1 (work_role) has no"),
        (
            _file({"element_type": "work_role", "element_identifier": "WRL-1", "title": "X"}),
            "Element 1 (WRL-1): element_identifier is not a NICE work role identifier",
        ),
        (
            _file({"element_type": "competency_area", "element_identifier": "NF-COM-001"}),
            "Element 1 (NF-COM-001) has no title.",
        ),
        (
            _file(
                {"element_type": "work_role", "element_identifier": "OG-WRL-001", "title": "A"},
                {"element_type": "work_role", "element_identifier": "OG-WRL-001", "title": "B"},
            ),
            "Element 2 (OG-WRL-001) appears twice (also element 1).",
        ),
        (_file({"element_type": "task", "element_identifier": "T1"}), "no work roles"),
    ],
)
def test_bad_input_is_refused_naming_the_element(text, message):
    with pytest.raises(nice.NiceError) as refused:
        nice.parse(text)
    assert message in str(refused.value)


def test_the_core_set_uses_nists_identifiers_once_each():
    codes = [c for c, _n, _d in nice_core.WORK_ROLES + nice_core.COMPETENCY_AREAS]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert nice.IDENTIFIER["work_role"].match(code) or nice.IDENTIFIER["competency_area"].match(
            code
        )
    assert len(nice_core.COMPETENCY_AREAS) == 11


@pytest.mark.django_db
def test_the_core_set_loads_once_and_the_file_brings_it_up_to_date():
    with context.acting("system"):
        first = services.load_core_skills(context.SYSTEM)
        again = services.load_core_skills(context.SYSTEM)
    assert first.added == len(nice_core.WORK_ROLES) + len(nice_core.COMPETENCY_AREAS)
    assert (again.added, again.changed) == (0, 0)
    dba = Skill.objects.get(code="IO-WRL-002")
    assert (dba.kind, dba.source) == ("work_role", nice_core.SOURCE)
    with context.acting("system"):
        loaded = services.import_nice(context.SYSTEM, FIXTURE.read_bytes())
    assert (loaded.added, loaded.changed) == (0, 3)
    dba.refresh_from_db()
    assert dba.description == "Fixture text: looks after the databases."
    assert dba.source == "NICE Framework v1.0.0"
    with context.acting("system"):
        assert services.import_nice(context.SYSTEM, FIXTURE.read_bytes()).changed == 0


@pytest.mark.django_db
def test_a_bad_file_changes_nothing():
    bad = _file(
        {"element_type": "work_role", "element_identifier": "OG-WRL-001", "title": "A"},
        {"element_type": "work_role", "element_identifier": "OG-WRL-002"},
    )
    with context.acting("system"), pytest.raises(nice.NiceError):
        services.import_nice(context.SYSTEM, bad)
    assert not Skill.objects.exists()


@pytest.mark.django_db
def test_only_it_staff_import(users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_nice(users["viewer"], FIXTURE.read_bytes())
    assert not Skill.objects.exists()


@pytest.mark.django_db
def test_the_command_loads_the_core_set_and_reads_nists_file(capsys):
    from django.core.management import CommandError, call_command

    call_command("people", "core-skills")
    assert "51 NICE work roles and competency areas added" in capsys.readouterr().out
    call_command("people", "nice", str(FIXTURE))
    assert "0 NICE work roles and competency areas added, 3 changed." in capsys.readouterr().out
    with pytest.raises(CommandError, match="No such file"):
        call_command("people", "nice", "/nowhere.json")
