"""Authenticator apps' shared secrets are kept sealed (core.sealing): those enrolled before
are sealed now, and opened again if the migration is reversed."""

from django.db import migrations, models

from townhall.core.sealing import Sealer, looks_sealed


def _sealer() -> Sealer:
    # The same purpose as accounts.mfa.APP_SECRETS, written out: a migration keeps working
    # whatever later becomes of the module.
    return Sealer("townhall.accounts.authenticator-app", "shared secret")


def seal_plain_secrets(apps, schema_editor):
    app_model = apps.get_model("accounts", "AuthenticatorApp")
    sealer = _sealer()
    for app in app_model.objects.all():
        if not looks_sealed(app.totp_secret):
            app.totp_secret = sealer.seal(app.totp_secret)
            app.save(update_fields=["totp_secret"])


def open_sealed_secrets(apps, schema_editor):
    app_model = apps.get_model("accounts", "AuthenticatorApp")
    sealer = _sealer()
    for app in app_model.objects.all():
        plain = sealer.unseal(app.totp_secret) if looks_sealed(app.totp_secret) else None
        if plain is not None:
            app.totp_secret = plain
            app.save(update_fields=["totp_secret"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_passkeys")]

    operations = [
        migrations.AlterField(
            model_name="authenticatorapp",
            name="totp_secret",
            field=models.CharField(editable=False, max_length=255),
        ),
        migrations.RunPython(seal_plain_secrets, open_sealed_secrets),
    ]
