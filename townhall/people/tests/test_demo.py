"""The demo county's IT organization: central teams and embedded positions, vacancies,
operating models, the NICE core set and the estate's technology, and one critical system's
platform known well by one person only; made once."""

import datetime

import pytest

from townhall.audit.models import AuditEntry
from townhall.core import context
from townhall.estate import demo as estate_demo
from townhall.estate.models import System
from townhall.org import demo as org_demo
from townhall.people import demo
from townhall.people.models import (
    Certification,
    OperatingModel,
    Position,
    Proficiency,
    Skill,
    StaffRecord,
    Team,
)

SIZES = estate_demo.Sizes(
    services=40,
    systems=60,
    components=150,
    vendors=8,
    contracts=6,
    dependencies=300,
    it_staff=14,
    owners_per_department=1,
)


@pytest.mark.django_db
def test_the_demo_tells_the_story_once():
    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        made = demo.load()
    assert made > 0
    assert Team.objects.filter(placement="embedded").exists()
    assert Position.objects.filter(person__isnull=True).count() >= 3
    assert Position.objects.filter(funded=False).count() == 1
    assert Position.objects.filter(placement="embedded", person__isnull=False).exists()
    assert set(OperatingModel.objects.values_list("model", flat=True)) == {
        "central",
        "hybrid",
        "decentralized",
    }
    assert Skill.objects.filter(kind="competency_area").count() == 11
    assert Skill.objects.filter(kind="technology", systems__isnull=False).exists()
    # A critical system's platform: one person at 4, nobody else at 3 or more.
    system = System.objects.filter(criticality=1).exclude(product="").order_by("pk").first()
    critical = Skill.objects.get(kind="technology", systems=system)
    levels = sorted(Proficiency.objects.filter(skill=critical).values_list("level", flat=True))
    assert levels[-1] == 4 and all(level < 3 for level in levels[:-1]) and len(levels) > 1
    assert Certification.objects.count() >= 3
    # Key-person risk: the most critical system is flagged; another critical system is run
    # by two people, one of whom becomes eligible to retire within the year.
    from townhall.people import risk_input

    found = risk_input.analyze(None).result
    assert ("system", system.pk) in [flag.system for flag in found.flags]
    assert found.coming[1]
    assert StaffRecord.objects.filter(retirement_eligible_on__isnull=False).count() >= 2
    entries = AuditEntry.objects.count()
    with context.acting("cli"):
        assert demo.load() == 0
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_the_demo_positions_feed_the_skill_pools():
    from townhall.core import services
    from townhall.governance.demo import POOLS
    from townhall.governance.models import SkillPool
    from townhall.people import capacity, capacity_input

    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        for code, name in POOLS:
            services.create(context.SYSTEM, SkillPool, {"name": name, "code": code})
        demo.load()
    pooled = Position.objects.filter(skill_pool__isnull=False)
    assert set(pooled.values_list("skill_pool__code", flat=True)) == {
        "apps",
        "infra",
        "cyber",
        "data",
    }
    assert pooled.filter(person__isnull=True, fill_planned__isnull=False).exists()
    assert not Position.objects.filter(team__name="Service Desk", skill_pool__isnull=False).exists()
    found = capacity_input.basis(context.SYSTEM)
    year = datetime.date.today().year + 2  # every planned fill has happened by then
    hours = capacity.pool_hours(found.seats, [year], found.start_month)
    assert all(years[str(year)] > 0 for years in hours.values())


@pytest.mark.django_db
def test_the_demo_trains_a_second_person_for_the_flagged_system():
    from townhall.people import risk_input, training_input
    from townhall.people.models import TrainingPlan

    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        demo.load()
    system = System.objects.filter(criticality=1).exclude(product="").order_by("pk").first()
    plan = TrainingPlan.objects.get(system=system, status="open")
    assert plan.target_level == 3 and plan.due > datetime.date.today()
    shown = training_input.plans(None, systems=[system.pk])
    assert [s.progress.current for s in shown] == [2]
    assert 0 < shown[0].progress.share < 1 and not shown[0].progress.overdue
    met = TrainingPlan.objects.get(status="met")
    level = Proficiency.objects.get(person=met.person, skill=met.skill).level
    assert level >= met.target_level == 3 and met.met_on is not None
    # The met plan's system has two people who can run it.
    risks = risk_input.analyze(None).result.risks
    assert risks[("system", met.system_id)].bus_factor == 2


@pytest.mark.django_db
def test_the_demo_tells_the_workforce_briefs_story(users):
    """The flagged critical system whose only expert may retire within five years, the
    security analyst position vacant longest with its requisition posted for months, and
    a skill the funded portfolio needs that nobody has."""
    from townhall.governance import demo as governance_demo
    from townhall.people import brief

    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        governance_demo.load()
        demo.load()
    data = brief.facts(users["manager"])
    first = data["depends"]["flags"][0]
    assert len(first["people"]) == 1 and first["people"][0]["retiring"] is not None
    longest = data["vacancies"]["longest"][0]
    assert longest["title"] == "Security Analyst" and longest["requisition"]["stage"] == "posted"
    assert data["vacancies"]["fill"]["filled"] == 2 and data["vacancies"]["declined"]
    assert data["skills"]["gaps"] and data["skills"]["needs_nobody"] >= 1
    text = " ".join(t for _h, paragraphs, _r in brief.sections(data) for _k, t in paragraphs)
    assert "becomes eligible to retire on" in text
    assert "Open requisitions are hiring for" in text


@pytest.mark.django_db
def test_the_demo_tells_the_recruiting_story():
    from townhall.people import recruiting, recruiting_input
    from townhall.people.models import DeclinedOffer, MarketRate, Requisition

    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        demo.load()
    found = recruiting_input.gather(None)
    filled = recruiting.time_to_fill(found.openings, recruiting.a_year_before(found.today))
    assert filled.filled == 2 and 60 <= filled.median_days <= 130
    stalled = Requisition.objects.get(stage="posted", title="Security Analyst")
    assert (found.today - stalled.posted_on).days == 120 and stalled.position is not None
    reasons = recruiting.declined_reasons(found.declines)
    assert reasons[0][0] == "pay"
    assert DeclinedOffer.objects.count() >= 4
    assert MarketRate.objects.count() == 3
    assert {p.kind for p in recruiting.pipelines(found.openings) if p.openings_by_stage} == {
        "internship",
        "apprenticeship",
    }
    compared = recruiting.pay_against_market(
        [(r.id, r.market_pay) for r in found.rates], found.pays
    )
    assert all(c.people and c.gap_share < 0 for c in compared.values())
