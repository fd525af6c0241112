"""The portfolio optimizer, checked against brute-force enumeration. No database."""

import itertools
import json
import random

import pytest

from townhall.governance import optimizer as o
from townhall.governance.optimizer import Problem, ProblemError, Proposal

YEARS = [2027, 2028, 2029]


def prop(pid, value, **kw):
    return Proposal(id=pid, value=value, **kw)


def problem(proposals, **kw):
    kw.setdefault("years", YEARS)
    return Problem(proposals=proposals, **kw)


def per_year(amount, years=YEARS):
    return {y: amount for y in years}


# --- an enumerator that knows nothing of the optimizer ---------------------------------------


def spending(p, start, year):
    """(capital, operating, {pool: hours}) of p in `year` when it starts in `start`."""
    k = year - start
    if k < 0:
        return 0.0, 0.0, {}
    capital = p.capital[k] if k < len(p.capital) else 0.0
    operating = (p.operating[k] if k < len(p.operating) else 0.0) + p.recurring
    hours = {pool: (h[k] if k < len(h) else 0.0) for pool, h in p.effort.items()}
    return capital, operating, hours


def feasible(pr, starts):
    by_id = {p.id: p for p in pr.proposals}
    for p in pr.proposals:
        if (p.mandated or p.id in pr.force_in) and p.id not in starts:
            return False
    for pid, t in starts.items():
        p = by_id[pid]
        if pid in pr.force_out or t < (p.earliest_start or pr.years[0]) or t > pr.years[-1]:
            return False
        for i in p.prerequisites:
            if i not in starts or starts[i] + by_id[i].duration > t:
                return False
    for y in pr.years:
        cap = ops = infra = 0.0
        hours = {pool: 0.0 for pool in pr.pools}
        for pid, t in starts.items():
            c, op, h = spending(by_id[pid], t, y)
            cap, ops = cap + c, ops + op
            infra += (c + op) if by_id[pid].infrastructure else 0.0
            for pool, v in h.items():
                hours[pool] += v
        if pr.capital_budget is not None and cap > pr.capital_budget[y] + 1e-6:
            return False
        if pr.operating_budget is not None and ops > pr.operating_budget[y] + 1e-6:
            return False
        if any(hours[pool] > pr.pools[pool][y] + 1e-6 for pool in pr.pools):
            return False
        if infra < pr.infrastructure_share * (cap + ops) - 1e-6:
            return False
    return True


def best(pr):
    """The optimal value by trying every (fund?, start year) assignment."""
    ids = [p.id for p in pr.proposals]
    best_value, best_starts = None, None
    for choice in itertools.product([None, *pr.years], repeat=len(ids)):
        starts = {pid: t for pid, t in zip(ids, choice, strict=True) if t is not None}
        if feasible(pr, starts):
            value = sum(p.value for p in pr.proposals if p.id in starts)
            if best_value is None or value > best_value + 1e-9:
                best_value, best_starts = value, starts
    return best_value, best_starts


def solved(pr, **kw):
    kw.setdefault("mip_rel_gap", 0.0)
    plan = o.solve(pr, **kw)
    if plan.value is not None:
        assert feasible(pr, plan.starts), plan.starts
    json.dumps(plan.to_dict())  # always JSON-ready
    return plan


def assert_optimal(pr):
    plan = solved(pr)
    value, _ = best(pr)
    assert plan.status == "optimal"
    assert plan.value == pytest.approx(value)
    assert plan.gap == pytest.approx(0.0, abs=1e-9)
    return plan


# --- constraints ---------------------------------------------------------------------------------


def test_budget_per_year_binds_and_spreads_starts():
    pr = problem(
        [prop("A", 10, capital=[600]), prop("B", 9, capital=[600]), prop("C", 1, capital=[900])],
        years=[2027, 2028],
        capital_budget={2027: 1000, 2028: 1000},
    )
    plan = assert_optimal(pr)
    assert plan.starts["A"] != plan.starts["B"]
    assert plan.value == 19
    used = {u.year: u.capital for u in plan.use}
    assert used == {2027: 600, 2028: 600}
    assert all(u.capital_limit == 1000 for u in plan.use)


