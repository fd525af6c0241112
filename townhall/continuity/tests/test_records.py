"""Continuity records join the platform's contract: permissions, audit, conflicts, API.
The owner department is the one owning the service, system or component described, so a
liaison fills in their own department's analyses; RTO may not exceed MTD."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from townhall.continuity import models as m
from townhall.continuity.tests import factories as f
from townhall.core import context, services
from townhall.core.testing import ResourceContract


class ParentOwned(ResourceContract):
    """The record describes something of the owner's department (`parent`)."""

    def parent(self, departments, owner, n):
        raise NotImplementedError

    def data(self, departments, n=1, owner="PW"):
        raise NotImplementedError

    def make(self, departments, owner="PW", n=1):
        values = self.data(departments, n, owner)
        values["owner_department"] = departments[owner]
        return services.create(context.SYSTEM, self.model, values)

    def form_post(self, departments, owner="PW", n=2, **extra):
        values = {**self.data(departments, n, owner), "owner_department": departments[owner]}
        post = {}
        for key, value in {**values, **extra}.items():
            post[key] = "" if value is None else getattr(value, "pk", value)
        return post


class TestImpactAnalysisContract(ParentOwned):
    model = m.ImpactAnalysis

    def data(self, departments, n=1, owner="PW"):
        return {
            "service": f.service(f"Service {n}", departments[owner]),
            "status": "draft",
            "essential_function": "mef",
            "mtd_hours": "72",
            "rto_hours": "24",
            "rpo_hours": "4",
        }

    def invalid(self, departments):
        return [
            ("impacts", lambda post: {"impacts": '{"finance": {"24h": 9}}'}),
            ("rto_hours", lambda post: {"mtd_hours": "4", "rto_hours": "24"}),
        ]


class TestRecoveryCapabilityContract(ParentOwned):
    model = m.RecoveryCapability

    def data(self, departments, n=1, owner="PW"):
        return {
            "system": f.system(f"System {n}", departments[owner]),
            "backup_frequency_hours": "24",
            "restore_hours": "6",
        }

    def invalid(self, departments):
        return [("procedure_link", lambda post: {"procedure_link": "not a link"})]


# --- the owner department comes from the service ------------------------------------------


@pytest.mark.django_db
def test_owner_department_is_filled_in_from_the_service(departments):
    analysis = f.impact(f.service("Payroll", departments["FIN"]))
    assert analysis.owner_department == departments["FIN"]
    capability = f.recovery(f.component("SAN", departments["PW"]))
    assert capability.owner_department == departments["PW"]


@pytest.mark.django_db
def test_owner_department_must_be_the_services(departments):
    svc = f.service("Payroll", departments["FIN"])
    with pytest.raises(ValidationError) as raised:
        f.impact(svc, owner_department=departments["PW"])
    assert "Payroll" in str(raised.value.message_dict["owner_department"])


@pytest.mark.django_db
def test_liaison_adds_and_edits_own_departments_analysis_only(users, departments):
    own = f.service("Street repairs", departments["PW"])
    other = f.service("Payroll", departments["FIN"])
    client = Client()
    client.force_login(users["liaison"])  # of Public Works
    response = client.post(
        "/continuity/impact-analyses/add/",
        {"service": own.pk, "status": "draft", "essential_function": "mef", "rto_hours": "8"},
    )
    assert response.status_code == 302, response.content
    mine = m.ImpactAnalysis.objects.get(service=own)
    assert mine.owner_department == departments["PW"]
    response = client.post(
        "/continuity/impact-analyses/add/",
        {"service": other.pk, "status": "draft", "essential_function": "mef"},
    )
    assert response.status_code in (400, 403)
    assert not m.ImpactAnalysis.objects.filter(service=other).exists()
    theirs = f.impact(other)
    url = f"/continuity/impact-analyses/{theirs.pk}/edit/"
    assert client.get(url).status_code == 403
    assert client.get(f"/continuity/impact-analyses/{mine.pk}/edit/").status_code == 200


