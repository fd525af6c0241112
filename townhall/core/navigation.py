"""The main navigation: one section per module, listing its records; modules add themselves."""

from typing import Any

from django.urls import reverse
from django.utils.text import capfirst

from townhall.core import registry

# Module sections in the order they appear; an app's records join the section of its label.
SECTIONS = [
    ("estate", "Estate"),
    ("governance", "Governance"),
    ("cyber", "Cyber"),
    ("continuity", "Continuity"),
    ("org", "Organization"),
]


EDITORS = ("admin", "staff")
# Pages of a module beyond its record lists, first in its section: (label, URL name), or
# (label, URL name, roles) for pages only some roles may use.
EXTRA_PAGES = {
    "estate": [("Estate dashboard", "estate:dashboard"), ("Your calendar feed", "estate:calendar")],
    "governance": [
        ("Governance overview", "governance:home"),
        ("Governance health", "governance:dashboard"),
        ("Our requests", "governance:my_requests"),
        ("Proposals to score", "governance:my_scoring"),
    ],
    "cyber": [
        ("Cyber health", "cyber:dashboard"),
        ("Start an assessment", "cyber:assessment_start", EDITORS),
        ("Risk register", "cyber:risk_register"),
        ("Exposure", "cyber:exposure"),
        ("Plan of action", "cyber:plan"),
        ("Boots on the ground", "cyber:coverage_matrix"),
        ("Insurance readiness", "cyber:insurance"),
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


def sections(user: Any) -> list[dict[str, Any]]:
    result = []
    for label, title in SECTIONS:
        role = getattr(user, "role", None)
        links = [
            {"label": page[0], "url": reverse(page[1])}
            for page in EXTRA_PAGES.get(label, [])
            if len(page) == 2 or role in page[2]
        ]
        links += [
            {
                "label": capfirst(r.nav_label or r.verbose_name_plural),
                "url": reverse(r.url_name("list")),
            }
            for r in registry.all_resources()
            if r.app_label == label and r.in_nav and not getattr(r.model, "admin_only", False)
        ]
        if links:
            result.append({"title": title, "links": links})
    tools = [
        {"label": "Import a spreadsheet", "url": reverse("imports:home")},
        {"label": "Audit log", "url": reverse("audit:list")},
        {"label": "Background jobs", "url": reverse("jobs:list")},
    ]
    if getattr(user, "role", None) == "admin":
        tools.insert(0, {"label": "Users", "url": reverse("accounts:user_list")})
    tools.append({"label": "API", "url": reverse("api-docs")})
    result.append({"title": "Records & tools", "links": tools})
    return result
