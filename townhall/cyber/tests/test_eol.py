"""Reading endoflife.date data: the v0 and v1 API shapes, several products in one file, messy
values, and files that are not release data."""

import datetime
from pathlib import Path

import pytest

from townhall.cyber import eol
from townhall.cyber.kev import FeedError

FILES = Path(__file__).parent / "files"
D = datetime.date


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def test_v0_list_needs_its_product_key():
    with pytest.raises(FeedError, match="does not say which product"):
        eol.parse(read("eol_windows_server_v0.json"))
    data = eol.parse(read("eol_windows_server_v0.json"), product=" Windows-Server ")
    assert data.products == {"windows-server": "windows-server"}
    assert [r.cycle for r in data.releases] == ["2025", "2019", "2016", "2012-r2", "2012"]
    r2019 = data.releases[1]
    assert r2019 == eol.EolRelease(
        product="windows-server",
        cycle="2019",
        release_date=D(2018, 11, 13),
        support_ends=D(2024, 1, 9),
        end_of_life=D(2029, 1, 9),
        latest="10.0.17763",
        lts=True,
    )
    r2012 = data.releases[3]  # support given as true: ended, date unknown
    assert (r2012.support_ends, r2012.support_flag) == (None, True)
    assert r2012.end_of_life == D(2023, 10, 10)
    assert data.problems == []


def test_v1_product():
    data = eol.parse(read("eol_fortios_v1.json"))
    assert data.products == {"fortios": "FortiOS"}
    by_cycle = {r.cycle: r for r in data.releases}
    assert by_cycle["7.2"].end_of_life == D(2026, 9, 30)
    assert by_cycle["7.2"].support_ends == D(2025, 9, 30)
    assert by_cycle["7.2"].latest == "7.2.11"
    # Ended with no date: the flag says so.
    assert (by_cycle["6.4"].end_of_life, by_cycle["6.4"].end_of_life_flag) == (None, True)
    assert (by_cycle["7.4"].end_of_life_flag, by_cycle["7.4"].lts) == (None, False)
    # Given a product key, it must be the file's.
    assert eol.parse(read("eol_fortios_v1.json"), product="fortios").products
    with pytest.raises(FeedError, match="The file describes “fortios”, not “panos”"):
        eol.parse(read("eol_fortios_v1.json"), product="panos")


def test_several_products_in_one_file():
    data = eol.parse(read("eol_several.json"))
    assert data.products == {"panos": "panos", "ubuntu": "Ubuntu"}
    cycles = [(r.product, r.cycle, r.end_of_life, r.end_of_life_flag) for r in data.releases]
    assert cycles == [
        ("panos", "11.1", D(2027, 5, 3), None),
        ("panos", "10.1", D(2025, 5, 17), None),
        ("panos", "9.1", None, True),
        ("ubuntu", "22.04", D(2027, 4, 1), None),
        ("ubuntu", "18.04", D(2023, 5, 31), None),
    ]
    assert data.releases[3].lts and data.releases[3].latest == "22.04.5"
    only = eol.parse(read("eol_several.json"), product="ubuntu")
    assert list(only.products) == ["ubuntu"] and len(only.releases) == 2
    with pytest.raises(FeedError, match="no release data for “rhel”"):
        eol.parse(read("eol_several.json"), product="rhel")


def test_messy_cycles_keep_what_they_can():
    data = eol.parse(read("eol_messy.json"), product="python")
    by_cycle = {r.cycle: r for r in data.releases}
    assert list(by_cycle) == ["3.10", "3.9", "2.7", "3.8"]
    assert by_cycle["3.10"].release_date == D(2021, 10, 4)  # a date-time
    assert by_cycle["3.10"].end_of_life == D(2026, 10, 31)  # a trailing space
    assert by_cycle["3.10"].support_flag is True  # "true" as text
    assert by_cycle["3.10"].latest == "3.10"  # a number keeps its written digits
    assert by_cycle["3.9"].lts is True  # lts given as a date
    assert (by_cycle["2.7"].end_of_life, by_cycle["2.7"].end_of_life_flag) == (None, True)
    assert by_cycle["3.8"].end_of_life is None
    assert [str(p) for p in data.problems] == [
        "python cycle 4 (3.8), field “eol”: “soonish” is not a date (use YYYY-MM-DD).",
        "python cycle 5, field “cycle”: it is missing or empty. The entry was left out.",
        "python cycle 6, field “cycle”: it is missing or empty. The entry was left out.",
        "python cycle 7: it is text, not an object. The entry was left out.",
        "python cycle 8 (2.7): the same cycle appears earlier; the first is kept. "
        "The entry was left out.",
    ]


@pytest.mark.parametrize(
    "data, product, message",
    [
        (b"{oops", None, "not valid JSON"),
        (b'"text"', None, "It holds text."),
        (b"{}", None, "The object is empty."),
        (b'{"result": 5}', None, "neither a product nor a list of products"),
        (b'{"result": {"name": "x"}}', None, "The product has no “releases” list."),
        (b"[]", "Windows Server!", "“windows server!” is not an endoflife.date product key"),
    ],
)
def test_unreadable_files_are_refused_whole(data, product, message):
    with pytest.raises(FeedError) as caught:
        eol.parse(data, product)
    assert message in str(caught.value)


def test_wrong_shape_fixture_names_the_entry():
    with pytest.raises(FeedError, match="The entry for “product” is text, not a list of cycles"):
        eol.parse(read("eol_wrong_shape.json"))


def test_v1_list_of_products():
    doc = {
        "result": [
            {"name": "rhel", "label": "Red Hat Enterprise Linux", "releases": [{"name": "9"}]},
            {"name": "debian", "releases": [{"name": "12", "isEol": False}]},
        ]
    }
    data = eol.parse(doc)
    assert data.products == {"rhel": "Red Hat Enterprise Linux", "debian": "debian"}
    assert [(r.product, r.cycle, r.end_of_life_flag) for r in data.releases] == [
        ("rhel", "9", None),
        ("debian", "12", False),
    ]
