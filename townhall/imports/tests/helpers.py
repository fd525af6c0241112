"""Shared by the import tests: the fixture files and a small XLSX maker."""

import io
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def xlsx(rows: list[list[Any]]) -> bytes:
    """A workbook whose first sheet holds `rows`, as Excel would save it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_import(user: Any, key: str, data: bytes, filename: str, **options: Any) -> Any:
    """Read, guess the columns, and import (commit unless told otherwise)."""
    from townhall.imports import engine, kinds, parsing

    kind = kinds.get(key)
    sheet = parsing.read_file(data, filename)
    columns = options.pop("columns", None) or kind.guess(sheet.header)
    options.setdefault("commit", True)
    options.setdefault("source", f"Import of {filename}")
    return engine.run(user, kind, sheet, columns, **options)


def make(model: Any, **values: Any) -> Any:
    from townhall.core import context, services

    with context.acting("system"):
        return services.create(context.SYSTEM, model, values)
