"""Records for the plan of action, coverage and insurance tests: an assessment scored as
asked, risks, exposures, training. All written through the write path."""

import datetime
from typing import Any

from townhall.cyber import models as m
from townhall.cyber.tests import factories as f

NA = "n/a"


def scored(
    levels: dict[str, int | str | None],
    *,
    key: str = "csf",
    year: int = 2026,
    target: int = 5,
    responsible: Any = None,
    status: str = m.Assessment.Status.IN_PROGRESS,
    framework: m.Framework | None = None,
    name: str = "",
) -> m.Assessment:
    """An assessment of a framework holding one subcategory per identifier in `levels`,
    scored at the level given (NA: not applicable; None: not scored yet)."""
    fw = framework or f.create(m.Framework, name=f"Framework {key}", key=key, release="2.0")
    assessment = f.create(
        m.Assessment,
        name=name or f"{year} self-assessment",
        framework=fw,
        year=year,
        target=target,
    )
    for n, (identifier, level) in enumerate(levels.items()):
        req = fw.requirements.filter(identifier=identifier).first() or f.create(
            m.Requirement,
            framework=fw,
            identifier=identifier,
            level="subcategory",
            assessable=True,
            title=f"Outcome {identifier}",
            sort_key=f"{n:03d}",
        )
        f.create(
            m.Score,
            assessment=assessment,
            requirement=req,
            level=None if level in (None, NA) else level,
            not_applicable=level == NA,
            responsible=responsible,
        )
    if status != m.Assessment.Status.IN_PROGRESS:
        from townhall.core import context, services

        services.transition(context.SYSTEM, assessment, status)  # completed
        assessment.refresh_from_db()
    return assessment


def risk(title: str = "Ransomware on the permit system", **values: Any) -> m.Risk:
    return f.create(m.Risk, title=title, **values)


def exposure(
    item: Any,
    vulnerability: m.KnownVulnerability | None = None,
    release: m.ProductRelease | None = None,
    **values: Any,
) -> m.Exposure:
    """An exposure of a system (or a component: pass one) to a vulnerability or release."""
    where = "component" if item.__class__.__name__ == "Component" else "system"
    kind = m.Exposure.Kind.KEV if vulnerability is not None else m.Exposure.Kind.EOL
    values.setdefault("version_status", m.Exposure.Version.AFFECTED)
    return f.create(
        m.Exposure,
        kind=kind,
        vulnerability=vulnerability,
        release=release,
        **{where: item},
        **values,
    )


def release(product: str = "windows-server", cycle: str = "2012", **values: Any) -> Any:
    values = {"end_of_life": datetime.date(2023, 10, 10), **values}
    return f.create(m.ProductRelease, product=product, cycle=cycle, **values)


def coverage(function: str, performer: str = "nobody", **values: Any) -> m.Coverage:
    return f.create(m.Coverage, function=function, performer=performer, **values)


def course(name: str = "Security awareness", **values: Any) -> m.Course:
    return f.create(m.Course, name=name, **values)


def completion(person: Any, course: m.Course, on: datetime.date) -> m.TrainingCompletion:
    return f.create(m.TrainingCompletion, person=person, course=course, completed_on=on)
