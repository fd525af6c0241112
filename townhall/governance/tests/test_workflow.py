"""A request's path from draft to decision: who may take each step, what it records."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.core import context, permissions, services
from townhall.estate.models import System
from townhall.governance import services as gov
from townhall.governance.models import Proposal, StatusChange

S = Proposal.Status


@pytest.mark.django_db
def test_liaison_submits_own_draft_and_sees_where_it_stands(users, make_proposal, client_for):
    proposal = make_proposal("Online permits")
    client = client_for("liaison")
    response = client.post(
        reverse("governance:proposal_step", args=[proposal.pk]),
        {"to": S.SUBMITTED, "comment": "Ready for the board"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert proposal.submitted_by == users["liaison"]
    step = StatusChange.objects.get(proposal=proposal)
    assert (step.from_status, step.to_status, step.comment) == (
        S.DRAFT,
        S.SUBMITTED,
        "Ready for the board",
    )
    assert AuditEntry.objects.filter(object_id=str(proposal.pk), action="update").exists()
    page = client.get(reverse("governance:my_requests")).content.decode()
    assert "Online permits" in page and "Ready for the board" in page
    # Once submitted, the department can no longer change it.
    assert client.get(reverse("governance:proposal_edit", args=[proposal.pk])).status_code == 403


@pytest.mark.django_db
def test_incomplete_draft_cannot_be_submitted(users, make_proposal):
    proposal = make_proposal(
        "Vague idea",
        earliest_start=None,
        capital_costs=[],
        operating_costs=[],
        effort={},
        recurring_operating=0,
    )
    with pytest.raises(ValidationError) as exc:
        gov.move(users["liaison"], proposal, S.SUBMITTED)
    assert "earliest start year" in str(exc.value) and "cost or staff estimate" in str(exc.value)
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT and not StatusChange.objects.exists()


@pytest.mark.django_db
def test_only_it_staff_move_requests_along(users, make_proposal):
    proposal = make_proposal("Radio upgrade", status=S.SUBMITTED)
    for role in ("liaison", "board", "viewer"):
        with pytest.raises(PermissionDenied):
            gov.move(users[role], proposal, S.UNDER_REVIEW)
    gov.move(users["staff"], proposal, S.UNDER_REVIEW, "On the March agenda")
    proposal.refresh_from_db()
    assert proposal.status == S.UNDER_REVIEW


@pytest.mark.django_db
def test_steps_out_of_order_are_refused(users, make_proposal):
    proposal = make_proposal("Radio upgrade", status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="cannot become complete"):
        gov.move(users["staff"], proposal, S.COMPLETE)
    with pytest.raises(ValidationError):
        gov.move(users["staff"], proposal, "bogus")


@pytest.mark.django_db
def test_only_mandated_requests_skip_scoring(users, make_proposal):
    ordinary = make_proposal("New portal", status=S.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="Only mandated"):
        gov.move(users["staff"], ordinary, S.APPROVED, "Looks good")
    mandated = make_proposal(
        "NG911 upgrade", status=S.UNDER_REVIEW, mandated=True, mandate="State 911 rule"
    )
    assert (S.APPROVED, "Approved") in gov.next_steps(users["staff"], mandated)
    gov.move(users["staff"], mandated, S.APPROVED, "Required by the state 911 rule")
    mandated.refresh_from_db()
    assert mandated.status == S.APPROVED and mandated.decided_at


@pytest.mark.django_db
def test_decision_needs_a_reason_and_keeps_the_vote(users, make_proposal, client_for):
    proposal = make_proposal("Fleet telematics", status=S.SCORED)
    with pytest.raises(ValidationError):
        gov.move(users["staff"], proposal, S.DEFERRED, "")
    client = client_for("staff")
    url = reverse("governance:proposal_decide", args=[proposal.pk])
    client.post(
        url,
        {
            "decision": S.DEFERRED,
            "rationale": "Wait for the grant",
            "votes_for": 4,
            "votes_against": 1,
            "votes_abstaining": 0,
        },
    )
    proposal.refresh_from_db()
    assert proposal.status == S.DEFERRED
    assert proposal.decision_rationale == "Wait for the grant"
    assert (proposal.votes_for, proposal.votes_against) == (4, 1)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Wait for the grant" in page and "4 for, 1 against" in page
    # A board member cannot record decisions.
    other = make_proposal("Another", status=S.SCORED)
    client_for("board").post(
        reverse("governance:proposal_decide", args=[other.pk]),
        {"decision": S.APPROVED, "rationale": "Yes"},
    )
    other.refresh_from_db()
    assert other.status == S.SCORED


@pytest.mark.django_db
def test_approval_plans_the_end_of_what_it_replaces(users, departments, make_proposal):
    with context.acting("system"):
        old = services.create(
            context.SYSTEM,
            System,
            {"name": "Legacy permits", "owner_department": departments["PW"]},
        )
        kept = services.create(
            context.SYSTEM, System, {"name": "GIS", "owner_department": departments["PW"]}
        )
    proposal = make_proposal(
        "Online permits", status=S.SCORED, replaces_systems=[old], extends_systems=[kept]
    )
    gov.move(users["staff"], proposal, S.APPROVED, decision={"rationale": "Top ranked"})
    old.refresh_from_db()
    kept.refresh_from_db()
    assert old.lifecycle == System.Lifecycle.PHASE_OUT
    assert "Online permits" in old.time_rationale
    assert kept.time_disposition == System.Disposition.INVEST
    assert (
        AuditEntry.objects.filter(object_id=str(old.pk), object_repr="Legacy permits").count() == 2
    )


@pytest.mark.django_db
def test_drafts_stay_within_the_department(users, departments, make_proposal, client_for):
    draft = make_proposal("Draft idea")
    other_dept = make_proposal("Finance draft", owner_department=departments["FIN"])
    submitted = make_proposal("Shared", status=S.SUBMITTED)
    for role in ("viewer", "board"):
        visible = set(Proposal.objects.restrict(users[role], "view"))
        assert visible == {submitted}
    liaison_sees = set(Proposal.objects.restrict(users["liaison"], "view"))
    assert liaison_sees == {draft, submitted}
    assert client_for("viewer").get(draft.get_absolute_url()).status_code == 404
    # The draft's history is hidden too.
    entries = AuditEntry.objects.restrict(users["viewer"]).filter(object_repr="Draft idea")
    assert not entries.exists()
    assert AuditEntry.objects.restrict(users["liaison"]).filter(object_repr="Draft idea").exists()
    assert (
        not AuditEntry.objects.restrict(users["liaison"])
        .filter(object_repr="Finance draft")
        .exists()
    )
    assert other_dept.pk


@pytest.mark.django_db
def test_prerequisites_cannot_loop(users, make_proposal, client_for):
    first = make_proposal("Network refresh")
    second = make_proposal("Cloud phone system", prerequisites=[first])
    with pytest.raises(ValidationError, match="loop"):
        services.update(users["staff"], first, {"prerequisites": [second]}, version=None)
    first.refresh_from_db()
    assert list(first.prerequisites.all()) == []
    assert first.version == 1


@pytest.mark.django_db
def test_detail_page_shows_costs_by_fiscal_year_and_next_steps(make_proposal, client_for):
    proposal = make_proposal("Online permits")
    page = client_for("liaison").get(proposal.get_absolute_url()).content.decode()
    assert "Year 1 (FY2027)" in page and "$200,000" in page
    assert "Submit to the board" in page
    assert (
        "Submit to the board"
        not in client_for("viewer").get(reverse("governance:proposal_list")).content.decode()
    )


@pytest.mark.django_db
def test_end_of_support_foundations_are_flagged(users, departments, make_proposal, client_for):
    with context.acting("system"):
        old = services.create(
            context.SYSTEM,
            System,
            {
                "name": "Permit server OS",
                "owner_department": departments["PW"],
                "end_of_support": datetime.date(2020, 1, 1),
            },
        )
    proposal = make_proposal("Permit upgrade", extends_systems=[old])
    page = client_for("staff").get(proposal.get_absolute_url()).content.decode()
    assert "past end of support: bundle its renewal" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("votes_for", 150), ("votes_against", -1), ("approved_start", 1999)],
)
def test_a_decision_keeps_its_limits_whatever_the_door(users, make_proposal, field, value):
    """The decision form's limits are the model's: a script calling the verb meets them too."""
    proposal = make_proposal("Fleet telematics", status=S.SCORED)
    decision = {"rationale": "Board vote", field: value}
    with pytest.raises(ValidationError) as exc:
        gov.move(users["staff"], proposal, S.APPROVED, "Board vote", decision=decision)
    assert field in exc.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == S.SCORED and not StatusChange.objects.exists()


@pytest.mark.django_db
def test_each_step_is_a_named_transition_in_history(users, make_proposal):
    """A step is a state change, not an edit: its audit entry names it and its comment,
    and the model's own rule decides who may take it, whatever calls the write path."""
    proposal = make_proposal("Named steps")
    gov.move(users["liaison"], proposal, S.SUBMITTED, "Ready")
    gov.move(users["staff"], proposal, S.UNDER_REVIEW)
    entries = AuditEntry.objects.filter(object_id=str(proposal.pk), action="update")
    assert [e.after.get("transition") for e in entries.order_by("pk")] == [
        "status: draft → submitted (Ready)",
        "status: submitted → under_review",
    ]
    assert Proposal.transitions["status"] == set(gov.STEPS)
    # The write path asks the model: a liaison cannot take IT's step by calling it directly.
    with pytest.raises(PermissionDenied):
        services.transition(users["liaison"], proposal, S.SCORED)
    with pytest.raises(ValidationError):
        services.transition(users["staff"], proposal, S.COMPLETE)
    proposal.refresh_from_db()
    assert proposal.status == S.UNDER_REVIEW


