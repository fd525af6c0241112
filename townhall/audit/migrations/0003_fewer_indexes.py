"""Two indexes fewer on every audit entry written: the content type's own index (the index
on content type, object and time starts with it) and, on PostgreSQL, the second index
`db_index` gave the request id for LIKE, which no query uses. The indexes are dropped by
name rather than through AlterField, which on SQLite would copy the whole log twice."""

import django.db.models.deletion
from django.db import migrations, models

DROP = [
    'DROP INDEX IF EXISTS "audit_auditentry_content_type_id_3fc095fb"',
    'DROP INDEX IF EXISTS "audit_auditentry_request_id_e384847a_like"',
    'DROP INDEX IF EXISTS "audit_auditentry_request_id_e384847a"',
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_audit_at_id_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="content_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="request_id",
                    field=models.CharField(max_length=64),
                ),
            ],
            database_operations=[migrations.RunSQL(sql, migrations.RunSQL.noop) for sql in DROP],
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["request_id"], name="audit_request_id"),
        ),
    ]
