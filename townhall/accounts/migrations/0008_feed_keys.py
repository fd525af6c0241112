# The calendar feed key moves from a plain column on the account to its own table, which
# keeps only its SHA-256 hash. Keys made before are hashed here, so their addresses keep
# working; they cannot be turned back into plain keys.

import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def hash_existing(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    FeedKey = apps.get_model("accounts", "FeedKey")
    rows = User.objects.exclude(feed_key="").values_list("pk", "feed_key")
    FeedKey.objects.bulk_create(
        FeedKey(owner_id=pk, key_hash=hashlib.sha256(key.encode("utf-8")).hexdigest())
        for pk, key in rows
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0007_sealed_authenticator_secrets"),
    ]

    operations = [
        migrations.CreateModel(
            name="FeedKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="made")),
                ("owner", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="feed_key", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "calendar address",
            },
        ),
        # Old keys cannot be recovered from their hashes: going back leaves everyone to
        # make a new address.
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="user",
            name="feed_key",
        ),
    ]
