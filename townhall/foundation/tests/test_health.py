"""Item and service health worked by hand on small estates (no database)."""

import datetime

from townhall.foundation import health as h

D = datetime.date
TODAY = D(2026, 6, 1)


def codes(facts: h.ItemFacts) -> dict[str, str]:
    return {f.code: f.severity for f in h.assess(facts, TODAY).factors}


def item(n: int = 1, kind: str = "component", **kw) -> h.ItemFacts:
    kw.setdefault("support_state", "no_end_date")
    return h.ItemFacts((kind, n), kw.pop("name", f"{kind} {n}"), **kw)


def test_a_well_kept_item_has_no_factor_and_is_sound():
    found = h.assess(item(install_date=D(2025, 1, 1), life_years=5, owner_known=True), TODAY)
    assert found.factors == () and found.band == "sound"


def test_support_past_near_and_unknown():
    past = h.assess(item(end_of_support=D(2026, 5, 1)), TODAY)
    assert [(f.code, f.severity, f.figure) for f in past.factors] == [
        ("support", "critical", "31 days past")
    ]
    assert codes(item(end_of_support=D(2027, 5, 1))) == {"support": "warning"}
    assert codes(item(end_of_support=D(2027, 7, 1))) == {}
    assert codes(item(support_state="unknown")) == {"support": "watch"}


def test_age_against_expected_life():
    over = h.assess(item(install_date=D(2020, 6, 1), life_years=5), TODAY)
    assert [(f.code, f.severity, f.figure) for f in over.factors] == [
        ("age", "warning", "6.0 of 5 years")
    ]
    assert codes(item(install_date=D(2021, 12, 1), life_years=5)) == {"age": "watch"}
    assert codes(item(install_date=D(2023, 6, 1), life_years=5)) == {}
    assert codes(item(install_date=D(2010, 1, 1))) == {}  # no life known: nothing guessed


def test_known_exploited_vulnerabilities_incidents_and_owner():
    assert codes(item(kev_affected=2)) == {"kev": "critical"}
    assert codes(item(kev_affected=0)) == {}
    assert codes(item(incidents=1)) == {"incidents": "watch"}
    assert codes(item(incidents=2)) == {"incidents": "warning"}
    assert codes(item(kind="system", owner_known=False)) == {"owner": "watch"}
    assert codes(item(kind="system", owner_known=True)) == {}
    assert codes(item(owner_known=None)) == {}


def test_a_component_inherits_its_owner_and_the_words_say_so():
    (factor,) = h.assess(item(owner_known=False, owner_inherited=True), TODAY).factors
    assert factor.code == "owner" and "systems that depend on it" in factor.text
    # Down from a system, through a group and a component, never past another system.
    edges = [
        (("service", 1), ("system", 1)),
        (("system", 1), ("group", 1)),
        (("group", 1), ("component", 1)),
        (("group", 1), ("component", 2)),
        (("component", 1), ("component", 3)),
        (("system", 2), ("component", 3)),
        (("system", 2), ("component", 4)),
        (("system", 1), ("system", 3)),
        (("system", 3), ("component", 5)),
        (("service", 1), ("component", 6)),
    ]
    owners = h.inherited_owners(edges, {1: True, 2: False, 3: False})
    assert owners == {1: True, 2: True, 3: True, 4: False, 5: False}


def test_restore_tests_count_only_where_a_capability_is_recorded():
    assert codes(item(has_capability=True)) == {"restore": "warning"}
    assert codes(item(has_capability=True, restore_tested=D(2025, 5, 1))) == {"restore": "warning"}
    assert codes(item(has_capability=True, restore_tested=D(2025, 7, 1))) == {}
    assert codes(item(restore_tested=None)) == {}


def test_no_redundancy_names_the_services_it_stops():
    found = h.assess(item(stops=3, stops_named=("911 dispatch", "Payroll")), TODAY)
    (factor,) = found.factors
    assert factor.code == "redundancy" and factor.severity == "critical"
    assert "911 dispatch, Payroll and 1 more" in factor.text
    assert factor.figure == "3 mission-essential services"


