"""The main navigation: one section per module, listing its records; modules add themselves.

The menu offers a person only what they can open: a page limited to some roles, or to
those who may see some records of a kind, is left out for everyone else, and so is a
record list that the person's role can never see a row of.
"""

from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.text import capfirst

from townhall.core import permissions, registry

# Module sections in the order they appear; an app's records join the section of its label.
SECTIONS = [
    ("estate", "Estate"),
    ("governance", "Governance"),
    ("cyber", "Cyber"),
    ("continuity", "Continuity"),
    ("org", "Organization"),
]


EDITORS = ("admin", "staff")
REQUESTERS = ("admin", "staff", "liaison")
# Pages of a module beyond its record lists, first in its section: (label, URL name), or
# (label, URL name, who) for pages only some may open, where `who` is a tuple of roles or
# "app_label.Model": those who may see some of those records (the rule the page applies).
EXTRA_PAGES = {
    "estate": [("Estate dashboard", "estate:dashboard"), ("Your calendar feed", "estate:calendar")],
    "governance": [
        ("Governance overview", "governance:home"),
        ("Governance health", "governance:dashboard"),
        ("Our requests", "governance:my_requests", REQUESTERS),
        ("Proposals to score", "governance:my_scoring"),
    ],
    "cyber": [
        ("Cyber health", "cyber:dashboard"),
        ("Start an assessment", "cyber:assessment_start", EDITORS),
        ("Risk register", "cyber:risk_register"),
        ("Exposure", "cyber:exposure", "cyber.Exposure"),
        ("Plan of action", "cyber:plan", "cyber.Action"),
        ("Boots on the ground", "cyber:coverage_matrix", "cyber.Coverage"),
        ("Insurance readiness", "cyber:insurance", "cyber.InsuranceAnswer"),
        ("Training coverage", "cyber:training_coverage"),
        ("Incident metrics", "cyber:incident_metrics"),
        ("Import a framework catalog", "cyber:framework_import", EDITORS),
    ],
    "continuity": [
        ("Continuity readiness", "continuity:dashboard"),
        ("Continuity analysis", "continuity:analysis"),
        ("Your department's impact analyses", "continuity:my_analyses", ("liaison",)),
        ("Recovery contacts", "continuity:contacts"),
        ("Recovery times tested", "continuity:recovery_tests"),
        ("Start a new plan version", "continuity:plan_new", EDITORS),
    ],
}


def _opens(user: Any, page: tuple) -> bool:
    if len(page) == 2:
        return True
    who = page[2]
    if isinstance(who, str):
        return permissions.may_view_any(user, apps.get_model(who))
    return getattr(user, "role", None) in who


def sections(user: Any) -> list[dict[str, Any]]:
    result = []
    for label, title in SECTIONS:
        links = [
            {"label": page[0], "url": reverse(page[1])}
            for page in EXTRA_PAGES.get(label, [])
            if _opens(user, page)
        ]
        links += [
            {
                "label": capfirst(r.nav_label or r.verbose_name_plural),
                "url": reverse(r.url_name("list")),
            }
            for r in registry.all_resources()
            if r.app_label == label and r.in_nav and permissions.may_view_any(user, r.model)
        ]
        if links:
            result.append({"title": title, "links": links})
    tools = [
        {"label": "Import a spreadsheet", "url": reverse("imports:home")},
        {"label": "Audit log", "url": reverse("audit:list")},
        {"label": "Background jobs", "url": reverse("jobs:list")},
    ]
    if permissions.is_admin(user):
        tools.insert(0, {"label": "Users", "url": reverse("accounts:user_list")})
    tools.append({"label": "API", "url": reverse("api-docs")})
    result.append({"title": "Records & tools", "links": tools})
    return result
