"""Incident times per year and one incident's timeline, on cases worked out by hand."""

import datetime

import pytest

from townhall.cyber import incident_metrics as metrics


def at(day: str, hour: int) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour)


# A: began 06:00, detected 10:00 (4 h), contained 12:00 (2 h), recovered next day 10:00 (24 h)
A = metrics.Times(
    detected=at("2025-03-01", 10),
    began=at("2025-03-01", 6),
    contained=at("2025-03-01", 12),
    recovered=at("2025-03-02", 10),
    severity="high",
)
# B: start unknown; contained after 6 h; recovered after 4 days (96 h)
B = metrics.Times(
    detected=at("2025-06-10", 8),
    contained=at("2025-06-10", 14),
    recovered=at("2025-06-14", 8),
    severity="critical",
)
# C: began two days (48 h) before detection, contained after 1 h, still open
C = metrics.Times(
    detected=at("2025-11-20", 9),
    began=at("2025-11-18", 9),
    contained=at("2025-11-20", 10),
    severity="high",
)
# D: detected in 2026, nothing else yet
D = metrics.Times(detected=at("2026-01-05", 12), severity="low")


def test_hours_needs_both_times_in_order():
    assert metrics.hours(at("2025-01-01", 1), at("2025-01-01", 4)) == 3
    assert metrics.hours(None, at("2025-01-01", 4)) is None
    assert metrics.hours(at("2025-01-01", 4), None) is None
    assert metrics.hours(at("2025-01-01", 4), at("2025-01-01", 1)) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "—"),
        (0, "0 hours"),
        (1, "1 hour"),
        (5.5, "5.5 hours"),
        (24, "24 hours"),
        (47.9, "47.9 hours"),
        (48, "2 days"),
        (60, "2.5 days"),
        (24 * 7, "7 days"),
    ],
)
def test_duration_text(value, text):
    assert metrics.duration_text(value) == text


def test_by_year_medians_and_means():
    years = metrics.by_year([D, C, A, B], ["critical", "high", "moderate", "low"])
    assert [y.year for y in years] == [2025, 2026]
    y2025 = years[0].all
    assert (y2025.incidents, y2025.open, y2025.not_contained) == (3, 1, 0)
    # detect: A 4 h, C 48 h (B's start is unknown)
    assert (y2025.detect.count, y2025.detect.median, y2025.detect.mean) == (2, 26, 26)
    # contain: A 2 h, B 6 h, C 1 h -> median 2, mean 3
    assert (y2025.contain.count, y2025.contain.median, y2025.contain.mean) == (3, 2, 3)
    # recover: A 24 h, B 96 h (C is open) -> median and mean 60 h = 2.5 days
    assert (y2025.recover.count, y2025.recover.median, y2025.recover.mean) == (2, 60, 60)
    assert y2025.recover.median_text == "2.5 days"
    assert y2025.contain.median_text == "2 hours"

    y2026 = years[1].all
    assert (y2026.incidents, y2026.open, y2026.not_contained) == (1, 1, 1)
    assert y2026.contain.count == 0 and y2026.contain.median is None
    assert y2026.contain.median_text == "—"


def test_by_year_by_severity_in_the_given_order():
    years = metrics.by_year([A, B, C, D], ["critical", "high", "moderate", "low"])
    severities = [(s, g.incidents) for s, g in years[0].by_severity]
    assert severities == [("critical", 1), ("high", 2)]  # no moderate or low in 2025
    high = dict(years[0].by_severity)["high"]
    # contain A 2 h and C 1 h -> median 1.5; recover only A, 24 h; C still open
    assert (high.contain.median, high.contain.mean) == (1.5, 1.5)
    assert (high.recover.count, high.recover.median) == (1, 24)
    assert high.open == 1
    critical = dict(years[0].by_severity)["critical"]
    assert (critical.recover.median, critical.detect.count) == (96, 0)
    # A severity not in the list comes after those that are, by name.
    odd = metrics.Times(detected=at("2025-02-01", 1), severity="zeta")
    other = metrics.Times(detected=at("2025-02-01", 1), severity="alpha")
    years = metrics.by_year([odd, other, A], ["high"])
    assert [s for s, _ in years[0].by_severity] == ["high", "alpha", "zeta"]


def test_times_out_of_order_are_left_out():
    wrong = metrics.Times(
        detected=at("2025-05-01", 10), contained=at("2025-05-01", 9), recovered=None
    )
    group = metrics.group([wrong, A])
    assert group.contain.count == 1 and group.contain.median == 2


def test_no_incidents_no_years():
    assert metrics.by_year([]) == []


def test_timeline_orders_stages_and_reports():
    detected = at("2025-03-01", 10)
    stages = [
        ("began", "Began", at("2025-03-01", 6)),
        ("detected", "Detected", detected),
        ("contained", "Contained", at("2025-03-01", 12)),
        ("eradicated", "Eradicated", None),
        ("recovered", "Recovered", at("2025-03-02", 10)),
    ]
    reports = [
        ("reported_ms_isac", "Reported to MS-ISAC", at("2025-03-01", 11)),
        ("reported_state", "Reported to the state", None),
        ("reported_insurer", "Reported to the insurer", at("2025-03-02", 10)),
    ]
    events = metrics.timeline(detected, stages, reports)
    assert [e.key for e in events] == [
        "began",
        "detected",
        "reported_ms_isac",
        "contained",
        "recovered",  # the stage comes before a report at the same moment
        "reported_insurer",
    ]
    texts = {e.key: e.after_text for e in events}
    assert texts["began"] == "4 hours before detection"
    assert texts["detected"] == "at detection"
    assert texts["reported_ms_isac"] == "1 hour after detection"
    assert texts["reported_insurer"] == "24 hours after detection"
    assert [e.kind for e in events].count("report") == 2
