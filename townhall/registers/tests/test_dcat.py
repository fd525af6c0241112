"""The DCAT-US catalog on its own, without Django: what we build passes the rules the
published schemas state, and broken catalogs are caught, each problem named."""

import copy

import pytest

from townhall.registers import dcat


def row(**over):
    base = {
        "identifier": "county-permits",
        "title": "Building permits",
        "description": "Every permit issued.",
        "keywords": ["permits", "building"],
        "themes": ["Housing"],
        "modified": "2026-03-01",
        "publisher": "Building Inspections",
        "contact_name": "Ann Lee",
        "contact_email": "ann@example.gov",
        "access_level": "public",
        "rights": "",
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "spatial": "Example County",
        "temporal": "2015-01-01/2026-12-31",
        "issued": "2015-02-01",
        "accrual_periodicity": "R/P1D",
        "landing_page": "https://data.example.gov/permits",
        "distributions": [
            {
                "title": "CSV",
                "description": "",
                "download_url": "https://data.example.gov/permits.csv",
                "access_url": "",
                "media_type": "text/csv",
                "format": "CSV",
            }
        ],
    }
    base.update(over)
    return base


def test_the_pod_catalog_has_the_required_layout_and_no_problems():
    rows = [row(), row(identifier="calls", access_level="restricted public", rights="Ask 911.")]
    catalog = dcat.pod_catalog(rows)
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert catalog["@type"] == "dcat:Catalog"
    first = catalog["dataset"][0]
    assert first["contactPoint"] == {
        "@type": "vcard:Contact",
        "fn": "Ann Lee",
        "hasEmail": "mailto:ann@example.gov",
    }
    assert first["publisher"]["name"] == "Building Inspections"
    assert first["distribution"][0]["downloadURL"].endswith(".csv")
    assert "rights" not in first  # left out when empty
    assert dcat.problems(catalog) == []


def test_the_dcat_us3_document_has_no_problems():
    doc = dcat.dcat_us3_catalog([row()], "https://example.gov/data.jsonld", "Catalog")
    assert doc["@type"] == "Catalog"
    ds = doc["dataset"][0]
    assert ds["@type"] == "Dataset"
    assert ds["accrualPeriodicity"] == {"@id": "http://purl.org/cld/freq/daily"}
    assert ds["temporal"]["startDate"] == "2015-01-01"
    assert ds["distribution"][0]["downloadURL"] == {"@id": "https://data.example.gov/permits.csv"}
    assert dcat.dcat_us3_problems(doc) == []


def _broken(change):
    catalog = dcat.pod_catalog([row()])
    change(catalog["dataset"][0])
    return dcat.problems(catalog)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("title"), "Dataset 0: title is required"),
        (lambda d: d.update(keyword=[]), "Dataset 0: keyword must be a list"),
        (lambda d: d.update(modified="last Tuesday"), "Dataset 0: modified must be"),
        (lambda d: d.update(modified="2026-02-31"), "Dataset 0: modified must be"),
        (lambda d: d.update(accessLevel="open"), "Dataset 0: accessLevel must be one of"),
        (
            lambda d: d["contactPoint"].update(hasEmail="ann@example.gov"),
            "hasEmail must be a mailto: address",
        ),
        (lambda d: d.pop("publisher"), "Dataset 0: publisher is required"),
        (lambda d: d.update(landingPage="data.example.gov"), "landingPage must be an address"),
        (lambda d: d.update(accrualPeriodicity="daily"), "accrualPeriodicity must be"),
        (lambda d: d.update(temporal="2015"), "temporal must be an ISO 8601 interval"),
        (
            lambda d: d["distribution"][0].update(mediaType="csv"),
            "Dataset 0 distribution 0: mediaType must be a media type",
        ),
        (
            lambda d: d["distribution"][0].pop("mediaType"),
            "mediaType is required with a downloadURL",
        ),
        (
            lambda d: d["distribution"][0].update(downloadURL="data.example.gov/x.csv"),
            "downloadURL must be an address",
        ),
    ],
)
def test_broken_catalogs_are_caught(change, expected):
    found = _broken(change)
    assert any(expected in p for p in found), found


def test_the_catalog_itself_is_checked():
    assert dcat.problems([]) == ["The catalog must be a JSON object."]
    assert "Catalog: dataset is required (a list)." in dcat.problems(
        {"conformsTo": dcat.POD_SCHEMA}
    )
    catalog = dcat.pod_catalog([row(), row()])
    assert "Dataset 1: identifier county-permits is used twice." in dcat.problems(catalog)
    catalog["conformsTo"] = "https://example.org"
    assert any("conformsTo" in p for p in dcat.problems(catalog))


def test_iso_8601_modified_values():
    for good in ("2026", "2026-03", "2026-03-01", "2026-03-01T09:30:00Z", "P1D", "R/P1Y"):
        assert dcat.is_modified(good), good
    for bad in ("", "03/01/2026", "2026-13-01", "yesterday"):
        assert not dcat.is_modified(bad), bad


def test_reading_a_catalog_back_gives_the_rows():
    original = [row(), row(identifier="x", landing_page="", access_level="public")]
    rows, found = dcat.read_pod(dcat.pod_catalog(original))
    assert found == []
    assert rows[0]["contact_email"] == "ann@example.gov"
    assert rows[0]["keywords"] == ["permits", "building"]
    assert rows[0]["distributions"][0]["media_type"] == "text/csv"
    assert dcat.pod_catalog(rows)["dataset"][0] == dcat.pod_catalog(original)["dataset"][0]


def test_reading_a_broken_catalog_gives_its_problems_only():
    catalog = dcat.pod_catalog([row()])
    broken = copy.deepcopy(catalog)
    broken["dataset"][0]["accessLevel"] = "secret"
    rows, found = dcat.read_pod(broken)
    assert rows == []
    assert found and found[0].startswith("Dataset 0: accessLevel")


def test_the_catalog_module_knows_nothing_of_django():
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(dcat.__file__).read_text())
    names = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [n for n in names if n.startswith(("django", "townhall"))]
