"""A component's end of support loses its index of its own: the index on (end_of_support,
status) starts with it, so it served no query the other does not, and cost every insert.
A system keeps its index, now named in its Meta. Dropped by name rather than through
AlterField, which on SQLite would copy both tables."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("estate", "0009_redundancy_groups"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="component",
                    name="end_of_support",
                    field=models.DateField(blank=True, null=True),
                ),
                migrations.AlterField(
                    model_name="system",
                    name="end_of_support",
                    field=models.DateField(blank=True, null=True),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "estate_component_end_of_support_1f72f8d3"',
                    migrations.RunSQL.noop,
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "estate_system_end_of_support_da9fafff"',
                    migrations.RunSQL.noop,
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="system",
            index=models.Index(fields=["end_of_support"], name="system_end_of_support"),
        ),
    ]
