"""Key-person risk in plain Python (people/risk.py): who is qualified, the bus factor of
systems, components and services, the flags on critical systems with the chain to the
services they stop, and the view 1, 3 and 5 years ahead."""

import datetime

from townhall.people import risk

TODAY = datetime.date(2026, 3, 1)
CAD = ("system", 1)
PAYROLL = ("system", 2)
SERVER = ("component", 10)
NOTES = ("system", 3)
DISPATCH = ("service", 100)
RADIO = ("service", 101)
PAY = ("service", 102)
GROUP = ("group", 50)


def items() -> list[risk.Item]:
    return [
        risk.Item("system", 1, "CAD", criticality=1),
        risk.Item("system", 2, "Payroll", criticality=2),
        risk.Item("system", 3, "Notes", criticality=1),
        risk.Item("component", 10, "DB server"),
        risk.Item("group", 50, "DB pair"),
        risk.Item("service", 100, "911 dispatch", mission_essential=True),
        risk.Item("service", 101, "Radio", mission_essential=True),
        risk.Item("service", 102, "Pay staff"),
    ]


EDGES = [
    (DISPATCH, RADIO),  # dispatch needs the radio service
    (RADIO, CAD),  # which needs CAD
    (CAD, GROUP),  # on a redundant pair of database servers
    (GROUP, SERVER),
    (PAY, PAYROLL),
]
NEEDS = {CAD: ["cad"], PAYROLL: ["erp", "sql"], SERVER: ["sql"]}
LEVELS = [
    ("ann", "cad", 4),
    ("bo", "cad", 2),
    ("bo", "erp", 3),
    ("bo", "sql", 4),
    ("cy", "erp", 4),
    ("cy", "sql", 3),
    ("di", "erp", 4),  # not qualified for payroll: no SQL
    ("di", "sql", 3),
    ("ann", "sql", 3),
]


def analyze(retiring=None, edges=EDGES, needs=NEEDS, levels=LEVELS):
    return risk.analyze(items(), edges, needs, levels, retiring or {}, TODAY)


def test_qualified_means_level_three_in_every_skill_and_no_skill_is_not_known():
    levels = {"erp": {"bo": 3, "cy": 4, "di": 2}, "sql": {"bo": 4, "cy": 2}}
    assert risk.qualified_people(["erp", "sql"], levels) == ("bo",)
    assert risk.qualified_people(["erp"], levels) == ("bo", "cy")
    assert risk.qualified_people(["cobol"], levels) == ()
    assert risk.qualified_people([], levels) is None


def test_bus_factor_of_systems_and_components():
    result = analyze()
    assert result.risks[CAD].people == ("ann",)
    assert result.risks[CAD].bus_factor == 1
    assert result.risks[PAYROLL].people == ("bo", "cy", "di")
    assert result.risks[SERVER].bus_factor == 4
    assert result.risks[NOTES].people is None
    assert result.risks[NOTES].bus_factor is None
    assert not result.risks[NOTES].at_risk  # not known is not zero


def test_a_service_rests_on_its_weakest_link_through_the_graph():
    result = analyze()
    dispatch = result.risks[DISPATCH]
    # Through the radio service, CAD and the redundancy group to the server.
    assert dispatch.bus_factor == 1
    assert dispatch.weakest == CAD
    assert set(dispatch.people or ()) == {"ann", "bo", "cy", "di"}
    assert result.essential_at_risk == [DISPATCH, RADIO]
    assert result.risks[PAY].bus_factor == 3


def test_a_service_with_nothing_known_below_it_is_not_known():
    result = analyze(needs={})
    assert result.risks[DISPATCH].bus_factor is None
    assert result.essential_at_risk == []


def test_critical_system_below_two_is_flagged_with_the_chain_to_each_service():
    result = analyze()
    assert [f.system for f in result.flags] == [CAD]
    stops = result.flags[0].stops
    assert [s.service for s in stops] == [DISPATCH, RADIO]
    assert stops[0].chain == (DISPATCH, RADIO, CAD)
    assert stops[1].chain == (RADIO, CAD)
    assert result.unknown_critical == [NOTES]


def test_nobody_qualified_is_flagged_as_zero():
    result = analyze(levels=[row for row in LEVELS if row[1] != "cad"])
    assert result.flags[0].system == CAD
    assert result.flags[0].risk.bus_factor == 0


def test_retirement_within_one_three_and_five_years():
    retiring = {
        "bo": TODAY + datetime.timedelta(days=200),  # within a year
        "cy": datetime.date(2028, 6, 1),  # within three
        "ann": datetime.date(2035, 1, 1),  # after five: never counted out
    }
    result = analyze(retiring)
    payroll = result.risks[PAYROLL]
    assert payroll.later == {1: 2, 3: 1, 5: 1}
    assert payroll.drops_within() == 3
    assert [f.system for f in result.coming[3]] == [PAYROLL]
    assert result.coming[1] == [] and result.coming[5] == []
    assert result.risks[CAD].later == {1: 1, 3: 1, 5: 1}
    # Eligible on the very day of the horizon counts as out.
    on_the_day = analyze({"bo": datetime.date(2027, 3, 1), "cy": datetime.date(2027, 3, 1)})
    assert on_the_day.risks[PAYROLL].later[1] == 1
    assert [f.system for f in on_the_day.coming[1]] == [PAYROLL]


def test_a_service_later_follows_its_weakest_link_then():
    retiring = {"ann": TODAY + datetime.timedelta(days=30)}
    result = analyze(retiring)
    assert result.risks[DISPATCH].later[1] == 0


def test_cycles_end_and_unknown_nodes_are_ignored():
    edges = [*EDGES, (CAD, RADIO), (RADIO, DISPATCH), (("system", 999), CAD)]
    result = analyze(edges=edges)
    assert result.risks[DISPATCH].bus_factor == 1
    chains = {s.service: s.chain for s in result.flags[0].stops}
    assert chains[RADIO] == (RADIO, CAD)


def test_leap_day_horizon():
    assert risk.add_years(datetime.date(2028, 2, 29), 1) == datetime.date(2029, 2, 28)
    assert risk.add_years(datetime.date(2026, 3, 1), 5) == datetime.date(2031, 3, 1)


def test_items_that_need_each_other_are_summed_together():
    # CAD and Payroll need each other; the payroll service reaches CAD only through the
    # cycle, so its weakest link is CAD (one person), and a shared server counts once.
    edges = [(PAY, PAYROLL), (PAYROLL, CAD), (CAD, PAYROLL), (CAD, SERVER), (PAYROLL, SERVER)]
    result = analyze(edges=edges)
    pay = result.risks[PAY]
    assert pay.bus_factor == 1 and pay.weakest == CAD
    assert set(pay.people or ()) == {"ann", "bo", "cy", "di"}
    assert result.risks[DISPATCH].bus_factor is None  # needs nothing known now
    later = analyze({"bo": TODAY}, edges=edges).risks[PAY].later
    assert later == {1: 1, 3: 1, 5: 1}
