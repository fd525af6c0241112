"""The ORM side of the data catalog: the datasets a person may see that belong in the
public catalog, as the plain rows `dcat.py` builds from, in a fixed number of queries."""

from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q

from townhall.registers.dcat import split_words
from townhall.registers.models import Dataset, Distribution


def catalog_filter() -> Q:
    """What the catalog lists: public or restricted-public datasets classified public."""
    return Q(
        access_level__in=[Dataset.AccessLevel.PUBLIC, Dataset.AccessLevel.RESTRICTED_PUBLIC],
        classification=Dataset.Classification.PUBLIC,
    )


def _row(ds: Dataset) -> dict[str, Any]:
    steward = ds.steward
    department = ds.owner_department
    modified = ds.data_modified_on or ds.updated_at.date()
    # The schema wants a publisher and a contact named: the government itself when the
    # dataset has no department, and the publisher when no one else is named.
    publisher = department.name if department else settings.JURISDICTION_NAME
    return {
        "identifier": ds.identifier,
        "title": ds.title,
        "description": ds.description,
        "keywords": split_words(ds.keywords),
        "themes": split_words(ds.themes),
        "modified": modified.isoformat(),
        "publisher": publisher,
        "contact_name": ds.contact_name or (steward.name if steward else "") or publisher,
        "contact_email": ds.contact_email or (steward.email if steward else ""),
        "access_level": ds.access_level,
        "rights": ds.rights,
        "license": ds.license,
        "spatial": ds.spatial,
        "temporal": ds.temporal,
        "issued": ds.issued.isoformat() if ds.issued else "",
        "accrual_periodicity": ds.accrual_periodicity,
        "landing_page": ds.landing_page,
        "distributions": [
            {
                "title": d.title,
                "description": d.description,
                "download_url": d.download_url,
                "access_url": d.access_url,
                "media_type": d.media_type,
                "format": d.format,
            }
            for d in ds.distributions.all()
        ],
    }


def catalog_rows(user: Any) -> list[dict[str, Any]]:
    """The catalog's datasets `user` may see, as rows for `dcat.pod_catalog`."""
    distributions = Distribution.objects.restrict(user, "view").order_by("pk")
    datasets = (
        Dataset.objects.restrict(user, "view")
        .filter(catalog_filter())
        .select_related("steward", "owner_department")
        .prefetch_related(Prefetch("distributions", queryset=distributions))
        .order_by("identifier")
    )
    return [_row(ds) for ds in datasets]