def test_the_band_is_the_worst_factor_and_factors_come_worst_first():
    found = h.assess(
        item(support_state="unknown", incidents=2, kev_affected=1, owner_known=False), TODAY
    )
    assert found.band == "critical"
    assert [f.severity for f in found.factors] == ["critical", "warning", "watch", "watch"]
    assert h.band_counts([found, h.assess(item(2), TODAY)]) == {
        "critical": 1,
        "warning": 0,
        "watch": 0,
        "sound": 1,
    }


S, A, B, G = ("service", 1), ("system", 1), ("system", 2), ("group", 1)
C1, C2, C3 = ("component", 1), ("component", 2), ("component", 3)


def healths(*facts: h.ItemFacts) -> dict:
    return h.assess_all(facts, TODAY)


def test_a_service_lists_its_weakest_items_first_with_the_chain():
    items = healths(
        item(1, "system", owner_known=True),
        item(1, end_of_support=D(2027, 1, 1)),  # warning
        item(2, kev_affected=1),  # critical
        item(3),  # sound
    )
    edges = [(S, A), (A, C1), (A, C2), (C2, C3)]
    (service,) = h.services_health([(S, "Permits")], edges, items)
    assert service.band == "critical" and service.items_under == 4
    assert service.counts == {"critical": 1, "warning": 1, "watch": 0, "sound": 2}
    assert [w.health.key for w in service.weakest] == [C2, C1]
    assert service.weakest[0].chain == (S, A, C2)
    assert service.weak_count == 2


def test_chains_run_through_a_redundancy_group_and_a_redundant_pair_is_no_single_point():
    # Both servers of the pair stop nothing alone: the caller gives stops=0 for them.
    items = healths(
        item(1, "system", owner_known=True),
        item(1, install_date=D(2019, 1, 1), life_years=5),
        item(2, stops=0),
    )
    edges = [(S, A), (A, G), (G, C1), (G, C2)]
    (service,) = h.services_health([(S, "Permits")], edges, items)
    assert service.band == "warning"
    (weak,) = service.weakest
    assert weak.chain == (S, A, G, C1)
    assert all(f.code != "redundancy" for f in weak.health.factors)


def test_services_come_weakest_first_and_the_limit_keeps_the_count():
    items = healths(
        item(1, kev_affected=1), item(2, kev_affected=1), item(3, incidents=1), item(4, stops=0)
    )
    other = ("service", 2)
    edges = [(S, C3), (S, C4 := ("component", 4)), (other, C1), (other, C2)]
    out = h.services_health(
        [(S, "Parks"), (other, "Dispatch"), (("service", 3), "Empty")], edges, items, limit=1
    )
    assert [s.key for s in out] == [other, S, ("service", 3)]
    assert out[0].weak_count == 2 and len(out[0].weakest) == 1
    assert out[2].band == "sound" and out[2].items_under == 0
    assert C4 not in [w.health.key for s in out for w in s.weakest]


def test_a_cycle_does_not_loop_and_an_item_shared_by_two_paths_counts_once():
    items = healths(
        item(1, "system", owner_known=False),
        item(2, "system", owner_known=True),
        item(1, kev_affected=1),
    )
    edges = [(S, A), (S, B), (A, B), (B, A), (A, C1), (B, C1)]
    (service,) = h.services_health([(S, "Permits")], edges, items)
    assert service.items_under == 3
    assert [w.health.key for w in service.weakest] == [C1, A]
    assert service.weakest[0].chain == (S, A, C1)


def test_reasons_are_counted_by_severity_and_what_a_service_needs_is_found():
    found = healths(item(1, kev_affected=1, incidents=1), item(2, kev_affected=2), item(3))
    assert h.factor_counts(found.values()) == {("kev", "critical"): 2, ("incidents", "watch"): 1}
    edges = [(S, A), (A, G), (G, C1), (G, C2), (B, C3)]
    assert h.under(S, edges) == {A, G, C1, C2}
    assert h.under(C3, edges) == set()
