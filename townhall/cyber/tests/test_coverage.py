"""Boots on the ground: the standard functions, the flags for uncovered and part-time
functions, seeding, the matrix page and changing a row in place (with conflicts)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.cyber import coverage
from townhall.cyber import models as m
from townhall.cyber.tests import plan_factories as pf

MONITORING = "Security monitoring and alert triage"

# --- plain computation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ("24×7", True),
        ("24x7", True),
        ("24/7", True),
        ("24 x 7 x 365", True),
        ("Around the clock", True),
        ("24 hours, every day", True),
        ("Business hours", False),
        ("Mon–Fri 8–5", False),
        ("", None),
        ("   ", None),
    ],
)
def test_round_the_clock(hours, expected):
    assert coverage.round_the_clock(hours) is expected


def test_which_functions_need_24x7():
    assert coverage.needs_round_the_clock(MONITORING)
    assert coverage.needs_round_the_clock("  security MONITORING and alert  triage ")
    assert coverage.needs_round_the_clock("Incident response")
    assert not coverage.needs_round_the_clock("Patching of systems and applications")
    assert coverage.needs_round_the_clock("Help desk for the 911 center, 24x7")
    assert not coverage.needs_round_the_clock("Help desk")


def test_flags():
    assert coverage.flags("Penetration testing", "nobody", "") == [
        coverage.Flag("uncovered", "Nobody performs this function.")
    ]
    assert coverage.flags(MONITORING, "nobody", "24x7")[0].kind == "uncovered"
    assert coverage.flags(MONITORING, "managed", "business hours") == [
        coverage.Flag("part_time", "Needs 24×7 coverage; covered only business hours.")
    ]
    assert coverage.flags(MONITORING, "state", "")[0].kind == "hours_unknown"
    assert coverage.flags(MONITORING, "managed", "24/7") == []
    assert coverage.flags("Penetration testing", "managed", "once a year") == []


def test_standard_list():
    keys = [f.key for f in coverage.FUNCTIONS]
    names = [coverage.normalized(f.name) for f in coverage.FUNCTIONS]
    assert len(keys) == len(set(keys)) == len(set(names)) == 18
    assert {f.key for f in coverage.FUNCTIONS if f.round_the_clock} == {
        "monitoring",
        "incident_response",
    }
    assert all(len(f.name) <= 200 and f.description for f in coverage.FUNCTIONS)
    missing = coverage.missing(["incident RESPONSE", "Something of our own"])
    assert len(missing) == 17
    assert "Incident response" not in [f.name for f in missing]


# --- seeding ----------------------------------------------------------------------------


def test_seed_adds_the_missing_functions_once(users):
    ours = pf.coverage("Incident Response", performer="managed", provider="State CIRT")

    added = coverage.seed_functions(users["staff"])

    assert len(added) == 17
    assert all(row.performer == "nobody" for row in added)
    assert [r.function for r in m.Coverage.objects.exclude(pk=ours.pk).order_by("order")] == [
        f.name for f in coverage.FUNCTIONS if f.key != "incident_response"
    ]
    assert added[0].notes == coverage.FUNCTIONS[0].description
    ours.refresh_from_db()
    assert (ours.function, ours.performer, ours.version) == ("Incident Response", "managed", 1)

    assert coverage.seed_functions(users["staff"]) == []
    assert m.Coverage.objects.count() == 18


@pytest.mark.parametrize("role", ["viewer", "liaison", "board"])
def test_only_it_staff_seed(users, role):
    with pytest.raises(PermissionDenied):
        coverage.seed_functions(users[role])
    assert m.Coverage.objects.count() == 0


def test_seed_button(users, client_for):
    response = client_for("staff").post(reverse("cyber:coverage_seed"), follow=True)
    assert "Added 18 standard functions" in response.content.decode()
    again = client_for("staff").post(reverse("cyber:coverage_seed"), follow=True)
    assert "nothing added" in again.content.decode()
    assert client_for("viewer").post(reverse("cyber:coverage_seed")).status_code == 403
    assert m.Coverage.objects.count() == 18


# --- the matrix -------------------------------------------------------------------------


@pytest.fixture
def rows(db):
    return {
        "monitoring": pf.coverage(
            MONITORING, "managed", provider="Acme SOC", hours="business hours", order=1
        ),
        "ir": pf.coverage("Incident response", "state", provider="State CIRT", order=2),
        "patching": pf.coverage("Patching of systems and applications", "in_house", order=3),
        "pentest": pf.coverage("Penetration testing", "nobody", order=4),
    }


def test_matrix_marks_and_flags(users, client_for, rows):
    response = client_for("viewer").get(reverse("cyber:coverage_matrix"))
    assert response.status_code == 200
    text = response.content.decode()
    # One mark per row, in its performer's column (4 performer columns).
    assert text.count('<span aria-hidden="true">●</span>') == 4
    assert 'Not covered</span><span class="usa-sr-only">: nobody performs this function.' in text
    assert "Not 24×7</span> Needs 24×7 coverage; covered only business hours." in text
    assert "Hours unknown</span>" in text  # incident response, no hours written
    assert "<strong>Nobody performs:</strong>" in text
    assert "<summary>Change" not in text  # viewers get no forms

    data = coverage.matrix(users["viewer"])
    marks = {x["row"].function: x["row"].performer for x in data["lines"]}
    assert marks["Penetration testing"] == "nobody"
    assert data["counts"] == {"in_house": 1, "managed": 1, "state": 1, "nobody": 1}


def test_matrix_is_not_for_liaisons(users, client_for, rows):
    liaison = client_for("liaison")
    assert liaison.get(reverse("cyber:coverage_matrix")).status_code == 403
    url = reverse("cyber:coverage_change", args=[rows["pentest"].pk])
    assert liaison.post(url, {}).status_code == 403


def test_coverage_summary(users, rows):
    summary = coverage.coverage_summary(users["board"])
    assert summary == {
        "functions": 4,
        "covered": 3,
        "uncovered": ["Penetration testing"],
        "part_time": [MONITORING],
        "hours_unknown": ["Incident response"],
        "by_performer": [
            ("In-house staff", 1),
            ("Managed service", 1),
            ("State program", 1),
            ("Nobody", 1),
        ],
        "standard_missing": 14,
        "url": reverse("cyber:coverage_matrix"),
    }
    assert coverage.coverage_summary(users["liaison"])["functions"] == 0


def test_matrix_queries_do_not_grow_with_rows(users, client_for):
    client = client_for("staff")
    person = pf.f.person(1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cyber:coverage_matrix")).status_code == 200
        return len(ctx.captured_queries)

    pf.coverage("Function 1", "managed", contact=person)
    few = queries()
    for n in range(2, 12):
        pf.coverage(f"Function {n}", "in_house", contact=person)
    assert queries() == few


# --- changing a row ---------------------------------------------------------------------


def _post(row, **values):
    data = {"performer": row.performer, "provider": row.provider, "hours": row.hours}
    data.update(values)
    data.setdefault("version", row.version)
    return {f"c{row.pk}-{k}": v for k, v in data.items()}


def test_staff_change_a_row(users, client_for, rows):
    row = rows["pentest"]
    url = reverse("cyber:coverage_change", args=[row.pk])

    response = client_for("staff").post(
        url, _post(row, performer="managed", provider="Red Team LLC", hours="once a year")
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/cyber/coverage/#coverage-{row.pk}")
    row.refresh_from_db()
    assert (row.performer, row.provider, row.hours, row.version) == (
        "managed",
        "Red Team LLC",
        "once a year",
        2,
    )
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(m.Coverage),
        object_id=str(row.pk),
        action="update",
    ).get()
    assert entry.actor == users["staff"]
    assert entry.before["performer"] == "nobody" and entry.after["performer"] == "managed"


def test_stale_row_shows_the_conflict(users, client_for, rows):
    row = rows["monitoring"]
    opened = _post(row, hours="24x7")
    services.update(users["admin"], row, {"provider": "Beta SOC"}, version=row.version)
    url = reverse("cyber:coverage_change", args=[row.pk])

    response = client_for("staff").post(url, opened)

    assert response.status_code == 409
    text = response.content.decode()
    assert f"“{MONITORING}”</a> was changed by someone else while you were editing it." in text
    assert "What changed meanwhile" in text
    assert "Beta SOC" in text and "admin1" in text
    assert "<details open>" in text
    assert 'value="24x7"' in text  # the person's own entry is kept
    row.refresh_from_db()
    assert (row.provider, row.hours) == ("Beta SOC", "business hours")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"performer": "wizards"}, "Select a valid choice."),
        ({"version": ""}, "The form is missing its version; reload the page."),
        ({"version": "abc"}, "Enter a whole number."),
    ],
)
def test_bad_row_posts_answer_400(users, client_for, rows, values, message):
    row = rows["pentest"]
    url = reverse("cyber:coverage_change", args=[row.pk])
    response = client_for("staff").post(url, _post(row, **values))
    assert response.status_code == 400
    assert message in response.content.decode()
    row.refresh_from_db()
    assert row.version == 1


def test_viewer_cannot_change_a_row(users, client_for, rows):
    row = rows["pentest"]
    url = reverse("cyber:coverage_change", args=[row.pk])
    assert client_for("viewer").post(url, _post(row, performer="managed")).status_code == 403
    assert client_for("staff").post(reverse("cyber:coverage_change", args=[9999])).status_code == (
        404
    )
    row.refresh_from_db()
    assert row.performer == "nobody"


def test_seeded_rows_keep_the_system_actor(db):
    added = coverage.seed_functions(context.SYSTEM)
    assert len(added) == 18
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(m.Coverage), object_id=str(added[0].pk)
    ).get()
    assert entry.actor_name == "system"
