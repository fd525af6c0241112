"""Choices the way cities write them: common spellings are read as the value they mean,
and a value still unknown is listed once on the preview, mapped by the person, and kept
with the saved mapping for the next file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townhall.core import registry
from townhall.estate import models as m
from townhall.estate.spellings import SPELLINGS
from townhall.imports import kinds, values
from townhall.imports.models import ImportRun, SavedMapping
from townhall.imports.tests.helpers import run_import

HOSTING = [(k, str(v)) for k, v in m.System.Hosting.choices]
HOSTING_WORDS = values.Choices(HOSTING, SPELLINGS["system"]["hosting"])


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("On-Prem", "on_premises"),
        ("on-premise", "on_premises"),
        ("on premises", "on_premises"),
        ("ON PREM", "on_premises"),
        ("On Premises", "on_premises"),
        ("Cloud/SaaS", "saas"),
        ("SaaS", "saas"),
        ("Vendor hosted", "saas"),
        ("Azure", "cloud"),
        ("IaaS", "cloud"),
        ("partner agency", "partner"),
        ("Hosted by a partner agency", "partner"),
        ("on_premises", "on_premises"),
    ],
)
def test_hosting_as_county_inventories_write_it(raw, expected):
    assert values.choice(raw, HOSTING_WORDS) == expected


def test_abbreviations_plurals_and_what_stays_unknown():
    classification = values.Choices([(k, str(v)) for k, v in m.System.Classification.choices])
    assert values.choice("Conf", classification) == "confidential"
    assert values.choice("Restr.", classification) == "restricted"
    lifecycle = values.Choices([(k, str(v)) for k, v in m.System.Lifecycle.choices])
    assert values.choice("Actives", lifecycle) == "active"
    with pytest.raises(values.UnknownChoice, match="'Phase' is not one of"):
        values.choice("Phase", lifecycle)  # phase-in or phase-out: not guessed
    with pytest.raises(values.UnknownChoice):
        values.choice("Pl", lifecycle)  # too short to be an abbreviation
    with pytest.raises(values.UnknownChoice, match="'Mainframe room' is not one of: On prem"):
        values.choice("Mainframe room", HOSTING_WORDS)
    mapped = {values.squash("Mainframe room"): "on_premises"}
    assert values.choice("mainframe-ROOM", HOSTING_WORDS, mapped) == "on_premises"


@pytest.mark.parametrize("key", [kind.key for kind in kinds.all_kinds()])
def test_each_spelling_names_one_real_value_of_its_field(key):
    kind = kinds.get(key)
    for field in kind.model._meta.concrete_fields:
        words = registry.choice_spellings(kind.model, field.name)
        if not words:
            continue
        name = field.name
        choices = {str(k): str(v) for k, v in field.flatchoices}
        assert set(words) <= set(choices), (name, set(words) - set(choices))
        owner: dict[str, str] = {}
        for stored, label in choices.items():
            owner[values.squash(stored)] = stored
            owner[values.squash(label)] = stored
        for stored, spellings in words.items():
            for word in spellings:
                key_ = values.squash(word)
                assert owner.setdefault(key_, stored) == stored, (name, word)


COUNTY = (
    b"Application,Department,Hosting\n"
    b"CAD,PW,On-Prem\n"
    b"Payroll,FIN,Cloud/SaaS\n"
    b"Permits,PW,on-premise\n"
    b"GIS,PW,on premises\n"
    b"Email,FIN,SaaS\n"
    b"Backup,FIN,Azure\n"
    b"Radio,PW,Hosted by a partner agency\n"
)


@pytest.mark.django_db
def test_a_county_inventory_keeps_all_seven_rows(departments, users):
    outcome = run_import(users["staff"], "system", COUNTY, "county.csv")
    assert outcome.rejected == 0 and outcome.created == 7
    assert dict(m.System.objects.values_list("name", "hosting")) == {
        "CAD": "on_premises",
        "Payroll": "saas",
        "Permits": "on_premises",
        "GIS": "on_premises",
        "Email": "saas",
        "Backup": "cloud",
        "Radio": "partner",
    }


UNKNOWN = (
    b"Application,Department,Hosting,Lifecycle\n"
    b"CAD,PW,Mainframe room,Active\n"
    b"Payroll,FIN,Mainframe room,In production\n"
    b"Permits,PW,Co-lo,Active\n"
    b"GIS,PW,On-Prem,Active\n"
)


def upload(client, name: str, data: bytes):
    return client.post("/import/", {"kind": "system", "file": SimpleUploadedFile(name, data)})


def check(client, run: ImportRun, **extra: str) -> None:
    columns = {"col_0": "name", "col_1": "owner_department", "col_2": "hosting"}
    client.post(f"/import/{run.pk}/columns/", {**columns, "col_3": "lifecycle", **extra})


@pytest.mark.django_db
def test_the_preview_lists_each_unknown_value_once_and_maps_it(client_for, departments):
    client = client_for("staff")
    upload(client, "apps.csv", UNKNOWN)
    run = ImportRun.objects.get()
    check(client, run, save_as="Finance apps")
    run.refresh_from_db()
    assert run.counts["rejected"] == 3

    page = client.get(f"/import/{run.pk}/")
    form = page.context["values_form"]
    listed = [(f.label, f.help_text) for f in form]
    assert listed[:3] == [
        ("“Mainframe room” in Hosting", "In 2 rows. Which hosting does it mean?"),
        ("“In production” in Lifecycle", "In 1 row. Which lifecycle does it mean?"),
        ("“Co-lo” in Hosting", "In 1 row. Which hosting does it mean?"),
    ]
    assert "Remember these in the saved mapping “Finance apps”" in page.content.decode()

    response = client.post(
        f"/import/{run.pk}/values/", {"v_0": "on_premises", "v_1": "active", "keep": "on"}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "previewed"
    assert run.counts["rejected"] == 1  # Co-lo left refused
    assert run.value_map == {
        "hosting": {"Mainframe room": "on_premises"},
        "lifecycle": {"In production": "active"},
    }
    saved = SavedMapping.objects.get()
    assert saved.values == run.value_map

    client.post(f"/import/{run.pk}/", {"valid_only": "on"})
    assert m.System.objects.get(name="Payroll").lifecycle == "active"
    assert m.System.objects.get(name="CAD").hosting == "on_premises"

    # Next month's file, read with the saved mapping: the values are mapped already.
    upload(client, "apps-next.csv", UNKNOWN.replace(b"CAD", b"CAD2"))
    second = ImportRun.objects.first()
    assert client.get(f"/import/{second.pk}/columns/", {"saved": saved.pk}).status_code == 200
    check(client, second, saved=str(saved.pk))
    second.refresh_from_db()
    assert second.value_map == saved.values
    assert second.counts["rejected"] == 1
    assert [r["value"] for r in second.report] == ["Co-lo"]


@pytest.mark.django_db
def test_a_bad_value_map_answers_400_not_500(client_for, departments):
    client = client_for("staff")
    upload(client, "apps.csv", UNKNOWN)
    run = ImportRun.objects.get()
    check(client, run)
    response = client.post(f"/import/{run.pk}/values/", {"v_0": "mainframe"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    other = client_for("liaison")
    assert other.post(f"/import/{run.pk}/values/", {"v_0": "saas"}).status_code == 404


@pytest.mark.django_db
def test_a_forged_saved_mapping_is_ignored_not_a_500(client_for, departments):
    client = client_for("staff")
    upload(client, "apps.csv", UNKNOWN)
    run = ImportRun.objects.get()
    for forged in ("abc", "99999999999999999999999", "-1", "0"):
        check(client, run, saved=forged)
        run.refresh_from_db()
        assert run.saved_mapping is None and run.status == "previewed"
