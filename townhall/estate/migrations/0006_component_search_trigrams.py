"""Trigram indexes on PostgreSQL for searching components by any part of their names and
numbers (see townhall/core/trigram.py)."""

from django.db import migrations

from townhall.core import trigram


class Migration(migrations.Migration):
    dependencies = [("estate", "0005_dependency_end_id_indexes")]

    operations = [
        trigram.indexes(
            "estate_component", ["name", "manufacturer", "model_number", "asset_tag", "external_id"]
        )
    ]
