"""The registers on the public site: only public datasets, running pilots and reviews of
them; the public data catalog offered only with every field the schema requires published,
and never carrying a field the administrator kept inside."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.core.context import SYSTEM
from townhall.estate.models import Person
from townhall.public import kinds
from townhall.public.models import PublicStatement
from townhall.public.tests import samples
from townhall.registers import dcat
from townhall.registers.models import Dataset, Pilot, SurveillanceReview

# Optional dataset field → what of its value would show in either catalog document.
OPTIONAL = {
    "themes": "Zqthemes",
    "contact_name": "Zqname",
    "accrual_periodicity": "R/P1D",
    "landing_page": "zqlanding",
    "license": "publicdomain",
    "spatial": "Zqspatial",
    "temporal": "2026-12-31",
    "issued": "2015-02-01",
}


def _other_datasets(departments) -> None:
    """A restricted dataset, and a public one whose only e-mail is its steward's."""
    base = {
        "description": "About it",
        "keywords": "one",
        "owner_department": departments["PW"],
        "classification": "public",
        "landing_page": "https://data.example.gov/x",
    }
    with context.acting("system"):
        services.create(
            SYSTEM,
            Dataset,
            {
                **base,
                "title": "Zqrestricted calls",
                "identifier": "calls",
                "access_level": "restricted public",
                "rights": "Ask dispatch.",
                "contact_email": "calls@example.gov",
            },
        )
        steward = services.create(
            SYSTEM, Person, {"name": "Zqsteward", "email": "zqsteward@example.gov"}
        )
        services.create(
            SYSTEM,
            Dataset,
            {
                **base,
                "title": "Zqstewarded trees",
                "identifier": "trees",
                "access_level": "public",
                "steward": steward,
            },
        )


def _both(client: Client) -> tuple[int, str]:
    pod = client.get(reverse("public:data_json"))
    ld = client.get(reverse("public:data_jsonld"))
    assert pod.status_code == ld.status_code
    if pod.status_code != 200:
        return pod.status_code, ""
    assert dcat.problems(pod.json()) == []
    assert dcat.dcat_us3_problems(json.loads(ld.content)) == []
    assert ld["Content-Type"] == "application/ld+json"
    return 200, pod.content.decode() + ld.content.decode()


@pytest.mark.django_db
def test_the_public_catalog_holds_only_published_fields_of_public_datasets(departments, users):
    samples.make("dataset")
    _other_datasets(departments)
    visitor = Client()
    required = list(kinds.CATALOG_REQUIRED)

    # Not published, or published without a field the schema requires: not offered.
    assert _both(visitor) == (404, "")
    samples.publish("dataset", [n for n in kinds.get("dataset").field_names if n != "modified"])
    assert _both(visitor) == (404, "")
    assert "data.json" not in visitor.get(reverse("public:list", args=["data"])).text
    admin = Client()
    admin.force_login(users["admin"])
    assert b"offered only while" in admin.get(reverse("publishing:choose")).content

    # The required fields alone: the catalog has the public dataset and nothing optional.
    samples.publish("dataset", required)
    status, body = _both(visitor)
    assert status == 200
    listing = visitor.get(reverse("public:list", args=["data"])).text
    assert reverse("public:data_json") in listing and "Zqtitle building permits" in listing
    catalog = json.loads(visitor.get(reverse("public:data_json")).content)
    assert [d["identifier"] for d in catalog["dataset"]] == ["zqidentifier-permits"]
    entry = catalog["dataset"][0]
    assert entry["contactPoint"]["hasEmail"] == "mailto:zqmail@example.gov"
    assert entry["contactPoint"]["fn"] == "Zqdepartment"  # the department, not the name kept
    assert entry["modified"] == "2026-03-01" and entry["accessLevel"] == "public"
    # Never: the restricted dataset, the steward's address, the rights, notes, retention.
    for never in ("Zqrestricted", "Zqstewarded", "zqsteward@", "Zqrights", "Zqnotes", "Zqret"):
        assert never not in body
    for marker in OPTIONAL.values():
        assert marker not in body

    # Half the optional fields each round: each is in the catalog exactly when published.
    names = list(OPTIONAL)
    for shown in (names[0::2], names[1::2]):
        samples.publish("dataset", required + shown)
        status, body = _both(visitor)
        assert status == 200
        for name, marker in OPTIONAL.items():
            assert (marker in body) == (name in shown), name


