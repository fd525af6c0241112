"""The estate in the database, read for the continuity analysis and printed by
`townhall continuity analyze`: answers checked by hand on a small estate (tests/estate.py)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.continuity import graph_input
from townhall.continuity.tests import estate
from townhall.continuity.tests import factories as f


def key(obj):
    return (type(obj).__name__.lower(), obj.pk)


@pytest.mark.django_db
def test_hand_checked_answers(departments):
    s = estate.build(departments)
    result = graph_input.analyze(None)
    a, names = result.result, result.name
    times = a.times
    # SAN 12; SQL 6 + 12; ERP 4 + 18; Payroll 0 + 22; Permit system 2 + 18.
    assert times.hours(key(s["san"])) == 12
    assert times.hours(key(s["sql"])) == 18
    assert times.hours(key(s["payroll"])) == 22
    assert times.hours(key(s["permits"])) == 20
    assert not times.at_least(key(s["payroll"]))
    assert times.hours(key(s["dispatch"])) == 0 and times.at_least(key(s["dispatch"]))
    [gap] = a.rto_gaps
    assert gap.key == key(s["payroll"]) and gap.gap_hours == 14 and not gap.at_least
    assert [names(k) for k in gap.chain] == ["Payroll", "ERP", "SQL cluster", "SAN"]
    assert a.rto_unconfirmed == [key(s["dispatch"])]
    [inversion] = a.rto_inversions
    assert (inversion.dependant, inversion.dependency) == (key(s["payroll"]), key(s["erp"]))
    assert inversion.excess_hours == 40
    [rpo] = a.rpo_gaps
    assert rpo.key == key(s["payroll"]) and rpo.data_store == key(s["sql"])
    assert rpo.gap_hours == 23
    assert [[names(k) for k in tier] for tier in a.order.tiers] == [
        ["CAD server", "SAN"],
        ["Dispatch", "SQL cluster"],
        ["ERP", "Permit system"],
        ["Payroll", "Permits"],
    ]
    assert a.order.cycles == ()
    points = {names(p.key): p.count for p in a.single_points}
    assert points == {n: 1 for n in ("ERP", "CAD server", "SAN", "SQL cluster")}
    assert result.hidden_edges == 0


@pytest.mark.django_db
def test_reads_in_a_fixed_number_of_queries(departments):
    estate.build(departments)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            graph_input.analyze(None)
        return len(ctx.captured_queries)

    few = count()
    for n in range(15):
        svc = f.service(f"Extra {n}", departments["PW"])
        system = f.system(f"Extra system {n}", departments["PW"])
        f.impact(svc, rto_hours=4)
        f.recovery(system, restore_hours=1)
        f.needs(svc, system)
        twin = f.system(f"Extra twin {n}", departments["PW"])
        f.needs(svc, f.group(f"Extra pair {n}", system, twin, department=departments["PW"]))
    assert count() == few <= 9


@pytest.mark.django_db
def test_a_redundancy_group_is_read_as_any_one_of_its_members(departments):
    s = estate.build(departments)
    # Dispatch's CAD server gets a twin (restore 3 h); Dispatch needs either of them.
    twin = f.component("CAD server 2", departments["PW"])
    f.recovery(twin, restore_hours=3)
    pair = f.group("CAD servers", s["cad"], twin, department=departments["PW"])
    f.needs(s["dispatch"], pair)
    result = graph_input.analyze(None)
    points = {result.name(p.key) for p in result.result.single_points}
    # The direct dependency recorded before still says Dispatch needs that very server.
    assert "CAD server" in points and "CAD server 2" not in points
    assert result.url(("group", pair.pk)) == pair.get_absolute_url()
    from townhall.core import context, services
    from townhall.estate.models import Dependency

    direct = Dependency.objects.get(from_service=s["dispatch"], to_component=s["cad"])
    services.delete(context.SYSTEM, direct, version=direct.version)
    result = graph_input.analyze(None)
    points = {result.name(p.key) for p in result.result.single_points}
    assert points == {"ERP", "SAN", "SQL cluster"}  # neither CAD server, nor the group
    times = result.result.times
    # The fastest member is the CAD server, whose unknown time counts as 0: at least 0.
    assert times.hours(key(s["dispatch"])) == 0 and times.at_least(key(s["dispatch"]))
    assert [result.name(k) for k in times.chain(key(s["dispatch"]))] == [
        "Dispatch",
        "CAD servers",
        "CAD server",
    ]
    f.recovery(s["cad"], restore_hours=5)  # now known, and slower than its twin
    times = graph_input.analyze(None).result.times
    assert times.hours(key(s["dispatch"])) == 3 and not times.at_least(key(s["dispatch"]))


@pytest.mark.django_db
def test_cycles_are_reported(departments):
    s = estate.build(departments)
    f.needs(s["san"], s["erp"])  # ERP → SQL cluster → SAN → ERP
    data = json.loads(_run("--format", "json"))
    [cycle] = data["cycles"]
    assert sorted(r["name"] for r in cycle["members"]) == ["ERP", "SAN", "SQL cluster"]
    assert cycle["restore_hours"] == 12
    payroll = next(x for x in data["services"] if x["name"] == "Payroll")
    assert payroll["recovery_hours"] == 12  # the cycle comes back as one unit: the slowest


def _run(*args):
    out = StringIO()
    call_command("continuity", "analyze", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_command_text(departments):
    estate.build(departments)
    text = _run()
    assert text.startswith("Continuity analysis: 3 services, 8 items, 6 dependencies\n")
    assert "  Payroll: 22 h, RTO 8 h\n" in text
    assert "  Dispatch: at least 0 h, RTO 1 h\n" in text
    assert (
        "  Payroll: RTO 8 h, recovers in 22 h (14 h over): Payroll → ERP → SQL cluster → SAN\n"
        in text
    )
    assert "  ERP (RTO 48 h) is needed by Payroll (RTO 8 h): Payroll → ERP\n" in text
    assert (
        "  Payroll: RPO 1 h, but SQL cluster is backed up every 24 h: "
        "Payroll → ERP → SQL cluster\n" in text
    )
    assert "Recovery order (4 tiers)\n  Tier 0: 2 items\n" in text
    assert "Cycles (0)\n" in text
    assert "  ERP (system): stops 1 mission-essential item\n" in text
    assert "Payroll (service): stops" not in text  # not for itself


@pytest.mark.django_db
def test_command_json(departments):
    s = estate.build(departments)
    data = json.loads(_run("--format", "json", "--top", "2"))
    assert data["format"] == 1
    assert data["counts"] == {
        "services": 3,
        "items": 8,
        "dependencies": 6,
        "hidden_dependencies": 0,
    }
    assert [x["name"] for x in data["services"]] == ["Payroll", "Permits", "Dispatch"]
    [gap] = data["rto_gaps"]
    assert gap == {
        "kind": "service",
        "id": s["payroll"].pk,
        "name": "Payroll",
        "rto_hours": 8,
        "recovery_hours": 22,
        "gap_hours": 14,
        "at_least": False,
        "chain": [
            {"kind": "service", "id": s["payroll"].pk, "name": "Payroll"},
            {"kind": "system", "id": s["erp"].pk, "name": "ERP"},
            {"kind": "component", "id": s["sql"].pk, "name": "SQL cluster"},
            {"kind": "component", "id": s["san"].pk, "name": "SAN"},
        ],
    }
    assert data["rto_unconfirmed"] == [
        {"kind": "service", "id": s["dispatch"].pk, "name": "Dispatch"}
    ]
    assert data["rto_inversions"][0]["excess_hours"] == 40
    assert data["rpo_gaps"][0]["data_store"]["name"] == "SQL cluster"
    assert [t["count"] for t in data["tiers"]] == [2, 2, 2, 2]
    assert len(data["single_points"]) == 2


@pytest.mark.django_db
def test_command_on_an_empty_estate(db):
    assert "(no services)" in _run()
    assert json.loads(_run("--format", "json"))["tiers"] == []


@pytest.mark.django_db
def test_command_refuses_negative_top(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--top"):
        _run("--top", "-1")


@pytest.mark.django_db
def test_a_reader_gets_only_what_they_may_see(users, departments, monkeypatch):
    from townhall.estate.models import System

    s = estate.build(departments)

    def own_systems_only(cls, qs, user, action, by_role):
        if user.department_id:
            return by_role.filter(owner_department_id=user.department_id)
        return by_role

    monkeypatch.setattr(System, "restrict_rows", classmethod(own_systems_only), raising=False)
    seen = graph_input.analyze(users["liaison"])  # of Public Works: ERP (Finance) is hidden
    assert key(s["erp"]) not in seen.result.graph
    assert "ERP" not in seen.names.values()
    assert seen.hidden_edges == 2  # Payroll → ERP and ERP → SQL cluster
    assert seen.result.rto_gaps == []  # Payroll now needs nothing the liaison can see
    everything = graph_input.analyze(users["staff"])
    assert key(s["erp"]) in everything.result.graph and everything.hidden_edges == 0


def test_hours_text():
    from townhall.continuity.report import hours_text

    assert hours_text(4.0) == "4 h"
    assert hours_text(2.5, at_least=True) == "at least 2.5 h"
    assert hours_text(0.126) == "0.13 h"
    assert hours_text(1234567) == "1,234,567 h"
    assert hours_text(None) == "—"