def test_recurring_costs_continue_after_the_start_year():
    # A's 100 a year keeps running, so B (150 one-time operating) only fits where A is not yet.
    pr = problem(
        [
            prop("A", 5, recurring=100),
            prop("B", 4, operating=[150]),
            prop("C", 3, operating=[150], earliest_start=2029),
        ],
        operating_budget=per_year(200),
    )
    plan = assert_optimal(pr)
    assert plan.value == 9  # A after B; C cannot join A's 100 a year in 2029
    assert plan.starts == {"B": 2027, "A": 2028}  # as early as the budget allows
    ops = {u.year: u.operating for u in plan.use}
    start_a = plan.starts["A"]
    for y in YEARS:
        expected = (100 if y >= start_a else 0) + (150 if y == plan.starts["B"] else 0)
        assert ops[y] == expected


def test_equally_good_start_years_resolve_to_the_earliest():
    pr = problem(
        [prop("A", 1, duration=2), prop("B", 1, prerequisites=["A"]), prop("C", 1, capital=[5])],
        capital_budget={2027: 0, 2028: 5, 2029: 5},
    )
    assert assert_optimal(pr).starts == {"A": 2027, "B": 2029, "C": 2028}


def test_costs_after_the_horizon_are_ignored():
    pr = problem([prop("A", 5, duration=3, capital=[100, 100, 500])], capital_budget=per_year(100))
    plan = assert_optimal(pr)
    assert plan.starts == {"A": 2028}  # the 500 in project year 3 falls after 2029
    assert plan.funded[0].end == 2030


def test_staff_pools():
    pr = problem(
        [
            prop("A", 6, duration=2, effort={"apps": [300, 300]}),
            prop("B", 5, effort={"apps": [400], "infra": [100]}),
            prop("C", 4, effort={"infra": [250]}),
        ],
        pools={"apps": per_year(500), "infra": per_year(300)},
    )
    plan = assert_optimal(pr)
    assert plan.value == 15
    assert {u.year: u.hours_limit for u in plan.use}[2027] == {"apps": 500, "infra": 300}


def test_prerequisites_start_after_finish():
    pr = problem(
        [
            prop("A", 1, duration=2, capital=[10, 10]),
            prop("B", 10, prerequisites=["A"]),
            prop("C", 10, prerequisites=["B"]),
        ]
    )
    plan = assert_optimal(pr)
    assert plan.starts == {"A": 2027, "B": 2029}  # C would need B finished by 2029: it is not
    assert plan.value == 11


def test_prerequisite_that_is_not_worth_it_alone_is_funded_for_its_dependent():
    pr = problem(
        [
            prop("A", 0, capital=[500]),
            prop("B", 8, prerequisites=["A"]),
            prop("C", 5, capital=[500]),
        ],
        capital_budget={2027: 500, 2028: 0, 2029: 0},
    )
    plan = assert_optimal(pr)
    assert plan.value == 8 and plan.starts["A"] < plan.starts["B"]


def test_mandated_force_in_and_force_out():
    proposals = [
        prop("M", 1, capital=[700], mandated=True),
        prop("X", 9, capital=[700]),
        prop("Y", 5, capital=[300]),
        prop("Z", 4, capital=[300]),
    ]
    pr = problem(proposals, years=[2027], capital_budget={2027: 1000})
    plan = assert_optimal(pr)
    assert set(plan.starts) == {"M", "Y"}
    pr = problem(proposals, years=[2027], capital_budget={2027: 1000}, force_in=["Z"])
    assert set(assert_optimal(pr).starts) == {"M", "Z"}
    pr = problem(proposals, years=[2027], capital_budget={2027: 1000}, force_out=["Y"])
    assert set(assert_optimal(pr).starts) == {"M", "Z"}


def test_infrastructure_share():
    proposals = [
        prop("App1", 10, capital=[600]),
        prop("App2", 9, capital=[300]),
        prop("Net", 1, capital=[200], infrastructure=True),
    ]
    pr = problem(proposals, years=[2027], capital_budget={2027: 1000})
    assert set(assert_optimal(pr).starts) == {"App1", "App2"}
    pr = problem(proposals, years=[2027], capital_budget={2027: 1000}, infrastructure_share=0.2)
    plan = assert_optimal(pr)
    assert set(plan.starts) == {"App1", "Net"}  # 200 of 800 is 25%; 200 of 1100 would not fit
    assert plan.use[0].infrastructure_spending == 200 and plan.use[0].total_spending == 800


def test_earliest_start_and_unlimited_budgets():
    pr = problem([prop("A", 3, capital=[10**9], earliest_start=2029)])
    plan = assert_optimal(pr)
    assert plan.starts == {"A": 2029}
    assert plan.use[0].capital_limit is None


