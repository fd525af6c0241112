"""Cyber records on the platform's generic pages and API; the module's own pages live in
the `pages/` package beside this one."""

from townhall.core.registry import declare
from townhall.cyber import models as m
from townhall.cyber.pages import assessment as assessment_pages
from townhall.cyber.pages import framework as framework_pages
from townhall.cyber.pages import incident as incident_pages
from townhall.cyber.pages import risk as risk_pages

ASSESSMENTS = declare(
    m.Assessment,
    ["name"],
    related=["actions"],
    detail_template="cyber/assessment_detail.html",
    detail_context=assessment_pages.detail_context,
    page_links=[
        ("Compare with last time", "cyber:assessment_compare"),
        ("First-assessment guide", "cyber:assessment_guide"),
    ],
)
SCORES = declare(m.Score, ["requirement__identifier", "requirement__title"], in_nav=False)
FRAMEWORKS = declare(
    m.Framework,
    ["name", "key"],
    related=["assessments"],
    detail_template="cyber/framework_detail.html",
    detail_context=framework_pages.framework_context,
    page_links=[("Browse requirements", "cyber:framework_requirements")],
)
REQUIREMENTS = declare(
    m.Requirement,
    ["identifier", "title"],
    related=[
        "children",
        ("mapped_to", "Counts toward"),
        ("mapped_from", "Counted from"),
        "evidence",
    ],
)
MAPPINGS = declare(m.RequirementMapping, ["source__identifier", "target__identifier"], in_nav=False)
EVIDENCE = declare(m.Evidence, ["title"])
RISKS = declare(
    m.Risk,
    ["title", "description"],
    bulk_fields=["status", "owner", "due_date", "owner_department"],
    related=["incidents", "actions"],
    detail_template="cyber/risk_detail.html",
    detail_context=risk_pages.risk_context,
    detail_skip=risk_pages.RISK_DETAIL_SKIP,
)
INCIDENTS = declare(
    m.Incident,
    ["title", "summary"],
    detail_template="cyber/incident_detail.html",
    detail_context=incident_pages.incident_context,
    detail_skip=incident_pages.INCIDENT_DETAIL_SKIP,
)
COURSES = declare(m.Course, ["name", "code"], related=["completions"])
COMPLETIONS = declare(m.TrainingCompletion, ["person__name", "course__name"])
# Exposure's records are reached from its pages (cyber/pages/exposure.py), not the menu.
EXPOSURES = declare(
    m.Exposure,
    ["matched_on", "vulnerability__cve_id", "system__name", "component__name"],
    bulk_fields=["status"],
    related=["actions"],
    in_nav=False,
)
VULNERABILITIES = declare(
    m.KnownVulnerability,
    ["cve_id", "vendor_project", "product", "name"],
    related=["exposures"],
    in_nav=False,
)
CVE_RECORDS = declare(m.CveRecord, ["cve_id"], in_nav=False)
RELEASES = declare(
    m.ProductRelease, ["product", "label", "cycle"], related=["exposures"], in_nav=False
)
ALIASES = declare(
    m.ProductAlias, ["estate_name", "feed_vendor", "feed_product", "eol_product"], in_nav=False
)
FEEDS = declare(m.FeedImport, ["feed_version", "file_name"], in_nav=False)
ACTIONS = declare(
    m.Action,
    ["title", "milestones"],
    bulk_fields=["status", "owner", "due_date"],
    in_nav=False,  # the plan of action page (cyber:plan) lists them in the menu
)
COVERAGE = declare(m.Coverage, ["function", "provider"], in_nav=False)
INSURANCE = declare(m.InsuranceAnswer, ["question"])
