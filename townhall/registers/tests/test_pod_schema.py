"""Our data.json against the official Project Open Data 1.1 JSON Schema (non-federal), not
only against the rules `dcat.problems` writes out: the demo catalog and awkward datasets
pass it, a file it accepts imports, and our own checks agree with it case by case.

The schema files ship in the `ckanext-datajson` package (a test-only dependency), read
from disk: the package itself needs CKAN and is never imported."""

import copy
import functools
import importlib.util
import json
import pathlib

import jsonschema
import pytest
import referencing
from django.urls import reverse
from referencing.jsonschema import DRAFT4

from townhall.core import context, services
from townhall.registers import catalog_import, dcat
from townhall.registers import models as m
from townhall.registers.tests.test_data_pages import distribution
from townhall.registers.tests.test_data_records import dataset
from townhall.registers.tests.test_dcat import row


def _schema(name: str) -> dict:
    spec = importlib.util.find_spec("ckanext")
    assert spec is not None and spec.submodule_search_locations, "ckanext-datajson is missing"
    for base in spec.submodule_search_locations:
        path = pathlib.Path(base, "datajson", "pod_schema", "non-federal-v1.1", name)
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    raise AssertionError(f"No {name} in the installed ckanext-datajson")


@functools.cache
def _validator() -> jsonschema.Draft4Validator:
    dataset_schema = _schema("dataset-non-federal.json")
    registry = referencing.Registry().with_resource(
        dataset_schema["id"].rstrip("#"), DRAFT4.create_resource(dataset_schema)
    )
    return jsonschema.Draft4Validator(
        _schema("catalog.json"),
        registry=registry,
        format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
    )


