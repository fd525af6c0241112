"""One set of rules on every door: what a record's page form refuses, its API refuses too.

For every registered record, each invalid case is posted through the page's add form and
through the API as IT staff. Both must refuse it on the same field (a form error on the
field; a 400 naming it) and write nothing. The cases are generic (a NUL character, a text
longer than its column, a required value left blank) plus those a record's contract
declares in `invalid()` for rules of its own (core/testing.py), so a rule kept only in a
form, or only in an API serializer, fails here.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.db import models
from django.test import Client
from rest_framework.test import APIClient

from townhall.accounts.models import User
from townhall.conftest import PASSWORD
from townhall.core import registry
from townhall.core.testing import ResourceContract
from townhall.core.tests.test_private_rows import contracts

Case = tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]


def _keys() -> list[str]:
    return sorted(r.key for r in registry.all_resources())


def _text_fields(resource: registry.Resource) -> list[models.Field]:
    """The free-text fields the form offers, in its order."""
    form = resource.form()
    found = []
    for name in resource.form._meta.fields:
        field = _model_field(resource, name)
        if (
            type(field) in (models.CharField, models.SlugField, models.TextField)
            and not field.choices
            and type(form.fields.get(name)) is forms.CharField
        ):
            found.append(field)
    return found


def _model_field(resource: registry.Resource, name: str) -> Any:
    try:
        return resource.model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field of the form alone
        return None


def _required_fields(resource: registry.Resource) -> list[str]:
    """Fields the page form requires that a person types or chooses, and that have no
    default the API would use when they are left out."""
    form = resource.form()
    names = []
    for name, field in form.fields.items():
        model_field = _model_field(resource, name)
        if (
            field.required
            and name != "version"
            and not isinstance(field, forms.FileField | forms.BooleanField)
            and not isinstance(field.widget, forms.HiddenInput)
            and not (model_field is not None and model_field.has_default())
        ):
            names.append(name)
    return names


def generic_cases(resource: registry.Resource) -> list[Case]:
    """A NUL character in the first text field, a text one longer than its column, and
    each value the form requires left blank."""
    cases: list[Case] = []
    texts = _text_fields(resource)
    if texts:
        name = texts[0].name
        cases.append((name, lambda post, name=name: {name: "a\x00b"}))
    limited = [f for f in texts if f.max_length]
    if limited:
        long_name, size = limited[0].name, limited[0].max_length
        cases.append((long_name, lambda post: {long_name: "x" * (size + 1)}))
    for name in _required_fields(resource):
        cases.append((name, lambda post, name=name: {name: ""}))
    return cases


def _page_refusal(client: Client, resource: registry.Resource, post: dict) -> dict[str, Any]:
    response = client.post(_add_url(resource), post)
    assert response.status_code == 400, (resource.key, post, response.status_code)
    return dict(response.context["form"].errors)


def _api_refusal(
    api: APIClient, contract: ResourceContract, resource: registry.Resource, post: dict
) -> dict[str, Any]:
    url = f"/api/{resource.app_label}/{resource.url_prefix}/"
    response = api.post(url, post, format=contract.api_format)
    assert response.status_code == 400, (resource.key, post, response.status_code, response.content)
    return response.json()


def _add_url(resource: registry.Resource) -> str:
    from django.urls import reverse

    return reverse(resource.url_name("add"))


def _post(
    contract: ResourceContract, departments: dict, n: int, overrides: Callable
) -> tuple[dict, dict]:
    """A valid post for the record (as its contract makes one), with the case's values."""
    post = {
        k: [getattr(v, "pk", v) for v in val] if isinstance(val, list) else val
        for k, val in contract.form_post(departments, n=n).items()
    }
    changed = overrides(post)
    return {**post, **changed}, changed


class UserCases(ResourceContract):
    """Accounts have no contract of their own (only administrators see them)."""

    model = User
    owned = False

    def data(self, departments: dict, n: int = 1) -> dict[str, Any]:
        return {"username": f"person{n}", "role": "viewer", "password": PASSWORD}

    def invalid(self, departments: dict) -> list[Case]:
        return [
            ("password", lambda post: {"password": ""}),
            ("password", lambda post: {"password": "short"}),
        ]


def _contract(model: type) -> ResourceContract:
    return UserCases() if model is User else contracts()[model]()


def test_every_record_has_a_contract():
    missing = [
        r.key
        for r in registry.all_resources()
        if r.model not in contracts() and r.model is not User
    ]
    assert not missing, f"records with no contract to send invalid data through: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("key", _keys())
def test_page_and_api_refuse_the_same(key, users, departments):
    resource = next(r for r in registry.all_resources() if r.key == key)
    contract = _contract(resource.model)
    cases = generic_cases(resource) + contract.invalid(departments)
    assert cases, f"{key}: no invalid case to send"
    client = Client()
    # IT staff keep every record but accounts, which administrators keep, and personnel
    # records, which IT managers keep (the contract names who keeps each).
    editor = users["admin" if resource.model is User else contract.editors[0]]
    client.force_login(editor)
    api = APIClient()
    api.force_authenticate(editor)
    model = resource.model
    differences = []
    for i, (field, overrides) in enumerate(cases):
        post, changed = _post(contract, departments, 700 + 2 * i, overrides)
        before = model._default_manager.count()
        page = _page_refusal(client, resource, post)
        assert model._default_manager.count() == before
        post, _ = _post(contract, departments, 701 + 2 * i, overrides)
        before = model._default_manager.count()
        answer = _api_refusal(api, contract, resource, post)
        assert model._default_manager.count() == before
        if field not in page or field not in answer:
            differences.append(f"{field} {changed!r}: page {sorted(page)}, API {sorted(answer)}")
    assert not differences, f"{key}: " + "; ".join(differences)
