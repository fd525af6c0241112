"""Spreadsheet bombs: whatever a file declares, reading it is bounded in rows, columns,
cells, unpacked size and time, and a damaged workbook is refused with a clear reason.

Each file is made here, small, by rewriting the sheet of a real workbook."""

import io
import zipfile

import pytest

from townhall.imports import parsing
from townhall.imports.tests.helpers import xlsx

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def with_sheet(sheet_xml: str | bytes, *, level: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A valid workbook whose first sheet's XML is replaced by `sheet_xml`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["Name"], ["x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=level) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode() if isinstance(sheet_xml, str) else sheet_xml
            target.writestr(info.filename, data)
    return out.getvalue()


def sheet(rows: str, dimension: str = "A1:B3", before: str = "", after: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{before}'
        f'<worksheet xmlns="{NS}"><dimension ref="{dimension}"/>'
        f"<sheetData>{rows}</sheetData>{after}</worksheet>"
    )


def row(number: int, *cells: tuple[str, str]) -> str:
    inner = "".join(
        f'<c r="{ref}{number}" t="inlineStr"><is><t>{text}</t></is></c>' for ref, text in cells
    )
    return f'<row r="{number}">{inner}</row>'


def read(data: bytes) -> parsing.Sheet:
    """How long these take is measured in bench/xlsx_bounds.py, not asserted here."""
    return parsing.read_file(data, "bomb.xlsx")


def test_a_declared_million_rows_by_16384_columns_is_not_believed():
    rows = row(1, ("A", "Name"), ("B", "Kind")) + row(2, ("A", "srv-1"), ("B", "server"))
    data = with_sheet(sheet(rows, dimension="A1:XFD1048576"))
    assert len(data) < 6000
    result = read(data)
    assert result.header == ["Name", "Kind"]
    assert result.rows == [(2, ["srv-1", "server"])]


def test_a_last_row_far_below_is_read_without_the_rows_between():
    rows = row(1, ("A", "Name")) + row(2, ("A", "a")) + row(1048576, ("A", "z"))
    result = read(with_sheet(sheet(rows)))
    assert [n for n, _ in result.rows] == [2, 1048576]


def test_cells_in_column_xfd_beside_the_data_are_dropped_as_they_come():
    rows = row(1, ("A", "Name"))
    rows += "".join(row(n, ("A", f"srv-{n}"), ("XFD", "junk")) for n in range(2, 12002))
    result = read(with_sheet(sheet(rows, dimension="A1:XFD12001")))
    assert len(result.rows) == 12000
    assert all(cells == [f"srv-{n}"] for n, cells in result.rows)


def test_a_heading_far_to_the_right_is_refused_naming_the_cell():
    data = with_sheet(sheet(row(1, ("A", "Name"), ("XFD", "x")) + row(2, ("A", "a"))))
    with pytest.raises(parsing.FileProblem, match="Cell XFD1 is beyond the 500 columns"):
        parsing.read_file(data, "wide.xlsx")


def test_a_row_with_more_cells_than_excel_allows_is_refused():
    cells = "<c><v>1</v></c>" * (parsing.EXCEL_MAX_COLUMNS + 1)
    data = with_sheet(sheet(row(1, ("A", "Name")) + f"<row>{cells}</row>"))
    with pytest.raises(parsing.FileProblem, match="more than 16,384 cells"):
        parsing.read_file(data, "damaged.xlsx")


def test_rows_beyond_the_limit_are_refused_with_what_to_do():
    rows = row(1, ("A", "Name")) + "".join(row(n, ("A", str(n))) for n in range(2, 13))
    data = with_sheet(sheet(rows))
    assert len(parsing.read_file(data, "a.xlsx", parsing.Limits(rows=11)).rows) == 11
    with pytest.raises(parsing.FileProblem, match="more than 10 rows.*Split it"):
        parsing.read_file(data, "a.xlsx", parsing.Limits(rows=10))
    csv = ("Name\n" + "".join(f"{n}\n" for n in range(11))).encode()
    with pytest.raises(parsing.FileProblem, match="more than 10 rows"):
        parsing.read_file(csv, "a.csv", parsing.Limits(rows=10))


def test_filled_cells_beyond_the_limit_are_refused():
    rows = row(1, ("A", "Name"), ("B", "Kind"))
    rows += "".join(row(n, ("A", "a"), ("B", "b")) for n in range(2, 5))
    with pytest.raises(parsing.FileProblem, match="more than 5 filled cells"):
        parsing.read_file(with_sheet(sheet(rows)), "a.xlsx", parsing.Limits(cells=5))


def test_reading_stops_when_its_time_is_up():
    rows = row(1, ("A", "Name")) + "".join(row(n, ("A", str(n))) for n in range(2, 1000))
    with pytest.raises(parsing.FileProblem, match="took longer than 0 seconds"):
        parsing.read_file(with_sheet(sheet(rows)), "a.xlsx", parsing.Limits(seconds=0))


def test_a_workbook_unpacking_beyond_the_limit_is_refused_before_reading():
    padding = "<!--" + " " * (3 * 1024 * 1024) + "-->"
    data = with_sheet(sheet(row(1, ("A", "Name")), after=padding))
    assert len(data) < 100_000
    with pytest.raises(parsing.FileProblem, match="unpacks to 3 MB, more than the 2 MB"):
        parsing.read_file(data, "a.xlsx", parsing.Limits(unpacked_mb=2))


def test_what_surrounds_the_rows_is_not_kept():
    merged = "<mergeCells>" + '<mergeCell ref="A1:B2"/>' * 200_000 + "</mergeCells>"
    result = read(with_sheet(sheet(row(1, ("A", "Name")), after=merged)))
    assert result.header == ["Name"]


@pytest.mark.parametrize(
    "xml",
    [
        sheet(row(1, ("A", "Name")) + '<row r="2"><c r="A2"><v>1</v>'),  # unclosed tags
        "not xml at all",
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>',
            before=(
                '<!DOCTYPE worksheet [<!ENTITY lol "lollollollollollollollollollol">'
                '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            ),
        ),
        sheet('<row r="1"><c r="A1"><v>not a number</v></c></row>'),
    ],
    ids=["unclosed", "not-xml", "entities", "bad-number"],
)
def test_a_damaged_sheet_is_refused_with_a_reason(xml):
    with pytest.raises(parsing.FileProblem, match="not a readable Excel workbook"):
        parsing.read_file(with_sheet(xml), "damaged.xlsx")


def test_a_damaged_zip_is_refused_with_a_reason():
    data = xlsx([["Name"], ["a"]])
    with pytest.raises(parsing.FileProblem, match="not a readable Excel workbook"):
        parsing.read_file(data[: len(data) // 2], "cut.xlsx")


def test_a_csv_row_wider_than_its_header_keeps_only_the_header_columns():
    data = ("Name,Kind\n" + "a,b" + "," * 100_000 + "x\n").encode()
    result = parsing.read_file(data, "wide.csv")
    assert result.rows == [(2, ["a", "b"])]


# Through the doors: the upload page and the command line.

A_BOMB = with_sheet(sheet(row(1, ("A", "Name"), ("XFD", "x"))))


@pytest.mark.django_db
def test_the_upload_page_answers_a_damaged_or_oversized_workbook_with_400(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from townhall.imports.models import ImportRun

    client = client_for("staff")
    for data in (A_BOMB, with_sheet("<worksheet><sheetData><row>")):
        response = client.post(
            "/import/", {"kind": "system", "file": SimpleUploadedFile("bomb.xlsx", data)}
        )
        assert response.status_code == 400
        assert b"Townhall reads" in response.content or b"not a readable" in response.content
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_the_command_line_refuses_a_damaged_workbook_with_its_reason(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(A_BOMB)
    with pytest.raises(CommandError, match="Cell XFD1 is beyond"):
        call_command("import", "system", str(path))


@pytest.mark.django_db
def test_the_row_limit_is_configured(settings):
    from townhall.imports import services

    settings.TOWNHALL_IMPORT_MAX_ROWS = 2
    with pytest.raises(parsing.FileProblem, match="more than 2 rows"):
        services.read(b"Name\na\nb\nc\n", "a.csv")


def test_styled_blank_rows_are_not_kept(monkeypatch):
    from openpyxl.worksheet import _reader

    kept = []
    original = _reader.WorkSheetParser.parse_row

    def spy(self, element):  # noqa: ANN001, ANN202
        found = original(self, element)
        kept.append(len(self.row_dimensions))
        return found

    monkeypatch.setattr(_reader.WorkSheetParser, "parse_row", spy)
    rows = row(1, ("A", "Name")) + "".join(
        f'<row r="{n}" ht="30" customHeight="1"/>' for n in range(2, 2000)
    )
    result = parsing.read_file(with_sheet(sheet(rows)), "styled.xlsx")
    assert result.header == ["Name"] and result.rows == []
    assert max(kept) <= 1  # each row's style let go once read


def test_filled_cells_are_counted_whatever_they_hold():
    text = "a,b,c\nx,,1\n,,\n ,0,\n"  # 2 filled, a blank row, then a space and a 0
    assert len(parsing.read_csv(text.encode(), parsing.Limits(cells=4)).rows) == 2
    with pytest.raises(parsing.FileProblem, match="more than 3 filled cells"):
        parsing.read_csv(text.encode(), parsing.Limits(cells=3))
