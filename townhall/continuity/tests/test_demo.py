"""The demo county's continuity records, loaded on a small demo estate: an analysis for
every service, recovery records that leave the findings a CIO should see, two exercises,
this year's campaign half answered and the plan in two versions; deterministic for a seed."""

import datetime
from collections import Counter

import pytest

from townhall.continuity import campaigns, demo, graph_input
from townhall.continuity import models as m
from townhall.continuity.models import CATEGORIES, POINTS
from townhall.core import context
from townhall.estate import demo as estate_demo
from townhall.estate import models as e
from townhall.org import demo as org_demo

TODAY = datetime.date(2026, 11, 25)
SIZES = estate_demo.Sizes(
    services=60,
    systems=110,
    components=400,
    vendors=12,
    contracts=10,
    dependencies=900,
    it_staff=8,
    owners_per_department=1,
)


@pytest.fixture
def county(db):
    """The demo's departments, people and a small estate (all core services and systems)."""
    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES, today=TODAY)


def _load(seed: int = 1) -> int:
    with context.acting("cli"):
        return demo.load("small", seed, today=TODAY)


def _kind(key, components):
    return components[key[1]] if key[0] == "component" else key[0]


def test_the_demo_continuity_records(county):
    created = _load()
    assert created > 0

    # A business impact analysis for every service, RTO never above MTD.
    analyses = list(m.ImpactAnalysis.objects.select_related("service"))
    assert len(analyses) == e.Service.objects.count() == 60
    for a in analyses:
        assert a.rto_hours <= a.mtd_hours, a.service
        assert a.rpo_hours and a.minimum_staff and a.manual_workarounds and a.peak_periods
        assert {c for c, _ in CATEGORIES} == set(a.impacts)
        for ratings in a.impacts.values():
            levels = [ratings[p] for p, _ in POINTS]
            assert levels == sorted(levels) and all(1 <= r <= 5 for r in levels)
        assert a.mission_essential == (a.essential_function in ("pmef", "mef"))
    essential = {a.service.name for a in analyses if a.mission_essential}
    assert 0.2 <= len(essential) / len(analyses) <= 0.35
    for name in (
        "911 emergency call answering",
        "Utility bills and payments",
        "Building permits and inspections",
        "Payroll and benefits",
    ):
        assert name in essential
    dispatch = next(a for a in analyses if a.service.name.startswith("Emergency dispatch"))
    payroll = next(a for a in analyses if a.service.name == "Payroll and benefits")
    # Public safety is severe at once; finance grows over the week.
    assert dispatch.impacts["public_safety"]["1h"] == 5
    assert payroll.impacts["finance"]["1h"] < payroll.impacts["finance"]["1w"]
    assert set(Counter(a.essential_function for a in analyses)) == set(m.ImpactAnalysis.Essential)
    statuses = Counter(a.status for a in analyses)
    assert statuses["approved"] > statuses["submitted"] > 0 and statuses["draft"] > 0

    # Recovery records for most systems and the infrastructure under them.
    capabilities = list(m.RecoveryCapability.objects.all())
    systems = [c for c in capabilities if c.system_id]
    assert len(systems) >= 0.8 * e.System.objects.count()
    kinds = Counter(
        m.RecoveryCapability.objects.filter(component__isnull=False).values_list(
            "component__kind", flat=True
        )
    )
    for kind in ("database", "storage", "server", "network_device", "virtual_machine"):
        assert kinds[kind] > 0, kind
    assert sum(c.last_restore_test is None for c in capabilities) > 0  # never tested
    stale = TODAY - datetime.timedelta(days=365)
    assert sum(
        c.last_restore_test is not None and c.last_restore_test < stale for c in capabilities
    )
    assert sum(c.recovery_site_id is not None for c in capabilities) > 0.7 * len(capabilities)
    links = [c.procedure_link for c in capabilities if c.procedure_link]
    assert links and all(x.startswith("https://intranet.example.gov/") for x in links)

    # The analysis finds what the demo is meant to show.
    estate = graph_input.analyze(None, single_points=20)
    a = estate.result
    components = dict(e.Component.objects.values_list("pk", "kind"))
    identity = e.System.objects.get(name="Identity and single sign-on")
    service_gaps = [g for g in a.rto_gaps if g.key[0] == "service"]
    assert 3 <= len(service_gaps) <= 20
    through = {_kind(k, components) for g in service_gaps for k in g.chain}
    assert ("system", identity.pk) in {k for g in service_gaps for k in g.chain}
    # Storage is mirrored in pairs: a gap waits for the faster mirror, through its group.
    assert {"group", "database"} <= through
    assert any(i.dependency == ("system", identity.pk) for i in a.rto_inversions)
    assert len(a.rpo_gaps) >= 2
    top = a.single_points[0]
    assert top.count >= 10 and top.key[0] in ("system", "component")
    assert all(g.recovery_hours > g.rto_hours for g in a.rto_gaps)

    # Two exercises, with results met and missed and follow-ups in every state.
    exercises = {x.scenario: x for x in m.Exercise.objects.all()}
    assert set(exercises) == {"cyber", "weather"}
    assert exercises["cyber"].kind == "tabletop" and exercises["weather"].kind == "functional"
    for exercise in exercises.values():
        assert exercise.participant_list() and exercise.narrative and exercise.findings
    results = list(m.ExerciseResult.objects.all())
    assert len(results) >= 8
    assert {r.met for r in results} == {True, False}
    actions = list(m.FollowUp.objects.all())
    assert {x.status for x in actions} == {"open", "in_progress", "done"}
    assert all(x.owner_department_id for x in actions)
    overdue = [x for x in actions if x.status != "done" and x.due_on < TODAY]
    assert len(overdue) == 1
    assert all(x.due_on > x.exercise.held_on for x in actions)

    # This year's campaign is open: some departments have answered everything, some not.
    campaign = m.Campaign.objects.get()
    assert campaign.status == "open"
    progress = campaigns.progress(campaign, context.SYSTEM, today=TODAY)
    assert progress.overall.requested == 60
    done = [d for d in progress.departments if d.tally.unfinished == 0]
    assert 0 < len(done) < len(progress.departments)

    # The plan: version 1 approved by a named person, version 2 in draft with its roles.
    first, second = m.RecoveryPlan.objects.order_by("number")
    assert (first.number, first.status) == (1, "approved")
    assert first.approver_name and first.approver_title == "County Administrator"
    assert first.content
    assert (second.number, second.status) == (2, "draft") and second.changes
    assert second.roles.count() == first.roles.count() == 6
    assert all(role.person_id for role in second.roles.all())

    # Loading again changes nothing.
    assert _load() == 0


