"""Datasets and their distributions join the platform's contract (permissions, audit,
conflicts, API), and the inventory's rules hold on the page and the API alike."""

import pytest
from django.core.exceptions import ValidationError

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.registers import models as m


def dataset(departments, n=1, **over):
    values = {
        "title": f"Dataset {n}",
        "identifier": f"dataset-{n}",
        "description": "Rows of something.",
        "keywords": "alpha, beta",
        "owner_department": departments["PW"],
        "classification": "public",
        "access_level": "public",
        "contact_email": "data@example.gov",
        "landing_page": f"https://data.example.gov/{n}",
    }
    values.update(over)
    with context.acting("test"):
        return services.create(context.SYSTEM, m.Dataset, values)


class TestDatasetContract(ResourceContract):
    model = m.Dataset

    def data(self, departments, n=1):
        return {
            "title": f"Dataset {n}",
            "identifier": f"dataset-{n}",
            "description": "Rows of something.",
            "keywords": "alpha, beta",
            "classification": "internal",
            "access_level": "non-public",
            "rights": "Staff only.",
        }

    def invalid(self, departments):
        public = {"access_level": "public", "contact_email": "a@example.gov"}
        return [
            ("landing_page", lambda post: {**public, "landing_page": "", "rights": ""}),
            ("rights", lambda post: {"access_level": "restricted public", "rights": ""}),
            (
                "access_level",
                lambda post: {
                    **public,
                    "classification": "confidential",
                    "landing_page": "https://data.example.gov/x",
                },
            ),
            (
                "contact_email",
                lambda post: {"access_level": "restricted public", "contact_email": ""},
            ),
            ("contact_email", lambda post: {"contact_email": "not an address"}),
            ("personal_data", lambda post: {"childrens_data": True, "personal_data": False}),
            ("temporal", lambda post: {"temporal": "since 2015"}),
        ]


class TestDistributionContract(ResourceContract):
    model = m.Distribution
    shared = True

    def data(self, departments, n=1):
        parent = m.Dataset.objects.filter(identifier="contract-parent").first() or dataset(
            departments, n=0, identifier="contract-parent"
        )
        return {
            "dataset": parent,
            "title": f"CSV {n}",
            "download_url": f"https://data.example.gov/{n}.csv",
            "media_type": "text/csv",
            "format": "CSV",
        }

    def invalid(self, departments):
        return [
            ("download_url", lambda post: {"download_url": "", "access_url": ""}),
            ("media_type", lambda post: {"media_type": ""}),
            ("media_type", lambda post: {"media_type": "csv"}),
        ]


@pytest.mark.django_db
def test_a_public_dataset_may_rely_on_its_distribution(departments):
    ds = dataset(departments)
    with context.acting("test"):
        services.create(
            context.SYSTEM,
            m.Distribution,
            {"dataset": ds, "access_url": "https://data.example.gov/api", "format": "API"},
        )
        services.update(context.SYSTEM, ds, {"landing_page": ""}, version=ds.version)
    ds.refresh_from_db()
    assert ds.landing_page == ""


@pytest.mark.django_db
def test_the_stewards_email_serves_as_contact(departments):
    from townhall.estate.models import Person

    with context.acting("test"):
        ann = services.create(
            context.SYSTEM,
            Person,
            {"name": "Ann Lee", "email": "ann@example.gov", "owner_department": departments["PW"]},
        )
    ds = dataset(departments, contact_email="", steward=ann)
    assert ds.steward == ann
    with pytest.raises(ValidationError) as err:
        dataset(departments, n=2, contact_email="")
    assert "contact_email" in err.value.message_dict
