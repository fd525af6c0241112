"""Find the records a row refers to by the names people write, never inventing one.

"Public Works" or "PW" for a department, any other record by its name ("Payroll [FIN]" for
the finance department's one), or as the finder its module registered says (a vendor by
an alias, a person by e-mail: `core.plugins.register_import_finder`, estate/imports.py); a
link's end as "system:Payroll" or by a unique name, among the kinds of end its module
registered (`ImportKind.ends`).
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models

from townhall.core import permissions, plugins
from townhall.imports.values import NotFound, ValueProblem
from townhall.org.models import Department


@cache
def ends(side: str = "to") -> dict[str, type[models.Model]]:
    """The kinds of end a dependency's `side` ("from" or "to") names ("system" -> System),
    as registered (read once: the importer asks for every cell); only the "to" side may
    name the `target_ends` (a redundancy group)."""
    return {
        name: apps.get_model(label)
        for kind in plugins.import_kinds()
        for name, label in (kind.ends | kind.target_ends if side == "to" else kind.ends).items()
    }


def one(model: type[models.Model], matches: list[Any], text: str, department_id: int | None) -> Any:
    if len(matches) == 1:
        return matches[0]
    if not matches:
        name = model._meta.verbose_name
        raise NotFound(f"No {name} called {text!r}: add it first, or check the spelling")
    mine = [m for m in matches if getattr(m, "owner_department_id", None) == department_id]
    if len(mine) == 1:
        return mine[0]
    plural = model._meta.verbose_name_plural
    raise ValueProblem(f"Several {plural} are called {text!r}; give the department's own one")


QUALIFIED = re.compile(r"^(?P<name>.+?)\s*\[(?P<dept>[^\[\]]+)\]$")


def by_name(qs: models.QuerySet, field: str, text: str, department_id: int | None = None) -> Any:
    """By name; "Payroll [FIN]" names the one in that department (by code or name)."""
    exact = list(qs.filter(**{field: text})[:10])
    matches = exact or list(qs.filter(**{f"{field}__iexact": text})[:10])
    qualified = QUALIFIED.match(text)
    if not matches and qualified and hasattr(qs.model, "owner_department"):
        dept = qualified["dept"].strip()
        in_dept = qs.filter(
            models.Q(owner_department__code__iexact=dept)
            | models.Q(owner_department__name__iexact=dept)
        )
        return by_name(in_dept, field, qualified["name"], department_id)
    return one(qs.model, matches, text, department_id)


@dataclass(frozen=True)
class Named:
    """A record as `Names` keeps it: enough to choose it and read it later."""

    pk: int
    owner_department_id: int | None


class Names:
    """The names of every record of one model a person may see, read in one query, that
    answer as `resolve` does (the exact name, else any case, else "Name [DEPT]"; the row's
    department's own when several share it). For files that name a different service,
    system or component on every row, where a look-up per name is a query per row."""

    def __init__(self, model: type[models.Model], user: Any) -> None:
        self.model = model
        self.exact: dict[str, list[Named]] = {}
        self.folded: dict[str, list[Named]] = {}
        visible = permissions.restrict(model._default_manager.all(), user, "view")
        rows = visible.values_list("pk", "name", "owner_department_id")
        for pk, name, dept in rows.iterator(chunk_size=5000):
            named = Named(pk, dept)
            self.exact.setdefault(name, []).append(named)
            self.folded.setdefault(name.lower(), []).append(named)
        self.departments: dict[str, set[int]] = {}
        for pk, code, name in Department.objects.values_list("pk", "code", "name"):
            for text in (code, name):
                if text:
                    self.departments.setdefault(text.lower(), set()).add(pk)

    def find(self, text: str, department_id: int | None) -> int:
        """The primary key of the one record `text` names; ValueProblem as `resolve` says."""
        return self._find(text, department_id, None).pk

    def _find(self, text: str, department_id: int | None, within: set[int] | None) -> Named:
        def kept(found: list[Named]) -> list[Named]:
            if within is None:
                return found
            return [n for n in found if n.owner_department_id in within]

        matches = kept(self.exact.get(text, [])) or kept(self.folded.get(text.lower(), []))
        qualified = QUALIFIED.match(text)
        if not matches and qualified and within is None:
            depts = self.departments.get(qualified["dept"].strip().lower(), set())
            return self._find(qualified["name"], department_id, depts)
        return one(self.model, matches, text, department_id)


def department(qs: models.QuerySet, text: str) -> Any:
    """A department by its code ("PW") or its name ("Public Works")."""
    found = list(qs.filter(code__iexact=text)[:2]) or list(qs.filter(name__iexact=text)[:2])
    return one(qs.model, found, text, None)


def find(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """The one record of `qs` that `text` names: by the finder registered for its model,
    else by name (ValueProblem when none or several)."""
    if qs.model is Department:
        return department(qs, text)
    finder = plugins.import_finder(qs.model)
    if finder is not None:
        return finder(qs, text, department_id)
    return by_name(qs, "name", text, department_id)


def resolve(
    model: type[models.Model], text: str, user: Any, department_id: int | None = None
) -> Any:
    """The one record of `model` that `text` names, among those `user` may see."""
    return find(
        permissions.restrict(model._default_manager.all(), user, "view"), text, department_id
    )


def end(text: str, user: Any, department_id: int | None, side: str = "to") -> Any:
    """A dependency end: "system:Payroll", "service:Permits", "component:srv-01" (or, for
    what it depends on, "group:Web servers") or a name that only one of them has."""
    return _one_end(text, lambda model, name: resolve(model, name, user, department_id), side)


def end_key(
    text: str, department_id: int | None, names: Any, side: str = "to"
) -> tuple[type[models.Model], int]:
    """(model, primary key) of the dependency end `text` names, answering as `end` does but
    from `names(model)` (a `Names` per model) instead of a query per name."""
    return _one_end(text, lambda model, name: (model, names(model).find(name, department_id)), side)


def end_name(model: type[models.Model]) -> str:
    """The prefix a dependency end of `model` is written with ("group" for a redundancy
    group); the model's own name for a kind no link registered."""
    for name, found in ends("to").items():
        if found is model:
            return name
    return model._meta.model_name or ""


def _one_end(text: str, find: Any, side: str = "to") -> Any:
    """`find(model, name)` for the one kind of end `text` names: its prefix's, or the only
    kind with a record of that name (else a problem saying how to tell them apart)."""
    kinds = ends(side)
    prefix, sep, rest = text.partition(":")
    if sep and prefix.strip().lower() in kinds:
        return find(kinds[prefix.strip().lower()], rest.strip())
    if sep and prefix.strip().lower() in ends("to"):
        raise ValueProblem(
            f"A {prefix.strip().lower()} can only be what something depends on, not what depends"
        )
    found, several = [], False
    for model in kinds.values():
        try:
            found.append(find(model, text.strip()))
        except ValueProblem as exc:
            several = several or str(exc).startswith("Several")
    if len(found) == 1 and not several:
        return found[0]
    if not found and not several:
        raise ValueProblem(f"No service, system or component called {text!r}")
    raise ValueProblem(
        f"Several records are called {text!r}; write system:{text}, service:{text} "
        f"or component:{text}"
    )


def end_label(obj: models.Model | None) -> str:
    """How an export writes a dependency end, so it imports back to the same record."""
    if obj is None:
        return ""
    return f"{end_name(type(obj))}:{label(obj)}"


def label(obj: models.Model) -> str:
    """How an export names a referenced record: "Payroll [FIN]" when it has a department,
    so a name two departments share still reads back to the right one."""
    if isinstance(obj, Department):
        return obj.code
    dept = getattr(obj, "owner_department", None)
    return f"{obj} [{dept.code}]" if dept is not None else str(obj)