def schema_errors(catalog) -> list[str]:
    """Where and why the official schema refuses `catalog` ([] when it accepts it)."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator().iter_errors(catalog)
    ]


def test_our_patterns_are_the_schemas_and_uris_are_checked():
    props = _schema("dataset-non-federal.json")["properties"]
    assert dcat.ISSUED_PATTERN == props["issued"]["anyOf"][0]["pattern"]
    assert dcat.MODIFIED_PATTERNS == tuple(a["pattern"] for a in props["modified"]["anyOf"])
    assert dcat.TEMPORAL_PATTERNS == tuple(a["pattern"] for a in props["temporal"]["anyOf"][:3])
    assert dcat.FREQUENCY_PATTERN == props["accrualPeriodicity"]["anyOf"][1]["pattern"]
    # The format checker checks "uri" (a checker package is installed), else it would pass all.
    assert not jsonschema.Draft4Validator.FORMAT_CHECKER.conforms("not a uri", "uri")


@pytest.mark.django_db
def test_the_served_data_json_passes_the_official_schema(client_for, departments):
    from townhall.org import demo as org_demo
    from townhall.registers import demo

    org_demo.load("small", 1)
    assert demo.load_datasets("small", 1) > 0
    # Awkward datasets beside the demo's: no distributions, a department-less one with
    # neither contact nor steward, restricted access with rights, time and place, other
    # scripts (in words and in addresses), repeated themes and a blank keyword.
    dataset(
        departments,
        90,
        title="Données des parcs — Ñandú",
        description="Über die Parks: 公園のデータ.",
        keywords="parcs, , éte",
        themes="Loisirs, Loisirs, Santé",
        landing_page="https://data.example.gov/parcs/données?année=2026",
        license="https://creativecommons.org/licenses/by/4.0/",
        spatial="Comté de Juniper",
        temporal="2015-01-01/2026-12-31",
        issued="2015-02-01",
        accrual_periodicity="R/P1M",
        contact_name="Zoë Ñúñez",
    )
    dataset(
        departments,
        91,
        title="911 calls",
        access_level="restricted public",
        rights="R" * 255,
        landing_page="",
        temporal="2020-01-01/P1Y",
        owner_department=None,
    )
    distribution(dataset(departments, 92, temporal="R/P1Y/2026-01-01"))
    with context.acting("test"):
        ds = m.Dataset.objects.get(identifier="dataset-92")
        services.create(
            context.SYSTEM,
            m.Distribution,
            {"dataset": ds, "access_url": "https://data.example.gov/api/ñ", "format": "API"},
        )
    catalog = client_for("staff").get(reverse("registers:data_json")).json()
    assert schema_errors(catalog) == []
    assert dcat.problems(catalog) == []
    by_id = {d["identifier"]: d for d in catalog["dataset"]}
    parks = by_id["dataset-90"]
    assert parks["theme"] == ["Loisirs", "Santé"]
    assert parks["keyword"] == ["parcs", "éte"]
    assert parks["landingPage"] == "https://data.example.gov/parcs/donn%C3%A9es?ann%C3%A9e=2026"
    assert parks["contactPoint"]["fn"] == "Zoë Ñúñez"
    assert "distribution" not in parks
    calls = by_id["dataset-91"]
    assert calls["publisher"]["name"] == calls["contactPoint"]["fn"] != ""
    assert len(calls["rights"]) == 255
    assert by_id["dataset-92"]["distribution"][1]["accessURL"].endswith("/api/%C3%B1")


@pytest.mark.django_db
def test_a_data_json_the_schema_accepts_imports(users, departments):
    """Written as another publisher might: no @type, keyword or modified; nulls for
    optional fields; a repeating temporal; an access-only distribution."""
    catalog = {
        "conformsTo": dcat.POD_SCHEMA,
        "dataset": [
            {
                "title": "Árboles de la ciudad",
                "description": "Cada árbol.",
                "keyword": ["árboles"],
                "publisher": {"name": "Public Works", "subOrganizationOf": {"name": "County"}},
                "contactPoint": {"fn": "Zoë", "hasEmail": "mailto:zoe@example.gov"},
                "identifier": "trees",
                "accessLevel": "public",
                "landingPage": "https://data.example.gov/trees",
                "rights": None,
                "license": None,
                "temporal": "R/2015-01-01/P1Y",
                "distribution": [
                    {"accessURL": "https://data.example.gov/api/trees", "mediaType": None}
                ],
            },
            {
                "title": "Call volumes",
                "description": "Calls by hour.",
                "keyword": ["911"],
                "modified": "R/P1D",
                "publisher": {"name": "Public Works"},
                "contactPoint": {"fn": "Dispatch", "hasEmail": "mailto:911@example.gov"},
                "identifier": "calls",
                "accessLevel": "restricted public",
                "rights": "Ask dispatch.",
                "distribution": None,
            },
        ],
    }
    assert schema_errors(catalog) == []
    result = catalog_import.import_catalog(users["staff"], catalog, None)
    assert (result.created, result.distributions) == (2, 1)
    trees = m.Dataset.objects.get(identifier="trees")
    assert (trees.temporal, trees.rights, trees.license) == ("R/2015-01-01/P1Y", "", "")
    assert trees.distributions.get().access_url == "https://data.example.gov/api/trees"


def _catalog():
    return dcat.pod_catalog([row()])


def _set(path, value):
    def change(catalog):
        *parents, last = path
        target = catalog
        for key in parents:
            target = target[key]
        if value is _DROP:
            del target[last]
        else:
            target[last] = value

    return change


_DROP = object()
_DS = ("dataset", 0)
_DIST = (*_DS, "distribution", 0)


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        # What the schema accepts and the old hand-written rules refused.
        (_set((*_DS, "keyword"), _DROP), True),
        (_set((*_DS, "modified"), _DROP), True),
        (_set((*_DS, "contactPoint", "hasEmail"), _DROP), True),
        (_set((*_DS, "accessLevel"), "non-public"), True),  # rights are not the schema's
        (_set((*_DS, "license"), None), True),
        (_set((*_DS, "distribution"), None), True),
        (_set((*_DIST, "title"), None), True),
        (_set((*_DS, "license"), "urn:x-license:open"), True),
        (_set((*_DS, "systemOfRecords"), "SORN 12-34"), True),
        (_set((*_DS, "modified"), "2026-03-01T09:30:00-05:00"), True),
        (_set((*_DS, "modified"), "R/2026-03-01/P1D"), True),
        # What the schema refuses and the old rules let through.
        (_set((*_DS, "modified"), "2015-01-01/2016-01-01"), False),
        (_set((*_DS, "issued"), "P1D"), False),
        (_set((*_DS, "accrualPeriodicity"), "R2/P1D"), False),
        (_set((*_DS, "temporal"), "R/2015-01-01/2016-01-01"), False),
        (_set((*_DS, "theme"), ["Housing", "Housing"]), False),
        (_set((*_DS, "landingPage"), "https://data.example.gov/données"), False),
        (_set((*_DS, "publisher", "@type"), "org:Agency"), False),
        (_set((*_DS, "@type"), "dcat:Catalog"), False),
        (_set((*_DIST, "format"), ""), False),
        (_set((*_DS, "modified"), "2026-03-01T25:00"), False),
        # What both refuse.
        (_set((*_DS, "title"), _DROP), False),
        (_set((*_DS, "keyword"), []), False),
        (_set((*_DS, "accessLevel"), "open"), False),
        (_set((*_DS, "rights"), "R" * 256), False),
        (_set((*_DS, "contactPoint", "hasEmail"), "ann@example.gov"), False),
        (_set((*_DIST, "mediaType"), _DROP), False),
        (_set((*_DIST, "downloadURL"), "data.example.gov/x.csv"), False),
        (_set(("conformsTo",), "https://example.org"), False),
        (_set(("@context",), _DROP), False),
    ],
)
def test_our_checks_agree_with_the_schema(change, valid):
    catalog = copy.deepcopy(_catalog())
    change(catalog)
    assert (schema_errors(catalog) == [], dcat.problems(catalog) == []) == (valid, valid), (
        schema_errors(catalog),
        dcat.problems(catalog),
    )
