"""Which existing record a row is about: its natural key, so importing twice updates."""

from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.db import models

from townhall.core.models import field_named
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

    By external ID when the row has one; otherwise departments by code then name, impact
    analyses and recovery capabilities by the item they describe, a kind with a registered
    natural key by all of its fields (a training completion by person, course and day),
    links by their two ends (and their `link_key`), and everything else by the keys its
    module registered (`ImportKind.other_keys`, `alias_field`, `unique_within`): by default
    by name within its department."""
    qs = kind.model._default_manager.all()
    if data.get("external_id"):
        return _only(qs.filter(external_id=data["external_id"]), "that external ID")
    if kind.natural_key:
        for field in kind.other_keys:  # a purchase's transaction reference, when it has one
            if data.get(field):
                scope = {name: data.get(name) for name in kind.other_keys_within}
                return _only(qs.filter(**{field: data[field]}, **scope), f"that {field}")
        if _lacking_key(kind, [data.get(name) for name in kind.natural_key]):
            return None  # lacking part of its key (its validation says why), or naming a
            # record the import is about to add: new
        wanted = {name: data[name] for name in kind.natural_key}
        found = _only(qs.filter(**wanted), "those " + ", ".join(kind.natural_key))
        settled = kind.settled_by
        if found is None and settled and wanted[settled] is not None:
            # the decision a file now gives settles the record still waiting for it
            found = _only(qs.filter(**{**wanted, settled: None}), _unsettled(kind))
        return found
    if kind.items:
        item = _item(kind, data)
        return _only(qs.filter(**{item[0]: item[1]}), f"that {item[0]}") if item else None
    if kind.key == "department":  # the platform's own kind
        for field in ("code", "name"):
            if data.get(field):
                found = _only(qs.filter(**{f"{field}__iexact": data[field]}), f"that {field}")
                if found is not None:
                    return found
        return None
    if kind.links:
        ends = {k: v for k, v in data.items() if k.startswith(("from_", "to_"))}
        ends.update((name, data[name]) for name in kind.link_key if name in data)
        return _only(qs.filter(**ends), "those ends")
    name_field = kind.name_field or "name"
    if kind.alias_field:
        try:
            return refs.find(qs, data.get(name_field, ""))
        except ValueProblem:
            return None
    within = kind.unique_within
    if within and (within in data or within != "owner_department"):
        qs = qs.filter(**{within: data.get(within)})
    for field in kind.other_keys:
        if data.get(field):
            return _only(qs.filter(**{field: data[field]}), f"that {field}")
    in_department = " in its department" if within == "owner_department" else ""
    return _only(
        qs.filter(**{name_field: data.get(name_field, "")}), f"that {name_field}{in_department}"
    )


def _unsettled(kind: Kind) -> str:
    others = ", ".join(n for n in kind.natural_key if n != kind.settled_by)
    return f"those {others} and no {kind.settled_by} yet"


def _unknown(value: Any) -> bool:
    """No value, or a record not saved yet (see `ImportKind.adds`)."""
    return value is None or (isinstance(value, models.Model) and value.pk is None)


def _lacking_key(kind: Kind, named: list[Any]) -> bool:
    """Whether part of a row's natural key is unknown. An empty value of a field that may be
    empty is a value like any other (a review of a system has no pilot), matched as empty."""
    return any(
        _unknown(value) and not (value is None and field_named(kind.model, name).null)
        for name, value in zip(kind.natural_key, named, strict=True)
    )


def _item(kind: Kind, data: dict[str, Any]) -> tuple[str, int] | None:
    """(field, id) of the one item the row names ("service", 12); None unless exactly one."""
    named = [(name, data[name].pk) for name in kind.items if data.get(name) is not None]
    return named[0] if len(named) == 1 else None


class Keyed(Protocol):
    """What every index reads from a record it files: its external ID (every record kind
    the importer reads has one; the indexes are built only for those kinds)."""

    external_id: str


class Named(Keyed, Protocol):
    """A record known by its name within its department."""

    name: str
    owner_department_id: int | None


class Aliased(Keyed, Protocol):
    """A record known by its name or by one of its other spellings (`alias_field`)."""

    name: str


@dataclass(eq=False, slots=True)
class Entry:
    """One record in an Index: saved (pk) or waiting to be saved (obj, pk None)."""

    pk: int | None
    obj: models.Model | None = None
    keys: tuple[tuple[str, Any], ...] = ()


def _at(entries: dict[Any, Any], key: Any) -> list[Entry]:
    """The entries filed under `key`: one is filed bare (most keys name one record), two or
    more as a list."""
    held = entries.get(key)
    if held is None:
        return []
    return held if type(held) is list else [held]


class Index:
    """The natural keys of every record of one kind, loaded in one query, kept up to date as
    the import adds and changes records, and answering as `existing` would."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        # Each key holds one Entry, or a list of them when it names two or more (`_at`).
        self._maps: dict[str, dict[Any, Any]] = {"ext": {}, "name": {}, "dept": {}}
        rows = kind.model._default_manager.values_list(
            "pk", "external_id", "name", "owner_department_id"
        )
        for pk, ext, name, dept in rows.iterator(chunk_size=5000):
            self._put(Entry(pk), ext, name, dept)

    def _put(self, entry: Entry, ext: str, name: str, dept: int | None) -> None:
        self._file(entry, (("ext", ext), ("name", name), ("dept", (dept, name))))

    def _file(self, entry: Entry, keys: tuple[tuple[str, Any], ...]) -> None:
        entry.keys = keys
        for map_name, key in entry.keys:
            if map_name != "ext" or key:
                entries = self._maps[map_name]
                held = entries.get(key)
                if held is None:
                    entries[key] = entry
                elif type(held) is list:
                    held.append(entry)
                else:
                    entries[key] = [held, entry]

    def add(self, entry: Entry, obj: models.Model) -> None:
        """Index `entry` under `obj`'s current keys, forgetting the keys it had before."""
        self.remove(entry)
        named = cast(Named, obj)  # an Index is built for such kinds only
        self._put(entry, named.external_id, named.name, named.owner_department_id)

    def remove(self, entry: Entry) -> None:
        """Forget `entry` (a waiting record that was not saved after all)."""
        for map_name, key in entry.keys:
            entries = self._maps[map_name]
            held = entries.get(key)
            if held is entry:
                del entries[key]
            elif type(held) is list and entry in held:
                held.remove(entry)
        entry.keys = ()

    def find(self, data: dict[str, Any]) -> Entry | None:
        """The entry this row updates, or None to create one; ValueProblem when ambiguous."""
        name = data.get("name", "")
        if data.get("external_id"):
            found, what = _at(self._maps["ext"], data["external_id"]), "that external ID"
        elif not self.kind.unique_within:
            found, what = _at(self._maps["name"], name), "that name"
        elif "owner_department" in data:
            found = _at(self._maps["dept"], (_dept(data), name))
            what = "that name in its department"
        else:
            found, what = _at(self._maps["name"], name), "that name in its department"
        if len(found) > 1:
            raise ValueProblem(f"More than one {self.kind.model._meta.verbose_name} has {what}")
        return found[0] if found else None


