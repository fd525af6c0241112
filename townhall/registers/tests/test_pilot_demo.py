"""The demo county's pilots: one at each point of the pipeline, the drone pilot awaiting
its surveillance review, and readiness assessments; made once. The whole registers demo as
the front page shows it."""

import pytest

from townhall.audit.models import AuditEntry
from townhall.core import context
from townhall.estate import demo as estate_demo
from townhall.org import demo as org_demo
from townhall.registers import demo, pilots_input, reviews
from townhall.registers.models import Dataset, Pilot, ReadinessAssessment, SurveillanceReview

SIZES = estate_demo.Sizes(
    services=10,
    systems=12,
    components=20,
    vendors=8,
    contracts=2,
    dependencies=30,
    it_staff=4,
    owners_per_department=1,
)


@pytest.mark.django_db
def test_the_demo_tells_the_pilots_story_once():
    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        made = demo.load()
    assert made >= 6
    stages = set(Pilot.objects.values_list("stage", flat=True))
    assert stages == {"idea", "pilot", "evaluation", "scaled", "stopped"}
    rows = {r["pilot"].title: r for r in pilots_input.pipeline_rows(context.SYSTEM)}
    assert rows["Bridge inspection drones"]["flag"] == "Awaiting its surveillance review"
    parking = Pilot.objects.get(title="Smart parking sensors downtown")
    assert parking.stage == "scaled" and parking.components.exists()
    chatbot = Pilot.objects.get(title="Resident questions chatbot")
    assert chatbot.stage == "stopped" and chatbot.evaluation_on is not None
    assert SurveillanceReview.objects.filter(decision="approved_with_conditions").exists()
    assert ReadinessAssessment.objects.count() == 3
    assert all(a.result.complete and a.review_owner for a in ReadinessAssessment.objects.all())
    moves = AuditEntry.objects.filter(after__has_key="transition").count()
    assert moves >= 8
    # What a CIO sees of the whole demo on the registers' front page, the day it is loaded:
    # a few records past their review day, not a register gone stale (the datasets' review
    # days were fixed in the past); only the pending surveillance review never reviewed; a
    # superseded continuum assessment not owed a review.
    assert all(p.description for p in Pilot.objects.all())
    board = {r.label: r for r in reviews.summaries(context.SYSTEM)}
    assert all(r.records and r.overdue * 2 < r.records for r in board.values()), board
    assert board["Surveillance reviews"].never_reviewed == 1
    assert board["Continuum self-assessments"].overdue == 0
    assert board["Datasets"].overdue == 1 and board["Datasets"].due_soon == 1
    assert set(Dataset.objects.values_list("spatial", flat=True)) == {"Juniper County"}
    assert not Dataset.objects.filter(landing_page__contains="example-county").exists()
    entries = AuditEntry.objects.count()
    with context.acting("cli"):
        assert demo.load() == 0
    assert AuditEntry.objects.count() == entries
