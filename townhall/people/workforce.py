"""The skills nobody has, in plain Python: the skills the estate's systems and components
need with nobody able to run them alone, and the skills the funded portfolio's projects
need, each with who can and whether a requisition is hiring for it.

Fed by `brief_input.py`; the workforce brief (`brief.py`) says what these return. A person
"has" a skill at level 3 (practitioner) or more, the same bar as key-person risk."""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from townhall.people.risk import QUALIFIED_LEVEL

Key = tuple[str, Hashable]  # ("system" or "component", id)

__all__ = ["QUALIFIED_LEVEL", "Gap", "Need", "holders", "estate_gaps", "portfolio_needs"]


@dataclass(frozen=True)
class Gap:
    """A skill the estate needs and nobody has: the systems and components that use it and
    the open requisitions hiring for it."""

    skill: Hashable
    items: tuple[Key, ...]
    hiring: tuple[Hashable, ...]


@dataclass(frozen=True)
class Need:
    """A skill a funded project needs: which projects, through which systems and
    components, how many people have it, and the open requisitions hiring for it."""

    skill: Hashable
    proposals: tuple[Hashable, ...]
    items: tuple[Key, ...]
    people: int
    hiring: tuple[Hashable, ...]

    @property
    def nobody(self) -> bool:
        return self.people == 0


def holders(levels: Iterable[tuple[Hashable, Hashable, int]]) -> dict[Hashable, int]:
    """How many people have each skill at the qualified level or more, from
    (person, skill, level) rows."""
    people: dict[Hashable, set[Hashable]] = {}
    for person, skill, level in levels:
        if level >= QUALIFIED_LEVEL:
            people.setdefault(skill, set()).add(person)
    return {skill: len(who) for skill, who in people.items()}


def _sort(keys: Iterable[Key]) -> tuple[Key, ...]:
    return tuple(sorted(set(keys), key=lambda k: (k[0], str(k[1]))))


def _hiring(skill: Hashable, hiring: Mapping[Hashable, Iterable[Hashable]]) -> tuple:
    return tuple(sorted(set(hiring.get(skill, ())), key=str))


def estate_gaps(
    uses: Mapping[Hashable, Iterable[Key]],
    people: Mapping[Hashable, int],
    hiring: Mapping[Hashable, Iterable[Hashable]],
) -> list[Gap]:
    """The skills used by some system or component (`uses`: skill -> items) that nobody
    has, those used most widely first; a skill linked to nothing is not counted."""
    gaps = [
        Gap(skill, _sort(items), _hiring(skill, hiring))
        for skill, items in uses.items()
        if items and not people.get(skill)
    ]
    return sorted(gaps, key=lambda g: (-len(g.items), str(g.skill)))


def portfolio_needs(
    touches: Mapping[Hashable, Iterable[Key]],
    skills_of: Mapping[Key, Iterable[Hashable]],
    people: Mapping[Hashable, int],
    hiring: Mapping[Hashable, Iterable[Hashable]],
) -> list[Need]:
    """The skills the funded projects need: each project (`touches`: proposal -> the
    systems and components it replaces, retires or extends) needs the skills linked to
    those. Those nobody has first, then the fewest people, then the most projects."""
    projects: dict[Hashable, set[Hashable]] = {}
    items: dict[Hashable, set[Key]] = {}
    for proposal, keys in touches.items():
        for key in keys:
            for skill in skills_of.get(key, ()):
                projects.setdefault(skill, set()).add(proposal)
                items.setdefault(skill, set()).add(key)
    needs = [
        Need(
            skill,
            tuple(sorted(projects[skill], key=str)),
            _sort(items[skill]),
            people.get(skill, 0),
            _hiring(skill, hiring),
        )
        for skill in projects
    ]
    return sorted(needs, key=lambda n: (n.people, -len(n.proposals), str(n.skill)))