def test_randomized_small_instances_match_enumeration():
    rng = random.Random(20270)
    for _ in range(30):
        pr = random_problem(rng, n=rng.randint(3, 6))
        value, _ = best(pr)
        plan = solved(pr)
        if value is None:
            assert plan.status == "infeasible" and plan.conflicts
        else:
            assert plan.status == "optimal"
            assert plan.value == pytest.approx(value), pr


def random_problem(rng, n, years=YEARS, pools=("apps", "infra")):
    proposals = []
    for k in range(n):
        d = rng.randint(1, 2)
        proposals.append(
            prop(
                f"P{k}",
                rng.randint(1, 20),
                duration=d,
                earliest_start=rng.choice([None, None, years[1]]),
                capital=[rng.choice([0, 100, 200, 400]) for _ in range(d)],
                operating=[rng.choice([0, 50]) for _ in range(d)],
                recurring=rng.choice([0, 0, 30]),
                effort={p: [rng.choice([0, 100, 300])] * d for p in pools if rng.random() < 0.5},
                prerequisites=[f"P{j}" for j in range(k) if rng.random() < 0.15],
                mandated=rng.random() < 0.1,
                infrastructure=rng.random() < 0.3,
            )
        )
    return Problem(
        years=years,
        proposals=proposals,
        capital_budget=per_year(rng.choice([300, 500, 800]), years),
        operating_budget=per_year(rng.choice([100, 200]), years) if rng.random() < 0.7 else None,
        pools={p: per_year(rng.choice([300, 500]), years) for p in pools},
        infrastructure_share=rng.choice([0, 0, 0.2]),
        force_out=[f"P{rng.randrange(n)}"] if rng.random() < 0.2 else [],
    )


# --- infeasible problems -------------------------------------------------------------------------


def test_infeasible_mandated_set_names_the_capital_budget():
    pr = problem(
        [
            prop("M1", 1, capital=[700], mandated=True),
            prop("M2", 1, capital=[500], mandated=True, earliest_start=2029),
            prop("Opt", 9, capital=[100]),
        ],
        capital_budget={2027: 1000, 2028: 1000, 2029: 1000},
    )
    pr.capital_budget[2029] = 400
    pr.capital_budget[2028] = 400
    pr.capital_budget[2027] = 400
    plan = solved(pr)
    assert best(pr)[0] is None
    assert plan.status == "infeasible" and plan.value is None and not plan.funded
    by_year = {c["year"]: c for c in plan.conflicts if c["constraint"] == "capital budget"}
    assert by_year[2029]["short_by"] == pytest.approx(100)
    assert by_year[2029]["proposals"] == ["M2"]
    assert "capital budget in 2029 is short by 100" in by_year[2029]["message"]
    assert sum(c["short_by"] for c in by_year.values()) == pytest.approx(400)
    assert plan.to_dict()["conflicts"] == plan.conflicts
    assert "No plan meets every constraint" in plan.summary


def test_infeasible_staff_hours_and_share_are_named():
    pr = problem(
        [prop("M", 1, effort={"apps": [800]}, capital=[100], mandated=True)],
        years=[2027],
        pools={"apps": {2027: 500}},
        infrastructure_share=0.5,
    )
    conflicts = solved(pr).conflicts
    hours = next(c for c in conflicts if c["constraint"] == "staff hours")
    assert (hours["pool"], hours["year"], hours["short_by"]) == ("apps", 2027, 300)
    share = next(c for c in conflicts if c["constraint"] == "infrastructure share")
    assert share["year"] == 2027 and share["short_by"] == pytest.approx(50)


def test_infrastructure_proposals_can_repair_the_share_in_the_explanation():
    # The share could be met by funding Net, but Net does not fit the budget: the capital
    # budget is what conflicts, not the share.
    pr = problem(
        [
            prop("M", 1, capital=[800], mandated=True),
            prop("Net", 1, capital=[200], infrastructure=True),
        ],
        years=[2027],
        capital_budget={2027: 900},
        infrastructure_share=0.2,
    )
    conflicts = solved(pr).conflicts
    assert [c["constraint"] for c in conflicts] == ["capital budget"]
    assert conflicts[0]["short_by"] == pytest.approx(100)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (dict(force_in=["A"], force_out=["A"]), "A: it is forced in and also forced out"),
        (dict(force_out=["M"]), "M: it is mandated but also forced out"),
        (dict(force_out=["A"], force_in=["B"]), "B: its prerequisite A is forced out"),
        (dict(force_in=["C"]), "C: its earliest start 2031 is after the last fiscal year 2029"),
        (
            dict(force_in=["E"]),
            "E: its prerequisite D cannot finish before the last fiscal year 2029",
        ),
    ],
)
def test_obvious_conflicts_are_reported_without_solving(change, expected):
    pr = problem(
        [
            prop("M", 1, mandated=True),
            prop("A", 1),
            prop("B", 1, prerequisites=["A"]),
            prop("C", 1, earliest_start=2031),
            prop("D", 1, duration=3),
            prop("E", 1, prerequisites=["D"]),
        ],
        **change,
    )
    plan = o.solve(pr)
    assert plan.status == "infeasible"
    assert [c["message"] for c in plan.conflicts] == [expected + "."]
    assert plan.conflicts[0]["proposal"] == expected.split(":")[0]


