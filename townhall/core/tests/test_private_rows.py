"""Rows a person may not see stay out of every door, whatever the record.

For every registered record with row rules of its own (`restrict_rows`) or only for
administrators (`admin_only`), rows are made through its contract (core/testing.py), each
changed once to hold a value found nowhere else. For each role, every row that role may
not see must not show, nor its value, on: its page, its history, the audit log (page,
filters, entry pages, API list and entry), the API (list, search, entry), global search
and the list's export. Records linking to such a row (many-to-many) must not name it in
their history. A new record with row rules joins the walk by having a contract; a record
without one fails `test_every_private_record_is_walked`.
"""

import importlib
import pkgutil
from functools import cache
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

import townhall
from townhall.accounts.models import User
from townhall.audit.models import AuditEntry
from townhall.conftest import make_user
from townhall.core import context, permissions, registry, services
from townhall.core.testing import ResourceContract

ROLES = ("staff", "liaison", "board", "viewer")


@cache
def contracts() -> dict[type, type[ResourceContract]]:
    """Every record's contract class, found in the apps' test modules."""
    for info in pkgutil.walk_packages(townhall.__path__, "townhall."):
        if ".tests.test_" in info.name:
            spec = importlib.util.find_spec(info.name)
            if spec and spec.origin and "ResourceContract" in open(spec.origin).read():  # noqa: SIM115
                importlib.import_module(info.name)
    found: dict[type, type[ResourceContract]] = {}
    stack = list(ResourceContract.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if getattr(cls, "model", None) is not None and cls.__name__.startswith("Test"):
            found.setdefault(cls.model, cls)
    return found


def private_resources() -> list[registry.Resource]:
    return [r for r in registry.all_resources() if permissions.has_row_rules(r.model)]


def test_every_private_record_is_walked():
    """Accounts are walked by hand below; every other private record needs a contract."""
    missing = [
        r.key for r in private_resources() if r.model is not User and r.model not in contracts()
    ]
    assert not missing, f"records with row rules but no contract to walk: {missing}"


# --- the rows -----------------------------------------------------------------------------


def secret(obj: Any) -> str:
    return f"private-value-{obj._meta.model_name}-{obj.pk}"


@pytest.fixture
def rows(users, departments) -> dict[type, list[Any]]:
    """For each private record: its rows, each changed once to hold `secret(row)`."""
    made: dict[type, list[Any]] = {}
    for i, resource in enumerate(private_resources()):
        model = resource.model
        if model is User:
            objs = [make_user(f"walked{n}", "staff") for n in (1, 2)]
            for obj in objs:
                services.update(context.SYSTEM, obj, {"first_name": secret(obj)}, version=None)
        else:
            contract = contracts()[model]()
            objs = contract.private_rows(departments, n=7000 + 10 * i)
            for obj in objs:
                services.update(context.SYSTEM, obj, {"notes": secret(obj)}, version=None)
        made[model] = [type(o)._default_manager.get(pk=o.pk) for o in objs]
    return made


def search_term(resource: registry.Resource, obj: Any) -> str:
    """The value of the record's first search field (following `a__b` paths)."""
    for path in resource.search_fields:
        value: Any = obj
        for part in path.split("__"):
            value = getattr(value, part, None)
        if value:
            return str(value)
    return ""


def hidden_from(user: User, objs: list[Any]) -> list[Any]:
    if not objs:
        return []
    model = type(objs[0])
    seen = set(model._default_manager.restrict(user, "view").values_list("pk", flat=True))
    return [o for o in objs if o.pk not in seen]


def test_the_walk_has_rows_to_hide(rows, users):
    """The walk below proves something: each of these roles has rows it may not see."""
    for role in ("liaison", "board", "viewer"):
        hidden = [o for objs in rows.values() for o in hidden_from(users[role], objs)]
        assert len({type(o) for o in hidden}) >= 2, role


# --- the doors ----------------------------------------------------------------------------


def text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_rows_a_person_may_not_see_stay_out_of_every_door(rows, users, role):
    user = users[role]
    client, api = Client(), APIClient()
    client.force_login(user)
    api.force_authenticate(user)
    walked = 0
    for model, objs in rows.items():
        resource = registry.for_model(model)
        hidden = hidden_from(user, objs)
        shown = [o for o in objs if o not in hidden]
        ct = ContentType.objects.get_for_model(model)
        api_base = f"/api/{resource.app_label}/{resource.url_prefix}/"
        lists = {
            "audit log": client.get(reverse("audit:list"), {"content_type": ct.pk}),
            "audit API": api.get("/api/audit/entries/", {"content_type": ct.pk, "page_size": 500}),
            "API list": api.get(api_base, {"page_size": 500}),
            "export": client.get(reverse(resource.url_name("list")), {"export": "csv"}),
        }
        for obj in hidden:
            walked += 1
            value = secret(obj)
            where = f"{role}: {resource.key} #{obj.pk}"
            for door, response in lists.items():
                assert value not in text(response), f"{where} on the {door}"
            entry = AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).first()
            by_request = client.get(reverse("audit:list"), {"request_id": entry.request_id})
            assert value not in text(by_request), f"{where} on the audit log by request"
            term = search_term(resource, obj)
            if term:  # found by what search looks at, it still does not show
                found = text(client.get(reverse("core:search"), {"q": term}))
                assert obj.get_absolute_url() not in found, f"{where} found by search"
                results = api.get(api_base, {"q": term, "page_size": 500}).json()["results"]
                assert obj.pk not in [r["id"] for r in results], f"{where} found by API search"
            for door, url in {
                "page": reverse(resource.url_name("detail"), args=[obj.pk]),
                "history": reverse(resource.url_name("history"), args=[obj.pk]),
                "API": f"{api_base}{obj.pk}/",
            }.items():
                response = (api if door == "API" else client).get(url)
                assert response.status_code == 404, (
                    f"{where}: {door} answers {response.status_code}"
                )
            for entry in AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)):
                assert client.get(reverse("audit:detail", args=[entry.pk])).status_code == 404
                assert api.get(f"/api/audit/entries/{entry.pk}/").status_code == 404
        for obj in shown:  # the same doors do show what the person may see
            history = client.get(reverse(resource.url_name("history"), args=[obj.pk]))
            assert secret(obj) in text(history), f"{role} cannot read {resource.key} #{obj.pk}"
    if role != "staff":
        assert walked, f"nothing was hidden from {role}"