@pytest.mark.django_db
def test_only_it_approves_an_analysis_by_any_route(users, departments):
    """A liaison cannot approve their own department's analysis: the edit page, the API and
    bulk edit move no analysis's status (approval is IT's step), and a new record cannot
    start approved; IT staff approve by the step."""
    own = f.service("Street repairs", departments["PW"])
    mine = f.impact(own, status="submitted")
    client = Client()
    client.force_login(users["liaison"])  # of Public Works
    response = client.post(
        f"/continuity/impact-analyses/{mine.pk}/edit/",
        {"service": own.pk, "status": "approved", "essential_function": "mef", "version": 1},
    )
    assert response.status_code == 302  # the other fields saved; the status field is shown only
    mine.refresh_from_db()
    assert mine.status == "submitted"
    api = APIClient()
    api.force_authenticate(users["liaison"])
    response = api.patch(
        f"/api/continuity/impact-analyses/{mine.pk}/",
        {"status": "approved", "version": mine.version},
    )
    # The API's edit holds the status read-only (its schema says so): the value is ignored.
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    mine.refresh_from_db()
    assert mine.status == "submitted"
    with pytest.raises(ValidationError) as refused:
        services.update_many(users["liaison"], [mine], {"status": "approved"})
    assert "status" in refused.value.error_dict
    with pytest.raises(PermissionDenied):
        services.create(
            users["liaison"],
            m.ImpactAnalysis,
            {"service": f.service("Potholes", departments["PW"]), "status": "approved"},
        )
    with pytest.raises(PermissionDenied):
        services.transition(users["liaison"], mine, "approved")
    mine.refresh_from_db()
    assert mine.status == "submitted"
    services.transition(users["staff"], mine, "approved")
    services.update(users["liaison"], mine, {"notes": "Checked"}, version=None)
    mine.refresh_from_db()
    assert (mine.status, mine.notes) == ("approved", "Checked")


# --- RTO no longer than MTD ----------------------------------------------------------------


@pytest.mark.django_db
def test_rto_longer_than_mtd_is_refused_by_page(client_for, departments):
    svc = f.service("Permits", departments["PW"])
    response = client_for("staff").post(
        "/continuity/impact-analyses/add/",
        {
            "service": svc.pk,
            "status": "draft",
            "essential_function": "mef",
            "mtd_hours": "24",
            "rto_hours": "48",
        },
    )
    assert response.status_code == 400
    assert (
        "cannot be longer than the maximum tolerable downtime (24 h)" in response.content.decode()
    )
    assert not m.ImpactAnalysis.objects.exists()


