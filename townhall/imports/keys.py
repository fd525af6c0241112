"""Which existing record a row is about: its natural key, so importing twice updates."""

from typing import Any

from django.db import models

from townhall.imports import refs
from townhall.imports.kinds import Kind
from townhall.imports.values import ValueProblem


def _only(qs: models.QuerySet, what: str) -> Any:
    found = list(qs[:2])
    if len(found) > 1:
        raise ValueProblem(f"More than one {qs.model._meta.verbose_name} has {what}")
    return found[0] if found else None


def _dept(data: dict[str, Any]) -> Any:
    dept = data.get("owner_department")
    return dept.pk if dept is not None else None


def existing(kind: Kind, data: dict[str, Any]) -> Any:
    """The record this row updates, or None to create one.

    By external ID when the row has one; otherwise departments by code then name, vendors
    by name or alias, contracts by number (else title) within the vendor, dependencies by
    (from, to, kind), locations by name, and everything else by name within department."""
    qs = kind.model._default_manager.all()
    if data.get("external_id"):
        return _only(qs.filter(external_id=data["external_id"]), "that external ID")
    if kind.key == "department":
        for field in ("code", "name"):
            if data.get(field):
                found = _only(qs.filter(**{f"{field}__iexact": data[field]}), f"that {field}")
                if found is not None:
                    return found
        return None
    if kind.key == "vendor":
        try:
            return refs.vendor(qs, data.get("name", ""))
        except ValueProblem:
            return None
    if kind.key == "contract":
        qs = qs.filter(vendor=data.get("vendor"))
        if data.get("number"):
            return _only(qs.filter(number=data["number"]), "that number")
        return _only(qs.filter(title=data.get("title", "")), "that title")
    if kind.key == "dependency":
        ends = {k: v for k, v in data.items() if k.startswith(("from_", "to_"))}
        if "kind" in data:
            ends["kind"] = data["kind"]
        return _only(qs.filter(**ends), "those ends")
    if kind.key == "location":
        return _only(qs.filter(name=data.get("name", "")), "that name")
    if "owner_department" in data:
        qs = qs.filter(owner_department=data["owner_department"])
    return _only(qs.filter(name=data.get("name", "")), "that name in its department")
