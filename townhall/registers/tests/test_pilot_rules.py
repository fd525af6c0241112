"""The pilots' and readiness questionnaires' pure rules (no database)."""

import json

from townhall.registers import pilots, readiness


def test_moves_go_forward_only():
    assert pilots.next_stages("idea") == ["pilot", "stopped"]
    assert pilots.next_stages("pilot") == ["evaluation", "stopped"]
    assert pilots.next_stages("evaluation") == ["scaled", "stopped"]
    assert pilots.next_stages("scaled") == []
    assert pilots.next_stages("stopped") == []
    assert "cannot move" in (pilots.move_refusal("idea", "scaled", required=False, cleared=False))
    assert "not a stage" in pilots.move_refusal("idea", "nowhere", required=False, cleared=False)


def test_review_rule_by_kind_and_personal_data():
    assert pilots.review_required("drone", personal_data=False)
    assert pilots.review_required("body_camera", personal_data=False)
    assert pilots.review_required("plate_reader", personal_data=False)
    assert not pilots.review_required("iot", personal_data=False)
    assert pilots.review_required("iot", personal_data=True)
    assert not pilots.review_required("ai", personal_data=True)
    city = {"always": ["ai"], "personal_data": []}
    assert pilots.review_required("ai", personal_data=False, rule=city)
    assert not pilots.review_required("drone", personal_data=True, rule=city)


def test_starting_a_pilot_needs_an_approved_review_when_required():
    refusal = pilots.move_refusal("idea", "pilot", required=True, cleared=False)
    assert refusal is not None and "approved surveillance-technology review" in refusal
    assert pilots.move_refusal("idea", "pilot", required=True, cleared=True) is None
    assert pilots.move_refusal("idea", "stopped", required=True, cleared=False) is None
    assert pilots.review_cleared(["pending", "approved_with_conditions"])
    assert not pilots.review_cleared(["pending", "rejected"])


def test_flags_and_columns():
    assert pilots.flag("idea", True, False) == "Awaiting its surveillance review"
    assert pilots.flag("pilot", True, False).startswith("Running without")
    assert pilots.flag("pilot", False, False) == ""
    columns = pilots.pipeline_columns([{"stage": "pilot", "n": 1}, {"stage": "idea", "n": 2}])
    assert [stage for stage, _ in columns] == list(pilots.STAGES)
    assert columns[1][1] == [{"stage": "pilot", "n": 1}]


def test_every_questionnaire_has_six_to_eight_questions_scored_0_to_3():
    data = json.loads(readiness.QUESTIONNAIRES.read_text(encoding="utf-8"))
    assert set(data) == {"ai", "iot", "vehicle", "body_camera", "drone"}
    keys = set()
    for technology, _ in readiness.technologies():
        questions = readiness.questionnaire(technology)
        assert 6 <= len(questions) <= 8, technology
        for q in questions:
            assert q.guidance and q.text and q.area
            assert [a.score for a in q.answers] == [0, 1, 2, 3]
            keys.add(q.key)
    assert len(keys) == sum(len(readiness.questionnaire(t)) for t, _ in readiness.technologies())


def test_score_total_share_and_weakest():
    questions = readiness.questionnaire("drone")
    answers = {questions[0].key: 3, questions[1].key: 1, questions[2].key: 1, questions[3].key: 2}
    result = readiness.score("drone", answers)
    assert (result.total, result.most, result.share) == (7, 12, 58)
    assert [q.key for q in result.weakest] == [questions[1].key, questions[2].key]
    assert len(result.unanswered) == len(questions) - 4
    assert result.level == "Partly ready" and not result.complete
    full = readiness.score("drone", {q.key: 3 for q in questions})
    assert full.share == 100 and full.weakest == () and full.level == "Ready"
    empty = readiness.score("drone", {})
    assert empty.share is None and empty.level == "Not answered yet"
    assert readiness.score("nothing", {"x": 1}).questions == 0


def test_problems_name_the_question():
    assert readiness.problems("ai", {"ai-data": 2}) == []
    assert "not a question" in readiness.problems("ai", {"drone-faa": 1})[0]
    assert "score from 0 to 3" in readiness.problems("ai", {"ai-data": True})[0]
    assert "score from 0 to 3" in readiness.problems("ai", {"ai-data": "2"})[0]
    assert readiness.problems("ai", [1]) == ["The answers are a mapping of question to score."]
