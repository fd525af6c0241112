"""The priorities survey counted (pure), and the checks on a member's answer."""

import pytest

from townhall.exchange import survey


def test_counts_and_borda_scores():
    answers = [
        ["modernization", "governance"],
        ["governance", "modernization", "shadow_it"],
        ["governance"],
    ]
    rows = {t.key: t for t in survey.tally(answers, 3)}
    # 3 ranks: first 3 points, second 2, third 1.
    assert (rows["governance"].named, rows["governance"].first, rows["governance"].score) == (
        3,
        2,
        2 + 3 + 3,
    )
    assert (rows["modernization"].named, rows["modernization"].score) == (2, 5)
    assert rows["shadow_it"].score == 1 and rows["continuity"].named == 0
    assert [t.key for t in survey.tally(answers, 3)][:3] == [
        "governance",
        "modernization",
        "shadow_it",
    ]


def test_small_counts_hidden_and_too_few_answers_refused():
    assert survey.shown(3, 5) == "fewer than 5"
    assert survey.shown(0, 5) == "0" and survey.shown(5, 5) == "5"
    assert "only 4 members answered" in survey.may_publish(4, 5)
    assert survey.may_publish(5, 5) == ""


def test_trends_give_each_years_share_and_hide_small_ones():
    y1 = survey.tally([["governance"]] * 5 + [["continuity"]] * 5, 5)
    y2 = survey.tally([["governance"]] * 6 + [["continuity"]] * 2, 5)
    trend = survey.trends({2027: (8, y2), 2026: (10, y1)}, ["governance", "continuity"], 5)
    assert trend[0].shares == ((2026, 50), (2027, 75))
    assert trend[1].shares == ((2026, 50), (2027, None))


@pytest.mark.parametrize(
    ("doc", "field", "words"),
    [
        ({"ranked": ["nope"]}, "ranked", "unknown priority"),
        ({"ranked": ["governance", "governance"]}, "ranked", "more than once"),
        ({"ranked": ["governance", "continuity", "shadow_it"]}, "ranked", "at most 2"),
        ({"ranked": []}, "ranked", "at least one"),
        ({"ranked": "governance"}, "ranked", "list of priority keys"),
        ({"ranked": ["governance"], "challenges": "x" * 2001}, "challenges", "2000"),
        ({"ranked": ["governance"], "other": 7}, "other", "send text"),
        ([1, 2], "answer", "send an object"),
    ],
)
def test_invalid_answers_are_refused_with_the_reason(doc, field, words):
    with pytest.raises(survey.InvalidAnswer) as refused:
        survey.check_answer(doc, 2)
    assert words in refused.value.reasons[field]


def test_a_valid_answer_is_trimmed():
    answer = survey.check_answer({"ranked": ["governance"], "challenges": " Staff \n"}, 2)
    assert answer == survey.Answer(("governance",), "Staff", "")
