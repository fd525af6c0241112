"""The OpenAPI schema says every answer an operation can give, errors included.

drf-spectacular documents the successful answer; the API also answers 400 (bad input,
with the fields at fault), 401 (not signed in), 403 (not allowed), 404 (no such record, or
a page past the end), 409 (someone saved the record after you read it), 415 (a body that
cannot be read) and 429 (too many failed sign-ins or tokens from your address). `Schema`
adds those to each operation (the list search `q` is one of each record's filters,
`core.filters.SearchFilter`).
"""

from typing import Any, Literal

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class TokenScheme(OpenApiAuthenticationExtension):
    """API tokens (accounts/tokens.py): `Authorization: Token <secret>`."""

    target_class = "townhall.accounts.throttle.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <secret>`: a token made on your account page, read-only "
            "or read and write, until it expires or is revoked.",
        }


DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "What is wrong, by field name (`non_field_errors` for the record as a "
    "whole): a list of messages, or the same shape again for a nested value.",
    "additionalProperties": {},
}
CONFLICT = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "current_version": {"type": "integer", "description": "The version saved now."},
        "changes": {
            "type": "object",
            "description": "By field: the value you read, the value now, and who changed it.",
            "additionalProperties": {
                "type": "object",
                "properties": {"yours": {}, "now": {}, "by": {"type": "string"}},
            },
        },
    },
    "required": ["detail", "current_version", "changes"],
}


def _response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class Schema(AutoSchema):
    def get_response_serializers(self) -> Any:
        """An update is read with its own serializer (`core.api.update_serializer_for`: the
        workflow states an edit may not move held); the answer is the record, as written by
        the record's serializer."""
        own = getattr(self.view, "serializer_class", None)
        if getattr(self.view, "action", None) in ("update", "partial_update") and hasattr(
            self.view, "update_serializer_class"
        ):
            return own
        return super().get_response_serializers()

    def _versioned(self) -> bool:
        """Updates of records with a version answer 409 when the version sent is stale."""
        resource = getattr(self.view, "resource", None)
        model = getattr(resource, "model", None)
        return model is not None and any(f.name == "version" for f in model._meta.fields)

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        errors = {
            "401": (
                "Not signed in, or the API token is unknown, expired or revoked: send a "
                "session or `Authorization: Token <secret>`.",
                DETAIL,
            ),
            "403": ("Signed in, but not allowed to do this (or the token is read-only).", DETAIL),
            "429": ("Too many failed sign-ins or tokens from this address; wait.", DETAIL),
        }
        method = self.method.upper()
        listing = method == "GET" and self._is_list_view()
        if listing:
            errors["400"] = ("A filter or paging value is not valid.", FIELD_ERRORS)
            errors["404"] = (
                "The page asked for is past the end of the list, or its cursor is not one "
                "a page gave.",
                DETAIL,
            )
        elif "{" in self.path:
            errors["404"] = ("No such record, or not one you may see.", DETAIL)
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            why = (
                "The record cannot be deleted while others refer to it."
                if method == "DELETE"
                else "The values are not valid; each field says why."
            )
            errors["400"] = (why, FIELD_ERRORS)
            errors["415"] = ("The body's content type cannot be read.", DETAIL)
        if method in ("PUT", "PATCH") and self._versioned():
            errors["409"] = ("Someone saved the record after the version you sent.", CONFLICT)
        for code, (description, schema) in errors.items():
            responses.setdefault(code, _response(description, schema))
        return responses


PAGING = {"page", "page_size"}


def empty_means_any(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A list's filters and search left empty (`?status=`, as a list page's form sends
    them) do not filter: the schema says so with `allowEmptyValue`."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "query" and parameter.get("name") not in PAGING:
                    parameter["allowEmptyValue"] = True
    return result
