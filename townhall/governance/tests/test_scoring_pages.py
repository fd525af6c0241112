"""The scoring pages: a member's ballot and the board's scores on one proposal, a cycle's
ranking and disagreements, the CSV of the ranking, a member's list of proposals to score,
and `scores.cycle_totals` for other modules. Independence throughout: nobody sees scores
they may not (Ballot.restrict_rows), and queries stay constant as proposals grow."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from townhall.core import context, services
from townhall.estate.models import System
from townhall.governance import scores
from townhall.governance import services as gov
from townhall.governance.models import Ballot, Proposal

S = Proposal.Status


@pytest.fixture
def criteria(cycle) -> list:
    return list(cycle.criteria_set.criteria.all())


def every(criteria: list, value: int, **changes: int) -> dict[int, int]:
    """A full ballot of `value`, with `changes` by criterion position (c0=…, c3=…)."""
    result = {c.pk: value for c in criteria}
    for key, score in changes.items():
        result[criteria[int(key[1:])].pk] = score
    return result


@pytest.fixture
def scene(users, board, make_proposal, criteria) -> dict:
    """Two proposals under review, one mandated, one draft and one only submitted.

    Online permits: all three members submitted; they disagree on the first criterion only
    (5, 3 and 2; elsewhere 4, 3 and 3).
    Fleet telematics: board1 and board2 submitted, board3 has not (a draft, with a comment).
    """
    a, b, c = board
    permits = make_proposal("Online permits", status=S.UNDER_REVIEW)
    fleet = make_proposal("Fleet telematics", status=S.UNDER_REVIEW)
    mandated = make_proposal(
        "Records retention", status=S.UNDER_REVIEW, mandated=True, mandate="State records act"
    )
    draft = make_proposal("Half an idea")
    waiting = make_proposal("Waiting for review", status=S.SUBMITTED)
    first = criteria[0].pk
    gov.save_ballot(a, permits, every(criteria, 4, c0=5), {first: "Clear need."}, submit=True)
    gov.save_ballot(b, permits, every(criteria, 3), submit=True)
    gov.save_ballot(c, permits, every(criteria, 3, c0=2), submit=True)
    gov.save_ballot(a, fleet, every(criteria, 2), submit=True)
    gov.save_ballot(b, fleet, every(criteria, 2), {first: "Secret note from board2"}, submit=True)
    gov.save_ballot(c, fleet, every(criteria, 4, c0=1), {first: "Draft thought of board3"})
    return {
        "permits": permits,
        "fleet": fleet,
        "mandated": mandated,
        "draft": draft,
        "waiting": waiting,
    }


def ballot_url(proposal: Proposal) -> str:
    return reverse("governance:proposal_scores", args=[proposal.pk])


def cycle_url(cycle, **query: str) -> str:
    url = reverse("governance:cycle_scores", args=[cycle.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def login(client, user):
    client.force_login(user)
    return client


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id"]


def assert_unique_ids(response) -> None:
    parser = _Ids()
    parser.feed(response.content.decode())
    duplicates = {i for i in parser.ids if parser.ids.count(i) > 1}
    assert not duplicates


# --- one proposal ---------------------------------------------------------------------------


def test_the_ballot_form_has_a_radio_group_per_criterion_with_its_anchors(
    client, board, scene, criteria
):
    response = login(client, board[2]).get(ballot_url(scene["fleet"]))
    assert response.status_code == 200
    page = response.content.decode()
    for c in criteria:
        assert f'<legend class="usa-legend usa-legend--large">{c.name}</legend>' in page
        for score in range(1, 6):
            assert f'id="score-{c.pk}-{score}"' in page
        for anchor in c.anchors:
            assert anchor["text"] in page
        assert f'<label class="usa-label" for="comment-{c.pk}">' in page
    # board3's draft comes back: 4s with a 1 on the first criterion, and the comment.
    first = criteria[0].pk
    assert f'id="score-{first}-1" type="radio" name="score-{first}" value="1" checked' in page
    assert "Draft thought of board3" in page
    assert "Submitting is final." in page
    assert 'value="save">Save draft</button>' in page
    assert 'value="submit">Submit scores</button>' in page
    assert_unique_ids(response)


def test_the_scoring_page_shows_what_a_member_needs_to_decide(
    client, board, make_proposal, departments
):
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
    first = make_proposal("Network refresh", status=S.UNDER_REVIEW)
    hidden = make_proposal("A department's unsent idea")  # a draft: not the board's to see
    proposal = make_proposal(
        "Permit portal",
        status=S.UNDER_REVIEW,
        problem="Applicants queue at the counter for every permit.",
        outcome="Residents apply and pay online; counter visits halve.",
        prerequisites=[first, hidden],
        extends_systems=[old],
    )
    response = login(client, board[0]).get(ballot_url(proposal))
    assert response.status_code == 200
    page = response.content.decode()
    about = page.split('id="about-proposal"')[1].split("</section>")[0]
    assert "Applicants queue at the counter for every permit." in about
    assert "Residents apply and pay online; counter visits halve." in about
    assert "Public Works" in about and "Modernization" in about
    # Costs: 200,000 + 50,000 capital and 10,000 operating; 20,000 a year recurring; hours.
    assert "One-time cost in all: $260,000" in about
    assert "$20,000 per year from the start" in about
    assert "Staff hours by skill pool and project year" in about and "800" in about
    # What it relies on: the prerequisite it may see, and the foundation past support.
    assert "Network refresh" in about and "A department&#x27;s unsent idea" not in about
    assert "past end of support: bundle its renewal" in about
    # The form follows the summary, so the member scores with the facts in view.
    assert page.index('id="about-proposal"') < page.index('id="your-scores"')
    assert_unique_ids(response)


def test_a_member_who_has_not_submitted_sees_nobody_elses_scores(client, board, scene):
    page = login(client, board[2]).get(ballot_url(scene["fleet"])).content.decode()
    assert escape(scores.SUBMIT_FIRST) in page
    assert "Secret note from board2" not in page
    assert "board1" not in page and "board2" not in page
    assert "<caption>Scores by criterion" not in page


def test_after_submitting_a_member_sees_the_boards_scores(client, board, scene, criteria):
    response = login(client, board[2]).get(ballot_url(scene["permits"]))
    page = response.content.decode()
    assert "Your scores are final: you submitted them on" in page
    assert 'name="action"' not in page  # no form any more
    assert "<caption>Scores by criterion (1 to 5)" in page
    for name in ("board1", "board2", "board3"):
        assert f'<th scope="col" class="th-num">{name}</th>' in page
    # The first criterion: 5, 3, 2 → mean 3.3, spread 3, board1 furthest, flagged.
    row = page.split(f'<th scope="row">{criteria[0].name}</th>')[1].split("</tr>")[0]
    assert ">3.3<" in row and ">3<" in row and "board1" in row and "Discuss" in row
    total = scores.cycle_totals(scene["permits"].cycle)[scene["permits"].pk].total
    assert f"<strong>{total:.1f}</strong> out of 100" in page
    assert "Clear need." in page  # board1's comment, shared with those who may see scores
    assert_unique_ids(response)


def test_viewers_see_scores_only_once_scoring_closes(client_for, users, scene):
    page = client_for("viewer").get(ballot_url(scene["permits"])).content.decode()
    assert escape(scores.AFTER_CLOSE) in page and "Clear need." not in page and "board1" not in page
    gov.move(users["staff"], scene["permits"], S.SCORED, "Scoring closed.")
    page = client_for("viewer").get(ballot_url(scene["permits"])).content.decode()
    assert "<caption>Scores by criterion" in page and "Clear need." in page
    assert 'name="action"' not in page


def test_staff_see_submitted_scores_and_who_is_still_drafting(client_for, scene):
    response = client_for("staff").get(ballot_url(scene["fleet"]))
    page = response.content.decode()
    assert "2 of 3 board members submitted" in page
    assert "Secret note from board2" in page
    # board3's draft is not counted or shown; only that it exists.
    assert "Draft thought of board3" not in page
    assert "board3: draft saved, not submitted" in page
    assert 'name="action"' not in page
    assert_unique_ids(response)


def test_mandated_and_closed_proposals_show_no_form(client, board, scene, users):
    page = login(client, board[0]).get(ballot_url(scene["mandated"])).content.decode()
    assert "funded first and not scored" in page and 'name="action"' not in page
    waiting = login(client, board[2]).get(ballot_url(scene["waiting"])).content.decode()
    assert "not open for scoring" in waiting and 'name="action"' not in waiting


# --- a budget cycle ---------------------------------------------------------------------------


def table_rows(page: str, caption: str) -> list[str]:
    table = page.split(f"<caption>{caption}")[1].split("</table>")[0]
    return table.split("<tbody>")[1].split("<tr>")[1:]


def test_the_ranking_orders_proposals_by_weighted_total(client_for, scene, cycle):
    response = client_for("staff").get(cycle_url(cycle))
    assert response.status_code == 200
    page = response.content.decode()
    rows = table_rows(page, "Proposals by the board's weighted total")
    assert len(rows) == 2
    totals = scores.cycle_totals(cycle)
    permits = scene["permits"]
    assert "Online permits" in rows[0] and '<td class="th-num">1</td>' in rows[0]
    assert f">{totals[permits.pk].total:.1f}<" in rows[0] and "3 of 3" in rows[0]
    assert "Fleet telematics" in rows[1] and '<td class="th-num">2</td>' in rows[1]
    assert ">25.0<" in rows[1] and "2 of 3" in rows[1]
    # Mandated proposals are listed apart; drafts and requests not under review are not ranked.
    mandated = page.split('id="mandated"')[1].split("</section>")[0]
    assert "Records retention" in mandated and "State records act" in mandated
    assert "Records retention" not in page.split('id="ranking"')[1].split("</section>")[0]
    assert "Half an idea" not in page and "Waiting for review" not in page
    assert "2 requests are not yet under review" in page
    assert_unique_ids(response)


def test_criteria_the_board_disagrees_on_are_flagged_with_who_diverges(
    client_for, scene, cycle, criteria
):
    page = client_for("staff").get(cycle_url(cycle)).content.decode()
    discussion = page.split('id="discussion"')[1].split("</section>")[0]
    assert "Online permits" in discussion and "Fleet telematics" not in discussion
    assert f"<strong>{criteria[0].name}</strong>: scores from 2 to 5 (spread 3)" in discussion
    assert "furthest from the mean: board1 (5)" in discussion
    assert criteria[1].name not in discussion
    permits = table_rows(page, "Proposals by the board's weighted total")[0]
    assert re.findall(r'<td class="th-num">([^<]*)</td>', permits)[-1] == "1"  # flagged


def test_a_board_split_in_two_names_nobody_as_furthest_from_the_mean(
    client_for, board, make_proposal, cycle, criteria
):
    split = make_proposal("Split decision", status=S.UNDER_REVIEW)
    gov.save_ballot(board[0], split, every(criteria, 3, c0=1), submit=True)
    gov.save_ballot(board[1], split, every(criteria, 3, c0=5), submit=True)
    page = client_for("staff").get(cycle_url(cycle)).content.decode()
    discussion = page.split('id="discussion"')[1].split("</section>")[0]
    assert f"<strong>{criteria[0].name}</strong>: scores from 1 to 5 (spread 4)" in discussion
    assert "the board is divided, no one stands apart" in discussion
    assert "furthest from the mean:" not in discussion
    ballot = client_for("staff").get(ballot_url(split)).content.decode()
    first_row = ballot.split(f'<th scope="row">{criteria[0].name}</th>')[1].split("</tr>")[0]
    assert "No one stands apart" in first_row and "board1, board2" not in first_row


def test_who_still_has_to_score_what(client_for, scene, cycle):
    page = client_for("staff").get(cycle_url(cycle)).content.decode()
    waiting = page.split('id="still-to-score"')[1].split("</section>")[0]
    rows = {row.split("</th>")[0].split(">")[-1]: row for row in waiting.split("<tr>")[2:]}
    assert "Fleet telematics" in rows["board3"] and "Online permits" not in rows["board3"]
    assert "Done" in rows["board1"] and "Done" in rows["board2"]


def test_a_member_who_has_not_scored_a_proposal_sees_no_board_scores_for_it(
    client, board, scene, cycle
):
    page = login(client, board[2]).get(cycle_url(cycle)).content.decode()
    rows = table_rows(page, "Proposals by the board's weighted total")
    fleet = next(r for r in rows if "Fleet telematics" in r)
    assert escape(scores.SUBMIT_FIRST) in fleet and "of 3" not in fleet and "25.0" not in fleet
    assert '<td class="th-num">—</td>' in fleet  # unranked
    permits = next(r for r in rows if "Online permits" in r)
    assert '<td class="th-num">1</td>' in permits and "3 of 3" in permits
    waiting = page.split('id="still-to-score"')[1].split("</section>")[0]
    assert "(you)" in waiting and "Fleet telematics" in waiting
    assert "the 1 proposal you have not scored yet" in waiting
    # Other members' progress on Fleet is not revealed: for board1 and board2 the page speaks
    # only of what board3 may see (Online permits).
    assert waiting.count("Fleet telematics") == 1
    assert waiting.count("None among the proposals you have scored") == 2


def test_viewers_see_the_ranking_only_once_scoring_closes(client_for, users, scene, cycle):
    page = client_for("viewer").get(cycle_url(cycle)).content.decode()
    rows = table_rows(page, "Proposals by the board's weighted total")
    assert all(escape(scores.AFTER_CLOSE) in r for r in rows)
    assert "Board members and IT staff see who still has to score" in page
    assert "furthest from the mean:" not in page
    gov.move(users["staff"], scene["permits"], S.SCORED, "Scoring closed.")
    page = client_for("viewer").get(cycle_url(cycle)).content.decode()
    permits = next(
        r for r in table_rows(page, "Proposals by the board's weighted total") if "permits" in r
    )
    assert '<td class="th-num">1</td>' in permits and "3 of 3" in permits


def test_signed_out_people_are_sent_to_sign_in(client, cycle):
    response = client.get(cycle_url(cycle))
    assert response.status_code == 302 and "sign-in" in response["Location"]


# --- CSV of the ranking -------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_ranking_downloads_as_csv_safe_for_spreadsheets(
    client_for, users, board, scene, cycle, make_proposal, criteria
):
    risky = make_proposal('=HYPERLINK("http://example.com","Open")', status=S.UNDER_REVIEW)
    gov.save_ballot(board[0], risky, every(criteria, 1), submit=True)
    response = client_for("staff").get(cycle_url(cycle, export="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="scores-fy2027-')
    rows = read_csv(response)
    assert rows[0][:5] == [
        "Rank",
        "Proposal",
        "Requesting department",
        "Status",
        "Weighted total (0-100)",
    ]
    by_title = {r[1]: r for r in rows[1:]}
    assert by_title["Online permits"][0] == "1"
    assert by_title["Fleet telematics"][4] == "25.0" and by_title["Fleet telematics"][5] == "2"
    # The formula is neutralised, never run by a spreadsheet.
    assert '\'=HYPERLINK("http://example.com","Open")' in by_title
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert (
        "Mandated (State records act): funded first, not scored." in by_title["Records retention"]
    )


def test_the_csv_hides_what_the_page_hides(client, board, scene, cycle):
    rows = read_csv(login(client, board[2]).get(cycle_url(cycle, export="csv")))
    fleet = next(r for r in rows if r[1] == "Fleet telematics")
    assert fleet[0] == "" and fleet[4] == "" and fleet[5] == ""
    assert fleet[8] == scores.SUBMIT_FIRST


# --- queries stay constant as proposals grow --------------------------------------------------


def fill(make_proposal, board, criteria, start: int, count: int) -> None:
    for i in range(start, start + count):
        p = make_proposal(f"Proposal {i:02d}", status=S.UNDER_REVIEW)
        for n, member in enumerate(board[:2]):
            gov.save_ballot(member, p, every(criteria, 1 + (i + n) % 5), submit=True)
        gov.save_ballot(board[2], p, every(criteria, 3))
    make_proposal(f"Mandate {start}", status=S.UNDER_REVIEW, mandated=True, mandate="A law")


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize("who", ["staff", "board", "viewer"])
@pytest.mark.parametrize("export", [False, True])
def test_cycle_pages_cost_the_same_for_3_or_10_proposals(
    client, users, board, make_proposal, criteria, cycle, who, export
):
    login(client, users[who])
    url = cycle_url(cycle, export="csv") if export else cycle_url(cycle)
    fill(make_proposal, board, criteria, 0, 3)
    few = count_queries(client, url)
    fill(make_proposal, board, criteria, 3, 7)
    many = count_queries(client, url)
    assert few == many


def test_cycle_totals_cost_the_same_for_3_or_10_proposals(make_proposal, board, criteria, cycle):
    fill(make_proposal, board, criteria, 0, 3)
    with CaptureQueriesContext(connection) as few:
        assert len(scores.cycle_totals(cycle)) == 3
    fill(make_proposal, board, criteria, 3, 7)
    with CaptureQueriesContext(connection) as many:
        assert len(scores.cycle_totals(cycle, board[0])) == 10
    assert len(few) == len(many) <= 4


def test_the_queue_costs_the_same_for_3_or_10_proposals(
    client, board, make_proposal, criteria, cycle
):
    login(client, board[2])
    fill(make_proposal, board, criteria, 0, 3)
    few = count_queries(client, reverse("governance:my_scoring"))
    fill(make_proposal, board, criteria, 3, 7)
    assert count_queries(client, reverse("governance:my_scoring")) == few


# --- cycle_totals for other modules -------------------------------------------------------------


def test_cycle_totals_without_a_person_count_every_submitted_ballot(scene, cycle, board):
    totals = scores.cycle_totals(cycle)
    # Every proposal that is not mandated, drafts included, has an entry.
    assert set(totals) == {scene[k].pk for k in ("permits", "fleet", "draft", "waiting")}
    assert totals[scene["fleet"].pk].total == 25.0
    assert totals[scene["fleet"].pk].members == ["board1", "board2"]  # the draft is not counted
    assert totals[scene["draft"].pk].total is None
    assert totals[scene["permits"].pk].flagged[0].outlier == "board1"


def test_cycle_totals_for_a_person_follow_what_they_may_see(scene, cycle, board, users):
    assert scores.cycle_totals(cycle, board[2])[scene["fleet"].pk].total is None
    assert scores.cycle_totals(cycle, board[0])[scene["fleet"].pk].total == 25.0
    viewer = scores.cycle_totals(cycle, users["viewer"])
    assert scene["draft"].pk not in viewer  # PW's draft is not theirs to see
    assert all(c.total is None for c in viewer.values())


def test_hidden_reasons_match_what_ballot_permissions_allow(scene, users, board):
    """Where the pages say scores are hidden, Ballot.restrict_rows shows no other member's
    ballot, and where they show scores it shows every submitted one."""
    people = [*board, users["viewer"], users["liaison"], users["staff"], users["admin"]]
    proposals = [scene["permits"], scene["fleet"]]
    gov.move(users["staff"], scene["permits"], S.SCORED, "Scoring closed.")
    for person in people:
        for proposal in Proposal.objects.filter(pk__in=[p.pk for p in proposals]):
            own = set(
                Ballot.objects.filter(
                    member=person, proposal=proposal, submitted_at__isnull=False
                ).values_list("proposal_id", flat=True)
            )
            seen = set(
                Ballot.objects.restrict(person, "view")
                .filter(proposal=proposal, submitted_at__isnull=False)
                .exclude(member=person)
                .values_list("pk", flat=True)
            )
            others = set(
                Ballot.objects.filter(proposal=proposal, submitted_at__isnull=False)
                .exclude(member=person)
                .values_list("pk", flat=True)
            )
            if scores.hidden_reason(person, proposal, own):
                assert not seen, (person, proposal)
            else:
                assert seen == others, (person, proposal)


# --- a member's list of proposals to score -------------------------------------------------------


def test_the_queue_lists_what_a_member_has_still_to_score(client, board, scene):
    response = login(client, board[2]).get(reverse("governance:my_scoring"))
    page = response.content.decode()
    todo = page.split("<caption>Waiting for your scores (1)</caption>")[1].split("</table>")[0]
    assert "Fleet telematics" in todo and "Draft saved, not submitted" in todo
    assert ballot_url(scene["fleet"]) in todo
    for other in ("Online permits", "Records retention", "Half an idea", "Waiting for review"):
        assert other not in todo
    assert "You have submitted scores for 1 proposal under review." in page
    assert reverse("governance:cycle_scores", args=[scene["fleet"].cycle_id]) in page
    assert_unique_ids(response)


def test_a_member_with_nothing_left_is_told_so(client, board, scene):
    page = login(client, board[0]).get(reverse("governance:my_scoring")).content.decode()
    assert "Nothing waiting" in page


def test_others_get_an_explanation_and_the_cycles(client_for, scene, cycle):
    page = client_for("viewer").get(reverse("governance:my_scoring")).content.decode()
    assert "Board members score the proposals under review here" in page
    assert "Waiting for your scores" not in page
    assert reverse("governance:cycle_scores", args=[cycle.pk]) in page
    assert reverse("governance:budgetcycle_list") in page
