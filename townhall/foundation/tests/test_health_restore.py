"""Restore puts the kept foundation health back with the records it was worked out from,
and notes no change of its own: the pages read it at once."""

import datetime

import pytest
from django.core.management import call_command

from townhall.core import context, services
from townhall.core.tests.test_backup import _migrations_recorded, backup_to  # noqa: F401
from townhall.foundation import stored
from townhall.foundation.models import (
    HealthChange,
    StoredHealth,
    StoredItemHealth,
    StoredServiceHealth,
)

# Restore commits its own transaction and empties tables, so tests need a real database.
pytestmark = pytest.mark.django_db(transaction=True)


def kept() -> tuple:
    return (
        list(StoredHealth.objects.values()),
        list(StoredItemHealth.objects.order_by("pk").values()),
        list(StoredServiceHealth.objects.order_by("pk").values()),
    )


def test_restore_puts_the_kept_health_back_with_its_records(estate, users, tmp_path):
    stored.recompute()
    before = kept()
    path = backup_to(tmp_path)
    # After the backup: a change, and the health worked out again from it.
    services.update(
        context.SYSTEM, estate["b"], {"end_of_support": datetime.date(2020, 1, 1)}, version=None
    )
    stored.recompute()
    assert kept() != before

    call_command("restore", str(path))

    assert kept() == before
    assert not HealthChange.objects.exists()  # the kept health matches the records restored
    current = stored.current(users["viewer"])
    assert current is not None and not current.updating
    item = stored.item_row(current.health, "component", estate["b"].pk)
    assert item is not None and item.band == "watch"
