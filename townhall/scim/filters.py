"""SCIM filters (RFC 7644 §3.4.2.2) as Django queries, through scim2-filter-parser's grammar.

The library leaves out a clause whose attribute it does not know, which would widen a filter
to every row; here an unknown attribute refuses the filter instead."""

import re
from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser
from scim2_filter_parser.transpilers.django_q_object import Transpiler

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
# Townhall keeps one address per person, which it calls the work address.
EMAIL_TYPE = "__email_type__"
MAX_FILTER_LENGTH = 1000
BOOLEANS = {"is_active"}
IDS = {"pk", "members__pk"}
ID_TEXT = re.compile(r"\d{1,18}")

USER_ATTRIBUTES: dict[tuple[str, str | None, str | None], str] = {
    ("userName", None, None): "username",
    ("externalId", None, None): "provisioned__external_id",
    ("emails", None, None): "email",
    ("emails", "value", None): "email",
    ("emails", "type", None): EMAIL_TYPE,
    ("name", "givenName", None): "first_name",
    ("name", "familyName", None): "last_name",
    ("id", None, None): "pk",
    ("active", None, None): "is_active",
    ("employeeNumber", None, ENTERPRISE): "provisioned__employee_number",
    ("department", None, ENTERPRISE): "provisioned__department_name",
}
GROUP_ATTRIBUTES: dict[tuple[str, str | None, str | None], str] = {
    ("displayName", None, None): "display_name",
    ("externalId", None, None): "external_id",
    ("id", None, None): "pk",
    # Entra ID asks whether someone is in a group: members[value eq "<user id>"].
    ("members", "value", None): "members__pk",
    ("members", None, None): "members__pk",
}


class InvalidFilter(ValueError):
    """A filter Townhall cannot read, with the reason in words for the provider's log."""


class _Transpiler(Transpiler):
    def visit_AttrPath(self, node: Any) -> Any:
        field = super().visit_AttrPath(node)
        if field is None:
            name = node.attr_name + (f".{node.sub_attr.value}" if node.sub_attr else "")
            raise InvalidFilter(f"Townhall cannot filter on the attribute {name}.")
        return field

    def visit_AttrExpr(self, node: Any) -> Any:
        field = self.visit(node.attr_path) if isinstance(node.attr_path.attr_name, str) else None
        if field in BOOLEANS:
            op, value = self.visit_AttrExprValue(node)
            if op != "isnull" and (op != "exact" or not isinstance(value, bool)):
                raise InvalidFilter("active can only be compared with eq true or eq false.")
        if field in IDS:
            return self._id_query(node, field)
        if field != EMAIL_TYPE:
            return super().visit_AttrExpr(node)
        op, value = self.visit_AttrExprValue(node)
        work = op == "iexact" and str(value).lower() == "work"
        return ~Q(pk__in=[]) if work != (node.value.lower() == "ne") else Q(pk__in=[])

    def _id_query(self, node: Any, field: str) -> Q:
        """Ids are numbers compared exactly; text that is no id matches nothing."""
        op, value = self.visit_AttrExprValue(node)
        if op != "iexact" or not isinstance(value, str):
            raise InvalidFilter("An id can only be compared with eq or ne and a quoted id.")
        text = value.strip()
        query = Q(**{field: int(text)}) if ID_TEXT.fullmatch(text) else Q(pk__in=[])
        return ~query if node.value.lower() == "ne" else query


def to_query(text: str, attributes: Mapping[tuple[str, str | None, str | None], str]) -> Q:
    """The rows a filter asks for; InvalidFilter if it cannot be read."""
    if len(text) > MAX_FILTER_LENGTH:
        raise InvalidFilter(f"A filter may be at most {MAX_FILTER_LENGTH} characters long.")
    if "\x00" in text:
        raise InvalidFilter("A filter cannot hold a NUL character.")
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(text))
        query = _Transpiler(attributes).transpile(tree)
    except InvalidFilter:
        raise
    except Exception as exc:  # the grammar's own errors, of several kinds
        raise InvalidFilter(f"The filter could not be read: {exc}".strip()) from None
    if not isinstance(query, Q):
        raise InvalidFilter("The filter could not be read.")
    return query
