"""Read an uploaded CSV or XLSX file into a header and numbered rows.

Plain Python (no Django): a city's files arrive as UTF-8, UTF-8 with a byte-order mark or
Windows-1252, separated by commas, semicolons or tabs, with blank lines and the header
repeated on every printed page. Row numbers are kept as in the file, so a report can say
"row 14" and the person finds row 14.

Reading is bounded whatever the file declares: a workbook can claim a million rows by
16,384 columns in a few hundred bytes, or expand a few megabytes into gigabytes. `Limits`
caps the rows, the columns, the cells kept, the unpacked size and the time spent, and
whatever passes a cap is refused with a message saying which and what to do.
"""

import csv
import datetime
import io
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

DELIMITERS = (",", ";", "\t")
CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class Limits:
    """How much of a file Townhall reads before refusing it (see the module's docstring).

    `rows` counts data rows (blank rows cost only time); `columns` is the widest header
    read; `cells` the filled cells kept; `unpacked_mb` the size of a workbook's parts once
    unzipped; `seconds` the time spent reading."""

    rows: int = 250_000
    columns: int = 500
    cells: int = 10_000_000
    unpacked_mb: int = 1024
    seconds: float = 120.0


EXCEL_MAX_COLUMNS = 16_384  # column XFD: no real workbook has a row with more cells


def column_letters(number: int) -> str:
    """Excel's name of a column: 1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    first = cells[0] if cells else None
    if type(first) is str and first.strip():
        return False  # most rows, answered without walking the cells
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _key(cells: list[Any]) -> list[str]:
    return [str(c).strip().lower() if c is not None else "" for c in cells]


class _Texts:
    """One copy of each text a column repeats. A county's card statement repeats its
    departments, merchants, codes and dates on every line; holding each once keeps a file
    of half a million lines in a fraction of the memory. A column whose texts mostly differ
    (amounts, transaction IDs) is left alone after its first rows, so the memo never costs
    more than it saves."""

    TRIAL = 1000  # rows each column is tried on
    KEEP_BELOW = 0.5  # share of new texts under which a column is worth sharing

    def __init__(self) -> None:
        self.rows = 0
        self.memos: dict[int, dict[str, str]] = {}  # by column, the columns still shared
        self.width = 0

    def shared(self, cells: list[Any]) -> list[Any]:
        if len(cells) > self.width:  # new columns are tried too
            for i in range(self.width, len(cells)):
                self.memos[i] = {}
            self.width = len(cells)
        for i, memo in self.memos.items():
            if i < len(cells):
                cell = cells[i]
                if type(cell) is str:
                    cells[i] = memo.setdefault(cell, cell)
        self.rows += 1
        if self.rows == self.TRIAL:
            limit = self.KEEP_BELOW * self.TRIAL
            self.memos = {i: memo for i, memo in self.memos.items() if len(memo) <= limit}
        return cells


class _Builder:
    """Collects a file's header and rows one at a time, within `Limits`."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.header: list[str] | None = None
        self._header_key: list[str] = []
        self.rows: list[tuple[int, list[Any]]] = []
        self.seen = 0  # rows looked at, blank or not
        self.cells = 0
        self.deadline = time.monotonic() + limits.seconds
        self._texts = _Texts()

    def tick(self) -> None:
        """Count one more row looked at (blank ones too); refuse once time is up."""
        self.seen += 1
        if self.seen % 256 == 0 and time.monotonic() > self.deadline:
            raise FileProblem(
                f"Reading the file took longer than {self.limits.seconds:g} seconds after "
                f"{self.seen:,} rows. Save it again as CSV, or split it into smaller files."
            )

    def add(self, number: int, cells: list[Any]) -> None:
        self.tick()
        if _is_blank_row(cells):
            return
        if self.header is None:
            self._set_header(number, cells)
            return
        width = len(self.header)
        kept = cells[:width]  # cells beyond the last heading are not read
        if self._repeats_header(kept) and _is_blank_row(cells[width:]):
            return  # the header again, as on each printed page of a report
        if len(self.rows) >= self.limits.rows:
            raise FileProblem(
                f"The file has more than {self.limits.rows:,} rows, more than Townhall reads "
                "from one file. Split it into several files and import them one after another."
            )
        self.cells += len(kept) - kept.count(None) - kept.count("")  # the filled ones
        if self.cells > self.limits.cells:
            raise FileProblem(
                f"The file has more than {self.limits.cells:,} filled cells, more than "
                f"Townhall reads from one file (at row {number:,}). Split it into several files."
            )
        self.rows.append((number, self._texts.shared(kept)))

    def _repeats_header(self, cells: list[Any]) -> bool:
        """Whether the row is the header again; the first cell answers for most rows."""
        first = self._header_key[0] if self._header_key else ""
        cell = cells[0] if cells else None
        if (str(cell).strip().lower() if cell is not None else "") != first:
            return False
        return _key(cells) == self._header_key

    def _set_header(self, number: int, cells: list[Any]) -> None:
        header = [str(c).strip() if c is not None else "" for c in cells]
        while header and not header[-1]:
            header.pop()
        if len(header) > self.limits.columns:
            raise FileProblem(
                f"Row {number} has a heading in column {column_letters(len(header))}, beyond "
                f"the {self.limits.columns:,} columns Townhall reads. Delete the columns that "
                "are not needed (or whatever is far to the right of the headings) and try again."
            )
        self.header = header
        self._header_key = _key(header)

    def sheet(self) -> Sheet:
        if not self.header:
            raise FileProblem("The file is empty: it has no header row.")
        _check_header(self.header)
        return Sheet(header=self.header, rows=self.rows)


