"""A workflow's state moves only by its named transitions, never by an edit.

Every model that declares `transitions` is found in the app registry, so a new module's
workflow is walked without being listed here. Its record is made through its contract
(core/testing.py); then an edit moving the state to a value outside `edited_states` must
be refused, naming the field, by every door an edit has: `services.update`,
`services.update_rows`, the API's PATCH and the edit page.
"""

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from townhall.audit.models import AuditEntry
from townhall.core import context, registry, services
from townhall.core.api import update_serializer_for
from townhall.core.forms import free_states
from townhall.core.tests.test_private_rows import contracts
from townhall.core.views import bulk_form
from townhall.cyber.models import Exposure


def workflow_models() -> list[type]:
    """Records with a workflow and the generic pages and API (a record without them, such as
    a support suggestion, is changed only by its module's verbs; its own tests cover it)."""
    return [
        m
        for m in apps.get_models()
        if getattr(m, "transitions", None) and registry.for_model(m) is not None
    ]


def refused_move(model: type, field: str, was: str) -> str:
    """A value the edit may not move `field` to from `was`: outside the freely set ones."""
    free = free_states(model, field)
    choices = [value for value, _ in model._meta.get_field(field).choices]
    for value in choices:
        if value != was and not (was in free and value in free):
            return value
    raise AssertionError(f"{model.__name__}.{field} has no state an edit could refuse.")


def test_the_walk_finds_every_workflow():
    names = {m.__name__ for m in workflow_models()}
    assert {"Proposal", "ImpactAnalysis", "Campaign", "RecoveryPlan", "Assessment"} <= names
    assert "Exposure" in names
    missing = [m.__name__ for m in workflow_models() if m not in contracts()]
    assert not missing, f"records with a workflow but no contract to make one: {missing}"


@pytest.fixture(params=[m._meta.label for m in workflow_models()])
def made(request, departments) -> Any:
    model = apps.get_model(request.param)
    return contracts()[model]().make(departments)


@pytest.mark.django_db
def test_an_edit_may_not_move_a_state(made, users, departments):
    model = type(made)
    contract = contracts()[model]()
    for field in model.transitions:
        was = getattr(made, field)
        to = refused_move(model, field, was)
        with pytest.raises(ValidationError) as refused:
            services.update(context.SYSTEM, made, {field: to}, version=None)
        assert field in refused.value.error_dict
        assert "not by an edit" in str(refused.value)

        with pytest.raises(services.RowInvalid) as refused_row:
            services.update_rows(context.SYSTEM, [(made, {field: to})])
        assert field in refused_row.value.error.error_dict

        api = APIClient()
        api.force_authenticate(users["admin"])
        made.refresh_from_db()
        response = api.patch(
            contract.api_url(made), {field: to, "version": made.version}, format="json"
        )
        offered = update_serializer_for(contract.resource)().fields.get(field)
        if offered is not None and not offered.read_only:  # its freely set values only
            assert to not in offered.choices
            assert response.status_code == 400, response.content
            assert field in response.json()
        else:  # read-only for an edit (its schema says so): the value sent is ignored
            assert response.status_code == 200, response.content
        made.refresh_from_db()
        assert getattr(made, field) == was

        client = Client()
        client.force_login(users["admin"])
        edit = contract.url("edit", made)
        response = client.post(edit, contract.edit_post(made, departments, **{field: to}))
        assert response.status_code in (302, 400), response.status_code  # never a 500
        made.refresh_from_db()
        assert getattr(made, field) == was
        form = response.context["form"] if response.status_code == 400 else None
        if form is not None and field in form.fields:
            assert form.fields[field].disabled or field in form.errors


@pytest.mark.django_db
def test_the_edit_form_shows_a_state_it_cannot_change(users, departments):
    """An impact analysis's status is read-only on its edit form, offered when adding."""
    from townhall.continuity.forms import ImpactAnalysisForm

    made = contracts()[apps.get_model("continuity.ImpactAnalysis")]().make(departments)
    assert ImpactAnalysisForm(instance=made).fields["status"].disabled
    assert not ImpactAnalysisForm().fields["status"].disabled
    client = Client()
    client.force_login(users["admin"])
    page = client.get(f"/continuity/impact-analyses/{made.pk}/edit/").content.decode()
    assert 'name="status"' in page and "disabled" in page


@pytest.fixture
def exposure(departments) -> Exposure:
    return contracts()[Exposure]().make(departments)


