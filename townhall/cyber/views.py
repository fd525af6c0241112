"""Cyber records on the platform's generic pages and API; the module's own pages live in
the `*_views.py` files beside this one."""

from typing import Any

from townhall.core.registry import Resource, register
from townhall.cyber import filters, forms, tables
from townhall.cyber import models as m


def _resource(model: type, search: list[str], **extra: Any) -> Resource:
    name = model.__name__
    return register(
        Resource(
            model=model,
            form=getattr(forms, f"{name}Form"),
            table=getattr(tables, f"{name}Table"),
            filterset=getattr(filters, f"{name}FilterSet"),
            search_fields=search,
            **extra,
        )
    )


ASSESSMENTS = _resource(m.Assessment, ["name"], related=[("scores", "Scores"), "actions"])
SCORES = _resource(m.Score, ["requirement__identifier", "requirement__title"])
FRAMEWORKS = _resource(m.Framework, ["name", "key"], related=["assessments"])
REQUIREMENTS = _resource(
    m.Requirement,
    ["identifier", "title"],
    related=[
        "children",
        ("mapped_to", "Counts toward"),
        ("mapped_from", "Counted from"),
        "evidence",
    ],
)
MAPPINGS = _resource(m.RequirementMapping, ["source__identifier", "target__identifier"])
EVIDENCE = _resource(m.Evidence, ["title"])
RISKS = _resource(
    m.Risk,
    ["title", "description"],
    bulk_fields=["status", "owner", "due_date", "owner_department"],
    related=["incidents", "actions"],
)
INCIDENTS = _resource(m.Incident, ["title", "summary"])
COURSES = _resource(m.Course, ["name", "code"], related=["completions"])
COMPLETIONS = _resource(m.TrainingCompletion, ["person__name", "course__name"])
EXPOSURES = _resource(
    m.Exposure,
    ["matched_on", "vulnerability__cve_id", "system__name", "component__name"],
    bulk_fields=["status"],
    related=["actions"],
)
VULNERABILITIES = _resource(
    m.KnownVulnerability, ["cve_id", "vendor_project", "product", "name"], related=["exposures"]
)
RELEASES = _resource(m.ProductRelease, ["product", "cycle"], related=["exposures"])
ALIASES = _resource(m.ProductAlias, ["estate_name", "feed_vendor", "feed_product", "eol_product"])
FEEDS = _resource(m.FeedImport, ["feed_version", "file_name"])
ACTIONS = _resource(
    m.Action,
    ["title", "milestones"],
    bulk_fields=["status", "owner", "due_date"],
    nav_label="Plan of action",
)
COVERAGE = _resource(m.Coverage, ["function", "provider"])
INSURANCE = _resource(m.InsuranceAnswer, ["question"])