@pytest.mark.django_db
def test_rto_longer_than_mtd_is_refused_by_api(users, departments):
    svc = f.service("Permits", departments["PW"])
    api = APIClient()
    api.force_authenticate(users["staff"])
    response = api.post(
        "/api/continuity/impact-analyses/",
        {"service": svc.pk, "mtd_hours": "4", "rto_hours": "4.5"},
        format="json",
    )
    assert response.status_code == 400
    assert "maximum tolerable downtime" in response.content.decode()
    response = api.post(
        "/api/continuity/impact-analyses/",
        {"service": svc.pk, "mtd_hours": "4", "rto_hours": "4"},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = m.ImpactAnalysis.objects.get()
    response = api.patch(
        f"/api/continuity/impact-analyses/{created.pk}/",
        {"rto_hours": "8", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    created.refresh_from_db()
    assert created.rto_hours == 4


# --- the impact grid ---------------------------------------------------------------------


def test_impact_errors_name_the_cell():
    assert m.impact_errors({"finance": {"1h": 1, "1w": 5}}) == []
    assert m.impact_errors({}) == []
    assert m.impact_errors({"weather": {"1h": 1}}) == [
        "“weather” is not an impact category (use one of public_safety, finance, legal, "
        "residents, reputation)."
    ]
    assert m.impact_errors({"finance": {"2h": 1}})[0].startswith(
        "Finance: “2h” is not an escalation point"
    )
    assert m.impact_errors({"finance": {"4h": 6}}) == [
        "Finance after 4 hours: the rating must be a whole number from 1 to 5, not 6."
    ]
    assert len(m.impact_errors({"finance": {"4h": "3"}, "legal": {"1h": True}})) == 2
    assert m.impact_errors([1]) == ["The impact grid must map each category to its ratings."]


@pytest.mark.django_db
def test_impact_grid_form_saves_ratings_and_shows_them(client_for, departments):
    svc = f.service("Dispatch", departments["PW"])
    client = client_for("staff")
    page = client.get("/continuity/impact-analyses/add/").content.decode()
    assert 'for="id_impacts_public_safety_1h"' in page
    assert "Public safety after 1 hour" in page
    response = client.post(
        "/continuity/impact-analyses/add/",
        {
            "service": svc.pk,
            "status": "draft",
            "essential_function": "pmef",
            "impacts_public_safety_1h": "4",
            "impacts_public_safety_4h": "5",
            "impacts_finance_1w": "2",
            "impacts_legal_1h": "",
        },
    )
    assert response.status_code == 302, response.content
    saved = m.ImpactAnalysis.objects.get()
    assert saved.impacts == {"public_safety": {"1h": 4, "4h": 5}, "finance": {"1w": 2}}
    edit = client.get(f"/continuity/impact-analyses/{saved.pk}/edit/").content.decode()
    assert '<option value="5" selected>' in edit


@pytest.mark.django_db
def test_impact_grid_bad_rating_is_a_clear_400(client_for, departments):
    svc = f.service("Dispatch", departments["PW"])
    response = client_for("staff").post(
        "/continuity/impact-analyses/add/",
        {
            "service": svc.pk,
            "status": "draft",
            "essential_function": "mef",
            "impacts_finance_24h": "9",
        },
    )
    assert response.status_code == 400
    assert "Finance after 24 hours: the rating must be a whole number from 1 to 5" in (
        response.content.decode()
    )
    assert not m.ImpactAnalysis.objects.exists()


@pytest.mark.django_db
def test_api_impact_grid_is_validated(users, departments):
    svc = f.service("Dispatch", departments["PW"])
    api = APIClient()
    api.force_authenticate(users["staff"])
    response = api.post(
        "/api/continuity/impact-analyses/",
        {"service": svc.pk, "impacts": {"finance": {"1h": 0}}},
        format="json",
    )
    assert response.status_code == 400
    assert "Finance after 1 hour" in response.content.decode()


# --- recovery capability -------------------------------------------------------------------


@pytest.mark.django_db
def test_recovery_capability_is_for_exactly_one_item(departments):
    sys_, comp = f.system("ERP", departments["FIN"]), f.component("SAN", departments["FIN"])
    with pytest.raises(ValidationError, match="exactly one system or one component"):
        f.recovery(sys_, component=comp)
    with pytest.raises(ValidationError, match="exactly one system or one component"):
        services.create(context.SYSTEM, m.RecoveryCapability, {"restore_hours": 1})
    f.recovery(sys_)
    with pytest.raises(ValidationError):
        f.recovery(sys_)  # one per item


@pytest.mark.django_db
def test_detail_page_shows_the_grid(client_for, departments):
    saved = f.impact(f.service("Dispatch", departments["PW"]), impacts={"reputation": {"72h": 4}})
    page = client_for("viewer").get(f"/continuity/impact-analyses/{saved.pk}/").content.decode()
    assert (
        '<th scope="row">Reputation</th><td class="th-num">—</td><td class="th-num">—</td>'
        '<td class="th-num">—</td><td class="th-num">4</td>' in page
    )
    assert "{&#x27;reputation" not in page  # not the raw JSON
