"""The optimizer's input built from a budget cycle, and solving a scenario on the write path."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.estate.models import System
from townhall.governance import optimizer, portfolio
from townhall.governance import services as gov
from townhall.governance.models import Proposal, Scenario
from townhall.jobs.models import Job

S = Proposal.Status


def score(proposal, board, marks):
    """Each member gives every criterion the same mark (1–5: 1 → 0, 3 → 50, 5 → 100)."""
    criteria = list(proposal.cycle.criteria_set.criteria.all())
    for member, mark in zip(board, marks, strict=False):
        gov.save_ballot(member, proposal, {c.pk: mark for c in criteria}, submit=True)


def set_status(proposal, status, rationale=""):
    """The workflow's own step; a decision gives its rationale."""
    return gov.move(context.SYSTEM, proposal, status, rationale)


def scenario_for(cycle, name="Base", **values):
    return services.create(context.SYSTEM, Scenario, {"cycle": cycle, "name": name, **values})


def by_id(problem):
    return {p["id"]: p for p in problem["proposals"]}


@pytest.fixture
def scored(make_proposal, board):
    """Three scored requests: Permits 75, Records 50, Firewall (cybersecurity) 100."""

    def make(title, marks, **values):
        p = make_proposal(title, S.UNDER_REVIEW, **values)
        score(p, board, marks)
        return set_status(p, S.SCORED)

    return {
        "permits": make("Permits online", [4, 4, 4]),
        "records": make("Records system", [3, 3, 3]),
        "firewall": make("Firewall renewal", [5, 5, 5], kind=Proposal.Kind.CYBER),
    }


# --- which proposals take part -----------------------------------------------------------


def test_statuses_decide_who_takes_part(cycle, make_proposal, scored):
    make_proposal("A draft")
    rejected = make_proposal("Rejected one", S.UNDER_REVIEW)
    set_status(rejected, S.REJECTED, rationale="No.")
    make_proposal("Done already", S.COMPLETE)
    unscored = make_proposal("Not scored yet", S.SUBMITTED)
    make_proposal("Deferred", S.DEFERRED)
    built = portfolio.build(scenario_for(cycle))
    titles = {p["title"] for p in built.problem["proposals"]}
    assert titles == {"Permits online", "Records system", "Firewall renewal"}
    assert {c["title"]: c["reason"] for c in built.left_out} == {
        "Not scored yet": "not scored by the board yet",
        "Deferred": "not scored by the board yet",
    }
    assert portfolio.pid(unscored) not in by_id(built.problem)


def test_mandated_and_approved_are_forced_in(cycle, make_proposal, scored):
    mandated = make_proposal(
        "Accessibility law", S.UNDER_REVIEW, mandated=True, mandate="ADA Title II"
    )
    approved = set_status(scored["records"], S.APPROVED, rationale="Yes.")
    problem = portfolio.problem_for(scenario_for(cycle))
    items = by_id(problem)
    assert items[portfolio.pid(mandated)]["mandated"] is True
    assert items[portfolio.pid(mandated)]["value"] == 0.0  # mandated: funded, not scored
    assert portfolio.pid(approved) in problem["force_in"]
    optimizer.problem_from_dict(problem)  # the optimizer reads it as it is


def test_values_per_objective(cycle, scored, make_proposal):
    records = scored["records"]
    system = services.create(
        context.SYSTEM,
        System,
        {"name": "Old records server", "end_of_support": datetime.date(2020, 1, 1)},
    )
    services.update(context.SYSTEM, records, {"replaces_systems": [system]}, version=None)

    def values(objective):
        problem = portfolio.problem_for(scenario_for(cycle, objective, objective=objective))
        return {p["title"]: p["value"] for p in problem["proposals"]}

    assert values("score") == {
        "Permits online": 75.0,
        "Records system": 50.0,
        "Firewall renewal": 100.0,
    }
    # One-time cost of each: 200,000 + 50,000 capital + 10,000 operating = 260,000.
    per_million = values("score_per_million")
    assert per_million["Permits online"] == round(75 * 1_000_000 / 260_000, 2)
    assert per_million["Records system"] == round(50 * 1_000_000 / 260_000, 2)
    risk = values("risk")
    assert risk["Firewall renewal"] == 200.0  # cybersecurity: twice the score
    assert risk["Records system"] == 75.0  # replaces a system past end of support
    assert risk["Permits online"] == 75.0


