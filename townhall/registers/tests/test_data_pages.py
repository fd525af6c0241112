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
from townhall.jobs.models import Job
from townhall.registers import dcat, tasks
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
    # Each entry links to its dataset, its access level in words ("restricted public" was
    # the catalog's code).
    assert f'<a href="/registers/datasets/{inventory.pk}/">Building permits</a>' in text
    assert "<td>Restricted public</td>" in text
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


def the_job():
    """The one import job (the tests' job backend runs it as soon as it is asked for)."""
    from townhall.jobs.models import Job

    return Job.objects.get(kind=tasks.DATA_IMPORT_JOB)


@pytest.fixture
def queued(settings):
    """Jobs wait in the queue, as they do for a web request on a real install."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.mark.django_db
def test_the_page_keeps_the_file_and_asks_for_a_job(client_for, departments, queued):
    catalog = pod({"identifier": "parks", "title": "Parks", "publisher": "Public Works"})
    response = upload(client_for("staff"), catalog, department=departments["FIN"].pk)
    job = the_job()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.status == "queued"
    assert job.params["department"] == departments["FIN"].pk
    assert job.params["input_name"] == "data.json"
    with job.input_file.open("rb") as kept:
        assert json.loads(kept.read()) == catalog
    assert not m.Dataset.objects.exists()  # nothing written in the request


@pytest.mark.django_db
def test_the_requests_work_does_not_grow_with_the_catalog(client_for, departments, queued):
    from townhall.registers.tests.test_dcat import row

    client = client_for("staff")

    def queries(n: int) -> int:
        rows = [row(identifier=f"d-{i}", publisher="Public Works") for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            assert upload(client, dcat.pod_catalog(rows)).status_code == 302
        return len(ctx.captured_queries)

    assert queries(1) == queries(60)
    assert not m.Dataset.objects.exists()


@pytest.mark.django_db
def test_the_job_creates_and_updates_by_identifier(client_for, departments, inventory):
    client = client_for("staff")
    catalog = pod(
        {"identifier": "dataset-1", "title": "Permits (renamed)", "publisher": "Public Works"},
        {"identifier": "new-one", "title": "Parks", "publisher": "Somewhere else"},
    )
    response = upload(client, catalog, department=departments["FIN"].pk)
    assert response.status_code == 302
    job = the_job()
    assert job.status == "done", job.message
    assert job.message == "Imported the catalog: 1 dataset added, 1 updated, 2 distributions."
    assert (job.done, job.total) == (4, 4)
    assert job.result_url == reverse("registers:dataset_list")
    assert not job.input_file  # the kept file goes once the job has ended
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
    page = client.get(job.get_absolute_url()).content.decode()
    assert "1 dataset added, 1 updated, 2 distributions" in page
    assert "See the data inventory" in page
    listed = client.get(reverse("registers:data_import")).content.decode()
    assert "Import of the data catalog data.json" in listed
    assert "1 dataset added" in listed


@pytest.mark.django_db
def test_the_import_reports_progress_in_chunks(users, monkeypatch):
    from townhall.registers import catalog_import
    from townhall.registers.tests.test_dcat import row

    monkeypatch.setattr(catalog_import, "CHUNK", 2)
    rows = catalog_import.checked_rows(
        dcat.pod_catalog([row(identifier=f"d-{i}", publisher="Public Works") for i in range(5)])
    )
    assert catalog_import.work(rows) == 10  # five datasets, one distribution each
    seen: list[int] = []
    with context.acting("test"):
        result = catalog_import.import_rows(
            users["staff"], rows, None, lambda done, _message: seen.append(done)
        )
    assert (result.created, result.distributions) == (5, 5)
    assert seen == [2, 4, 5, 7, 9, 10]


@pytest.mark.django_db
def test_a_refused_dataset_imports_nothing(client_for, departments, inventory, monkeypatch):
    from townhall.registers import catalog_import

    monkeypatch.setattr(catalog_import, "CHUNK", 1)  # the refused one is in a later chunk
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
    assert upload(client, catalog).status_code == 302
    job = the_job()
    assert job.status == "failed"
    assert "Dataset 2: accessLevel: A confidential dataset cannot be public." in job.message
    assert (m.Dataset.objects.count(), m.Distribution.objects.count()) == before
    inventory.refresh_from_db()
    assert inventory.title == "Building permits"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Dataset 2: accessLevel: A confidential dataset cannot be public." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"{not json", "The file is not JSON"),
        (b"\xff\xfe", "The file is not JSON"),
    ],
)
def test_files_that_are_not_json_are_refused_in_the_request(
    client_for, departments, payload, message
):
    response = upload(client_for("staff"), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not m.Dataset.objects.exists()
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"[]", "The catalog must be a JSON object."),
        (
            json.dumps({"conformsTo": dcat.POD_SCHEMA, "dataset": [{}]}).encode(),
            "Dataset 0: title is required",
        ),
    ],
)
def test_catalogs_that_break_the_rules_fail_their_job(client_for, departments, payload, message):
    assert upload(client_for("staff"), payload).status_code == 302
    job = the_job()
    assert job.status == "failed"
    assert message in job.message
    assert not m.Dataset.objects.exists()


def test_a_long_list_of_problems_is_cut_short():
    from townhall.registers import catalog_import

    text = catalog_import.summary([f"Dataset {i}: title is required" for i in range(25)])
    assert text.startswith("Dataset 0: title is required. Dataset 1:")
    assert "Dataset 19: title is required." in text
    assert "Dataset 20" not in text
    assert text.endswith("And 5 more problems.")


@pytest.mark.django_db
def test_unknown_publisher_without_a_department_is_named(client_for, departments):
    upload(client_for("staff"), pod({"publisher": "Nowhere"}))
    job = the_job()
    assert job.status == "failed"
    assert "Dataset 0: publisher: no department is named" in job.message
    assert not m.Dataset.objects.exists()


@pytest.mark.django_db
def test_too_large_a_file_is_refused(client_for, departments, monkeypatch):
    from townhall.registers import catalog_import

    monkeypatch.setattr(catalog_import, "MAX_BYTES", 10)
    response = upload(client_for("staff"), pod({}))
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_only_it_staff_import(client_for, departments):
    for role in ("liaison", "board", "viewer"):
        client = client_for(role)
        assert client.get(reverse("registers:data_import")).status_code == 403
        assert upload(client, pod({"publisher": "Public Works"})).status_code == 403
    assert not Job.objects.exists()
    assert not m.Dataset.objects.exists()
    response = client_for("staff").get(reverse("registers:data_import"))
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert client_for("manager").get(reverse("registers:data_import")).status_code == 200


@pytest.mark.django_db
def test_only_the_sender_and_administrators_see_the_result(client_for, departments):
    staff = client_for("staff")
    upload(staff, pod({"identifier": "parks", "publisher": "Public Works"}))
    job = the_job()
    assert staff.get(job.get_absolute_url()).status_code == 200
    assert client_for("admin").get(job.get_absolute_url()).status_code == 200
    other = client_for("manager")
    assert other.get(job.get_absolute_url()).status_code == 404
    listed = other.get(reverse("registers:data_import")).content.decode()
    assert "Import of the data catalog" not in listed


@pytest.mark.django_db
def test_a_department_deleted_before_the_job_runs_fails_it_plainly(client_for, departments, queued):
    from townhall.jobs import runner

    upload(client_for("staff"), pod({"publisher": "Nowhere"}), department=departments["FIN"].pk)
    job = the_job()
    with context.acting("test"):
        services.delete(context.SYSTEM, departments["FIN"])
    runner.execute(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "the department chosen on the form no longer exists" in job.message
    assert not m.Dataset.objects.exists()


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
