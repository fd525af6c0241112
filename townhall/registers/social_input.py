"""The queries behind `social.py`: the accounts a person may see with their administrators
(two queries) and the government's e-mail domains (none when configured, else one)."""

from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from townhall.estate.models import Person
from townhall.registers import social
from townhall.registers.models import SocialAccount


def _person(person: Person) -> social.Person:
    return social.Person(pk=person.pk, name=person.name, url=person.get_absolute_url())


def account(row: SocialAccount) -> social.Account:
    """One account as `social` sees it; `row` comes with its administrators prefetched."""
    return social.Account(
        pk=row.pk,
        name=str(row),
        url=row.get_absolute_url(),
        department=str(row.owner_department) if row.owner_department_id else "",
        administrators=tuple(_person(p) for p in row.administrators.all()),
        multi_factor=row.multi_factor,
        credentials=row.credentials_kept_in,
        recovery_email=row.recovery_email,
        recovery_phone=row.recovery_phone,
        recovery_phone_government=row.recovery_phone_government,
        recovery_person=_person(row.recovery_person) if row.recovery_person else None,
        last_reviewed_on=row.last_reviewed_on,
    )


def rows(user: Any) -> Any:
    """The accounts `user` may see, ready for `account` (two queries when read)."""
    people = Prefetch("administrators", queryset=Person.objects.only("pk", "name").order_by("name"))
    return (
        SocialAccount.objects.restrict(user, "view")
        .select_related("owner_department", "recovery_person")
        .prefetch_related(people)
        .order_by("platform", "handle", "pk")
    )


def accounts(user: Any) -> list[social.Account]:
    return [account(row) for row in rows(user)]


def government_domains() -> frozenset[str]:
    """`REGISTERS_GOVERNMENT_DOMAINS`, or the estate people's own domains when it is empty."""
    configured = getattr(settings, "REGISTERS_GOVERNMENT_DOMAINS", [])
    emails: Any = []
    if not configured:
        emails = Person.objects.exclude(email="").values_list("email", flat=True).distinct()
    return social.government_domains(configured, emails)