# --- time limits ---------------------------------------------------------------------------------


def hard_problem(seed, n=150, years=(2027, 2028, 2029, 2030, 2031)):
    """Many proposals against tight money and five tight staff pools: slow to prove."""
    rng = random.Random(seed)
    pools = ["apps", "infra", "security", "data", "field"]
    proposals = []
    for k in range(n):
        d = rng.randint(1, 3)
        size = rng.lognormvariate(12, 0.8)
        proposals.append(
            prop(
                f"P{k}",
                round(rng.uniform(20, 100) * (d * size / 4e5) ** 0.6, 2),
                duration=d,
                capital=[round(size * rng.uniform(0.4, 1.2)) for _ in range(d)],
                recurring=round(size * rng.uniform(0, 0.2)),
                effort={
                    p: [round(size * rng.uniform(0.3, 1.2) / 150)] * d for p in rng.sample(pools, 2)
                },
                infrastructure=rng.random() < 0.3,
            )
        )

    def quarter(total):
        return {y: total / 4 / len(years) for y in years}

    return Problem(
        years=list(years),
        proposals=proposals,
        capital_budget=quarter(sum(sum(p.capital) for p in proposals)),
        operating_budget=quarter(sum(p.recurring * 3 for p in proposals)),
        pools={q: quarter(sum(sum(p.effort.get(q, [])) for p in proposals)) for q in pools},
        infrastructure_share=0.2,
    )


def test_a_solve_stopped_by_the_time_limit_is_never_called_optimal():
    pr = hard_problem(seed=1)
    plan = o.solve(pr, time_limit=0.5)
    assert plan.status in ("optimal", "time_limit")
    assert plan.value is not None and feasible(pr, plan.starts)
    assert plan.gap is not None and plan.bound >= plan.value
    if plan.status == "time_limit":
        assert plan.gap > 1e-4  # otherwise HiGHS would have stopped, proven optimal
        assert plan.summary.startswith("Stopped at the time limit: not proven optimal")
        assert plan.to_dict()["status"] == "time_limit"
    else:
        assert plan.gap <= 1e-4


# --- ranking by score, frontier ------------------------------------------------------------------


def test_rank_by_score_is_the_baseline():
    pr = problem(
        [
            prop("Big", 10, capital=[600]),
            prop("S1", 6, capital=[500]),
            prop("S2", 6, capital=[500]),
            prop("Needs", 20, prerequisites=["Low"]),
            prop("Low", 1),
        ],
        years=[2027],
        capital_budget={2027: 1000},
    )
    base = o.rank_by_score(pr)
    assert base.status == "baseline" and feasible(pr, base.starts)
    # Needs cannot start before its prerequisite finishes, after the only year: left out.
    assert set(base.starts) == {"Big", "Low"}
    assert base.value == 11
    plan = solved(pr)
    assert plan.value == 13  # S1 + S2 + Low
    assert plan.to_dict()["baseline"] == {"funded": ["Big", "Low"], "value": 11}
    assert plan.value_difference == 2


def test_rank_by_score_funds_mandated_first_at_the_earliest_year_that_fits():
    pr = problem(
        [prop("Top", 10, capital=[800]), prop("M", 1, capital=[500], mandated=True)],
        capital_budget=per_year(1000),
    )
    base = o.rank_by_score(pr)
    assert base.starts == {"M": 2027, "Top": 2028}


def test_rank_by_score_keeps_the_infrastructure_share():
    pr = problem(
        [
            prop("A", 10, capital=[500]),
            prop("B", 9, capital=[400]),
            prop("Net", 1, capital=[100], infrastructure=True),
        ],
        years=[2027],
        infrastructure_share=0.2,
    )
    base = o.rank_by_score(pr)
    assert feasible(pr, base.starts)
    # All three fit the budget but miss the share (100 of 1000); dropping B (100 of 600)
    # is not enough, dropping A too is; B then comes back (100 of 500).
    assert set(base.starts) == {"B", "Net"}


