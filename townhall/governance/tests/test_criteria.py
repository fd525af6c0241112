"""Criteria sets: presets, anchors, frozen editions once a cycle uses them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from townhall.core import context, services
from townhall.governance import forms, presets
from townhall.governance import services as gov
from townhall.governance.models import Ballot, CriteriaSet, Criterion


def test_presets_carry_the_published_weights():
    weights = {c["name"]: c["weight"] for c in presets.ORANGE_COUNTY_STYLE["criteria"]}
    assert weights == {
        "Statutory compliance": 15,
        "Service to residents": 20,
        "Cost savings or revenue": 25,
        "Alignment with adopted plans": 10,
        "Internal service improvement": 20,
        "Enterprise scope": 10,
    }
    assert sum(c["weight"] for c in presets.STATE_RUBRIC["criteria"]) == 100
    for preset in presets.PRESETS.values():
        low, high = preset["scale"]
        for criterion in preset["criteria"]:
            assert all(low <= score <= high for score, _ in criterion["anchors"])


def test_anchor_lines_parse_and_bad_lines_name_the_line():
    assert forms.anchors_from_text("5: Best\n\n1: Worst") == [
        {"score": 1, "text": "Worst"},
        {"score": 5, "text": "Best"},
    ]
    with pytest.raises(Exception, match="Line 2"):
        forms.anchors_from_text("1: Fine\nno colon here")


@pytest.mark.django_db
def test_a_cycle_freezes_its_set_and_a_new_edition_is_editable(cycle, users, client_for):
    frozen = cycle.criteria_set
    assert frozen.frozen
    criterion = frozen.criteria.first()
    with pytest.raises(ValidationError, match="make a new edition"):
        services.update(users["staff"], criterion, {"weight": 99}, version=None)
    client = client_for("staff")
    response = client.post(reverse("governance:criteria_new_edition", args=[frozen.pk]))
    copy = CriteriaSet.objects.get(name=frozen.name, edition=2)
    assert response.url == copy.get_absolute_url()
    assert not copy.frozen and copy.previous == frozen
    assert [c.name for c in copy.criteria.all()] == [c.name for c in frozen.criteria.all()]
    changed = services.update(users["staff"], copy.criteria.first(), {"weight": 30}, version=None)
    assert changed.weight == 30
    criterion.refresh_from_db()
    assert criterion.weight == 15  # the cycle's edition is untouched


@pytest.mark.django_db
def test_anchors_must_fit_the_scale(users):
    criteria_set = services.create(context.SYSTEM, CriteriaSet, {"name": "Small", "scale_max": 5})
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.create(
            users["staff"],
            Criterion,
            {
                "criteria_set": criteria_set,
                "name": "Reach",
                "weight": 1,
                "anchors": [{"score": 9, "text": "Everyone"}],
            },
        )


@pytest.mark.django_db
def test_presets_page_creates_a_set(users, client_for):
    client = client_for("staff")
    assert client.get(reverse("governance:criteria_presets")).status_code == 200
    client.post(reverse("governance:criteria_presets"), {"preset": "risk-first"})
    created = CriteriaSet.objects.get(name=presets.RISK_WEIGHTED["name"])
    assert created.criteria.count() == 5
    assert client_for("viewer").get(reverse("governance:criteria_presets")).status_code == 403


@pytest.mark.django_db
def test_ballot_history_is_as_private_as_the_ballot(cycle, board, make_proposal, users):
    """Audit entries of a ballot once showed a member's scores to everyone signed in."""
    from townhall.audit.models import AuditEntry

    proposal = make_proposal("Online permits", status="under_review")
    scores = {c.pk: 4 for c in cycle.criteria_set.criteria.all()}
    gov.save_ballot(board[1], proposal, scores, submit=True)
    ballot = Ballot.objects.get(member=board[1])

    def sees(user):
        return (
            AuditEntry.objects.restrict(user)
            .filter(object_id=str(ballot.pk), content_type__model="ballot")
            .exists()
        )

    assert not sees(board[2])  # has not submitted: no peeking through the history
    assert not sees(users["viewer"])
    assert sees(users["staff"]) and sees(board[1])
    gov.save_ballot(board[2], proposal, scores, submit=True)
    assert sees(board[2])
