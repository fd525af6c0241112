"""The people module's verbs, each on the write path (`core.services`): the built-in NICE
core set, NIST's JSON release, and the technology skills worked out from the estate."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from townhall.core import services
from townhall.people import nice, nice_core, technology, technology_input
from townhall.people.models import Skill


@dataclass(frozen=True)
class Loaded:
    added: int
    changed: int

    def text(self, what: str) -> str:
        return f"{self.added} {what} added, {self.changed} changed."


def _save(user: Any, rows: list[dict[str, Any]]) -> Loaded:
    """Add the skills `rows` name by code and change those that differ; others stay."""
    existing = {s.code: s for s in Skill.objects.filter(code__in=[r["code"] for r in rows])}
    new = [r for r in rows if r["code"] not in existing]
    edits = []
    for row in rows:
        skill = existing.get(row["code"])
        if skill is None:
            continue
        values = {}
        for name, value in row.items():
            if name in ("systems", "components"):
                current = sorted(getattr(skill, name).values_list("pk", flat=True))
                if current != sorted(value):
                    values[name] = value
            elif getattr(skill, name) != value:
                values[name] = value
        if values:
            edits.append((skill, values))
    if new:
        services.create_many(user, Skill, new)
    changed = services.update_rows(user, edits) if edits else 0
    return Loaded(len(new), changed)


def load_core_skills(user: Any) -> Loaded:
    """Add the built-in NICE work roles and competency areas that are not there yet; a
    skill already there (perhaps from NIST's own file) is left as it is."""
    rows = [
        {"code": code, "name": name, "kind": kind, "description": text, "source": nice_core.SOURCE}
        for kind, elements in (
            (Skill.Kind.WORK_ROLE, nice_core.WORK_ROLES),
            (Skill.Kind.COMPETENCY, nice_core.COMPETENCY_AREAS),
        )
        for code, name, text in elements
    ]
    present = set(
        Skill.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True)
    )
    return _save(user, [r for r in rows if r["code"] not in present])


def import_nice(user: Any, text: str | bytes) -> Loaded:
    """Read NIST's NICE Framework components release (JSON) and add or bring up to date the
    work roles and competency areas it holds, by identifier, all or nothing. Bad input
    raises `nice.NiceError` naming the element."""
    rows = [
        {
            "code": e.code,
            "name": e.name,
            "kind": e.kind,
            "description": e.description,
            "source": e.document[:200],
        }
        for e in nice.parse(text)
    ]
    return _save(user, rows)


def derive_technology(user: Any, progress: Callable[..., None] | None = None) -> Loaded:
    """A technology skill for every product and platform in the estate `user` may see,
    linked to the systems and components that use it (`technology.py`). Run by a job."""
    found = technology.derive(technology_input.items(user))
    if progress:
        progress(1, f"Found {len(found)} products and platforms; saving them.")
    rows = [
        {
            "code": t.code,
            "name": t.name,
            "kind": Skill.Kind.TECHNOLOGY,
            "source": "The estate",
            "systems": t.systems,
            "components": t.components,
        }
        for t in found
    ]
    return _save(user, rows)