def test_the_budget_office_moves_what_does_not_fit_to_a_later_year():
    pr = problem(
        [prop("A", 10, capital=[600]), prop("B", 9, capital=[600]), prop("C", 8, capital=[600])],
        capital_budget=per_year(1000),
    )
    base = o.rank_by_score(pr)
    assert base.starts == {"A": 2027, "B": 2028, "C": 2029}
    assert base.summary.startswith("Funded down the ranked list year by year")


def test_the_budget_office_keeps_what_it_committed_in_earlier_years():
    """Year by year: in 2027 the small two-year E still fits, and its second year's money is
    then committed; B, waiting from 2027, no longer fits in 2028 beside it."""
    pr = problem(
        [
            prop("A", 10, capital=[600]),
            prop("B", 9, capital=[600]),
            prop("E", 1, capital=[300, 600], duration=2),
        ],
        years=[2027, 2028],
        capital_budget=per_year(1000, [2027, 2028]),
    )
    assert o.rank_by_score(pr).starts == {"A": 2027, "E": 2027}
    # The optimizer starts B in 2028 and E then too (its second year is past the horizon).
    assert solved(pr).value == 20


def test_the_budget_office_funds_a_priority_with_what_it_needs_first():
    """Top needs Base, which the board ranks last: Base takes Top's place in the list, so
    both are funded, Base first; ranking alone would never reach Top."""
    pr = problem(
        [
            prop("Top", 10, capital=[500], prerequisites=["Base"]),
            prop("F1", 5, capital=[700]),
            prop("F2", 5, capital=[700]),
            prop("F3", 5, capital=[700]),
            prop("Base", 1, capital=[400]),
        ],
        capital_budget=per_year(1000),
    )
    base = o.rank_by_score(pr)
    assert base.starts == {"Base": 2027, "Top": 2028, "F1": 2029}
    assert base.value == 16 and feasible(pr, base.starts)


def test_a_mandate_is_funded_with_its_prerequisite_first():
    pr = problem(
        [
            prop("Top", 10, capital=[900]),
            prop("M", 0, capital=[300], mandated=True, prerequisites=["Net"]),
            prop("Net", 0, capital=[300]),
        ],
        capital_budget=per_year(1000),
    )
    base = o.rank_by_score(pr)
    assert base.conflicts == []
    assert base.starts == {"Net": 2027, "M": 2028, "Top": 2029}


def test_the_list_follows_the_boards_ranking_when_given():
    """Ranked by the board's score, valued in the scenario's objective."""
    pr = problem(
        [prop("Wide", 30, capital=[900]), prop("Narrow", 5, capital=[600])],
        years=[2027],
        capital_budget={2027: 1000},
    )
    assert set(o.rank_by_score(pr).starts) == {"Wide"}
    board = o.rank_by_score(pr, ranking={"Wide": 40.0, "Narrow": 90.0})
    assert set(board.starts) == {"Narrow"} and board.value == 5


def test_the_share_drops_the_lowest_placed_first():
    pr = problem(
        [
            prop("A", 1, capital=[300]),
            prop("B", 9, capital=[400]),
            prop("Net", 1, capital=[100], infrastructure=True),
        ],
        years=[2027],
        infrastructure_share=0.2,
    )
    # All three miss the share (100 of 800). Ranked by value, A goes (100 of 500); the
    # board ranks A above B though it is worth less, so B goes instead (100 of 400).
    assert set(o.rank_by_score(pr).starts) == {"B", "Net"}
    base = o.rank_by_score(pr, ranking={"A": 90.0, "B": 50.0, "Net": 10.0})
    assert set(base.starts) == {"A", "Net"} and feasible(pr, base.starts)


def test_frontier_is_monotone():
    rng = random.Random(3)
    pr = random_problem(rng, n=30)
    for p in pr.proposals:
        p.mandated = False
    points = o.frontier(pr, time_limit=2)
    assert [p.level for p in points] == list(o.DEFAULT_LEVELS)
    values = [p.value or 0 for p in points]
    assert values == sorted(values)
    at_one = next(p for p in points if p.level == 1.0)
    assert at_one.total_budget == pytest.approx(
        sum(pr.capital_budget.values()) + sum((pr.operating_budget or {}).values())
    )
    assert all(p.status in ("optimal", "time_limit") for p in points)