def test_small_costs_count_as_the_floor_for_score_per_million(cycle, make_proposal, board):
    cheap = make_proposal(
        "Cheap fix", S.UNDER_REVIEW, capital_costs=[1000, 0], operating_costs=[0, 0]
    )
    score(cheap, board, [5, 5, 5])
    problem = portfolio.problem_for(scenario_for(cycle, objective="score_per_million"))
    assert by_id(problem)[portfolio.pid(cheap)]["value"] == 1000.0  # 100 per $100,000


# --- limits ------------------------------------------------------------------------------


def test_budgets_scale_with_the_level_and_hours_do_not(cycle, scored):
    problem = portfolio.problem_for(scenario_for(cycle, budget_level="0.5"))
    assert problem["years"] == [2027, 2028, 2029]
    assert problem["budgets"]["capital"] == {
        "2027": 500_000.0,
        "2028": 500_000.0,
        "2029": 500_000.0,
    }
    assert problem["budgets"]["operating"]["2028"] == 150_000.0
    assert problem["pools"]["apps"] == {"2027": 4000.0, "2028": 4000.0, "2029": 4000.0}
    assert problem["pools"]["infra"]["2029"] == 3000.0


def test_commitments_come_off_the_limits(cycle, make_proposal, scored):
    running = make_proposal("Under way", S.IN_PROGRESS, approved_start=2027)
    built = portfolio.build(scenario_for(cycle))
    assert portfolio.pid(running) not in by_id(built.problem)
    assert [c["title"] for c in built.commitments] == ["Under way"]
    capital, operating = built.problem["budgets"]["capital"], built.problem["budgets"]["operating"]
    assert capital == {"2027": 800_000.0, "2028": 950_000.0, "2029": 1_000_000.0}
    # Recurring 20,000 a year from the start, plus 10,000 one-time in year 2.
    assert operating == {"2027": 280_000.0, "2028": 270_000.0, "2029": 280_000.0}
    assert built.problem["pools"]["apps"] == {"2027": 3200.0, "2028": 3800.0, "2029": 4000.0}


def test_commitments_over_the_budget_are_noted(cycle, make_proposal, scored):
    make_proposal("Huge", S.IN_PROGRESS, approved_start=2027, capital_costs=[1_500_000, 0])
    built = portfolio.build(scenario_for(cycle))
    assert built.problem["budgets"]["capital"]["2027"] == 0.0
    assert "Commitments exceed the capital budget in FY2027 by $500,000." in built.notes


def test_infrastructure_flag_and_share(cycle, make_proposal, board):
    renewal = make_proposal("Core switches", S.UNDER_REVIEW, kind=Proposal.Kind.RENEWAL)
    score(renewal, board, [3, 3, 3])
    cycle = services.update(context.SYSTEM, cycle, {"infrastructure_share": "0.2"}, version=None)
    scenario = scenario_for(cycle)
    problem = portfolio.problem_for(scenario)
    assert by_id(problem)[portfolio.pid(renewal)]["infrastructure"] is True
    assert problem["infrastructure_share"] == 0.2
    scenario = services.update(
        context.SYSTEM, scenario, {"infrastructure_share": "0.35"}, version=None
    )
    assert portfolio.problem_for(scenario)["infrastructure_share"] == 0.35