@pytest.mark.parametrize("role", ("liaison", "board", "viewer"))
def test_links_to_rows_a_person_may_not_see_are_not_named_in_history(rows, users, role):
    """A record the person may see, linked to one they may not (a department's incident to
    another department's risk): its history does not name the hidden one."""
    user = users[role]
    client = Client()
    client.force_login(user)
    checked = 0
    for model, contract_class in contracts().items():
        resource = registry.for_model(model)
        for field in model._meta.many_to_many:
            targets = rows.get(field.related_model)
            if resource is None or not targets:
                continue
            if not (set(targets) & set(hidden_from(user, targets))):
                continue
            linking = [
                o
                for o in contract_class().private_rows(departments_of(), n=8000 + checked)
                if model._default_manager.restrict(user, "view").filter(pk=o.pk).exists()
            ]
            for obj in linking:
                linked = link(obj, field.name, targets)
                hidden = hidden_from(user, linked)
                names = {str(o) for o in linked} - {str(o) for o in linked if o not in hidden}
                for door in ("history", "detail"):
                    page = text(client.get(reverse(resource.url_name(door), args=[obj.pk])))
                    for name in names:
                        assert name not in page, f"{role}: {resource.key} {door} names {name}"
                checked += 1
    assert checked, "no record links to private rows: nothing was checked"


def link(obj: Any, name: str, targets: list[Any]) -> list[Any]:
    """Link `obj` to the targets its own rules accept (a scenario forces only proposals of
    its budget cycle), and say which those are."""
    try:
        services.update(context.SYSTEM, obj, {name: targets}, version=None)
        return list(targets)
    except ValidationError:
        accepted = []
        for target in targets:
            try:
                services.update(context.SYSTEM, obj, {name: [target]}, version=None)
                accepted.append(target)
            except ValidationError:
                continue
        services.update(context.SYSTEM, obj, {name: accepted}, version=None)
        return accepted


def departments_of() -> dict[str, Any]:
    from townhall.org.models import Department

    return {d.code: d for d in Department.objects.all()}


@pytest.mark.django_db
def test_who_sees_every_row_of_a_record_with_a_row_rule(users):
    """A result worked out from every row (the kept foundation health) may be shown only to
    someone no row rule narrows: cyber's exposures narrow a liaison's view, not IT staff's."""
    from townhall.cyber.models import Exposure
    from townhall.estate.models import Vendor

    assert permissions.has_row_rules(Exposure)
    assert permissions.sees_every_row(Exposure, users["staff"])
    assert not permissions.sees_every_row(Exposure, users["liaison"])
    assert not permissions.sees_every_row(Exposure, None)
    assert permissions.sees_every_row(Vendor, users["liaison"])
