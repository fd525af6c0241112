"""The governance front page (/governance/): the current cycle and what each role does
next, every link on it open to the person it is shown to, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import services
from townhall.governance import services as gov
from townhall.governance.models import BudgetCycle, Proposal

S = Proposal.Status
HOME = "/governance/"


def every(cycle, mark: int) -> dict[int, int]:
    return {c.pk: mark for c in cycle.criteria_set.criteria.all()}


def next_steps(page: str) -> str:
    return page.split('id="next"')[1].split("</section>")[0]


def links(page: str) -> list[str]:
    main = page.split('id="main-content"')[1].split("</main>")[0]
    return sorted({h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"]*)"', main)})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "staff", "liaison", "board", "viewer"])
def test_the_front_page_answers_every_role_and_its_links_open(
    role, client_for, cycle, make_proposal, board
):
    make_proposal("Permit portal", status=S.UNDER_REVIEW)
    make_proposal("Street light sensors", status=S.SUBMITTED)
    assert reverse("governance:home") == HOME
    client = client_for(role)
    response = client.get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Current budget cycle" in page and "FY2027" in page
    for url in links(page):
        if url.endswith(".pdf"):
            continue  # the packet is a PDF made with WeasyPrint: checked in test_packet
        assert client.get(url).status_code == 200, url


def test_a_board_member_is_sent_to_what_waits_for_their_scores(client, cycle, make_proposal, board):
    permits = make_proposal("Permit portal", status=S.UNDER_REVIEW)
    make_proposal("Fleet telematics", status=S.UNDER_REVIEW)
    client.force_login(board[0])
    todo = next_steps(client.get(HOME).content.decode())
    assert "2 proposals wait for your scores." in todo
    assert f'href="{reverse("governance:my_scoring")}"' in todo
    gov.save_ballot(board[0], permits, every(cycle, 3), submit=True)
    assert "1 proposal waits for your scores." in next_steps(client.get(HOME).content.decode())


def test_a_liaison_sees_their_drafts_and_may_request_while_intake_is_open(
    client_for, cycle, make_proposal, users
):
    make_proposal("Half an idea")
    make_proposal("Permit portal", status=S.UNDER_REVIEW)
    services.update(users["staff"], cycle, {"status": BudgetCycle.Status.INTAKE}, version=None)
    todo = next_steps(client_for("liaison").get(HOME).content.decode())
    assert "1 draft is not yet submitted to the board" in todo
    assert "1 request is with IT staff and the board" in todo
    assert "FY2027 is open for requests." in todo
    assert f'href="{reverse("governance:proposal_add")}"' in todo


def test_it_staff_are_sent_to_what_waits_for_review_and_decision(client_for, cycle, make_proposal):
    make_proposal("Street light sensors", status=S.SUBMITTED)
    make_proposal("Permit portal", status=S.UNDER_REVIEW)
    todo = next_steps(client_for("staff").get(HOME).content.decode())
    assert "1 request waits for review" in todo
    assert f"?cycle={cycle.pk}&amp;status=submitted" in todo
    assert "1 request is with the board for scoring" in todo
    assert "0 portfolio scenarios for FY2027" in todo


def test_without_a_cycle_it_staff_are_shown_how_to_start(client_for, users):
    page = client_for("staff").get(HOME).content.decode()
    todo = next_steps(page)
    assert "No budget cycle yet." in todo
    assert reverse("governance:criteria_presets") in todo
    assert "Current budget cycle" not in page
    viewer = next_steps(client_for("viewer").get(HOME).content.decode())
    assert "No budget cycle has been set up yet." in viewer


def test_queries_do_not_grow_with_proposals(client_for, cycle, make_proposal, board):
    def count(role: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for(role).get(HOME).status_code == 200
        return len(queries)

    make_proposal("First", status=S.UNDER_REVIEW)
    few = {role: count(role) for role in ("staff", "board", "liaison")}
    for n in range(6):
        make_proposal(f"More {n}", status=S.UNDER_REVIEW if n % 2 else S.SUBMITTED)
    assert {role: count(role) for role in few} == few


def test_the_front_page_is_in_the_menu(client_for):
    page = client_for("viewer").get(reverse("core:home")).content.decode()
    assert f'<a href="{HOME}">Governance overview</a>' in page