class ItemIndex(Index):
    """An Index of records that describe one estate item each (an impact analysis its
    service): by external ID, else by the item."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self._maps = {"ext": {}, "item": {}}
        ids = [f"{name}_id" for name in kind.items]
        rows = kind.model._default_manager.values_list("pk", "external_id", *ids)
        for pk, ext, *items in rows.iterator(chunk_size=5000):
            self._file(Entry(pk), self._keys(ext, items))

    def _keys(self, ext: str, items: list[int | None]) -> tuple[tuple[str, Any], ...]:
        keys: tuple[tuple[str, Any], ...] = (("ext", ext),)
        named = [(n, pk) for n, pk in zip(self.kind.items, items, strict=True) if pk is not None]
        return keys + (("item", named[0]),) if len(named) == 1 else keys

    def add(self, entry: Entry, obj: models.Model) -> None:
        self.remove(entry)
        items = [getattr(obj, f"{name}_id") for name in self.kind.items]
        self._file(entry, self._keys(cast(Keyed, obj).external_id, items))

    def find(self, data: dict[str, Any]) -> Entry | None:
        if data.get("external_id"):
            found, what = _at(self._maps["ext"], data["external_id"]), "that external ID"
        else:
            item = _item(self.kind, data)
            found = _at(self._maps["item"], item) if item else []
            what = f"that {item[0]}" if item else ""
        if len(found) > 1:
            raise ValueProblem(f"More than one {self.kind.model._meta.verbose_name} has {what}")
        return found[0] if found else None


class NaturalKeyIndex(Index):
    """An Index of records named by their natural key (a training completion by person,
    course and day): by external ID, else by the key's values, as `existing` matches them."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self._maps = {"ext": {}, "key": {}, **{name: {} for name in kind.other_keys}}
        self.columns = tuple(field_named(kind.model, n).attname for n in kind.natural_key)
        # The fields within which an other key names one record (`other_keys_within`).
        self.within = tuple(field_named(kind.model, n).attname for n in kind.other_keys_within)
        others, within = kind.other_keys, self.within
        rows = kind.model._default_manager.values_list(
            "pk", "external_id", *others, *within, *self.columns
        )
        for pk, ext, *rest in rows.iterator(chunk_size=5000):
            found = tuple(rest[: len(others)])
            scope = tuple(rest[len(others) : len(others) + len(within)])
            key = tuple(rest[len(others) + len(within) :])
            self._file(Entry(pk), self._keys(ext, found, scope, key))

    def _keys(
        self, ext: str, others: tuple, scope: tuple, key: tuple
    ) -> tuple[tuple[str, Any], ...]:
        named = tuple(
            (name, (*scope, v)) for name, v in zip(self.kind.other_keys, others, strict=True) if v
        )
        return (("ext", ext), *named, ("key", key))

    def add(self, entry: Entry, obj: models.Model) -> None:
        self.remove(entry)
        key = tuple(getattr(obj, name) for name in self.columns)
        others = tuple(getattr(obj, name) for name in self.kind.other_keys)
        scope = tuple(getattr(obj, name) for name in self.within)
        self._file(entry, self._keys(getattr(obj, "external_id", ""), others, scope, key))

    def find(self, data: dict[str, Any]) -> Entry | None:
        other = next((name for name in self.kind.other_keys if data.get(name)), "")
        if data.get("external_id"):
            found, what = _at(self._maps["ext"], data["external_id"]), "that external ID"
        elif other:
            scope = tuple(_pk_or_value(data.get(name)) for name in self.kind.other_keys_within)
            found, what = _at(self._maps[other], (*scope, data[other])), f"that {other}"
        else:
            named = [data.get(name) for name in self.kind.natural_key]
            if _lacking_key(self.kind, named):
                return None  # as `existing`: a new record
            key = tuple(v.pk if isinstance(v, models.Model) else v for v in named)
            found, what = (
                _at(self._maps["key"], key),
                "those " + ", ".join(self.kind.natural_key),
            )
        if len(found) > 1:
            raise ValueProblem(f"More than one {self.kind.model._meta.verbose_name} has {what}")
        return found[0] if found else None