@pytest.mark.django_db
def test_an_exposure_decision_is_still_an_edit(exposure, users, departments):
    S = Exposure.Status
    services.update(context.SYSTEM, exposure, {"status": S.MITIGATED}, version=None)
    services.update_rows(context.SYSTEM, [(exposure, {"status": S.NOT_AFFECTED})])
    exposure.refresh_from_db()
    assert exposure.status == S.NOT_AFFECTED
    contract = contracts()[Exposure]()
    client = Client()
    client.force_login(users["admin"])
    post = contract.edit_post(exposure, departments, status=S.ACCEPTED)
    assert client.post(contract.url("edit", exposure), post).status_code == 302
    exposure.refresh_from_db()
    assert exposure.status == S.ACCEPTED
    # The form offers the decisions, never "gone", which only matching decides.
    from townhall.cyber.forms import ExposureForm

    offered = {v for v, _ in ExposureForm(instance=exposure).fields["status"].choices}
    assert offered == {S.OPEN, S.MITIGATED, S.ACCEPTED, S.NOT_AFFECTED}
    bulk = {v for v, _ in bulk_form(registry.for_model(Exposure)).base_fields["status"].choices}
    assert bulk == {"", S.OPEN, S.MITIGATED, S.ACCEPTED, S.NOT_AFFECTED}


@pytest.mark.django_db
def test_a_gone_exposure_is_not_reopened_by_an_edit(exposure):
    S = Exposure.Status
    services.update(context.SYSTEM, exposure, {"status": S.OPEN}, version=None)
    services.transition(context.SYSTEM, exposure, S.GONE, note="no longer matched")
    with pytest.raises(ValidationError) as refused:
        services.update(context.SYSTEM, exposure, {"status": S.MITIGATED}, version=None)
    assert "status" in refused.value.error_dict
    from townhall.cyber.forms import ExposureForm

    assert ExposureForm(instance=exposure).fields["status"].disabled


def test_every_bulk_edit_builds():
    """No list offers a bulk edit of a state only transitions move (bulk_form refuses)."""
    for resource in registry.all_resources():
        if resource.bulk_fields:
            bulk_form(resource)


@pytest.mark.django_db
def test_a_plan_approval_is_a_named_transition(users):
    from townhall.continuity import plans
    from townhall.continuity.models import RecoveryPlan
    from townhall.estate.models import Person

    plan = plans.new_plan(users["staff"])
    coordinator = services.create(context.SYSTEM, Person, {"name": "Casey Coordinator"})
    values = {"scope": "Every service.", "activation": "When needed", "coordinator": coordinator}
    plan = services.update(users["staff"], plan, values, version=None)
    approved = plans.approve(
        users["staff"],
        plan,
        approver_name="Dana Ortiz",
        approver_title="County Administrator",
        approved_on=datetime.date(2026, 3, 1),
    )
    assert approved.status == RecoveryPlan.Status.APPROVED
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RecoveryPlan), object_id=str(plan.pk)
    ).latest("pk")
    assert entry.after["transition"] == "status: draft → approved (approved by Dana Ortiz)"
    assert entry.after["approver_name"] == "Dana Ortiz"
    assert entry.before["status"] == "draft"


@pytest.fixture
def schema(users) -> dict:
    api = APIClient()
    api.force_authenticate(users["viewer"])
    return api.get("/api/schema/?format=json").json()


def _body(schema: dict, path: str, method: str) -> dict:
    ref = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def _enum(schema: dict, prop: dict) -> set[str]:
    if "$ref" not in prop:
        prop = next(p for p in prop.get("allOf", prop.get("oneOf", [])) if "$ref" in p)
    return set(schema["components"]["schemas"][prop["$ref"].rsplit("/", 1)[1]]["enum"])


@pytest.mark.django_db
def test_the_schema_says_an_edit_does_not_set_a_state(schema):
    """An impact analysis's status moves by its review only: the schema of an edit holds it
    read-only (the value sent is ignored), while a new analysis still names it."""
    one = "/api/continuity/impact-analyses/{id}/"
    for method in ("put", "patch"):
        status = _body(schema, one, method)["properties"].get("status")
        assert status is None or status.get("readOnly"), status
    assert "status" in _body(schema, "/api/continuity/impact-analyses/", "post")["properties"]
    answer = schema["paths"][one]["patch"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"]["$ref"].endswith("/ImpactAnalysis")


@pytest.mark.django_db
def test_the_schema_offers_only_the_decisions_an_edit_sets(schema, exposure, users):
    """An exposure's status: an edit sets the decisions, never "gone" (matching's word)."""
    S = Exposure.Status
    decisions = {S.OPEN, S.MITIGATED, S.ACCEPTED, S.NOT_AFFECTED}
    one = "/api/cyber/exposures/{id}/"
    for method in ("put", "patch"):
        status = _body(schema, one, method)["properties"]["status"]
        assert _enum(schema, status) == decisions
        assert "changed by the record's own actions" in status["description"]
    answer = schema["components"]["schemas"]["Exposure"]["properties"]["status"]
    assert S.GONE in _enum(schema, answer)  # what the API answers may still be "gone"

    api = APIClient()
    api.force_authenticate(users["admin"])
    url = f"/api/cyber/exposures/{exposure.pk}/"
    refused = api.patch(url, {"status": S.GONE, "version": exposure.version}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()
    done = api.patch(url, {"status": S.ACCEPTED, "version": exposure.version}, format="json")
    assert done.status_code == 200 and done.json()["status"] == S.ACCEPTED
