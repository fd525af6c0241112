"""Tokens made before tokens were kept hashed (DRF's authtoken table, which held each key in
plain text) become hashed tokens that keep working: named "Token from before", read and
write, expiring a year from now. The old table is then dropped, with the plain keys."""

import datetime
import hashlib

from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"
PREFIX_LENGTH = 12  # accounts.tokens.PREFIX_LENGTH, written out: migrations stand alone


def carry_over(apps, schema_editor):  # noqa: ANN001, ANN201
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")  # noqa: N806
    quoted = schema_editor.quote_name(OLD_TABLE)
    with connection.cursor() as cursor:
        key = schema_editor.quote_name("key")
        cursor.execute(f"SELECT {key}, user_id, created FROM {quoted}")  # noqa: S608
        rows = cursor.fetchall()
    expires = timezone.now() + datetime.timedelta(days=365)
    taken = set(ApiToken.objects.values_list("prefix", flat=True))
    for key, user_id, created in rows:
        prefix = key[:PREFIX_LENGTH]
        if prefix in taken:
            continue  # two old keys alike in their first characters: vanishingly rare
        taken.add(prefix)
        token = ApiToken.objects.create(
            owner_id=user_id,
            name="Token from before",
            prefix=prefix,
            secret_hash=hashlib.sha256(key.encode()).hexdigest(),
            scope="write",
            expires_at=expires,
        )
        if created is not None:
            ApiToken.objects.filter(pk=token.pk).update(created_at=created)
    schema_editor.execute(f"DROP TABLE {quoted}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_sessions_and_tokens")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop, elidable=True)]
