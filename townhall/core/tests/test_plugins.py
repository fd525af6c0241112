"""What modules register with the platform (`core.plugins`) shows where it should.

The estate's record pages, the menu, the home page and the importer show what is
registered, and only that: each test registers something of its own (estate records are
the sample pages; a test may import the module it tests against)."""

import pytest

from townhall.core import context, navigation, plugins, services
from townhall.estate import models as m
from townhall.imports import kinds

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_panels(monkeypatch):
    """The registered panels, put back after the test."""
    monkeypatch.setattr(plugins, "_panels", {k: list(v) for k, v in plugins._panels.items()})


def _service() -> m.Service:
    return services.create(context.SYSTEM, m.Service, {"name": "Permits"})


def test_a_registered_panel_shows_on_the_record_page_in_order(own_panels, client_for):
    seen = []

    def shown(request, obj):
        seen.append(obj)
        return {"analysis": None, "kind": "component"}  # the continuity panel's shape

    plugins.register_panel(
        ["estate.Service"],
        plugins.Panel(
            name="first", template="continuity/_estate_panel.html", context=shown, order=1
        ),
    )
    service = _service()
    page = client_for("viewer").get(service.get_absolute_url()).content.decode()
    assert seen == [service]
    names = [p["name"] for p in plugins.panels(type("R", (), {"user": None})(), service)]
    assert names == ["first", "continuity"]  # by order: continuity's is 100
    assert page.count('id="continuity-heading"') == 2


def test_a_panel_is_left_out_for_whom_it_is_not_and_when_it_has_nothing(own_panels, client_for):
    plugins.register_panel(
        ["estate.Service"],
        plugins.Panel(
            name="continuity",  # takes the place of continuity's own
            template="continuity/_estate_panel.html",
            context=lambda request, obj: {"kind": "service"},
            visible=lambda user: user.role == "staff",
        ),
    )
    plugins.register_panel(
        ["estate.Service"],
        plugins.Panel(name="empty", template="no/such.html", context=lambda r, o: None),
    )
    service = _service()
    assert "continuity-heading" in client_for("staff").get(service.get_absolute_url()).text
    assert "continuity-heading" not in client_for("viewer").get(service.get_absolute_url()).text


def test_calendar_events_come_from_every_registered_module(monkeypatch):
    monkeypatch.setattr(plugins, "_calendar_events", [])  # without cyber's evidence

    def one(user, start, stop, base):
        return [("event", user, base)]

    plugins.register_calendar_events(one)
    plugins.register_calendar_events(one)  # once is enough
    plugins.register_calendar_events(lambda user, start, stop, base: [("another", user, base)])
    user = object()
    assert plugins.calendar_events(user, None, None, "https://x") == [
        ("event", user, "https://x"),
        ("another", user, "https://x"),
    ]


def test_import_kinds_are_the_registered_ones_in_loading_order(monkeypatch):
    assert [key for key, _ in kinds.choices()] == [
        "department",  # the platform's
        "person",  # the estate's
        "location",
        "vendor",
        "contract",
        "service",
        "system",
        "component",
        "redundancy_group",
        "dependency",
        "course",  # cyber's, after the people who complete the courses
        "training_completion",
        "impact_analysis",  # continuity's, after the estate they describe
        "recovery_capability",
        "purchase",  # shadow IT's, after the departments that made them
        "payable",
        "sign_in",
        "domain_use",
        "position",  # people's, after the estate's people who fill them
        "proficiency",
        "requisition",
        "radio_talkgroup",  # the registers', after the radio systems talkgroups live on
        "radio_partner_agency",
        "continuum_assessment",
        "lane_rating",  # after the assessments they rate
        "radio_interop_link",  # after the talkgroups and partners it links
        "ai_use_case",  # after the estate's vendors and systems
        "social_account",
        "dataset",
        "distribution",  # after the datasets they belong to
        "pilot",
        "surveillance_review",  # after the pilots it reviews
        "readiness_assessment",
    ]
    monkeypatch.setattr(plugins, "_import_kinds", dict(plugins._import_kinds))
    plugins.register_import_kind(
        plugins.ImportKind(key="document", label="Documents", model="org.Document", order=5)
    )
    assert kinds.choices()[1] == ("document", "Documents")
    from townhall.imports.forms import UploadForm

    assert ("document", "Documents") in UploadForm().fields["kind"].choices


def test_menu_sections_and_home_buttons_are_registered(monkeypatch, users, client_for):
    monkeypatch.setattr(plugins, "_sections", dict(plugins._sections))
    plugins.register_menu(
        plugins.Section("later", "A later module", order=95, pages=[("Its page", "core:home")])
    )
    titles = [s["title"] for s in navigation.sections(users["viewer"])]
    assert titles[:12] == [
        "Estate",
        "Governance",
        "Cyber",
        "Continuity",
        "Foundation",
        "Shadow IT",
        "People",
        "Registers",
        "Public site",
        "A later module",
        "Exchange",
        "Organization",
    ]
    monkeypatch.setattr(plugins, "_home_links", dict(plugins._home_links))
    plugins.register_home_link(plugins.HomeLink("Later dashboard", "audit:list", order=200))
    page = client_for("viewer").get("/").content.decode()
    assert page.index("Estate dashboard") < page.index("Later dashboard")


def test_the_demo_loads_the_platform_then_each_module_in_order():
    assert plugins.demo_loaders() == [
        "townhall.org.demo.load",
        "townhall.estate.demo.load",
        "townhall.accounts.demo.load",
        "townhall.governance.demo.load",
        "townhall.cyber.demo.load",
        "townhall.continuity.demo.load",
        "townhall.foundation.demo.load",
        "townhall.shadowit.demo.load",
        "townhall.people.demo.load",
        "townhall.registers.demo.load",
        "townhall.public.demo.load",
        "townhall.exchange.demo.load",
    ]
