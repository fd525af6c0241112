"""Read an uploaded CSV or XLSX file into a header and numbered rows.

Plain Python (no Django): a city's files arrive as UTF-8, UTF-8 with a byte-order mark or
Windows-1252, separated by commas, semicolons or tabs, with blank lines and the header
repeated on every printed page. Row numbers are kept as in the file, so a report can say
"row 14" and the person finds row 14.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

DELIMITERS = (",", ";", "\t")
CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class Sheet:
    """A file's header and its data rows, each with its row number in the file."""

    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)

    def records(self) -> Iterable[tuple[int, dict[str, Any]]]:
        """Each row as {header: value}; a short row's missing cells are None."""
        for number, cells in self.rows:
            yield (
                number,
                {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(self.header)},
            )


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, as Excel saves it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        # cp1252 leaves five bytes undefined; such a file is not text we can read.
        raise FileProblem(
            "The file is not text in UTF-8 or Windows-1252; save it again as CSV (UTF-8)."
        ) from exc


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever splits the first lines most consistently."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if not lines:
        return ","
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if counts[0] < 2:
            continue
        steady = sum(1 for c in counts if c == counts[0])
        score = (steady, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _is_blank_row(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _key(cells: list[Any]) -> list[str]:
    return [str(c).strip().lower() if c is not None else "" for c in cells]


def build_sheet(numbered: Iterable[tuple[int, list[Any]]]) -> Sheet:
    """The first non-blank row is the header; blank rows and repeats of the header go."""
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in numbered:
        if _is_blank_row(cells):
            continue
        if header is None:
            header = [str(c).strip() if c is not None else "" for c in cells]
            while header and not header[-1]:
                header.pop()
            continue
        if _key(cells[: len(header)]) == _key(header) and _is_blank_row(cells[len(header) :]):
            continue  # the header again, as on each printed page of a report
        rows.append((number, cells))
    if not header:
        raise FileProblem("The file is empty: it has no header row.")
    _check_header(header)
    return Sheet(header=header, rows=rows)


def _check_header(header: list[str]) -> None:
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name.lower() in seen:
            raise FileProblem(f"The column heading {name!r} appears twice; rename one of them.")
        seen.add(name.lower())
    if not seen:
        raise FileProblem("The first row has no column headings.")


def read_csv(data: bytes) -> Sheet:
    text = decode(data)
    nul = text.find("\x00")
    if nul >= 0:  # no database text field can keep one; PostgreSQL refuses the whole row
        line = text.count("\n", 0, nul) + 1
        raise FileProblem(
            f"Line {line} holds a NUL character, so the file is not plain text (a file saved "
            "as UTF-16 or a damaged file looks like this); save it again as CSV (UTF-8)."
        )
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = []
    start = 1
    try:
        for cells in reader:
            numbered.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileProblem(f"Row {start} cannot be read as CSV: {exc}") from exc
    return build_sheet(numbered)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


def read_xlsx(data: bytes) -> Sheet:
    """The first worksheet; date cells arrive as dates, numbers as numbers."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(f"The file is not a readable Excel workbook ({exc}).") from exc
    try:
        sheet = book.worksheets[0]
        numbered = (
            (number, [_cell(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return build_sheet(numbered)
    finally:
        book.close()


def read_file(data: bytes, filename: str) -> Sheet:
    """A CSV or XLSX file by its name (or, for a misnamed workbook, its content)."""
    name = filename.lower()
    if name.endswith(XLSX_EXTENSIONS) or data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if name.endswith(CSV_EXTENSIONS):
        return read_csv(data)
    raise FileProblem(
        "Townhall imports CSV files (.csv, .txt, .tsv) and Excel workbooks (.xlsx); "
        f"{filename!r} is neither. Save it as CSV or XLSX and try again."
    )
