"""Small records for cyber tests, written through the write path."""

import datetime
from typing import Any

from townhall.core import context, services
from townhall.cyber import models as m
from townhall.estate import models as estate


def create(model: type, **values: Any) -> Any:
    return services.create(context.SYSTEM, model, values)


def framework(n: int = 1, key: str = "test") -> m.Framework:
    return create(m.Framework, name=f"Test framework {n}", key=f"{key}{n}", release="1.0")


def requirement(fw: m.Framework | None = None, n: int = 1, **values: Any) -> m.Requirement:
    fw = fw or framework(n)
    values = {"identifier": f"T.{n}", "level": "subcategory", "assessable": True, **values}
    return create(m.Requirement, framework=fw, **values)


def assessment(fw: m.Framework | None = None, n: int = 1, **values: Any) -> m.Assessment:
    fw = fw or framework(n)
    return create(
        m.Assessment, **{"name": f"Assessment {n}", "framework": fw, "year": 2026, **values}
    )


def person(n: int = 1, department: Any = None) -> estate.Person:
    return create(estate.Person, name=f"Person {n}", owner_department=department)


def system(n: int = 1, **values: Any) -> estate.System:
    return create(estate.System, name=f"System {n}", **values)


def vulnerability(cve: str = "CVE-2024-0001", **values: Any) -> m.KnownVulnerability:
    values = {
        "vendor_project": "Acme",
        "product": "Widget Server",
        "due_date": datetime.date(2026, 1, 1),
        **values,
    }
    return create(m.KnownVulnerability, cve_id=cve, **values)