def end_ids() -> tuple[str, ...]:
    """A link's end columns ("from_service_id", …), as its ends are registered."""
    return tuple(f"{side}_{end}_id" for side in ("from", "to") for end in refs.ends(side))


class LinkIndex(Index):
    """An Index of links (dependencies): by external ID, else by their two ends (and their
    `link_key`, a dependency's kind, when the file has those columns), as `existing`
    matches them."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self._maps = {"ext": {}, "ends": {}, "ends_key": {}}
        self.end_ids = end_ids()
        key = kind.link_key
        rows = kind.model._default_manager.values_list("pk", "external_id", *key, *self.end_ids)
        for pk, ext, *rest in rows.iterator(chunk_size=5000):
            self._file(Entry(pk), self._keys(ext, tuple(rest[: len(key)]), tuple(rest[len(key) :])))

    def _keys(self, ext: str, key: tuple, ends: tuple) -> tuple[tuple[str, Any], ...]:
        return (("ext", ext), ("ends", ends), ("ends_key", (ends, key)))

    def add(self, entry: Entry, obj: models.Model) -> None:
        self.remove(entry)
        ends = tuple(getattr(obj, name) for name in self.end_ids)
        key = tuple(getattr(obj, name) for name in self.kind.link_key)
        self._file(entry, self._keys(cast(Keyed, obj).external_id, key, ends))

    def find(self, data: dict[str, Any]) -> Entry | None:
        if data.get("external_id"):
            found, what = _at(self._maps["ext"], data["external_id"]), "that external ID"
        else:
            ends = tuple(_pk(data.get(name[:-3])) for name in self.end_ids)
            key = self.kind.link_key
            if key and all(name in data for name in key):
                found = _at(self._maps["ends_key"], (ends, tuple(data[n] for n in key)))
            else:
                found = _at(self._maps["ends"], ends)
            what = "those ends"
        if len(found) > 1:
            raise ValueProblem(f"More than one {self.kind.model._meta.verbose_name} has {what}")
        return found[0] if found else None


class AliasIndex(Index):
    """An Index of records known by other spellings too (vendors): by external ID, else by
    name in any case, else by one of the spellings in the kind's `alias_field`, as
    `existing` matches them through the finder the module registered. Matching by name in
    any case was a scan of every record per row."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.field = kind.alias_field
        self._maps = {"ext": {}, "name": {}, "alias": {}}
        rows = kind.model._default_manager.values_list("pk", "external_id", "name", self.field)
        for pk, ext, name, aliases in rows.iterator(chunk_size=5000):
            self._file(Entry(pk), self._keys(ext, name, aliases))

    def _keys(self, ext: str, name: str, aliases: str) -> tuple[tuple[str, Any], ...]:
        spelled = {a.strip().lower() for a in aliases.splitlines() if a.strip()}
        return (("ext", ext), ("name", name.lower()), *(("alias", a) for a in sorted(spelled)))

    def add(self, entry: Entry, obj: models.Model) -> None:
        self.remove(entry)
        named = cast(Aliased, obj)  # an AliasIndex files such kinds only
        self._file(entry, self._keys(named.external_id, named.name, getattr(obj, self.field)))

    def find(self, data: dict[str, Any]) -> Entry | None:
        if data.get("external_id"):
            found = _at(self._maps["ext"], data["external_id"])
            if len(found) > 1:
                plural = self.kind.model._meta.verbose_name
                raise ValueProblem(f"More than one {plural} has that external ID")
            return found[0] if found else None
        wanted = data.get("name", "").lower()
        found = _at(self._maps["name"], wanted) or _at(self._maps["alias"], wanted)
        return found[0] if len(found) == 1 else None  # several: a new one, refused as taken


def _pk_or_value(value: Any) -> Any:
    """A record's id as the index files it, any other value as it is."""
    return value.pk if isinstance(value, models.Model) else value


def _pk(obj: Any) -> int | None:
    return obj.pk if obj is not None else None


def index_for(kind: Kind) -> Index:
    """The index that matches rows of `kind` (one registered as `indexed`) without a query
    per row."""
    if kind.links:
        return LinkIndex(kind)
    if kind.alias_field:
        return AliasIndex(kind)
    if kind.natural_key:
        return NaturalKeyIndex(kind)
    return ItemIndex(kind) if kind.items else Index(kind)