# --- reading problems ----------------------------------------------------------------------------

EXAMPLE = {
    "years": [2027, 2028],
    "budgets": {"capital": {"2027": 1000, "2028": 1000}},
    "pools": {"apps": {"2027": 100, "2028": 100}},
    "infrastructure_share": 0.0,
    "force_in": [],
    "force_out": [],
    "proposals": [
        {"id": "A", "value": 5, "duration": 2, "capital": [100, 50], "effort": {"apps": [10, 10]}},
        {"id": "B", "value": 4, "prerequisites": ["A"], "infrastructure": True, "recurring": 5},
    ],
}


def test_problem_from_dict_defaults():
    pr = o.problem_from_dict(EXAMPLE)
    a, b = pr.proposals
    assert a.operating == [0.0, 0.0] and b.capital == [0.0] and b.duration == 1
    assert pr.capital_budget == {2027: 1000, 2028: 1000} and pr.operating_budget is None
    assert pr.pools == {"apps": {2027: 100, 2028: 100}}
    assert o.problem_from_dict(json.loads(json.dumps(pr.to_dict()))) == pr


def edit(path, value):
    data = json.loads(json.dumps(EXAMPLE))
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ["proposals", 0, "capital"],
            [1, 2, 3],
            "proposal A: capital has 3 entries but duration is 2",
        ),
        (["proposals", 1, "prerequisites"], ["Q"], "proposal B: unknown prerequisite 'Q'"),
        (["proposals", 0, "prerequisites"], ["B"], "prerequisites form a cycle: A → B → A"),
        (["proposals", 0, "prerequisites"], ["A"], "prerequisites form a cycle: A → A"),
        (["proposals", 0, "capital"], [100, -5], "proposal A: capital[1]: must not be negative"),
        (["proposals", 0, "recurring"], "lots", "proposal A: recurring: must be a number"),
        (["proposals", 0, "value"], KeyError, "proposal A: value is missing"),
        (["proposals", 0, "duration"], 0, "proposal A: duration must be a whole number"),
        (
            ["proposals", 0, "earliest_start"],
            "2027",
            "proposal A: earliest_start must be an integer",
        ),
        (["proposals", 0, "effort"], {"aps": [1, 1]}, "proposal A: effort names pool 'aps'"),
        (["proposals", 0, "mandated"], "yes", "proposal A: mandated must be true or false"),
        (["proposals", 0, "costs"], 1, "proposal A: unknown field 'costs'"),
        (["proposals", 1, "id"], "A", "proposal A: the id is used twice"),
        (["years"], [2027.0, 2028.0], "years: must be a non-empty list of integer fiscal years"),
        (["years"], [2027, 2029], "years: must be consecutive"),
        (["budgets", "capital"], {"2027": 5}, "budgets.capital: no amount for 2028"),
        (["budgets", "capital", "2030"], 5, "budgets.capital: 2030 is not one of the years"),
        (["budgets", "capital", "next"], 5, "budgets.capital: 'next' is not a year"),
        (["budgets", "staff"], {}, "budgets: unknown field 'staff'"),
        (["pools", "apps", "2027"], True, "pools.apps.2027: must be a number"),
        (["infrastructure_share"], 1.5, "infrastructure_share: must be between 0 and 1"),
        (["force_in"], ["Z"], "force_in: unknown proposal 'Z'"),
        (["proposals"], None, "proposals: must be a list"),
    ],
)
def test_problem_from_dict_errors(path, value, message):
    with pytest.raises(ProblemError) as caught:
        o.problem_from_dict(edit(path, value))
    assert message in str(caught.value)


def test_problem_from_dict_needs_an_object():
    with pytest.raises(ProblemError, match="must be a JSON object"):
        o.problem_from_dict([1, 2])


def test_plan_to_dict_shape():
    plan = solved(o.problem_from_dict(EXAMPLE))
    data = plan.to_dict()
    assert set(data) == {
        "status", "summary", "value", "bound", "gap", "seconds", "funded", "use",
        "baseline", "value_difference", "conflicts",
    }  # fmt: skip
    assert data["funded"][0] == {"id": "A", "title": "", "start": 2027, "end": 2028, "value": 5.0}
    assert set(data["use"][0]) == {
        "year", "capital", "capital_limit", "operating", "operating_limit", "hours",
        "hours_limit", "infrastructure_spending", "total_spending",
    }  # fmt: skip
