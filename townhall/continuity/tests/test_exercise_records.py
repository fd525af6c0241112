"""Exercise records join the platform's contract: permissions, audit, conflicts, API.

Exercises and their measured results belong to no department, so only IT staff and
administrators write them; a follow-up action belongs to the department that must do it,
so its department's liaison may update it (and only theirs)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from townhall.continuity import models as m
from townhall.continuity.tests import factories as f
from townhall.core import context, services
from townhall.core.testing import ResourceContract


def exercise(n: int) -> m.Exercise:
    return services.create(
        context.SYSTEM,
        m.Exercise,
        {
            "name": f"Drill {n}",
            "scenario": "weather",
            "held_on": datetime.date(2026, 3, n % 28 + 1),
        },
    )


class TestExerciseContract(ResourceContract):
    model = m.Exercise
    shared = True

    def data(self, departments, n=1):
        return {
            "name": f"Exercise {n}",
            "kind": "tabletop",
            "scenario": "cyber",
            "held_on": "2026-03-01",
            "participants": "CIO\nCity clerk",
        }


class TestExerciseResultContract(ResourceContract):
    model = m.ExerciseResult
    shared = True

    def data(self, departments, n=1):
        return {
            "exercise": exercise(n),
            "service": f.service(f"Service {n}", departments["PW"]),
            "measured_hours": "12.5",
            "rto_hours": "8",
        }


class TestFollowUpContract(ResourceContract):
    model = m.FollowUp

    def data(self, departments, n=1):
        return {
            "exercise": exercise(n),
            "title": f"Follow-up {n}",
            "status": "open",
            "due_on": "2026-06-30",
        }


@pytest.mark.django_db
def test_liaison_updates_own_departments_follow_up_status(users, departments):
    ex = exercise(1)
    own = services.create(
        context.SYSTEM,
        m.FollowUp,
        {"exercise": ex, "title": "Call tree", "owner_department": departments["PW"]},
    )
    other = services.create(
        context.SYSTEM,
        m.FollowUp,
        {"exercise": ex, "title": "SAN restore", "owner_department": departments["FIN"]},
    )
    client = Client()
    client.force_login(users["liaison"])
    post = {
        "exercise": ex.pk,
        "title": "Call tree",
        "owner_department": departments["PW"].pk,
        "status": "done",
        "done_on": "2026-05-01",
        "version": own.version,
    }
    assert client.post(f"/continuity/follow-up-actions/{own.pk}/edit/", post).status_code == 302
    own.refresh_from_db()
    assert (own.status, own.done_on) == ("done", datetime.date(2026, 5, 1))
    post.update(title="SAN restore", owner_department=departments["FIN"].pk, version=1)
    response = client.post(f"/continuity/follow-up-actions/{other.pk}/edit/", post)
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == "open"
    # Bulk edit of status: refused as a whole when one selected action is not theirs.
    response = client.post(
        "/continuity/follow-up-actions/bulk-edit/",
        {"pk": [own.pk, other.pk], "status": "in_progress", "apply": "1"},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == "open"


@pytest.mark.django_db
def test_done_needs_a_date_and_only_done_has_one(departments):
    ex = exercise(2)
    with pytest.raises(ValidationError, match="Give the date the action was done"):
        services.create(
            context.SYSTEM,
            m.FollowUp,
            {"exercise": ex, "title": "x", "status": "done", "owner_department": departments["PW"]},
        )
    with pytest.raises(ValidationError, match="Only a done action has a done date"):
        services.create(
            context.SYSTEM,
            m.FollowUp,
            {
                "exercise": ex,
                "title": "y",
                "status": "open",
                "done_on": datetime.date(2026, 1, 1),
                "owner_department": departments["PW"],
            },
        )


@pytest.mark.django_db
def test_one_result_per_service_in_an_exercise(departments):
    ex = exercise(3)
    svc = f.service("Payroll", departments["FIN"])
    values = {"exercise": ex, "service": svc, "measured_hours": 3}
    services.create(context.SYSTEM, m.ExerciseResult, values)
    with pytest.raises(ValidationError, match="already exists"):
        services.create(context.SYSTEM, m.ExerciseResult, values)
