"""Board ballots: the write path (services.save_ballot), who sees which ballot
(Ballot.restrict_rows) and posting scores through the page, which audits every change."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.governance import services as gov
from townhall.governance.models import Ballot, Proposal

S = Proposal.Status


@pytest.fixture
def criteria(cycle) -> list:
    return list(cycle.criteria_set.criteria.all())


@pytest.fixture
def proposal(make_proposal) -> Proposal:
    return make_proposal("Online permits", status=S.UNDER_REVIEW)


def every(criteria: list, value: int = 3) -> dict[int, int]:
    return {c.pk: value for c in criteria}


def form(criteria: list, values: dict[int, object], action: str = "save", **extra: str) -> dict:
    data = {"action": action, **extra}
    for c in criteria:
        value = values.get(c.pk)
        data[f"score-{c.pk}"] = "" if value is None else str(value)
    return data


def checked(criterion, value: int) -> str:
    """The markup of a chosen radio button."""
    return (
        f'id="score-{criterion.pk}-{value}" type="radio" name="score-{criterion.pk}" '
        f'value="{value}" checked'
    )


def audit_of(ballot: Ballot) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Ballot), object_id=str(ballot.pk)
        ).order_by("at", "id")
    )


# --- the write path -----------------------------------------------------------------------


def test_a_draft_keeps_partial_scores_and_comments(board, proposal, criteria):
    first = criteria[0]
    ballot = gov.save_ballot(board[0], proposal, {first.pk: 4}, {first.pk: "  Clear need. "})
    assert ballot.submitted_at is None
    assert ballot.scores == {str(first.pk): 4}
    assert ballot.comments == {str(first.pk): "Clear need."}
    [entry] = audit_of(ballot)
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == board[0]
    # Saving again changes the same ballot, audited again.
    gov.save_ballot(board[0], proposal, every(criteria, 2))
    assert Ballot.objects.get().scores == {str(c.pk): 2 for c in criteria}
    assert [e.action for e in audit_of(ballot)] == ["create", "update"]


def test_submitting_needs_every_criterion_and_names_the_missing(board, proposal, criteria):
    partial = every(criteria)
    del partial[criteria[1].pk], partial[criteria[4].pk]
    with pytest.raises(ValidationError) as caught:
        gov.save_ballot(board[0], proposal, partial, submit=True)
    message = " ".join(caught.value.messages)
    assert criteria[1].name in message and criteria[4].name in message
    assert criteria[0].name not in message
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, -1, 99])
def test_scores_outside_the_scale_are_refused_naming_the_criterion(board, proposal, criteria, bad):
    scores = every(criteria)
    scores[criteria[2].pk] = bad
    with pytest.raises(ValidationError) as caught:
        gov.save_ballot(board[0], proposal, scores)
    errors = caught.value.message_dict[str(criteria[2].pk)]
    assert criteria[2].name in errors[0] and "1 to 5" in errors[0]
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("bad", ["high", "3.5", "4x", [4]])
def test_scores_that_are_not_numbers_are_refused_naming_the_criterion(
    board, proposal, criteria, bad
):
    scores = every(criteria)
    scores[criteria[3].pk] = bad
    with pytest.raises(ValidationError) as caught:
        gov.save_ballot(board[0], proposal, scores)
    errors = caught.value.message_dict[str(criteria[3].pk)]
    assert criteria[3].name in errors[0] and "not a score" in errors[0]


def test_submitted_scores_are_final(board, proposal, criteria):
    ballot = gov.save_ballot(board[0], proposal, every(criteria, 4), submit=True)
    assert ballot.submitted_at is not None
    for submit in (False, True):
        with pytest.raises(ValidationError, match="final"):
            gov.save_ballot(board[0], proposal, every(criteria, 1), submit=submit)
    ballot.refresh_from_db()
    assert set(ballot.scores.values()) == {4}
    assert len(audit_of(ballot)) == 1


def test_mandated_proposals_are_not_scored(board, make_proposal, criteria):
    mandated = make_proposal(
        "Records retention", status=S.UNDER_REVIEW, mandated=True, mandate="State records act"
    )
    with pytest.raises(ValidationError, match="not scored"):
        gov.save_ballot(board[0], mandated, every(criteria))


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.SCORED, S.APPROVED, S.REJECTED])
def test_only_proposals_under_review_are_scored(board, make_proposal, criteria, status):
    elsewhere = make_proposal("Not now", status=status)
    with pytest.raises(ValidationError, match="not open for scoring"):
        gov.save_ballot(board[0], elsewhere, every(criteria))


@pytest.mark.parametrize("role", ["admin", "staff", "liaison", "viewer"])
def test_only_board_members_score(users, proposal, criteria, role):
    with pytest.raises(PermissionDenied):
        gov.save_ballot(users[role], proposal, every(criteria))


# --- who sees which ballot ----------------------------------------------------------------


def visible(user, proposal) -> set[str]:
    return {
        b.member.username for b in Ballot.objects.restrict(user, "view").filter(proposal=proposal)
    }


def test_members_see_others_scores_only_after_submitting_their_own(
    users, board, proposal, criteria
):
    a, b, c = board
    gov.save_ballot(a, proposal, every(criteria, 2))  # draft
    gov.save_ballot(b, proposal, every(criteria, 5), submit=True)
    assert visible(a, proposal) == {"board1"}  # only their own draft
    assert visible(c, proposal) == set()  # has not started: sees nothing
    assert visible(b, proposal) == {"board2"}  # A's draft stays private
    gov.save_ballot(a, proposal, every(criteria, 2), submit=True)
    assert visible(a, proposal) == {"board1", "board2"}
    assert visible(b, proposal) == {"board1", "board2"}
    assert visible(c, proposal) == set()


def test_others_see_submitted_scores_once_scoring_closes(users, board, proposal, criteria):
    a, b, c = board
    gov.save_ballot(a, proposal, every(criteria, 2), submit=True)
    gov.save_ballot(b, proposal, every(criteria, 4), submit=True)
    gov.save_ballot(c, proposal, every(criteria, 3))  # never submitted
    for role in ("viewer", "liaison"):
        assert visible(users[role], proposal) == set()
    for role in ("staff", "admin"):
        assert visible(users[role], proposal) == {"board1", "board2", "board3"}
    gov.move(users["staff"], proposal, S.SCORED, "Scoring closed.")
    for role in ("viewer", "liaison"):
        assert visible(users[role], proposal) == {"board1", "board2"}


def test_nobody_changes_a_ballot_but_its_member_before_submitting(users, board, proposal, criteria):
    gov.save_ballot(board[0], proposal, every(criteria))
    for who in (users["admin"], users["staff"], board[1]):
        assert not Ballot.objects.restrict(who, "change").exists()
    assert Ballot.objects.restrict(board[0], "change").count() == 1
    gov.save_ballot(board[0], proposal, every(criteria), submit=True)
    assert not Ballot.objects.restrict(board[0], "change").exists()


# --- posting scores through the page -------------------------------------------------------


def url(proposal: Proposal) -> str:
    return reverse("governance:proposal_scores", args=[proposal.pk])


def test_saving_a_draft_on_the_page_is_audited(client_for, users, proposal, criteria):
    values = {criteria[0].pk: 4, criteria[1].pk: 2}
    data = form(criteria, values, **{f"comment-{criteria[0].pk}": "Residents ask for it."})
    response = client_for("board").post(url(proposal), data)
    assert response.status_code == 302 and response["Location"] == url(proposal)
    ballot = Ballot.objects.get()
    assert ballot.member == users["board"] and ballot.submitted_at is None
    assert ballot.scores == {str(criteria[0].pk): 4, str(criteria[1].pk): 2}
    assert ballot.comments == {str(criteria[0].pk): "Residents ask for it."}
    [entry] = audit_of(ballot)
    assert entry.via == "web" and entry.actor == users["board"]
    assert entry.after["scores"] == ballot.scores


def test_submitting_on_the_page_is_final_and_audited(client_for, users, proposal, criteria):
    client = client_for("board")
    client.post(url(proposal), form(criteria, {criteria[0].pk: 1}))
    response = client.post(url(proposal), form(criteria, every(criteria, 5), "submit"))
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.submitted_at is not None
    assert [(e.action, e.via) for e in audit_of(ballot)] == [("create", "web"), ("update", "web")]
    assert audit_of(ballot)[-1].after["submitted_at"]
    # A later post changes nothing and says why.
    again = client.post(url(proposal), form(criteria, every(criteria, 1), "submit"))
    assert again.status_code == 400
    assert "they are final" in again.content.decode()
    ballot.refresh_from_db()
    assert set(ballot.scores.values()) == {5}
    assert len(audit_of(ballot)) == 2


@pytest.mark.parametrize("role", ["admin", "staff", "liaison", "viewer"])
def test_posting_scores_is_forbidden_to_everyone_but_the_board(
    client_for, proposal, criteria, role
):
    response = client_for(role).post(url(proposal), form(criteria, every(criteria), "submit"))
    assert response.status_code == 403
    assert not Ballot.objects.exists()
    assert not AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Ballot)
    ).exists()


def test_signed_out_people_are_sent_to_sign_in(client, proposal, criteria):
    response = client.post(url(proposal), form(criteria, every(criteria)))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    assert not Ballot.objects.exists()


def test_submitting_with_scores_missing_keeps_what_was_entered(client_for, proposal, criteria):
    values = every(criteria, 4)
    del values[criteria[2].pk]
    comment = f"comment-{criteria[0].pk}"
    response = client_for("board").post(
        url(proposal), form(criteria, values, "submit", **{comment: "Keep this note"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Score every criterion before submitting" in page and criteria[2].name in page
    # The missing criterion is marked beside its own radio group, and linked from the summary.
    assert f'id="criterion-{criteria[2].pk}-error"' in page
    assert f'href="#score-{criteria[2].pk}-1"' in page
    assert f"{criteria[2].name}: choose a score" in page
    assert f'id="criterion-{criteria[0].pk}-error"' not in page
    # Nothing is lost: chosen scores and the comment come back.
    assert checked(criteria[0], 4) in page
    assert "Keep this note" in page
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    ("bad", "words"), [("9", "scores run from 1 to 5"), ("lots", "is not a score")]
)
def test_bad_scores_on_the_page_are_named_beside_their_criterion(
    client_for, proposal, criteria, bad, words
):
    values = every(criteria, 2)
    values[criteria[5].pk] = bad
    response = client_for("board").post(url(proposal), form(criteria, values))
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{criteria[5].name}: " in page and words in page
    error = page.split(f'id="criterion-{criteria[5].pk}-error">')[1].split("</span>")[0]
    assert words in error
    assert checked(criteria[0], 2) in page
    assert not Ballot.objects.exists()


def test_the_page_refuses_scores_for_a_mandated_proposal(client_for, make_proposal, criteria):
    mandated = make_proposal(
        "Records retention", status=S.UNDER_REVIEW, mandated=True, mandate="State records act"
    )
    response = client_for("board").post(url(mandated), form(criteria, every(criteria), "submit"))
    assert response.status_code == 400
    assert "Mandated proposals are funded first and are not scored." in response.content.decode()
    assert not Ballot.objects.exists()


def test_the_page_refuses_scores_for_a_proposal_not_under_review(
    client_for, make_proposal, criteria
):
    scored = make_proposal("Already scored", status=S.SCORED)
    response = client_for("board").post(url(scored), form(criteria, every(criteria), "submit"))
    assert response.status_code == 400
    assert "not open for scoring" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_proposal_one_may_not_see_is_not_found(client_for, make_proposal, criteria):
    draft = make_proposal("Private draft")  # PW's draft: the board does not see it
    response = client_for("board").post(url(draft), form(criteria, every(criteria)))
    assert response.status_code == 404
    assert client_for("board").get(url(draft)).status_code == 404
