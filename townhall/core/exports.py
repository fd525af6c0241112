"""CSV and XLSX out of exactly the rows a person filtered, safe to open in a spreadsheet."""

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

# A cell beginning with one of these may be run as a formula by a spreadsheet program.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula, by prefixing an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    return safe_cell(str(value))


def chunked(qs: Any, size: int = 2000) -> Iterator[Any]:
    """The rows of `qs` in its order, read `size` at a time by id, each read ending before
    the next begins.

    A background export writes its progress between chunks. On SQLite a connection whose
    read is still open (as `qs.iterator()` keeps it) cannot write once another connection
    has committed since the read began: the write fails at once with "database is locked",
    whatever the busy timeout. Reading the ids first, then each chunk whole, leaves no read
    open between two writes."""
    ids = list(dict.fromkeys(qs.values_list("pk", flat=True)))
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        found = {obj.pk: obj for obj in qs.filter(pk__in=chunk)}
        for pk in chunk:
            if pk in found:  # deleted since the ids were read: left out
                yield found[pk]


def rows(
    objects: Iterable[Any], columns: Sequence[Any], progress: Callable[[int], None] | None = None
) -> Iterator[list[Any]]:
    for count, obj in enumerate(objects, start=1):
        yield [_plain(column.value(obj)) for column in columns]
        if progress and count % 1000 == 0:
            progress(count)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], body: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text line by line (with a BOM so Excel reads UTF-8), for streaming responses."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])
    for row in body:
        yield writer.writerow(row)


def write_csv(fileobj: io.TextIOBase, header: Sequence[str], body: Iterable[list[Any]]) -> None:
    for line in csv_lines(header, body):
        fileobj.write(line)


def write_xlsx(fileobj: Any, title: str, header: Sequence[str], body: Iterable[list[Any]]) -> None:
    """XLSX in write-only mode, so memory stays flat however many rows there are."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Export")
    sheet.append([safe_cell(h) for h in header])
    for row in body:
        sheet.append(row)
    book.save(fileobj)


def xlsx_bytes(title: str, header: Sequence[str], body: Iterable[list[Any]]) -> bytes:
    with tempfile.TemporaryFile() as handle:
        write_xlsx(handle, title, header, body)
        handle.seek(0)
        return handle.read()
