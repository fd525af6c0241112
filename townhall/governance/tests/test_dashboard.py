"""The governance health dashboard: its arithmetic, its figures on a small hand-made case,
the page for every role, the cycle chooser and a query count that does not grow."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from townhall.core import context, services
from townhall.estate.models import System
from townhall.governance import dashboard
from townhall.governance import services as gov
from townhall.governance.models import BudgetCycle, Proposal

S = Proposal.Status
URL = reverse("governance:dashboard")
T0 = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def day(n: float) -> datetime.datetime:
    return T0 + datetime.timedelta(days=n)


# --- arithmetic ---------------------------------------------------------------------------


def test_median_and_share():
    assert dashboard.median([]) is None
    assert dashboard.median([11, 2, 5]) == 5
    assert dashboard.median([4, 1, 3, 2]) == 2.5
    assert dashboard.share(1, 4) == 25.0
    assert dashboard.share(Decimal("1"), Decimal("3")) == 33.3
    assert dashboard.share(5, 0) is None


def test_decision_days_needs_both_dates_in_order():
    rows = [(day(0), day(2)), (day(1), None), (None, day(3)), (day(5), day(4)), (day(0), day(0.5))]
    assert dashboard.decision_days(rows) == [2.0, 0.5]


def test_committed_by_year_places_costs_from_the_start():
    commitments = [
        # starts in the second year: capital 200 then 50, operating 0 then 10, 20 a year on top
        dashboard.Commitment(2028, 2, [200, 50], [0, 10], Decimal(20)),
        # a short cost list counts zero for the years it leaves out
        dashboard.Commitment(2027, 3, [900], [], 0),
        # starts before the years shown: only its later years count
        dashboard.Commitment(2026, 2, [1, 7], ["3", "4"], 1),
    ]
    totals = dashboard.committed_by_year(commitments, [2027, 2028, 2029])
    assert totals[2027] == {"capital": Decimal(907), "operating": Decimal(5)}
    assert totals[2028] == {"capital": Decimal(200), "operating": Decimal(21)}
    assert totals[2029] == {"capital": Decimal(50), "operating": Decimal(31)}


def test_waiting_counts():
    counts = dashboard.waiting_counts([1, 2, 3], [10, 11], [(1, 10), (1, 11), (2, 10), (2, 99)])
    assert counts == {1: 0, 2: 1, 3: 2}


def test_bar_chart_scales_to_the_largest_value_or_limit():
    chart = dashboard.bar_chart(
        [
            dashboard.Item("FY2027", 50, "$50", 100, "$100"),
            dashboard.Item("FY2028", 150, "$150", 100, "$100"),
            dashboard.Item("FY2029", 0, "$0", 100, "$100"),
        ],
        width=400,
        label_width=100,
        value_room=150,
    )
    first, second, third = chart.bars
    assert second.width == 150 and first.width == 50 and third.width == 0
    assert first.limit_x == second.limit_x == 100 + 100
    assert second.over and not first.over and not third.over
    assert first.value_x == 100 + 100 + 6  # the text stands clear of the limit mark
    assert chart.height == 10 + 3 * 32
    tiny = dashboard.bar_chart([dashboard.Item("a", 1, "1"), dashboard.Item("b", 10_000, "x")])
    assert tiny.bars[0].width == 2  # a non-zero value stays visible
    assert dashboard.bar_chart([]).bars == []


# --- figures on a small hand-made case ----------------------------------------------------


def _system(departments, name, sanctioned=True, **costs):
    return services.create(
        context.SYSTEM,
        System,
        {"name": name, "owner_department": departments["PW"], "sanctioned": sanctioned, **costs},
    )


def _score_all(cycle):
    return {c.pk: 3 for c in cycle.criteria_set.criteria.all()}


@pytest.fixture
def case(cycle, board, departments, make_proposal):
    """Systems, decided proposals with known dates, proposals open for scoring."""
    governed = _system(departments, "Permits", cost_license=100, cost_support=200)
    discovered = _system(departments, "Shadow sheet", sanctioned=False, cost_hosting=1000)
    old = _system(departments, "Old ledger", cost_staff=50)
    _system(departments, "No costs")
    # Approved: starts FY2028 by decision; extends Permits and the discovered one.
    approved = make_proposal(
        "Permits online",
        S.APPROVED,
        approved_start=2028,
        submitted_at=day(0),
        decided_at=day(2),
        extends_systems=[governed, discovered],
    )
    # In progress, earliest start FY2027: a large capital cost, over the ceiling.
    make_proposal(
        "Radio renewal",
        S.IN_PROGRESS,
        duration=1,
        capital_costs=[1_100_000],
        operating_costs=[0],
        recurring_operating=0,
        effort={},
        submitted_at=day(0),
        decided_at=day(11),
    )
    # Rejected: decided, but what it names did not come through governance.
    make_proposal(
        "Ledger swap",
        S.REJECTED,
        submitted_at=day(3),
        decided_at=day(8),
        replaces_systems=[old],
    )
    # Open for scoring: two scored ones and one mandated (not scored).
    one = make_proposal("Open one", S.UNDER_REVIEW, submitted_at=day(1))
    two = make_proposal("Open two", S.UNDER_REVIEW, submitted_at=day(1))
    make_proposal(
        "Mandated", S.UNDER_REVIEW, mandated=True, mandate="State law", submitted_at=day(1)
    )
    make_proposal("A draft", S.DRAFT)
    b1, b2, b3 = board
    gov.save_ballot(b1, one, _score_all(cycle), submit=True)
    gov.save_ballot(b1, two, _score_all(cycle), submit=True)
    gov.save_ballot(b2, one, _score_all(cycle), submit=True)
    gov.save_ballot(b3, one, _score_all(cycle))  # kept, not submitted
    return {"approved": approved}


def test_estate_shares(users, case):
    estate = dashboard.estate_shares(users["viewer"])
    rows = {r["key"]: r for r in estate["rows"]}
    assert estate["total"] == 4
    assert estate["no_cost"] == 1
    assert estate["spend"] == Decimal(1350)
    assert estate["governing"] == 2
    # The discovered system stays discovered even though an approved proposal extends it.
    assert (rows["governed"]["systems"], rows["governed"]["spend"]) == (1, Decimal(300))
    assert (rows["discovered"]["systems"], rows["discovered"]["spend"]) == (1, Decimal(1000))
    assert (rows["known"]["systems"], rows["known"]["spend"]) == (2, Decimal(50))
    assert rows["governed"]["systems_share"] == 25.0
    assert rows["known"]["systems_share"] == 50.0
    assert rows["discovered"]["spend_share"] == round(100 * 1000 / 1350, 1)
    assert rows["discovered"]["systems_url"].endswith("?sanctioned=false")


def test_decision_times(users, cycle, case):
    (row,) = dashboard.decision_times(users["viewer"], [cycle])
    assert (row["decided"], row["timed"], row["median"]) == (3, 3, 5.0)  # of 2, 5 and 11 days
    assert "status=approved" in row["decided_url"] and "status=rejected" in row["decided_url"]


def test_waiting_per_member(users, board, cycle, case):
    staff = dashboard.board_waiting(users["staff"], cycle)
    assert staff["open"] == 2
    assert {r["member"].username: r["waiting"] for r in staff["members"]} == {
        "board1": 0,
        "board2": 1,
        "board3": 2,  # a ballot kept but not submitted still waits
    }
    assert staff["members"][0]["url"] == reverse("governance:cycle_scores", args=[cycle.pk])
    own = dashboard.board_waiting(board[1], cycle)
    assert [(r["member"], r["waiting"]) for r in own["members"]] == [(board[1], 1)]
    assert own["members"][0]["url"] == reverse("governance:my_scoring")
    viewer = dashboard.board_waiting(users["viewer"], cycle)
    assert viewer["open"] == 2 and viewer["members"] == [] and not viewer["shows_members"]


def test_committed_against_ceiling(users, cycle, case):
    committed = dashboard.commitments(users["viewer"], cycle)
    assert committed["proposals"] == 2
    by_year = {r["year"]: r for r in committed["rows"]}
    assert by_year[2027]["capital"]["committed"] == Decimal(1_100_000)
    assert by_year[2027]["capital"]["over"] and by_year[2027]["capital"]["over_by"] == 100_000
    assert by_year[2027]["operating"]["committed"] == 0
    assert by_year[2028]["capital"]["committed"] == 200_000
    assert by_year[2028]["operating"]["committed"] == 20_000
    assert by_year[2029]["capital"]["committed"] == 50_000
    assert by_year[2029]["operating"]["committed"] == 30_000
    assert by_year[2029]["operating"]["left"] == 270_000
    assert by_year[2029]["operating"]["used"] == 10.0
    bars = committed["capital_chart"].bars
    assert [b.over for b in bars] == [True, False, False]


# --- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff", "liaison", "board", "viewer"])
def test_page_for_every_role(client_for, role, cycle, case):
    response = client_for(role).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Governance health" in html
    assert 'role="img"' in html and "<caption>" in html
    assert "?sanctioned=false" in html
    scores_url = reverse("governance:cycle_scores", args=[cycle.pk])
    assert (scores_url in html) == (role in ("admin", "staff"))
    own = f'href="{reverse("governance:my_scoring")}" aria-label="0 proposals waiting on board1'
    assert (own in html) == (role == "board")
    assert "over by $100,000" in html


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_cycle_chooser(client_for, cycle, case):
    later = gov.open_cycle(
        context.SYSTEM,
        {"name": "FY2028", "first_year": 2028, "years": 2, "criteria_set": cycle.criteria_set},
    )
    client = client_for("staff")
    assert client.get(URL).context["cycle"] == later  # the latest by default
    chosen = client.get(URL, {"cycle": cycle.pk})
    assert chosen.context["cycle"] == cycle
    assert chosen.context["committed"]["proposals"] == 2
    assert client.get(URL, {"cycle": "999999"}).status_code == 404
    assert client.get(URL, {"cycle": "x"}).status_code == 404


def test_page_without_cycles(client_for, departments):
    response = client_for("viewer").get(URL)
    assert response.status_code == 200
    assert "No budget cycles yet" in response.content.decode()


def test_queries_do_not_grow_with_data(client_for, cycle, board, departments, make_proposal):
    client = client_for("staff")

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            system = _system(departments, f"System {i}", sanctioned=bool(i % 2), cost_license=i)
            make_proposal(
                f"Approved {i}",
                S.APPROVED,
                submitted_at=day(0),
                decided_at=day(i),
                extends_systems=[system],
            )
            p = make_proposal(f"Open {i}", S.UNDER_REVIEW, submitted_at=day(0))
            gov.save_ballot(board[i % 3], p, _score_all(cycle), submit=True)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"cycle": cycle.pk}).status_code == 200
        return len(queries)

    add(2, 0)
    small = count()
    add(8, 2)
    gov.open_cycle(
        context.SYSTEM,
        {"name": "FY2030", "first_year": 2030, "years": 1, "criteria_set": cycle.criteria_set},
    )
    assert count() == small
    assert BudgetCycle.objects.count() == 2
