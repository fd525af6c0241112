# A system's expected service life becomes an entry of its own among the kinds of component
# ("system", 10 years: the value `foundation.life.SYSTEM_YEARS` held, written out so this
# step never changes when that does), which IT staff change on the expected service life page.

from django.db import migrations, models


def seed(apps, schema_editor):
    ServiceLife = apps.get_model("foundation", "ServiceLife")
    if not ServiceLife.objects.filter(kind="system").exists():
        ServiceLife.objects.create(kind="system", years=10, source="Default")


def unseed(apps, schema_editor):
    apps.get_model("foundation", "ServiceLife").objects.filter(kind="system").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('foundation', '0005_stored_health'),
    ]

    operations = [
        migrations.AlterField(
            model_name='servicelife',
            name='kind',
            field=models.CharField(choices=[('server', 'Server'), ('virtual_machine', 'Virtual machine'), ('storage', 'Storage'), ('network_device', 'Network device'), ('firewall', 'Firewall'), ('endpoint_fleet', 'Endpoint fleet'), ('radio_system', 'Radio system'), ('iot_fleet', 'IoT sensor fleet'), ('database', 'Database'), ('cloud_service', 'Cloud service'), ('other', 'Other'), ('system', 'System (business application)')], max_length=20, unique=True, verbose_name='kind of component, or system'),
        ),
        migrations.RunPython(seed, unseed),
    ]