@pytest.mark.django_db
def test_steps_are_written_on_the_write_path_and_shown_as_their_proposal(
    users, departments, make_proposal
):
    """Each step is created through the write path, audited, and never saved around it;
    its history shows only to people who may see the proposal: the comment that returned a
    draft stays with the department and IT."""
    from townhall.accounts.models import Role
    from townhall.conftest import make_user

    proposal = make_proposal("Returned request")
    gov.move(users["liaison"], proposal, S.SUBMITTED, "Ready")
    gov.move(users["staff"], proposal, S.DRAFT, "Cut the cost of the pilot")
    steps = AuditEntry.objects.filter(content_type__model="statuschange", action="create")
    assert [(e.actor, e.after["comment"]) for e in steps.order_by("pk")] == [
        (users["liaison"], "Ready"),
        (users["staff"], "Cut the cost of the pilot"),
    ]
    returned = StatusChange.objects.get(comment="Cut the cost of the pilot")
    with pytest.raises(context.OutsideWritePath):
        returned.save()
    others = [
        users["viewer"],
        users["board"],
        make_user("liaison2", Role.LIAISON, departments["FIN"]),
    ]
    for person in others:
        seen = AuditEntry.objects.restrict(person).filter(content_type__model="statuschange")
        assert not seen.exists(), person.username
        assert not permissions.restrict(StatusChange.objects.all(), person, "view").exists()
    for person in (users["liaison"], users["staff"]):
        seen = AuditEntry.objects.restrict(person).filter(content_type__model="statuschange")
        assert seen.count() == 2
    # Once submitted again, the whole path shows to everyone who reads requests.
    gov.move(users["liaison"], proposal, S.SUBMITTED, "Cheaper now")
    assert permissions.restrict(StatusChange.objects.all(), users["viewer"], "view").count() == 3
    # A step is history: nobody changes it, and none is made without its move.
    with pytest.raises(PermissionDenied):
        services.update(users["admin"], returned, {"comment": "Softer words"}, version=None)
    with pytest.raises(ValidationError):
        services.create(
            users["staff"],
            StatusChange,
            {
                "proposal": proposal,
                "from_status": S.SUBMITTED,
                "to_status": S.APPROVED,
                "by": users["staff"],
                "by_name": "staff1",
            },
        )
