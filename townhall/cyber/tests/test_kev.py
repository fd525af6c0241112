"""Reading the Known Exploited Vulnerabilities catalog: the real shape, messy files, and
files that cannot be read at all."""

import datetime
import json
from pathlib import Path

import pytest

from townhall.cyber import kev
from townhall.cyber.kev import FeedError

FILES = Path(__file__).parent / "files"


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def test_catalog_facts_and_entries():
    catalog = kev.parse(read("kev_small.json"))
    assert catalog.version == "2026.01.15"
    assert catalog.released == datetime.datetime(
        2026, 1, 15, 17, 2, 44, 123400, tzinfo=datetime.UTC
    )
    assert catalog.stated_count == 5
    assert catalog.problems == []
    assert [e.cve_id for e in catalog.entries] == [
        "CVE-2024-21762",
        "CVE-2023-36884",
        "CVE-2019-17621",
        "CVE-2024-3400",
        "CVE-2023-41064",
    ]
    forti = catalog.entries[0]
    assert (forti.vendor, forti.product) == ("Fortinet", "FortiOS")
    assert forti.date_added == datetime.date(2024, 2, 9)
    assert forti.due_date == datetime.date(2024, 2, 16)
    assert forti.ransomware is True
    assert forti.cwes == ("CWE-787",)
    assert forti.required_action.startswith("Apply the vendor's updates")
    assert catalog.entries[1].ransomware is False


def test_messy_catalog_keeps_what_it_can_and_names_the_rest():
    catalog = kev.parse(read("kev_messy.json"))
    assert catalog.version == "2026.03.05"
    assert catalog.released == datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC)
    by_id = {e.cve_id: e for e in catalog.entries}
    assert list(by_id) == ["CVE-2022-0001", "CVE-2022-0002", "CVE-2022-0003", "CVE-2022-0005"]

    exchange = by_id["CVE-2022-0001"]  # trailing spaces, lower-case id, dates with times
    assert (exchange.vendor, exchange.product) == ("Microsoft", "Exchange Server")
    assert exchange.name == "Microsoft Exchange Server Remote Code Execution Vulnerability"
    assert exchange.date_added == datetime.date(2022, 1, 10)
    assert exchange.due_date == datetime.date(2022, 1, 31)
    assert exchange.ransomware is True  # "known", in lower case
    assert exchange.cwes == ("CWE-20", "CWE-94")  # a string, not a list
    assert exchange.notes == ""  # missing

    ivanti = by_id["CVE-2022-0002"]  # booleans where dates belong: no date, no complaint
    assert (ivanti.date_added, ivanti.due_date) == (None, None)
    assert ivanti.product == "Multiple Products"

    acme = by_id["CVE-2022-0003"]  # unreadable dates are left empty, the entry kept
    assert (acme.date_added, acme.due_date, acme.ransomware) == (None, None, False)
    assert by_id["CVE-2022-0005"].cwes == ("CWE-20", "42")
    assert by_id["CVE-2022-0005"].name == ""

    problems = [str(p) for p in catalog.problems]
    assert problems == [
        "The catalog, field “count”: it says it holds 9 entries but the file has 8.",
        "Entry 3 (CVE-2022-0003), field “dateAdded”: “2022-02-30” is not a real date.",
        "Entry 3 (CVE-2022-0003), field “dueDate”: “soon” is not a date (use YYYY-MM-DD).",
        'Entry 3 (CVE-2022-0003), field “knownRansomwareCampaignUse”: "Perhaps" is neither '
        "“Known” nor “Unknown”; taken as not known.",
        "Entry 4, field “cveID”: it is missing. The entry was left out.",
        "Entry 5 (CVE-2022-0004), field “vendorProject”: it is missing or empty. "
        "The entry was left out.",
        "Entry 6: it is text, not an object. The entry was left out.",
        "Entry 7 (CVE-2022-0001), field “cveID”: the same CVE is already entry 1; the first "
        "is kept. The entry was left out.",
        "Entry 8 (CVE-2022-0005), field “vulnerabilityName”: a list is not text.",
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not json {", "The file is not valid JSON: Expecting value (line 1, column 1)."),
        (b"", "The file is empty."),
        (b"\xff\xfe{}", "The file is not UTF-8 text (unreadable byte at position 0)."),
        (b"[]", "should hold one JSON object with a “vulnerabilities” list, not a list"),
        (b'{"title": "x"}', "the file has no “vulnerabilities” list"),
        (b'{"vulnerabilities": {}}', "has “vulnerabilities” as an object, not a list"),
    ],
)
def test_unreadable_files_are_refused_whole(data, message):
    with pytest.raises(FeedError) as caught:
        kev.parse(data)
    assert message in str(caught.value)


def test_fixture_files_refused():
    with pytest.raises(FeedError, match="not valid JSON"):
        kev.parse(read("kev_not_json.json"))
    with pytest.raises(FeedError, match="not a list"):
        kev.parse(read("kev_wrong_shape.json"))


def test_text_and_parsed_json_are_accepted_too():
    doc = json.loads(read("kev_small.json"))
    assert len(kev.parse(doc).entries) == 5
    assert len(kev.parse(read("kev_small.json").decode()).entries) == 5
    # A byte-order mark, as some Windows tools save files.
    assert len(kev.parse(b"\xef\xbb\xbf" + read("kev_small.json")).entries) == 5


def test_long_text_is_cut_to_the_field_sizes():
    doc = {
        "vulnerabilities": [
            {"cveID": "CVE-2024-0001", "vendorProject": "V" * 250, "product": "P" * 250}
        ]
    }
    entry = kev.parse(doc).entries[0]
    assert (len(entry.vendor), len(entry.product)) == (200, 200)


@pytest.mark.parametrize(
    "value, date, flag, problem",
    [
        ("2024-01-31", datetime.date(2024, 1, 31), None, ""),
        (" 2024-01-31T08:00:00-05:00 ", datetime.date(2024, 1, 31), None, ""),
        ("2024-01-31 00:00:00", datetime.date(2024, 1, 31), None, ""),
        (True, None, True, ""),
        ("false", None, False, ""),
        (None, None, None, ""),
        ("", None, None, ""),
        ("31/01/2024", None, None, "“31/01/2024” is not a date (use YYYY-MM-DD)."),
        (20240131, None, None, "20240131 is not a date (use YYYY-MM-DD)."),
    ],
)
def test_dates(value, date, flag, problem):
    assert kev.to_date(value) == kev.DateValue(date, flag, problem)
