"""Guessing which column holds what, and checking a mapping a person or file gives."""

from townhall.estate.imports import COLUMN_SPELLINGS
from townhall.imports import mapping

SYSTEM_FIELDS = {
    "name": "Name",
    "owner_department": "Department",
    "vendor": "Vendor",
    "end_of_support": "End of support",
    "product_version": "Version",
    "notes": "Notes",
}
NAME = {"name": ("application name", "app", "application", "system")}
# What an estate kind is given: the platform's spellings, then the estate's own.
COMMON = {**mapping.SYNONYMS, **COLUMN_SPELLINGS}


def test_common_headings():
    headers = ["Application Name", "Owning Department", "Manufacturer", "EOS", "Comments", "X"]
    guessed = mapping.guess(headers, SYSTEM_FIELDS, NAME, COMMON)
    assert guessed == {
        "Application Name": "name",
        "Owning Department": "owner_department",
        "Manufacturer": "vendor",
        "EOS": "end_of_support",
        "Comments": "notes",
        "X": "",
    }


def test_exact_headings_win_and_each_field_is_used_once():
    guessed = mapping.guess(["App", "Name", "Dept", "Department"], SYSTEM_FIELDS, NAME, COMMON)
    assert guessed["Name"] == "name"
    assert guessed["App"] == ""
    assert guessed["Department"] == "owner_department"
    assert guessed["Dept"] == ""


def test_component_headings():
    fields = {"name": "Name", "asset_tag": "Serial or asset tag", "manufacturer": "Manufacturer"}
    guessed = mapping.guess(["Hostname", "Serial", "Mfr"], fields, {"name": ("hostname",)}, COMMON)
    assert guessed == {"Hostname": "name", "Serial": "asset_tag", "Mfr": "manufacturer"}


def test_clean_reports_problems():
    result, problems = mapping.clean(
        {"app": "name", "Missing": "notes", "Dept": "nope", "Other": "name"},
        ["App", "Dept", "Other"],
        SYSTEM_FIELDS,
    )
    assert result == {"App": "name", "Dept": "", "Other": ""}
    assert len(problems) == 3
    assert "does not have" in problems[0]
