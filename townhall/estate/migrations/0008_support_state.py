# Systems and components get a support status beside their end-of-support date. Every
# record that has a date already knows it: it is marked "dated"; the rest stay "unknown"
# until someone records a date or "supported, no end date announced".

from django.db import migrations, models


def mark_dated(apps, schema_editor):
    for name in ("System", "Component"):
        model = apps.get_model("estate", name)
        model.objects.filter(end_of_support__isnull=False).update(support_state="dated")


class Migration(migrations.Migration):

    dependencies = [
        ('estate', '0007_component_support_status'),
    ]

    operations = [
        migrations.AddField(
            model_name='component',
            name='support_state',
            field=models.CharField(choices=[('unknown', 'Unknown'), ('no_end_date', 'Supported, no end date announced'), ('dated', 'End of support date known')], default='unknown', help_text='Whether the vendor has announced when support ends.', max_length=20, verbose_name='support status'),
        ),
        migrations.AddField(
            model_name='system',
            name='support_state',
            field=models.CharField(choices=[('unknown', 'Unknown'), ('no_end_date', 'Supported, no end date announced'), ('dated', 'End of support date known')], default='unknown', help_text='Whether the vendor has announced when support ends.', max_length=20, verbose_name='support status'),
        ),
        migrations.RunPython(mark_dated, migrations.RunPython.noop),
    ]
