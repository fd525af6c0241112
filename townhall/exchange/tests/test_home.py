"""Each role's home (/), and the record counts moved to /records/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from townhall.core import context, services
from townhall.cyber.models import Evidence, Risk
from townhall.estate import models as e
from townhall.exchange import decisions
from townhall.exchange.decisions_text import Decision, soonest, when
from townhall.governance.models import Proposal
from townhall.registers.models import SurveillanceReview

S = context.SYSTEM
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def contract(title: str, end: datetime.date, notice: int, department=None) -> e.Contract:
    vendor = e.Vendor.objects.filter(name="Acme").first() or services.create(
        S, e.Vendor, {"name": "Acme"}
    )
    values = {"title": title, "vendor": vendor, "end": end, "notice_days": notice}
    return services.create(S, e.Contract, {**values, "owner_department": department})


def test_decisions_are_sorted_soonest_first_and_bounded() -> None:
    items = [Decision(f"item {n}", days(n), "/", n < 0, "x") for n in (5, -2, 0, 9, 1)]
    shown, more = soonest(items, shown=3)
    assert [d.text for d in shown] == ["item -2", "item 0", "item 1"] and more == 2
    assert when(days(-3), TODAY) == "3 days ago" and when(days(2), TODAY) == "in 2 days"


@pytest.mark.django_db
def test_the_cio_sees_decisions_due_with_the_overdue_marked(client_for, departments) -> None:
    contract("Phone system", days(20), 30, departments["PW"])  # notice 10 days ago
    contract("Email filtering", days(40), 30, departments["PW"])  # notice in 10 days
    contract("Far away", days(400), 30, departments["PW"])
    risk = {"title": "Old firewall", "treatment": Risk.Treatment.ACCEPT, "due_date": days(3)}
    approver = services.create(S, e.Person, {"name": "Pat Mayor"})
    risk |= {"acceptance_expires": days(300), "owner_department": departments["PW"]}
    risk |= {"approver": approver}
    services.create(S, Risk, risk)
    services.create(
        S,
        Evidence,
        {"title": "Pen test report", "expires": days(7), "link": "https://example.org/pt"},
    )
    readers = services.create(S, e.System, {"name": "Plate readers"})
    services.create(S, SurveillanceReview, {"system": readers, "collected": "Plates"})
    cameras = services.create(S, e.System, {"name": "Cameras"})
    decided = {"decision": "approved", "decided_on": days(-1)}
    services.create(S, SurveillanceReview, {"system": cameras, "collected": "Faces", **decided})
    page = client_for("manager").get("/").content.decode()
    assert "The surveillance review of Plate readers waits for a decision." in page
    assert "review of Cameras" not in page
    assert "<h1>" in page and "Decisions due" in page and "Priorities scorecard" in page
    listed = page.split('id="decisions-heading"')[1].split("</section>")[0]
    order = [listed.index(t) for t in ("Phone system", "Old firewall", "Pen test report")]
    assert order == sorted(order) and "Email filtering" in listed and "Far away" not in listed
    assert (
        listed.count("Overdue:") == 1 and "Overdue:</strong> Notice on the contract Phone" in listed
    )
    assert "Cyber brief" in page and reverse("core:records") in page
    assert "Waiting for your scores" not in page


@pytest.mark.django_db
def test_the_decisions_cost_the_same_queries_whatever_the_data(
    departments, users, django_assert_num_queries
) -> None:
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            decisions.due(users["manager"])
        return len(ctx.captured_queries)

    contract("One", days(5), 1, departments["PW"])
    system = services.create(S, e.System, {"name": "Plate readers"})
    before = count()
    for n in range(12):
        services.create(S, SurveillanceReview, {"system": system, "collected": f"Plates {n}"})
        contract(f"More {n}", days(10 + n), 1, departments["FIN"])
        services.create(
            S,
            Evidence,
            {"title": f"Evidence {n}", "expires": days(n), "link": "https://example.org/e"},
        )
    with django_assert_num_queries(before):
        shown, more = decisions.due(users["manager"])
    assert len(shown) == 24 and more == 0  # 8 of each, read whatever the number of rows
    assert sum(d.kind == "surveillance" for d in shown) == 8


@pytest.mark.django_db
def test_a_liaison_sees_only_their_own_department(client_for, departments, make_proposal) -> None:
    system = {"name": "Work orders", "owner_department": departments["PW"]}
    services.create(S, e.System, {**system, "end_of_support": days(-30)})
    services.create(
        S,
        e.System,
        {"name": "Ledger", "owner_department": departments["FIN"], "end_of_support": days(-30)},
    )
    make_proposal("Permit portal", status=Proposal.Status.SUBMITTED)
    make_proposal("Budget book", owner_department=departments["FIN"])
    page = client_for("liaison").get("/").content.decode()
    assert "Public Works" in page and "Work orders" in page and "Permit portal" in page
    assert "Ledger" not in page and "Budget book" not in page
    assert "Decisions due" not in page and "Waiting for your scores" not in page


@pytest.mark.django_db
def test_a_board_member_sees_the_ballot_waiting_and_a_viewer_the_briefs(
    client_for,
    make_proposal,
    board,
) -> None:
    make_proposal("Permit portal", status=Proposal.Status.UNDER_REVIEW)
    page = client_for("board").get("/").content.decode()
    waiting = page.split('id="waiting-heading"')[1].split("</section>")[0]
    assert "Permit portal" in waiting and "Board packets" in page
    assert "Decisions due" not in page
    viewer = client_for("viewer").get("/").content.decode()
    assert "Workforce brief" in viewer and "Latest changes" in viewer
    assert "Decisions due" not in viewer and "Waiting for your scores" not in viewer


@pytest.mark.django_db
def test_the_record_counts_moved_to_records(client_for) -> None:
    services.create(S, e.Vendor, {"name": "Acme"})
    page = client_for("viewer").get(reverse("core:records")).content.decode()
    assert "<h1>Records</h1>" in page and "See all vendors" in page
    assert "See all vendors" not in client_for("viewer").get("/").content.decode()