def test_the_plan_is_deterministic_for_a_seed(county):
    estate = demo.read_estate()
    one = demo.plan(1, estate, TODAY)
    assert one == demo.plan(1, estate, TODAY)
    other = demo.plan(2, estate, TODAY)
    assert one.capabilities != other.capabilities
    assert [r["service"] for r in one.analyses] == [r["service"] for r in other.analyses]
    # The planted findings do not depend on the seed.
    assert one.flaws == other.flaws
    assert one.flaws["rto"] and one.flaws["rpo"] and one.flaws["own_rto"]


def test_the_large_scale_writes_recovery_records_in_audited_batches(county):
    from django.contrib.contenttypes.models import ContentType

    from townhall.audit.models import AuditEntry

    planned = demo.plan(1, demo.read_estate(), TODAY)
    with context.acting("cli"):
        demo.load("large", 1, today=TODAY)
    capabilities = m.RecoveryCapability.objects.all()
    assert capabilities.count() == len(planned.capabilities)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(m.RecoveryCapability), action="create"
    )
    assert entries.count() == capabilities.count()
    # Each record belongs to the department of what it describes, as the write path says.
    for cap in capabilities.select_related("system", "component")[:50]:
        assert cap.owner_department_id == (cap.system or cap.component).owner_department_id
    row = next(r for r in planned.capabilities if r.get("system"))
    saved = m.RecoveryCapability.objects.get(system_id=row["system"])
    assert (saved.restore_hours, saved.backup_frequency_hours, saved.last_restore_test) == (
        row["restore_hours"],
        row["backup_frequency_hours"],
        row["last_restore_test"],
    )