def build_sheet(numbered: Iterable[tuple[int, list[Any]]], limits: Limits | None = None) -> Sheet:
    """The first non-blank row is the header; blank rows and repeats of the header go, and
    cells to the right of the last heading are not kept."""
    builder = _Builder(limits or Limits())
    for number, cells in numbered:
        builder.add(number, cells)
    return builder.sheet()


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


def read_csv(data: bytes, limits: Limits | None = None) -> Sheet:
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
    builder = _Builder(limits or Limits())
    start = 1
    try:
        for cells in reader:
            builder.add(start, cells)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileProblem(f"Row {start} cannot be read as CSV: {exc}") from exc
    return builder.sheet()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


NOT_A_WORKBOOK = (
    "The file is not a readable Excel workbook ({reason}). Open it in Excel and save it "
    "again as .xlsx, or save it as CSV."
)


def _unpacked_check(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a workbook whose parts would unzip to more than the limit: the sizes the zip
    declares bound what Python's zipfile will unpack, so checking them bounds the work."""
    total = sum(info.file_size for info in archive.infolist())
    if total > limits.unpacked_mb * 1024 * 1024:
        raise FileProblem(
            f"The workbook unpacks to {total / 1024 / 1024:,.0f} MB, more than the "
            f"{limits.unpacked_mb:,} MB Townhall reads. Save it as CSV, or split it."
        )


def read_xlsx(data: bytes, limits: Limits | None = None) -> Sheet:
    """The first worksheet; date cells arrive as dates, numbers as numbers.

    The sheet's rows are read straight from its XML, one at a time, never trusting its
    declared size (openpyxl's own reader pads every row to the declared width and adds the
    declared rows, so "A1:XFD1048576" costs 17 billion cells). A row with more cells than
    Excel allows is refused; cells right of the last heading are dropped as they come.
    With defusedxml installed, openpyxl refuses entity declarations in the XML."""
    from openpyxl import load_workbook

    limits = limits or Limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _unpacked_check(archive, limits)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a damaged file
        raise FileProblem(NOT_A_WORKBOOK.format(reason=_reason(exc))) from exc
    try:
        if not book.worksheets:
            raise FileProblem("The workbook has no worksheet.")
        builder = _Builder(limits)
        try:
            for number, cells in _xlsx_rows(book, book.worksheets[0], builder):
                builder.add(number, cells)
        except FileProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet: unclosed tag, bad number
            where = f" at row {builder.seen + 1:,}" if builder.seen else ""
            raise FileProblem(NOT_A_WORKBOOK.format(reason=_reason(exc) + where)) from exc
        return builder.sheet()
    finally:
        book.close()


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


def _xlsx_rows(book: Any, sheet: Any, builder: _Builder) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of each row element of `sheet`, cells no wider than the header
    (or `limits.columns` before it is known). Every element is let go once read, and
    reading stops where the rows end, so neither the rows nor what surrounds them (a
    hundred million merged-cell elements, say) pile up in memory."""
    from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse  # defusedxml's when it is installed

    with book._archive.open(sheet._worksheet_path) as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        stack: list[Any] = []
        row: Any = None
        cells = parts = 0
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                stack.append(element)
                if element.tag == ROW_TAG and row is None:
                    row, cells, parts = element, 0, 0
                elif row is not None:
                    parts += 1
                    cells += element.tag == CELL_TAG
                    if cells > EXCEL_MAX_COLUMNS or parts > 8 * EXCEL_MAX_COLUMNS:
                        raise FileProblem(
                            f"Row {builder.seen + 1:,} of the sheet has more than "
                            f"{EXCEL_MAX_COLUMNS:,} cells, which no Excel workbook has; the "
                            "file is damaged or was not made by a spreadsheet program."
                        )
                continue
            stack.pop()
            if element is row:
                row = None
                number, found = parser.parse_row(element)
                parser.row_dimensions.clear()  # row heights and styles: not kept
                yield number, _values(found, number, builder)
            elif row is not None:
                continue  # a cell's parts, read with their row
            if stack:
                stack[-1].remove(element)  # the only child left: those before went too
            if element.tag.endswith("}sheetData"):
                return


def _values(found: list[dict[str, Any]], number: int, builder: _Builder) -> list[Any]:
    """A row's values by column, as wide as the header (or the column limit before it)."""
    limits = builder.limits
    width = len(builder.header) if builder.header is not None else limits.columns + 1
    values: list[Any] = [None] * min(width, max((c["column"] for c in found), default=0))
    for cell in found:
        column = cell["column"]
        if column <= len(values):
            values[column - 1] = _cell(cell["value"])
        elif builder.header is None and not _is_blank_row([cell["value"]]):
            raise FileProblem(
                f"Cell {column_letters(column)}{number} is beyond the {limits.columns:,} "
                "columns Townhall reads. Delete what is there (or move it next to the other "
                "columns) and try again."
            )
    return values


def read_file(data: bytes, filename: str, limits: Limits | None = None) -> Sheet:
    """A CSV or XLSX file by its name (or, for a misnamed workbook, its content)."""
    name = filename.lower()
    if name.endswith(XLSX_EXTENSIONS) or data.startswith(b"PK\x03\x04"):
        return read_xlsx(data, limits)
    if name.endswith(CSV_EXTENSIONS):
        return read_csv(data, limits)
    raise FileProblem(
        "Townhall imports CSV files (.csv, .txt, .tsv) and Excel workbooks (.xlsx); "
        f"{filename!r} is neither. Save it as CSV or XLSX and try again."
    )
