"""The AI use case register in the federal inventory's CSV layout, for a city to publish:
the inventory's headings in its order, each value as the importer reads it back (choice
labels, names for references), every cell made safe to open in a spreadsheet."""

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from townhall.core import exports
from townhall.imports import exporting, kinds
from townhall.registers import ai_inventory


def inventory_rows(user: Any) -> Iterator[list[Any]]:
    """The use cases the person may see, one list of cells per row, in the inventory's
    column order; read 2,000 at a time as the importer's own export is, so a register of
    any size streams without being held in memory."""
    kind = kinds.get("ai_use_case")
    names = ai_inventory.fields()
    for obj in exporting.queryset(kind, user).iterator(chunk_size=2000):
        yield [_cell(obj, kind, name) for name in names]


def _cell(obj: Any, kind: kinds.Kind, name: str) -> Any:
    # The inventory's "Agency" is the department's name as the public knows it (the
    # importer finds a department by its name as by its code).
    if name == "owner_department":
        dept = obj.owner_department
        return exports.safe_cell(dept.name) if dept is not None else ""
    return exporting.cell(obj, kind, name)


@require_safe
def inventory_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The whole register as the federal inventory's CSV."""
    lines = exports.csv_lines(ai_inventory.headings(), inventory_rows(request.user))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="ai-use-case-inventory-{stamp}.csv"'
    return response
