"""Files as they arrive from departments: encodings, separators, blank and repeated lines."""

import datetime

import pytest

from townhall.imports import parsing
from townhall.imports.tests.helpers import fixture, xlsx


def test_utf8_with_bom_and_row_numbers_as_in_the_file():
    sheet = parsing.read_file(fixture("systems_bom.csv"), "systems_bom.csv")
    assert sheet.header[0] == "Application Name"  # the BOM is not part of the heading
    assert [n for n, _ in sheet.rows] == [2, 3, 4]
    assert sheet.rows[0][1][0] == "Payroll   "  # trimming is the value parsers' job


def test_windows_1252_with_semicolons():
    sheet = parsing.read_file(fixture("vendors_cp1252.csv"), "vendors.csv")
    assert sheet.header == ["Vendor", "Aliases", "Website"]
    assert sheet.rows[0][1][0] == "Café Software"


def test_tabs_blank_lines_and_repeated_header():
    sheet = parsing.read_file(fixture("components_tabs.tsv"), "components.tsv")
    assert sheet.header[0] == "Hostname"
    assert [(n, cells[0]) for n, cells in sheet.rows] == [(3, "srv-01"), (7, "srv-02")]


def test_sniffing():
    assert parsing.sniff_delimiter("a;b;c\n1;2,5;3\n") == ";"
    assert parsing.sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert parsing.sniff_delimiter('a,b\n"x;y",2\n') == ","


def test_quoted_cells_with_new_lines_keep_their_starting_row():
    sheet = parsing.read_csv(b'Name,Notes\nA,"two\nlines"\nB,x\n')
    assert [(n, c[0]) for n, c in sheet.rows] == [(2, "A"), (4, "B")]
    assert sheet.rows[0][1][1] == "two\nlines"


def test_xlsx_with_date_cells_and_serial_numbers():
    data = xlsx(
        [
            [None],
            ["Name", "End of support", "Serial date", "Cost"],
            ["Payroll", datetime.date(2026, 6, 30), 45000, 1200.5],
            [None, None, None, None],
            ["Name", "End of support", "Serial date", "Cost"],
            ["Permits ", datetime.datetime(2027, 1, 2), None, None],
        ]
    )
    sheet = parsing.read_file(data, "Systems.XLSX")
    assert sheet.header == ["Name", "End of support", "Serial date", "Cost"]
    assert [n for n, _ in sheet.rows] == [3, 6]
    records = dict(sheet.records())
    assert records[3]["End of support"] == datetime.date(2026, 6, 30)
    assert records[3]["Serial date"] == 45000
    assert records[6]["End of support"] == datetime.date(2027, 1, 2)


def test_other_file_types_are_refused_with_a_reason():
    with pytest.raises(parsing.FileProblem, match="CSV"):
        parsing.read_file(b"%PDF-1.4", "inventory.pdf")
    with pytest.raises(parsing.FileProblem, match="not a readable Excel workbook"):
        parsing.read_file(b"not a zip", "inventory.xlsx")


def test_empty_and_duplicate_headings():
    with pytest.raises(parsing.FileProblem, match="empty"):
        parsing.read_csv(b"\n\n")
    with pytest.raises(parsing.FileProblem, match="appears twice"):
        parsing.read_csv(b"Name,name\n1,2\n")


def test_undecodable_bytes():
    with pytest.raises(parsing.FileProblem, match="UTF-8 or Windows-1252"):
        parsing.decode(b"Name\n\x81\x8d\n")


def test_a_nul_character_refuses_the_file_naming_its_line():
    """PostgreSQL cannot keep a NUL in text: the file is refused before anything is read
    (it used to fail at the first insert)."""
    with pytest.raises(parsing.FileProblem, match="Line 3 holds a NUL character"):
        parsing.read_file(b"Name,Notes\nPermits,ok\nPayroll,a\x00b\n", "services.csv")
    utf16 = "Name\nPermits\n".encode("utf-16-le")
    with pytest.raises(parsing.FileProblem, match="Line 1 holds a NUL"):
        parsing.read_file(utf16, "services.csv")


def test_a_row_like_the_header_only_in_its_first_cell_is_kept():
    sheet = parsing.read_csv(b"Name,Kind\nname,server\nNAME , KIND\nb,server\n")
    assert [cells for _, cells in sheet.rows] == [["name", "server"], ["b", "server"]]


def test_a_text_a_column_repeats_is_held_once():
    lines = ["Department,Transaction ID,Amount"]
    lines += [f"Public Works,T{n:05d},{n}.00" for n in range(3000)]
    sheet = parsing.read_file("\n".join(lines).encode(), "card.csv")
    departments = {id(cells[0]) for _, cells in sheet.rows}
    assert len(departments) == 1  # one string for 3,000 cells
    assert [cells for _, cells in sheet.rows][2999] == ["Public Works", "T02999", "2999.00"]
    # A column whose texts all differ is not remembered past its first rows.
    texts = parsing._Texts()
    for n in range(3000):
        texts.shared(["Parks", f"T{n}"])
    assert list(texts.memos) == [0] and len(texts.memos[0]) == 1


def test_shared_texts_leave_other_values_as_they_are():
    texts = parsing._Texts()
    first = texts.shared([1, "1", datetime.date(2026, 1, 2), None])
    second = texts.shared([1.0, "1", True, ""])
    assert first == [1, "1", datetime.date(2026, 1, 2), None]
    assert second == [1.0, "1", True, ""] and type(second[0]) is float and second[2] is True
