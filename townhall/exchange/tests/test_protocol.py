"""The signed protocol between member and hub, and the shared definitions (pure)."""

import pytest

from townhall.exchange import bands, metrics, priorities, protocol

KEY = protocol.new_private_key()
PUBLIC = protocol.public_key(KEY)


def test_a_signed_request_verifies_and_any_change_breaks_it():
    headers = protocol.request_headers(KEY, "m1", "post", "/hub/api/submissions/", b"{}", 1000)
    protocol.verify_request(PUBLIC, "POST", "/hub/api/submissions/", b"{}", headers, 1100)
    changed = [
        ("GET", "/hub/api/submissions/", b"{}", headers, 1100),  # method
        ("POST", "/hub/api/statistics/", b"{}", headers, 1100),  # path
        ("POST", "/hub/api/submissions/", b'{"a":1}', headers, 1100),  # body
        ("POST", "/hub/api/submissions/", b"{}", headers, 1000 + protocol.MAX_SKEW + 1),  # late
        ("POST", "/hub/api/submissions/", b"{}", {**headers, protocol.TIME_HEADER: "1001"}, 1001),
        ("POST", "/hub/api/submissions/", b"{}", {**headers, protocol.TIME_HEADER: "¹²"}, 1001),
    ]
    for method, path, body, given, now in changed:
        with pytest.raises(protocol.BadSignature):
            protocol.verify_request(PUBLIC, method, path, body, given, now)
    other = protocol.public_key(protocol.new_private_key())
    with pytest.raises(protocol.BadSignature):
        protocol.verify_request(other, "POST", "/hub/api/submissions/", b"{}", headers, 1100)


def test_a_document_signature_holds_whatever_the_key_order():
    signature = protocol.sign_document(KEY, {"year": 2026, "values": {"b": 1, "a": 2}})
    protocol.verify_document(PUBLIC, {"values": {"a": 2, "b": 1}, "year": 2026}, signature)
    with pytest.raises(protocol.BadSignature):
        protocol.verify_document(PUBLIC, {"values": {"a": 2, "b": 2}, "year": 2026}, signature)
    with pytest.raises(protocol.BadSignature):
        protocol.verify_document(PUBLIC, {}, "not base64 !")
    assert not protocol.valid_public_key("not a key")
    assert protocol.valid_public_key(PUBLIC)


def test_metric_values_are_checked_against_their_version_and_bounds():
    version = metrics.METRIC_SET_VERSION
    assert metrics.problems(version, {"cyber_protect": 4.5, "it_vacancy_rate_pct": 12}) == []
    assert metrics.problems("1999.1", {})[0].startswith("unknown metric set version")
    found = metrics.problems(
        version, {"cyber_protect": 9, "nope": 1, "it_vacancy_rate_pct": True, "cyber_detect": "4"}
    )
    assert found == [
        "unknown metric 'nope'",
        "cyber_protect must be between 1 and 7",
        "it_vacancy_rate_pct must be a number",
        "cyber_detect must be a number",
    ]
    assert metrics.problems(version, {"cyber_protect": float("nan")})
    assert {m.priority for m in metrics.METRICS} <= set(priorities.BY_KEY)


def test_a_profile_is_told_in_bands_and_cohorts_in_words():
    given = bands.profile("county", 150_000, "south", 400_000_000)
    assert given == {
        "kind": "county",
        "population_band": "pop_100k_250k",
        "region": "south",
        "budget_band": "budget_250m_1b",
    }
    assert bands.profile_problems(given) == []
    assert bands.profile_problems({**given, "population": 150_000}) == [
        "unknown profile field 'population'"
    ]
    assert bands.profile("city", 25_000, "west", 0)["population_band"] == "pop_25k_100k"
    keys = bands.cohorts_of(given)
    assert keys[0] == "kind=county|population_band=pop_100k_250k" and keys[-1] == "all"
    assert bands.cohort_label(keys[0]) == "counties, 100,000 to 249,999 residents"
    assert bands.cohort_label("all") == "all members"
