# The expected service life a county starts from, one row per kind of component
# (the same values as `foundation.life.DEFAULT_YEARS`, written out so this step never
# changes when that does). IT staff change them on the expected service life page.

from django.db import migrations

DEFAULTS = {
    "server": 5,
    "virtual_machine": 5,
    "storage": 5,
    "network_device": 7,
    "firewall": 5,
    "endpoint_fleet": 4,
    "radio_system": 10,
    "iot_fleet": 7,
    "database": 5,
    "cloud_service": 5,
    "other": 5,
}


def seed(apps, schema_editor):
    ServiceLife = apps.get_model("foundation", "ServiceLife")
    have = set(ServiceLife.objects.values_list("kind", flat=True))
    ServiceLife.objects.bulk_create(
        ServiceLife(kind=kind, years=years, source="Default")
        for kind, years in DEFAULTS.items()
        if kind not in have
    )


def unseed(apps, schema_editor):
    apps.get_model("foundation", "ServiceLife").objects.filter(source="Default").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("foundation", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
