"""`townhall portfolio solve FILE.json`: prints the plan as JSON; bad files stop with why."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

PROBLEM = {
    "years": [2027, 2028],
    "budgets": {"capital": {"2027": 1000, "2028": 1000}},
    "pools": {"apps": {"2027": 100, "2028": 100}},
    "proposals": [
        {"id": "A", "title": "Permits", "value": 10, "capital": [600]},
        {"id": "B", "value": 9, "capital": [600]},
        {"id": "C", "value": 1, "capital": [900], "effort": {"apps": [50]}},
    ],
}


def run(tmp_path, data, *args):
    path = tmp_path / "cycle.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("portfolio", *args, str(path), stdout=out)
    return json.loads(out.getvalue())


def test_solve_prints_the_plan(tmp_path):
    plan = run(tmp_path, PROBLEM, "solve", "--time-limit", "5")
    assert plan["status"] == "optimal" and plan["gap"] == 0
    assert plan["value"] == 19
    assert {f["id"]: f["start"] for f in plan["funded"]} == {"A": 2027, "B": 2028}
    assert plan["funded"][0]["title"] == "Permits"
    assert [u["capital"] for u in plan["use"]] == [600, 600]
    assert plan["baseline"] == {"funded": ["A", "B"], "value": 19}
    assert plan["value_difference"] == 0
    assert plan["conflicts"] == []


def test_infeasible_problem_prints_the_conflicts(tmp_path):
    data = json.loads(json.dumps(PROBLEM))
    data["proposals"][2]["mandated"] = True
    data["pools"]["apps"]["2027"] = data["pools"]["apps"]["2028"] = 20
    plan = run(tmp_path, data, "solve")
    assert plan["status"] == "infeasible" and plan["value"] is None
    assert [(c["constraint"], c["pool"]) for c in plan["conflicts"]] == [("staff hours", "apps")]
    assert plan["conflicts"][0]["short_by"] == 30


def test_frontier(tmp_path):
    points = run(tmp_path, PROBLEM, "frontier", "--time-limit", "2")
    assert [p["level"] for p in points][:2] == [0.5, 0.6]
    assert points[5] == {
        "level": 1.0,
        "total_budget": 2000.0,
        "value": 19.0,
        "status": "optimal",
        "gap": 0.0,
    }
    assert points[0]["value"] == 0  # 500 a year buys nothing


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"years": [2027], "proposals": [{"id": "P1"}]}', "proposal P1: value is missing"),
        (
            '{"years": [2027], "proposals": [{"id": "P1", "value": 1, "prerequisites": ["P9"]}]}',
            "proposal P1: unknown prerequisite 'P9'",
        ),
        ("[]", "the problem must be a JSON object"),
    ],
)
def test_bad_file_stops_with_the_reason(tmp_path, content, message):
    with pytest.raises(CommandError) as caught:
        run(tmp_path, content, "solve")
    assert message in str(caught.value)
    assert "cycle.json" in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*nowhere.json: No such file"):
        call_command("portfolio", "solve", str(tmp_path / "nowhere.json"))


def test_bad_time_limit(tmp_path):
    with pytest.raises(CommandError, match="--time-limit must be positive"):
        run(tmp_path, PROBLEM, "solve", "--time-limit", "0")
