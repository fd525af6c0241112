"""Small estates for continuity tests, written through the write path."""

from typing import Any

from townhall.continuity import models as m
from townhall.core import context, services
from townhall.estate import models as e


def service(name: str, department: Any = None) -> e.Service:
    return services.create(
        context.SYSTEM, e.Service, {"name": name, "owner_department": department}
    )


def system(name: str, department: Any = None) -> e.System:
    return services.create(context.SYSTEM, e.System, {"name": name, "owner_department": department})


def component(name: str, department: Any = None, kind: str = "server") -> e.Component:
    return services.create(
        context.SYSTEM, e.Component, {"name": name, "owner_department": department, "kind": kind}
    )


def group(name: str, *members: Any, department: Any = None) -> e.RedundancyGroup:
    """A redundancy group of the given systems and components."""
    return services.create(
        context.SYSTEM,
        e.RedundancyGroup,
        {
            "name": name,
            "owner_department": department,
            "systems": [x for x in members if isinstance(x, e.System)],
            "components": [x for x in members if isinstance(x, e.Component)],
        },
    )


def needs(source: Any, target: Any) -> e.Dependency:
    end = "group" if isinstance(target, e.RedundancyGroup) else type(target).__name__.lower()
    values = {
        f"from_{type(source).__name__.lower()}": source,
        f"to_{end}": target,
        "owner_department": source.owner_department,
    }
    return services.create(context.SYSTEM, e.Dependency, values)


def impact(svc: e.Service, **values: Any) -> m.ImpactAnalysis:
    return services.create(context.SYSTEM, m.ImpactAnalysis, {"service": svc, **values})


def recovery(item: Any, **values: Any) -> m.RecoveryCapability:
    field = type(item).__name__.lower()
    return services.create(context.SYSTEM, m.RecoveryCapability, {field: item, **values})