@pytest.mark.django_db
def test_pilots_and_reviews_are_public_once_past_the_idea(departments):
    running = samples.make("pilot")
    review = samples.make("surveillance_review")
    with context.acting("system"):
        idea = services.create(
            SYSTEM,
            Pilot,
            {
                "title": "Zqidea drones",
                "technology": "drone",
                "owner_department": departments["PW"],
            },
        )
        services.create(
            SYSTEM,
            SurveillanceReview,
            {"pilot": idea, "collected": "Video", "owner_department": departments["PW"]},
        )
    samples.publish("pilot", ["stage", "results"])
    samples.publish("surveillance_review", ["decision", "conditions", "decided_on"])
    visitor = Client()
    pilots = visitor.get(reverse("public:list", args=["pilots"])).content.decode()
    assert "Zqtitle smart bins" in pilots and "Zqidea" not in pilots
    assert visitor.get(reverse("public:detail", args=["pilots", idea.pk])).status_code == 404
    assert "Zqresults" in visitor.get(reverse("public:detail", args=["pilots", running.pk])).text

    register = visitor.get(reverse("public:list", args=["surveillance"])).content.decode()
    assert "Zqtitle camera hub" in register and "Zqidea" not in register
    assert "Approved with conditions" in register and "2026-02-01" in register
    detail = visitor.get(reverse("public:detail", args=["surveillance", review.pk]))
    assert "Zqconditions no face matching" in detail.text
    found = visitor.get(reverse("public:search") + "?q=camera").content.decode()
    assert "Zqtitle camera hub" in found
    assert datetime.date(2026, 2, 1).isoformat() in detail.text


@pytest.mark.django_db
def test_it_staff_write_readiness_statements_that_show_once_published(users):
    page = reverse("publishing:statements")
    for role in ("liaison", "board"):
        outsider = Client()
        outsider.force_login(users[role])
        assert outsider.get(page).status_code == 403
    staff = Client()
    staff.force_login(users["staff"])
    assert staff.get(page).status_code == 200
    refused = staff.post(page, {"topic": "cyber", "heading": "Safe", "text_en": "We test."})
    assert refused.status_code == 400 and b"both languages" in refused.content
    assert b"We test." in refused.content  # what was typed is kept
    assert staff.post(page, {"topic": "nonsense"}).status_code == 400
    words = {
        "topic": "cyber",
        "heading": "Keeping systems safe",
        "text_en": "We test our backups every month.",
        "text_es": "Probamos las copias cada mes.",
        "last_reviewed_on": "2026-06-01",
    }
    assert staff.post(page, words).status_code == 302
    saved = PublicStatement.objects.get(topic="cyber")
    assert AuditEntry.objects.filter(object_id=str(saved.pk)).exists()
    stale = staff.post(page, {**words, "heading": "Other", "version": "0"})
    assert stale.status_code == 400 and b"Someone changed" in stale.content

    visitor = Client()
    listing = reverse("public:list", args=["readiness"])
    assert visitor.get(listing).status_code == 404  # written, not yet published
    samples.publish("readiness", ["topic", "text_es", "last_reviewed_on"])
    assert "Keeping systems safe" in visitor.get(listing).text
    detail = visitor.get(reverse("public:detail", args=["readiness", saved.pk])).text
    assert "Probamos las copias" in detail and "2026-06-01" in detail
    assert "We test our backups" not in detail  # the English text is not published
