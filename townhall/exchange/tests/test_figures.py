"""The member's pure pieces: shares, approved values and the check of the hub's answer."""

from townhall.exchange import figures, metrics

V = metrics.METRIC_SET_VERSION
ROW = {"metric": "cyber_govern", "cohort": "all", "cohort_label": "all members"}
ROW |= {"members": 5, "q1": 2.0, "median": 3.0, "q3": 4.0}


def test_shares_of_nothing_are_no_figure():
    assert figures.percent(1, 4) == 25.0 and figures.percent(1, 0) is None
    assert figures.per_thousand(3, 2000) == 1.5 and figures.per_thousand(3, 0) is None


def test_only_computed_values_within_bounds_are_approved():
    found = [
        figures.Figure("cyber_govern", 4.2),
        figures.missing("cyber_detect", "no assessment"),
        figures.Figure("cyber_protect", 9.0),  # off the 1–7 scale: never sent
    ]
    assert figures.approved_values(found) == {"cyber_govern": 4.2}


def test_the_hubs_statistics_are_kept_only_in_the_documented_shape():
    good = {"year": 2026, "metric_set_version": V, "statistics": [ROW]}
    assert figures.statistic_rows(good, 2026, V) == ([ROW], [])
    for bad_row in (
        ROW | {"extra": 1},
        ROW | {"members": True},
        ROW | {"median": float("nan")},
        ROW | {"metric": "nope"},
        ROW | {"q3": 1.0},
    ):
        rows, problems = figures.statistic_rows(good | {"statistics": [ROW, bad_row]}, 2026, V)
        assert rows == [] and problems, bad_row
    assert figures.statistic_rows(good, 2025, V)[0] == []
    assert figures.statistic_rows(["x"], 2026, V)[1] == ["the answer has no list of statistics"]
