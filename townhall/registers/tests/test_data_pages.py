"""The data catalog's pages: data.json and data.jsonld list only what the public may know
of and pass the schemas' rules; importing a data.json is all or nothing, with errors that
name the dataset and the field."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.registers import dcat
from townhall.registers import models as m
from townhall.registers.tests.test_data_records import dataset


def distribution(ds, n=1):
    with context.acting("test"):
        return services.create(
            context.SYSTEM,
            m.Distribution,
            {
                "dataset": ds,
                "title": f"CSV {n}",
                "download_url": f"https://data.example.gov/{ds.pk}-{n}.csv",
                "media_type": "text/csv",
                "format": "CSV",
            },
        )


@pytest.fixture
def inventory(departments):
    permits = dataset(departments, 1, title="Building permits")
    distribution(permits)
    dataset(
        departments,
        2,
        title="Call volumes",
        access_level="restricted public",
        rights="Ask 911.",
        landing_page="",
    )
    dataset(
        departments,
        3,
        title="Payroll",
        classification="confidential",
        access_level="non-public",
        rights="Staff pay.",
    )
    # Restricted public, but classified internal: stays out of the catalog.
    dataset(
        departments,
        4,
        title="Draft plans",
        classification="internal",
        access_level="restricted public",
        rights="Drafts.",
    )
    return permits


@pytest.mark.django_db
def test_data_json_lists_the_public_catalog_and_passes_the_rules(client_for, inventory):
    response = client_for("viewer").get(reverse("registers:data_json"))
    assert response.status_code == 200
    catalog = response.json()
    assert dcat.problems(catalog) == []
    titles = [d["title"] for d in catalog["dataset"]]
    assert titles == ["Building permits", "Call volumes"]
    assert catalog["dataset"][0]["distribution"][0]["mediaType"] == "text/csv"
    assert catalog["dataset"][0]["publisher"]["name"] == "Public Works"
    assert catalog["dataset"][1]["rights"] == "Ask 911."


@pytest.mark.django_db
def test_data_jsonld_is_dcat_us3_and_passes_the_rules(client_for, inventory):
    response = client_for("staff").get(reverse("registers:data_jsonld"))
    assert response["Content-Type"].startswith("application/ld+json")
    doc = json.loads(response.content)
    assert doc["@type"] == "Catalog"
    assert dcat.dcat_us3_problems(doc) == []
    assert len(doc["dataset"]) == 2


@pytest.mark.django_db
def test_the_catalog_is_for_signed_in_people_only(client, inventory):
    for name in ("data_json", "data_jsonld", "data_catalog"):
        response = client.get(reverse(f"registers:{name}"))
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_the_catalog_page_shows_the_check(client_for, inventory):
    response = client_for("board").get(reverse("registers:data_catalog"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "2 datasets in the catalog; 2 others" in text
    assert "No problems found" in text
    assert 'href="/registers/data/import/"' not in text  # the board does not import
    staff = client_for("staff").get(reverse("registers:data_catalog")).content.decode()
    assert 'href="/registers/data/import/"' in staff


@pytest.mark.django_db
def test_catalog_queries_do_not_grow_with_datasets(client_for, departments):
    client = client_for("staff")
    client.get(reverse("registers:data_json"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("registers:data_json")).status_code == 200
        return len(ctx.captured_queries)

    ds = dataset(departments, 1)
    distribution(ds)
    few = queries()
    for n in range(2, 8):
        distribution(dataset(departments, n), n)
    assert queries() == few


def upload(client, catalog, **extra):
    raw = catalog if isinstance(catalog, bytes) else json.dumps(catalog).encode()
    document = io.BytesIO(raw)
    document.name = "data.json"
    return client.post(reverse("registers:data_import"), {"document": document, **extra})


def pod(*rows):
    from townhall.registers.tests.test_dcat import row

    return dcat.pod_catalog([row(**r) for r in rows])


@pytest.mark.django_db
def test_import_creates_and_updates_by_identifier(client_for, departments, inventory):
    client = client_for("staff")
    catalog = pod(
        {"identifier": "dataset-1", "title": "Permits (renamed)", "publisher": "Public Works"},
        {"identifier": "new-one", "title": "Parks", "publisher": "Somewhere else"},
    )
    response = upload(client, catalog, department=departments["FIN"].pk)
    assert response.status_code == 302
    inventory.refresh_from_db()
    assert inventory.title == "Permits (renamed)"
    assert inventory.classification == "public"
    assert [d.download_url for d in inventory.distributions.all()] == [
        "https://data.example.gov/permits.csv"
    ]
    parks = m.Dataset.objects.get(identifier="new-one")
    assert parks.owner_department == departments["FIN"]
    assert parks.contact_email == "ann@example.gov"
    assert parks.accrual_periodicity == "R/P1D"
    assert str(parks.data_modified_on) == "2026-03-01"


@pytest.mark.django_db
def test_a_refused_dataset_imports_nothing(client_for, departments, inventory):
    client = client_for("staff")
    before = m.Dataset.objects.count(), m.Distribution.objects.count()
    catalog = pod(
        {"identifier": "fine", "publisher": "Public Works"},
        {"identifier": "dataset-1", "title": "Changed", "publisher": "Public Works"},
        {
            "identifier": "dataset-3",  # confidential in the inventory
            "publisher": "Public Works",
        },
    )
    response = upload(client, catalog)
    assert response.status_code == 400
    assert "Dataset 2: accessLevel: A confidential dataset cannot be public." in (
        response.content.decode()
    )
    assert (m.Dataset.objects.count(), m.Distribution.objects.count()) == before
    inventory.refresh_from_db()
    assert inventory.title == "Building permits"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{not json", "The file is not JSON"),
        (b"[]", "The catalog must be a JSON object."),
        (
            json.dumps({"conformsTo": dcat.POD_SCHEMA, "dataset": [{}]}).encode(),
            "Dataset 0: title is required",
        ),
        (b"\xff\xfe", "The file is not JSON"),
    ],
)
def test_bad_files_are_refused_clearly(client_for, departments, payload, message):
    response = upload(client_for("staff"), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not m.Dataset.objects.exists()


@pytest.mark.django_db
def test_unknown_publisher_without_a_department_is_named(client_for, departments):
    response = upload(client_for("staff"), pod({"publisher": "Nowhere"}))
    assert response.status_code == 400
    assert "Dataset 0: publisher: no department is named" in response.content.decode()


@pytest.mark.django_db
def test_too_large_a_file_is_refused(client_for, departments, monkeypatch):
    from townhall.registers import catalog_import

    monkeypatch.setattr(catalog_import, "MAX_BYTES", 10)
    response = upload(client_for("staff"), pod({}))
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


@pytest.mark.django_db
def test_only_it_staff_import(client_for, departments):
    for role in ("liaison", "board", "viewer"):
        assert client_for(role).get(reverse("registers:data_import")).status_code == 403
    response = client_for("staff").get(reverse("registers:data_import"))
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.django_db
def test_the_demo_inventory_exports_without_problems(client_for):
    from townhall.org import demo as org_demo
    from townhall.registers import demo

    org_demo.load("small", 1)

    assert demo.load_datasets("small", 1) > 0
    catalog = client_for("staff").get(reverse("registers:data_json")).json()
    assert dcat.problems(catalog) == []
    identifiers = {d["identifier"] for d in catalog["dataset"]}
    assert "county-payroll" not in identifiers
    assert "county-911-calls" not in identifiers