def test_force_lists_come_from_the_scenario(cycle, make_proposal, scored):
    unscored = make_proposal("Not scored", S.SUBMITTED)
    scenario = scenario_for(cycle)
    services.update(
        context.SYSTEM,
        scenario,
        {"force_in": [unscored], "force_out": [scored["permits"]]},
        version=None,
    )
    problem = portfolio.problem_for(scenario)
    assert problem["force_in"] == [portfolio.pid(unscored)]
    assert problem["force_out"] == [portfolio.pid(scored["permits"])]
    assert by_id(problem)[portfolio.pid(unscored)]["value"] == 0.0


def test_prerequisites(cycle, make_proposal, board, scored):
    permits, records = scored["permits"], scored["records"]
    services.update(context.SYSTEM, permits, {"prerequisites": [records]}, version=None)
    helper = make_proposal("Unscored helper", S.SUBMITTED)
    draft = make_proposal("Draft base")
    done = make_proposal("Finished base", S.COMPLETE)
    running = make_proposal("Running base", S.IN_PROGRESS, approved_start=2027, duration=2)
    dependent = make_proposal("Dependent", S.UNDER_REVIEW)
    score(dependent, board, [4, 4, 4])
    services.update(
        context.SYSTEM,
        dependent,
        {"prerequisites": [helper, draft, done, running]},
        version=None,
    )
    built = portfolio.build(scenario_for(cycle))
    items = by_id(built.problem)
    assert items[portfolio.pid(permits)]["prerequisites"] == [portfolio.pid(records)]
    dep = items[portfolio.pid(dependent)]
    # The unscored helper takes part (value 0) because the dependent needs it; the draft
    # enters as never funded; the finished one is satisfied; the running one delays the start.
    assert dep["prerequisites"] == sorted(
        [portfolio.pid(helper), portfolio.pid(draft)], key=lambda i: int(i[1:])
    )
    assert items[portfolio.pid(helper)]["value"] == 0.0
    assert portfolio.pid(draft) in built.problem["force_out"]
    assert dep["earliest_start"] == 2029
    assert any(c["title"] == "Draft base" for c in built.left_out)
    plan = optimizer.solve(optimizer.problem_from_dict(built.problem), time_limit=5)
    assert portfolio.pid(dependent) not in plan.starts  # its draft prerequisite blocks it


# --- solving -----------------------------------------------------------------------------


def test_solve_saves_the_plan_and_an_audit_entry(cycle, users, scored):
    scenario = scenario_for(cycle)
    version = scenario.version
    solved = portfolio.solve(scenario, users["staff"])
    result = solved.result
    assert result["status"] == "optimal"
    assert result["gap"] == 0.0
    assert {f["title"] for f in result["funded"]} == {
        "Permits online",
        "Records system",
        "Firewall renewal",
    }
    assert result["value"] == 225.0
    assert result["baseline"]["value"] == 225.0
    assert result["titles"][portfolio.pid(scored["permits"])] == "Permits online"
    assert solved.solved_at is not None
    assert solved.version == version + 1
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Scenario), object_id=str(scenario.pk)
    ).latest("pk")
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == users["staff"]
    assert entry.after["result"]["status"] == "optimal"


def test_only_those_who_may_change_the_scenario_solve_it(cycle, users, scored):
    scenario = scenario_for(cycle)
    for role in ("board", "viewer", "liaison"):
        with pytest.raises(PermissionDenied):
            portfolio.solve(scenario, users[role])
        with pytest.raises(PermissionDenied):
            portfolio.start_solve(users[role], scenario)
    scenario.refresh_from_db()
    assert scenario.result is None


def test_an_infeasible_scenario_names_the_conflict(cycle, users, make_proposal, scored):
    make_proposal(
        "State mandate",
        S.UNDER_REVIEW,
        mandated=True,
        mandate="State law 12",
        capital_costs=[1_500_000, 0],
    )
    result = portfolio.solve(scenario_for(cycle), users["staff"]).result
    assert result["status"] == "infeasible"
    words = [portfolio.in_words(c["message"], result["titles"]) for c in result["conflicts"]]
    assert any("capital budget" in w and "State mandate" in w for w in words), words


