"""All five lanes of a continuum self-assessment rated in one form: saved through the write
path all or nothing, a refused lane named beside its row, reached from the emergency
communications page and the assessment's own page, and closed to viewers."""

import datetime

import pytest

from townhall.audit.models import AuditEntry
from townhall.registers.models import LaneRating
from townhall.registers.tests import radio_factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def _form(**lanes: tuple[str, str]) -> dict[str, str]:
    data = {}
    for lane in ("governance", "procedures", "technology", "training", "usage"):
        level, evidence = lanes.get(lane, ("", ""))
        data[f"{lane}-level"] = level
        data[f"{lane}-evidence"] = evidence
    return data


def test_the_five_lanes_are_saved_together_or_not_at_all(users, client_for):
    assessment = f.assessment(DAY, governance=2)
    url = f"/registers/continuum-assessments/{assessment.pk}/lanes/"
    governance = LaneRating.objects.get()
    staff = client_for("staff")
    # Linked from the emergency communications page and the assessment's own page.
    assert url in staff.get("/registers/emergency-communications/").content.decode()
    assert url in staff.get(assessment.get_absolute_url()).content.decode()
    page = staff.get(url).content.decode()
    assert page.count("<select") == 5 and "2: Informal contacts" in page

    # One bad lane (a rated lane emptied) and one bad level: nothing is written.
    written = AuditEntry.objects.count()
    data = _form(
        governance=("", "Board formed"),
        technology=("4", "Shared P25 system"),
        usage=("9", "Every day"),
        training=("\u00b2", "A superscript two: a digit to Python, but no level"),
    )
    refused = staff.post(url, data)
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="governance-level-error">A rated lane keeps a level' in body
    assert 'id="usage-level-error">Choose a level from 1 to 5.' in body
    assert 'id="training-level-error">Choose a level from 1 to 5.' in body
    assert 'id="technology-level-error"' not in body
    assert "Shared P25 system" in body  # what was typed is kept
    assert LaneRating.objects.count() == 1 and AuditEntry.objects.count() == written
    governance.refresh_from_db()
    assert governance.level == 2

    # All good: created and changed through the write path, each audited.
    data = _form(
        governance=("3", "Board formed"),
        technology=("4", "Shared P25 system"),
        usage=("3", "Large incidents"),
    )
    data["governance-version"] = str(governance.version)
    saved = staff.post(url, data)
    assert saved.status_code == 302 and saved["Location"] == assessment.get_absolute_url()
    levels = dict(LaneRating.objects.values_list("lane", "level"))
    assert levels == {"governance": 3, "technology": 4, "usage": 3}
    assert AuditEntry.objects.count() == written + 3

    # Someone changed the technology lane since the form was opened: the procedures lane,
    # written before the refusal, is undone with it.
    stale = _form(
        governance=("3", "Board formed"),
        procedures=("2", "Fire only"),
        technology=("5", "Standards throughout"),
        usage=("3", "Large incidents"),
    )
    stale["governance-version"] = str(LaneRating.objects.get(lane="governance").version)
    stale["technology-version"] = "0"
    conflict = staff.post(url, stale)
    assert conflict.status_code == 400 and "Nothing was saved" in conflict.content.decode()
    assert LaneRating.objects.get(lane="technology").level == 4
    assert LaneRating.objects.count() == 3 and AuditEntry.objects.count() == written + 3

    # A viewer sees the ratings but may not change them.
    viewer = client_for("viewer")
    shown = viewer.get(url)
    assert shown.status_code == 200 and "<select" not in shown.content.decode()
    assert url not in viewer.get("/registers/emergency-communications/").content.decode()
    assert viewer.post(url, _form(training=("1", "On the job"))).status_code == 403
    assert not LaneRating.objects.filter(lane__in=["procedures", "training"]).exists()
    assert staff.get("/registers/continuum-assessments/999999/lanes/").status_code == 404
