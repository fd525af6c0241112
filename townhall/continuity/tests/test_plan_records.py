"""Recovery plans and their roles join the platform's contract: permissions, audit,
conflicts, API. A plan belongs to no department, so liaisons read it and change nothing;
an approved version changes no more, by page or API."""

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from townhall.continuity import models as m
from townhall.continuity import plans
from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.estate.models import Person


def plan(n: int = 1, **values) -> m.RecoveryPlan:
    return services.create(
        context.SYSTEM, m.RecoveryPlan, {"number": n, "purpose": f"Purpose {n}", **values}
    )


def approved(n: int = 1) -> m.RecoveryPlan:
    person = services.create(context.SYSTEM, Person, {"name": f"Coordinator {n}"})
    draft = plan(n, scope="All services", activation="When needed", coordinator=person)
    return plans.approve(
        context.SYSTEM,
        draft,
        approver_name="Dana Reyes",
        approver_title="County Manager",
        approved_on=datetime.date(2026, 1, 5),
    )


class TestRecoveryPlanContract(ResourceContract):
    model = m.RecoveryPlan
    shared = True  # no department: only IT staff and administrators change plans

    def data(self, departments, n=1):
        return {"title": f"Plan {n}", "purpose": f"Purpose {n}"}  # numbered in turn

    @pytest.mark.django_db
    def test_api_bad_input_is_json_400(self, users, departments):
        """Every field of a plan may start blank (an empty body is a valid new draft), so
        the bad input here is a body that is not a record and a title over its limit."""
        api = self.api(users["staff"])
        for body in ([], {"title": "x" * 201}, {"coordinator": "nobody"}):
            response = api.post(self.api_url(), body, format="json")
            assert response.status_code == 400, (body, response.content)
            assert response["Content-Type"].startswith("application/json")
        assert not m.RecoveryPlan.objects.exists()


class TestPlanRoleContract(ResourceContract):
    model = m.PlanRole
    shared = True

    def data(self, departments, n=1):
        return {"plan": plan(n), "role": f"Role {n}", "responsibilities": "Leads", "order": n}


# --- an approved version no longer changes ---------------------------------------------------


@pytest.mark.django_db
def test_api_refuses_to_change_an_approved_plan(users, departments):
    done = approved()
    api = APIClient()
    api.force_authenticate(users["admin"])
    response = api.patch(
        f"/api/continuity/recovery-plans/{done.pk}/",
        {"purpose": "Rewritten", "version": done.version},
        format="json",
    )
    assert response.status_code == 403
    assert api.delete(f"/api/continuity/recovery-plans/{done.pk}/").status_code == 403
    done.refresh_from_db()
    assert done.purpose == "Purpose 1" and done.status == "approved"
    # The approval fields are not writable through the API either.
    draft = plan(2)
    response = api.patch(
        f"/api/continuity/recovery-plans/{draft.pk}/",
        {"status": "approved", "approver_name": "Me", "version": draft.version},
        format="json",
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.approver_name == ""


@pytest.mark.django_db
def test_pages_refuse_to_change_an_approved_plan(client_for, departments):
    done = approved()
    staff = client_for("staff")
    assert staff.get(f"/continuity/recovery-plans/{done.pk}/edit/").status_code == 403
    assert staff.get(f"/continuity/recovery-plans/{done.pk}/delete/").status_code == 403
    page = staff.get(f"/continuity/recovery-plans/{done.pk}/").content.decode()
    assert f"/continuity/recovery-plans/{done.pk}/edit/" not in page


@pytest.mark.django_db
def test_roles_of_an_approved_plan_are_fixed(users, departments):
    done = approved()
    role = services.create(context.SYSTEM, m.PlanRole, {"plan": plan(2), "role": "Lead"})
    api = APIClient()
    api.force_authenticate(users["staff"])
    response = api.post(
        "/api/continuity/plan-roles/", {"plan": done.pk, "role": "Late addition"}, format="json"
    )
    assert response.status_code == 400
    assert "start a new version" in response.content.decode()
    response = Client()
    response.force_login(users["staff"])
    page = response.post("/continuity/plan-roles/add/", {"plan": done.pk, "role": "Late"})
    assert page.status_code == 400
    assert not m.PlanRole.objects.filter(plan=done).exists()
    assert role.plan.status == "draft"


@pytest.mark.django_db
def test_new_plan_page_and_generic_add_number_versions_in_turn(client_for):
    staff = client_for("staff")
    assert staff.post("/continuity/recovery-plans/new/").status_code == 302
    first = m.RecoveryPlan.objects.get()
    assert first.number == 1
    assert m.PlanRole.objects.filter(plan=first).count() == len(plans.DEFAULT_ROLES)
    response = staff.post("/continuity/recovery-plans/add/", {"title": "Interim plan"})
    assert response.status_code == 302
    assert m.RecoveryPlan.objects.get(title="Interim plan").number == 2


@pytest.mark.django_db
def test_plan_page_tells_the_plan_version_from_the_record_revision(client_for):
    """The plan's version is its number; edits to the record count as revisions, so a
    leader never reads "version 3" under "version 1"."""
    staff = client_for("staff")
    staff.post("/continuity/recovery-plans/new/")
    first = m.RecoveryPlan.objects.get()
    services.update(context.SYSTEM, first, {"notes": "a"}, version=None)
    services.update(context.SYSTEM, first, {"notes": "b"}, version=None)
    page = staff.get(first.get_absolute_url()).content.decode()
    assert ", version 1</h1>" in page
    assert "· revision 3 ·" in page and "version 3" not in page