def test_a_prerequisite_cycle_is_reported_not_raised(cycle, users, scored):
    permits, records = scored["permits"], scored["records"]
    services.update(context.SYSTEM, permits, {"prerequisites": [records]}, version=None)
    # The write path refuses loops; a loop can still exist in data written before that
    # rule (or restored from elsewhere), so plant it directly.
    Proposal.prerequisites.through.objects.create(from_proposal=records, to_proposal=permits)
    result = portfolio.solve(scenario_for(cycle), users["staff"]).result
    assert result["status"] == "error"
    assert "Permits online" in result["summary"] and "Records system" in result["summary"]


def test_baseline_ranks_by_score_for_other_objectives(cycle, users, make_proposal, board):
    # Big scores 100 but costs the whole capital budget in 2027 and 2028; two small ones
    # score 75 each. Ranking by score funds Big first; score per $1M prefers the small ones.
    big = make_proposal(
        "Big", S.UNDER_REVIEW, capital_costs=[1_000_000, 1_000_000], effort={}, duration=2
    )
    small = [
        make_proposal(f"Small {n}", S.UNDER_REVIEW, capital_costs=[400_000, 0], effort={})
        for n in (1, 2)
    ]
    score(big, board, [5, 5, 5])
    for p in small:
        score(p, board, [4, 4, 4])
    scenario = scenario_for(cycle, objective="score_per_million")
    services.update(context.SYSTEM, cycle, {"years": 2}, version=None)
    scenario.refresh_from_db()
    result = portfolio.solve(scenario, users["staff"]).result
    assert result["baseline"]["funded"][0] == portfolio.pid(big)
    assert set(result["baseline"]["funded"]) == {portfolio.pid(big)}
    assert {f["id"] for f in result["funded"]} >= {portfolio.pid(p) for p in small}
    assert result["value_difference"] == pytest.approx(
        result["value"] - result["baseline"]["value"]
    )
    assert result["value_difference"] > 0
    assert result["score_total"]["baseline"] == 100.0


def test_frontier_is_cached_and_kept_by_a_new_solve(cycle, users, scored):
    scenario = scenario_for(cycle)
    saved = portfolio.compute_frontier(scenario, users["staff"], levels=(0.5, 1.0, 1.5))
    points = saved.result["frontier"]["points"]
    assert [p["level"] for p in points] == [0.5, 1.0, 1.5]
    assert all(p["status"] == "optimal" for p in points)
    values = [p["value"] for p in points]
    assert values == sorted(values)
    assert "status" not in saved.result  # not solved yet: only the frontier is kept
    solved = portfolio.solve(saved, users["staff"])
    assert solved.result["status"] == "optimal"
    assert solved.result["frontier"]["points"] == points


def test_solving_runs_as_a_job(cycle, users, scored):
    scenario = scenario_for(cycle)
    job = portfolio.start_solve(users["staff"], scenario)
    job.refresh_from_db()
    assert job.kind == portfolio.SOLVE_JOB
    assert job.status == Job.Status.DONE, job.message
    assert job.message == "Proven optimal."
    scenario.refresh_from_db()
    assert scenario.result["status"] == "optimal"
    entry = AuditEntry.objects.filter(object_id=str(scenario.pk)).latest("pk")
    assert entry.via == "task" and entry.actor == users["staff"]
    assert portfolio.running(scenario, portfolio.SOLVE_JOB) is None


def test_in_words_puts_titles_back():
    titles = {"p3": "Permits online", "p12": "Records system"}
    text = "p12: its prerequisite p3 is forced out; the 2027 budget is short by 1,312.00."
    assert portfolio.in_words(text, titles) == (
        "Records system: its prerequisite Permits online is forced out; "
        "the 2027 budget is short by 1,312.00."
    )
