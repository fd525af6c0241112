"""API settings classes, kept apart from core.api so DRF can import them at start-up."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from townhall.core.paging import BadCursor, KeysetPage, Paginator, key_order, keyset_page


class Pagination(pagination.PageNumberPagination):
    """Pages of 50 records; `page_size` from 1 to 500, anything else answers 400 (it was
    ignored before, so `page_size=null` silently gave 50).

    Lists are paged by key (`core.paging.keyset_page`): `next` and `previous` carry a
    `cursor`, so the thousandth page costs what the first does and nothing is skipped or
    read twice while records are added. `?page=N` still pages by number (ids first, see
    `core.paging.Paginator`), for clients that jump to a page; a list whose order cannot
    be paged by key is paged by number too."""

    django_paginator_class = Paginator  # ids first: page 2,000 costs what page 1 does
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = "cursor"
    keyset: KeysetPage | None = None  # the page read by key, None when paged by number

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.keyset = None
        if self.page_query_param in request.query_params or key_order(queryset) is None:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        size = self.get_page_size(request)
        try:
            self.keyset = keyset_page(
                queryset, size, request.query_params.get(self.cursor_query_param) or None
            )
        except BadCursor:
            raise exceptions.NotFound(
                "Invalid cursor: follow the `next` and `previous` links as given."
            ) from None
        self.total = queryset.order_by().count()
        return self.keyset.rows

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        if self.keyset is None:
            return super().get_paginated_response(data)
        return Response(
            {
                "count": self.total,
                "next": self._link(self.keyset.next_cursor),
                "previous": self._link(self.keyset.previous_cursor),
                "results": data,
            }
        )

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        number = request.query_params.get(self.page_query_param)
        if number is not None and not number.strip():
            raise exceptions.NotFound("Invalid page: give a page number from 1.")
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
            if parameter["name"] == self.page_query_param:
                parameter["description"] = (
                    "A page number, to jump to a page; without it the list is paged by "
                    "`cursor` (follow `next` and `previous`)."
                )
        cursor = {
            "name": self.cursor_query_param,
            "required": False,
            "in": "query",
            "description": "Where the page starts: take it from the `next` or `previous` "
            "link of the page before; leave it out for the first page.",
            "schema": {"type": "string"},
        }
        return [*parameters, cursor]


def _errors(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"non_field_errors": exc.messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """JSON for every error: Django's validation and permission errors become 400 and 403."""
    from townhall.core.api import ConflictException

    if isinstance(exc, ConflictException):
        # Its numbers stay numbers (DRF would turn every value of an error into text).
        return Response(exc.payload, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_errors(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
