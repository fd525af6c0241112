"""The data catalog page's links to `data.json` and `data.jsonld`, shown only while the
catalog is offered (every field the schema requires published)."""

from django import template

from townhall.public import catalog

register = template.Library()


@register.simple_tag
def catalog_offered() -> bool:
    """Whether the public data catalog files answer (see `public/catalog.py`)."""
    return not catalog.missing(catalog.published_datasets())
