"""Technology skills worked out from the estate: the pure derivation and the verb."""

import pytest

from townhall.core import context, services
from townhall.estate.models import Component, System
from townhall.people import services as people_services
from townhall.people import technology
from townhall.people.models import Skill
from townhall.people.technology import Item


def test_one_skill_per_product_whatever_its_spelling():
    found = technology.derive(
        [
            Item("system", 1, "Esri ArcGIS", "Esri"),
            Item("system", 2, "esri  arcgis 10.9", "Esri"),
            Item("system", 3, "", "Tyler Technologies"),
            Item("component", 7, "Windows Server 2019", "Dell"),
            Item("component", 8, "", "Cisco"),
            Item("component", 9, "", ""),
            Item("system", 1, "Esri ArcGIS", ""),
        ]
    )
    by_code = {t.code: t for t in found}
    assert set(by_code) == {
        "TECH-ESRI-ARCGIS",
        "TECH-TYLER-TECHNOLOGIES",
        "TECH-WINDOWS-SERVER",
        "TECH-CISCO",
    }
    gis = by_code["TECH-ESRI-ARCGIS"]
    assert (gis.name, gis.systems, gis.components) == ("Esri ArcGIS", [1, 2], [])
    assert by_code["TECH-WINDOWS-SERVER"].components == [7]


def test_codes_fit_the_column():
    assert len(technology.key("x" * 500)) == technology.MAX_CODE
    assert technology.key("  ") == ""


@pytest.mark.django_db
def test_the_verb_links_skills_to_the_systems_and_components_using_them(departments):
    pw = departments["PW"]
    with context.acting("system"):
        gis = services.create(
            context.SYSTEM,
            System,
            {"name": "GIS", "product": "ArcGIS Enterprise", "owner_department": pw},
        )
        maps = services.create(
            context.SYSTEM, System, {"name": "Maps", "product": "ArcGIS Enterprise 11.1"}
        )
        db = services.create(
            context.SYSTEM,
            Component,
            {"name": "db1", "kind": "database", "os_firmware": "PostgreSQL"},
        )
        services.create(
            context.SYSTEM,
            Component,
            {"name": "old", "kind": "server", "os_firmware": "Novell", "status": "retired"},
        )
        loaded = people_services.derive_technology(context.SYSTEM)
    assert (loaded.added, loaded.changed) == (2, 0)
    arcgis = Skill.objects.get(code="TECH-ARCGIS-ENTERPRISE")
    assert arcgis.kind == "technology"
    assert set(arcgis.systems.all()) == {gis, maps}
    assert list(Skill.objects.get(code="TECH-POSTGRESQL").components.all()) == [db]
    with context.acting("system"):
        services.update(context.SYSTEM, maps, {"product": "QGIS"}, version=maps.version)
        again = people_services.derive_technology(context.SYSTEM)
    assert (again.added, again.changed) == (1, 1)
    assert list(arcgis.systems.all()) == [gis]


@pytest.mark.django_db
def test_a_skills_page_lists_the_first_systems_and_counts_them_all(client_for):
    from townhall.people.pages import skill as skill_page

    with context.acting("system"):
        systems = [
            services.create(context.SYSTEM, System, {"name": f"Map {n:02d}", "product": "QGIS"})
            for n in range(skill_page.SHOWN + 2)
        ]
        people_services.derive_technology(context.SYSTEM)
    qgis = Skill.objects.get(code="TECH-QGIS")
    html = client_for("viewer").get(qgis.get_absolute_url()).content.decode()
    assert f"Systems that need it ({len(systems)})" in html
    assert "Map 00" in html and f"Map {len(systems) - 1}" not in html
    assert "Components that need it (0)" in html
