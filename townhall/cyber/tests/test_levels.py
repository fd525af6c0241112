"""The scale's words and the first-assessment order."""

from townhall.cyber import levels
from townhall.cyber.models import SCALE_MAX, SCALE_MIN, TARGET


def test_the_scale_matches_the_models():
    assert [lv.value for lv in levels.LEVELS] == list(range(SCALE_MIN, SCALE_MAX + 1))
    assert levels.TARGET == TARGET == 5
    assert levels.level(5).name == "Implementation in process"
    assert all(lv.practice and lv.evidence for lv in levels.LEVELS)


def test_labels():
    assert levels.label(3) == "3 · Documented policy"
    assert levels.label(None) == "Not scored"
    assert levels.label(4, not_applicable=True) == "Not applicable"
    assert levels.level(0) is None and levels.level(8) is None
    assert levels.level(True) is None  # a boolean is not a level


def test_recommended_order_puts_governance_and_identify_first():
    given = ["PR", "DE", "ID", "XX: Other", "GV", "RC", "RS"]
    assert levels.recommended_order(given) == ["GV", "ID", "PR", "DE", "RS", "RC", "XX: Other"]
    assert levels.advice_for("gv").name == "Govern"
    assert levels.advice_for("ID.AM").name == "Identify"
    assert levels.advice_for("1.A") is None
