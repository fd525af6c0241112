"""The main navigation: one section per module, listing its records; modules add themselves
(`core.plugins.register_menu`).

The menu offers a person only what they can open: a page limited to some roles, or to
those who may see some records of a kind, is left out for everyone else, and so is a
record list that the person's role can never see a row of.
"""

from functools import lru_cache
from typing import Any

from django.apps import apps
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import capfirst

from townhall.core import permissions, plugins, registry

# The platform's own section; each module registers its own in its app config
# (`core.plugins.register_menu`), with its pages beyond its record lists: (label, URL
# name), or (label, URL name, who) for pages only some may open, where `who` is a tuple of
# roles or "app_label.Model": those who may see some of those records (the rule the page
# applies).
ORG = plugins.Section(app_label="org", title="Organization", order=1000)


def _address(name: str) -> str:
    """The menu's addresses take no arguments, so each is worked out once per URL set and
    prefix: reversing about seventy names on every page was a fifth of a list page's time."""
    return _reversed(name, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=1024)
def _reversed(name: str, urlconf: Any, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


def _opens(user: Any, page: tuple) -> bool:
    if len(page) == 2:
        return True
    who = page[2]
    if isinstance(who, str):
        return permissions.may_view_any(user, apps.get_model(who))
    return getattr(user, "role", None) in who


def sections(user: Any) -> list[dict[str, Any]]:
    result = []
    for section in sorted([*plugins.menu_sections(), ORG], key=lambda s: s.order):
        label, title = section.app_label, section.title
        links = [
            {"label": page[0], "url": _address(page[1])}
            for page in section.pages
            if _opens(user, page)
        ]
        links += [
            {
                "label": capfirst(r.nav_label or r.verbose_name_plural),
                "url": _address(r.url_name("list")),
            }
            for r in registry.all_resources()
            if r.app_label == label and r.in_nav and permissions.may_view_any(user, r.model)
        ]
        if links:
            result.append({"title": title, "links": links})
    tools = [
        {"label": "Records", "url": _address("core:records")},
        {"label": "Import a spreadsheet", "url": _address("imports:home")},
        {"label": "Audit log", "url": _address("audit:list")},
        {"label": "Background jobs", "url": _address("jobs:list")},
    ]
    if permissions.is_admin(user):
        tools.insert(0, {"label": "Users", "url": _address("accounts:user_list")})
        tools.insert(1, {"label": "Single sign-on", "url": _address("signin:mappings")})
        tools.insert(2, {"label": "Session limits", "url": _address("accounts:session_policy")})
    tools.append({"label": "API", "url": _address("api-docs")})
    result.append({"title": "Records & tools", "links": tools})
    return result
