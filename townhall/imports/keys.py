"""Which existing record a row is about: its natural key, so importing twice updates."""

from dataclasses import dataclass
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


# Kinds matched by external ID, else by name (within the row's department, when it names
# one). Their whole key fits in memory, so a large file needs no query per row to match.
INDEXED = {"person", "location", "service", "system", "component"}


@dataclass(eq=False)
class Entry:
    """One record in an Index: saved (pk) or waiting to be saved (obj, pk None)."""

    pk: int | None
    obj: models.Model | None = None
    keys: tuple[tuple[str, Any], ...] = ()


class Index:
    """The natural keys of every record of one kind, loaded in one query, kept up to date as
    the import adds and changes records, and answering as `existing` would."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self._maps: dict[str, dict[Any, list[Entry]]] = {"ext": {}, "name": {}, "dept": {}}
        rows = kind.model._default_manager.values_list(
            "pk", "external_id", "name", "owner_department_id"
        )
        for pk, ext, name, dept in rows.iterator(chunk_size=5000):
            self._put(Entry(pk), ext, name, dept)

    def _put(self, entry: Entry, ext: str, name: str, dept: int | None) -> None:
        entry.keys = (("ext", ext), ("name", name), ("dept", (dept, name)))
        for map_name, key in entry.keys:
            if map_name != "ext" or key:
                self._maps[map_name].setdefault(key, []).append(entry)

    def add(self, entry: Entry, obj: models.Model) -> None:
        """Index `entry` under `obj`'s current keys, forgetting the keys it had before."""
        self.remove(entry)
        self._put(entry, obj.external_id, obj.name, obj.owner_department_id)

    def remove(self, entry: Entry) -> None:
        """Forget `entry` (a waiting record that was not saved after all)."""
        for map_name, key in entry.keys:
            found = self._maps[map_name].get(key, [])
            if entry in found:
                found.remove(entry)
        entry.keys = ()

    def find(self, data: dict[str, Any]) -> Entry | None:
        """The entry this row updates, or None to create one; ValueProblem when ambiguous."""
        name = data.get("name", "")
        if data.get("external_id"):
            found, what = self._maps["ext"].get(data["external_id"], []), "that external ID"
        elif self.kind.key == "location":
            found, what = self._maps["name"].get(name, []), "that name"
        elif "owner_department" in data:
            found = self._maps["dept"].get((_dept(data), name), [])
            what = "that name in its department"
        else:
            found, what = self._maps["name"].get(name, []), "that name in its department"
        if len(found) > 1:
            raise ValueProblem(f"More than one {self.kind.model._meta.verbose_name} has {what}")
        return found[0] if found else None
