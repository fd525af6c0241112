"""Reading spreadsheet bombs stays bounded: each hostile workbook is read in about the time
of a plain workbook holding the same data, whatever it declares. Prints both times and the
ratio for each case. Prints figures; it is not a test (the tests check what is read).

    .venv/bin/python bench/xlsx_bounds.py
"""

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from townhall.imports import parsing  # noqa: E402
from townhall.imports.tests.test_bounded_reading import row, sheet, with_sheet  # noqa: E402


def best_of(times: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(times):
        began = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - began)
    return best


def case(label: str, hostile: bytes, plain: bytes) -> None:
    bomb = best_of(3, lambda: parsing.read_file(hostile, "bomb.xlsx"))
    base = best_of(3, lambda: parsing.read_file(plain, "plain.xlsx"))
    print(f"{label:<48} {bomb * 1000:8.1f} ms   plain {base * 1000:8.1f} ms   x{bomb / base:.1f}")


def main() -> None:
    two = row(1, ("A", "Name"), ("B", "Kind")) + row(2, ("A", "srv-1"), ("B", "server"))
    case(
        "declares A1:XFD1048576, holds two rows",
        with_sheet(sheet(two, dimension="A1:XFD1048576")),
        with_sheet(sheet(two)),
    )
    far = row(1, ("A", "Name")) + row(2, ("A", "a"))
    case(
        "a last row at 1,048,576",
        with_sheet(sheet(far + row(1048576, ("A", "z")))),
        with_sheet(sheet(far + row(3, ("A", "z")))),
    )
    body = "".join(row(n, ("A", f"srv-{n}"), ("XFD", "junk")) for n in range(2, 12002))
    clean = "".join(row(n, ("A", f"srv-{n}")) for n in range(2, 12002))
    case(
        "12,000 rows with a cell in column XFD",
        with_sheet(sheet(row(1, ("A", "Name")) + body, dimension="A1:XFD12001")),
        with_sheet(sheet(row(1, ("A", "Name")) + clean)),
    )
    merged = "<mergeCells>" + '<mergeCell ref="A1:B2"/>' * 200_000 + "</mergeCells>"
    case(
        "200,000 merged cells after the rows",
        with_sheet(sheet(row(1, ("A", "Name")), after=merged)),
        with_sheet(sheet(row(1, ("A", "Name")))),
    )


if __name__ == "__main__":
    main()
