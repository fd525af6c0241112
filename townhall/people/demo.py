"""The people module's part of Juniper County, the fictional demo jurisdiction, made from
the estate demo's people and systems: a central IT department with its divisions and teams,
IT positions embedded in the Sheriff's Office and Public Works (their IT liaisons fill
them), vacancies, one position without funding, each department's operating model, the
NICE core set, the technology skills worked out from the estate, and skill levels telling
the story a CIO fears — the most critical system's platform known well by one person only —
with certifications, some expiring within weeks, and training plans: a second person being
trained on that platform, and a plan met earlier; and recruiting: two hires filled within
the year, a security analyst posting stalled for 120 days, offers declined mostly over
pay, market rates the IT staff's pay sits below, an internship cohort and an
apprenticeship. Drawn from `random.Random(seed)`; written
through `core.services`; left alone once the county has teams."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from townhall.core import context, services
from townhall.estate.models import Person, System
from townhall.governance.models import Proposal, SkillPool
from townhall.org.models import Department
from townhall.people import services as people_services
from townhall.people.models import (
    Certification,
    DeclinedOffer,
    MarketRate,
    OperatingModel,
    Placement,
    Position,
    Proficiency,
    Requisition,
    Skill,
    StaffRecord,
    Team,
    TrainingPlan,
)

# The central IT department's teams, under the department itself, and the titles of their
# positions (the first of each team leads it and reports to the CIO).
TEAMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Infrastructure and Operations",
        (
            "Infrastructure Manager",
            "Systems Administrator",
            "Systems Administrator",
            "Network Engineer",
            "Database Administrator",
        ),
    ),
    (
        "Applications",
        ("Applications Manager", "Application Analyst", "Application Analyst", "GIS Analyst"),
    ),
    ("Cybersecurity", ("Information Security Officer", "Security Analyst", "Security Analyst")),
    (
        "Service Desk",
        (
            "Service Desk Supervisor",
            "Service Desk Technician",
            "Service Desk Technician",
            "Service Desk Technician",
        ),
    ),
)
# Positions left vacant (team, index) and how many days ago; one of them is not funded.
VACANT = {("Cybersecurity", 2): 190, ("Applications", 3): 75, ("Service Desk", 3): 400}
UNFUNDED = ("Service Desk", 3)
# The governance skill pool each team's positions add project hours to (the service desk's
# time is all operations, so it is in none), a title that belongs elsewhere, the vacancy
# the county plans to fill (in days from today) and a team's own share of operations time.
TEAM_POOLS = {
    "Infrastructure and Operations": "infra",
    "Applications": "apps",
    "Cybersecurity": "cyber",
}
TITLE_POOLS = {"GIS Analyst": "data"}
FILL_PLANNED = {("Cybersecurity", 2): 60, ("Applications", 3): 120}
OPERATIONS_SHARE = {"Infrastructure and Operations": Decimal("0.70")}
EMBEDDED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("SHF", "Sheriff's Office IT", ("Sheriff's IT Coordinator", "Mobile Data Technician")),
    ("PW", "Public Works Technology", ("SCADA and Control Systems Technician",)),
)
MODELS = {"SHF": "decentralized", "PW": "hybrid"}
# Work roles each IT title practises (NICE identifiers).
ROLES = {
    "Systems Administrator": ("IO-WRL-005", "NF-COM-009"),
    "Database Administrator": ("IO-WRL-002",),
    "Network Engineer": ("IO-WRL-004", "NF-COM-005"),
    "Application Analyst": ("DD-WRL-006", "OG-WRL-011"),
    "GIS Analyst": ("IO-WRL-001",),
    "Security Analyst": ("PD-WRL-001", "PD-WRL-003", "PD-WRL-007"),
    "Information Security Officer": ("OG-WRL-007", "OG-WRL-002", "PD-WRL-003"),
    "Service Desk Technician": ("IO-WRL-007",),
    "Chief Information Officer": ("OG-WRL-015", "OG-WRL-010"),
}
# The workforce brief's hiring story: the skills the security analyst requisition hires for
# (NICE work roles: defensive cybersecurity, incident response), and positions filled in
# the last year (title, team, days since the requisition opened, days it took to fill).
HIRING_SKILLS = ("PD-WRL-001", "PD-WRL-003")
FILLED = (
    ("Network Engineer", "Infrastructure and Operations", 300, 95),
    ("Application Analyst", "Applications", 200, 130),
)
CERTIFICATIONS = (
    ("Security Analyst", "CompTIA Security+", "CompTIA"),
    ("Information Security Officer", "CISSP", "ISC2"),
    ("Network Engineer", "CCNA", "Cisco"),
    ("Systems Administrator", "Microsoft Certified: Azure Administrator Associate", "Microsoft"),
    ("Database Administrator", "Oracle Database Administration Certified Professional", "Oracle"),
)


def _people_by_title() -> tuple[list[Person], dict[str, Person]]:
    staff = list(Person.objects.filter(is_it_staff=True).order_by("pk"))
    liaisons = {
        p.owner_department.code: p
        for p in Person.objects.filter(title="IT Liaison")
        .select_related("owner_department")
        .order_by("-pk")
        if p.owner_department is not None
    }
    return staff, liaisons


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's IT organization and skills; return how many records were made."""
    if Team.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    it = departments.get("IT")
    if it is None:
        return 0
    rng = random.Random(f"people-{seed}")
    today = timezone.localdate()
    staff, liaisons = _people_by_title()
    skill_pools = {p.code: p for p in SkillPool.objects.all()}
    user = context.SYSTEM
    count = 0
    with context.acting("demo"):
        central = services.create(
            user,
            Team,
            {
                "name": "Information Technology",
                "owner_department": it,
                "source": "demo",
                "purpose": "The county's central IT department.",
            },
        )
        cio = services.create(
            user,
            Position,
            {
                "title": "Chief Information Officer",
                "grade": "E3",
                "team": central,
                "owner_department": it,
                "person": staff[0] if staff else None,
                "vacant_since": None if staff else today,
                "source": "demo",
            },
        )
        count += 2
        pool = list(staff[1:])
        filled: list[tuple[str, Person]] = (
            [("Chief Information Officer", staff[0])] if staff else []
        )
        for name, titles in TEAMS:
            team = services.create(
                user,
                Team,
                {
                    "name": name,
                    "parent": central,
                    "owner_department": it,
                    "operations_share": OPERATIONS_SHARE.get(name),
                    "source": "demo",
                },
            )
            count += 1
            lead = None
            for i, title in enumerate(titles):
                vacant = (name, i) in VACANT or not pool
                person = None if vacant else pool.pop(0)
                position = services.create(
                    user,
                    Position,
                    {
                        "title": title,
                        "grade": f"IT{4 if i == 0 else rng.choice((2, 3))}",
                        "team": team,
                        "owner_department": it,
                        "person": person,
                        "vacant_since": (
                            today - datetime.timedelta(days=VACANT.get((name, i), 30))
                            if vacant
                            else None
                        ),
                        "funded": (name, i) != UNFUNDED,
                        "reports_to": cio if i == 0 else lead,
                        "skill_pool": skill_pools.get(
                            TITLE_POOLS.get(title) or TEAM_POOLS.get(name, "")
                        ),
                        "fill_planned": (
                            today + datetime.timedelta(days=FILL_PLANNED[name, i])
                            if vacant and (name, i) in FILL_PLANNED
                            else None
                        ),
                        "source": "demo",
                    },
                )
                count += 1
                lead = lead or position
                if person is not None:
                    filled.append((title, person))
        for code, team_name, titles in EMBEDDED:
            dept = departments.get(code)
            if dept is None:
                continue
            team = services.create(
                user,
                Team,
                {
                    "name": team_name,
                    "placement": Placement.EMBEDDED,
                    "owner_department": dept,
                    "source": "demo",
                },
            )
            count += 1
            for i, title in enumerate(titles):
                person = liaisons.get(code) if i == 0 else None
                services.create(
                    user,
                    Position,
                    {
                        "title": title,
                        "grade": "IT2",
                        "team": team,
                        "owner_department": dept,
                        "placement": Placement.EMBEDDED,
                        "person": person,
                        "vacant_since": None if person else today - datetime.timedelta(days=120),
                        "fte": Decimal("1.00") if i == 0 else Decimal("0.50"),
                        "source": "demo",
                    },
                )
                count += 1
                if person is not None:
                    filled.append((title, person))
        for code, dept in departments.items():
            services.create(
                user,
                OperatingModel,
                {
                    "owner_department": dept,
                    "model": MODELS.get(code, "central"),
                    "as_of": datetime.date(today.year - 2, 7, 1),
                    "source": "demo",
                },
            )
            count += 1
    with context.acting("demo"):
        count += people_services.load_core_skills(user).added
        count += people_services.derive_technology(user).added
        count += _levels(rng, today, filled)
        count += _hiring(today)
        count += _portfolio()
        count += _recruiting(rng, today, it)
    return count


def _portfolio() -> int:
    """A funded project named after the system it renews (the demo cycle's Next Generation
    911 call handling) is linked to that system, so the workforce brief can say which
    skills the funded portfolio needs and that nobody has them."""
    funded = Proposal.objects.filter(
        status__in=(Proposal.Status.APPROVED, Proposal.Status.IN_PROGRESS),
        extends_systems__isnull=True,
        replaces_systems__isnull=True,
        title__in=System.objects.values("name"),
    ).order_by("pk")
    made = 0
    for proposal in funded:
        system = System.objects.filter(name=proposal.title).order_by("pk").first()
        if system is not None:
            services.update(context.SYSTEM, proposal, {"extends_systems": [system]}, version=None)
            made += 1
    return made


def _hiring(today: datetime.date) -> int:
    """Requisitions for the workforce brief's story: the security analyst position vacant
    longest, posted for months, hiring for a skill nobody has, with an offer turned down
    for pay; and two positions filled in the last year, to time."""
    cyber = Team.objects.filter(name="Cybersecurity").first()
    vacant = (
        Position.objects.filter(team=cyber, title="Security Analyst", person__isnull=True)
        .order_by("pk")
        .first()
    )
    if cyber is None or vacant is None:
        return 0
    wanted = Skill.objects.filter(code__in=HIRING_SKILLS).order_by("code")
    user = context.SYSTEM
    posted = services.create(
        user,
        Requisition,
        {
            "title": "Security Analyst",
            "position": vacant,
            "team": cyber,
            "owner_department": cyber.owner_department,
            "stage": "posted",
            "opened_on": today - datetime.timedelta(days=160),
            "approved_on": today - datetime.timedelta(days=140),
            "posted_on": today - datetime.timedelta(days=120),
            "applicants": 6,
            "interviewed": 2,
            "skills": list(wanted),
            "source": "demo",
        },
    )
    made = 1
    services.create(
        user,
        DeclinedOffer,
        {
            "requisition": posted,
            "declined_on": today - datetime.timedelta(days=40),
            "reason": "pay",
            "note": "Took a private-sector offer paying a third more.",
        },
    )
    made += 1
    rows = []
    for title, team_name, opened, took in FILLED:
        team = Team.objects.filter(name=team_name).first()
        if team is None:
            continue
        filled = today - datetime.timedelta(days=opened - took)
        rows.append(
            {
                "title": title,
                "team": team,
                "owner_department": team.owner_department,
                "stage": "filled",
                "opened_on": today - datetime.timedelta(days=opened),
                "filled_on": filled,
                "applicants": 14,
                "interviewed": 4,
                "source": "demo",
            }
        )
    made += len(services.create_many(user, Requisition, rows))
    return made


def _levels(rng: random.Random, today: datetime.date, filled: list[tuple[str, Person]]) -> int:
    """Skill levels and certifications. The most critical system's technology: one person
    at 4, everyone else who touches it at 1 or 2 — the key-person risk the module finds."""
    skills = {s.code: s for s in Skill.objects.filter(kind__in=("work_role", "competency_area"))}
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for title, person in filled:
        for code in ROLES.get(title, ()):
            if code in skills:
                rows[(person.pk, skills[code].pk)] = {
                    "person": person,
                    "skill": skills[code],
                    "level": rng.choice((2, 3, 3, 4)),
                    "assessed_on": today - datetime.timedelta(days=rng.randint(10, 300)),
                }
    critical = System.objects.filter(criticality=1).exclude(product="").order_by("pk").first()
    tech = Skill.objects.filter(kind="technology", systems=critical).first() if critical else None
    people = [p for _t, p in filled]
    if tech is not None and people:
        expert = people[min(1, len(people) - 1)]
        for person in people[:6]:
            rows[(person.pk, tech.pk)] = {
                "person": person,
                "skill": tech,
                "level": 4 if person is expert else rng.choice((1, 2)),
                "assessed_on": today - datetime.timedelta(days=30),
            }
        if people[0] is not expert:
            rows[(people[0].pk, tech.pk)]["level"] = 2  # the trainee, halfway there
    others = Skill.objects.filter(kind="technology")
    if tech is not None:
        others = others.exclude(pk=tech.pk)
    for other in others[:12]:
        for person in rng.sample(people, min(2, len(people))):
            rows[(person.pk, other.pk)] = {
                "person": person,
                "skill": other,
                "level": rng.choice((2, 3, 4)),
                "source": "demo",
            }
    pair = _second_critical(rows, tech, people)
    made = len(services.create_many(context.SYSTEM, Proficiency, list(rows.values())))
    made += _retirement(today, people, expert if tech is not None and people else None, pair)
    made += _plans(today, critical, tech, people, pair)
    certs = []
    soon = (20, 45, 400, 700, -15)
    for i, (title, cert, issuer) in enumerate(CERTIFICATIONS):
        holder = next((p for t, p in filled if t == title), None)
        if holder is None:
            continue
        expires = today + datetime.timedelta(days=soon[i % len(soon)])
        certs.append(
            {
                "person": holder,
                "name": cert,
                "issuer": issuer,
                "earned": expires - datetime.timedelta(days=3 * 365),
                "expires": expires,
                "source": "demo",
            }
        )
    made += len(services.create_many(context.SYSTEM, Certification, certs))
    return made


def _second_critical(
    rows: dict[tuple[int, int], dict[str, Any]], tech: Skill | None, people: list[Person]
) -> list[Person]:
    """Another critical system's platform known well by exactly two people (the first of
    whom becomes eligible to retire within the year): the risk that is coming."""
    if len(people) < 4:
        return []
    found = Skill.objects.filter(kind="technology", systems__criticality__in=(1, 2))
    if tech is not None:
        found = found.exclude(pk=tech.pk)
    skill = found.order_by("pk").first()
    if skill is None:
        return []
    pair = [people[2], people[3]]
    for key, row in rows.items():
        if key[1] == skill.pk and row["person"] not in pair and row["level"] >= 3:
            row["level"] = 2
    for person, level in zip(pair, (4, 3), strict=True):
        rows[(person.pk, skill.pk)] = {
            "person": person,
            "skill": skill,
            "level": level,
            "source": "demo",
        }
    return pair


def _plans(
    today: datetime.date,
    critical: System | None,
    tech: Skill | None,
    people: list[Person],
    pair: list[Person],
) -> int:
    """Training plans: a second person trained on the most critical system's platform to
    level 3 a few months out (started at 1, at 2 now), and the plan that made the second
    of the pair on another critical platform, met earlier."""
    rows: list[dict[str, Any]] = []
    if critical is not None and tech is not None and len(people) > 1:
        rows.append(
            {
                "person": people[0],
                "skill": tech,
                "system": critical,
                "starting_level": 1,
                "target_level": 3,
                "due": today + datetime.timedelta(days=120),
                "how": "Vendor administrator course, then shadowing the expert on call.",
                "source": "demo",
            }
        )
    if len(pair) == 2:
        found = Skill.objects.filter(kind="technology", systems__criticality__in=(1, 2))
        skill = (found.exclude(pk=tech.pk) if tech else found).order_by("pk").first()
        systems = skill.systems.filter(criticality__in=(1, 2)) if skill else System.objects.none()
        system = systems.order_by("pk").first()
        if skill is not None and system is not None:
            rows.append(
                {
                    "person": pair[1],
                    "skill": skill,
                    "system": system,
                    "starting_level": 1,
                    "target_level": 3,
                    "due": today - datetime.timedelta(days=60),
                    "status": TrainingPlan.Status.MET,
                    "met_on": today - datetime.timedelta(days=75),
                    "how": "Runbooks written with the expert, then a quarter running it.",
                    "source": "demo",
                }
            )
    return len(services.create_many(context.SYSTEM, TrainingPlan, rows))


def _retirement(
    today: datetime.date, people: list[Person], expert: Person | None, pair: list[Person]
) -> int:
    """Retirement-eligible dates for a few people: one of the pair within the year, the
    only expert on the most critical platform within four years, one more later."""
    dates: dict[int, tuple[Person, datetime.date]] = {}
    if pair:
        dates[pair[0].pk] = (pair[0], today + datetime.timedelta(days=200))
    if expert is not None and expert.pk not in dates:
        dates[expert.pk] = (expert, today + datetime.timedelta(days=3 * 365 + 200))
    for person in people[4:5]:
        dates.setdefault(person.pk, (person, today + datetime.timedelta(days=6 * 365)))
    rows = [
        {"person": person, "retirement_eligible_on": day, "source": "demo"}
        for person, day in dates.values()
    ]
    return len(services.create_many(context.SYSTEM, StaffRecord, rows))


# --- recruiting --------------------------------------------------------------------------

# Market rates for three kinds of job, and the central IT titles compared with each.
MARKET = (
    ("Security analyst", Decimal(112000), ("Security Analyst",)),
    ("Network engineer", Decimal(105000), ("Network Engineer",)),
    ("Systems administrator", Decimal(94000), ("Systems Administrator",)),
)
# Requisitions beside those of the workforce brief's story (`_hiring`: the stalled
# security analyst and two filled): (team, title, stage, days ago it was opened, approved,
# posted, offered, filled); a vacant position gets the first vacancy of its title.
REQUISITIONS = (("Applications", "GIS Analyst", "interviewing", 70, 60, 50, None, None),)
# More offers turned down, on the requisitions of either (title, reason, days ago): most
# over pay.
DECLINED = (
    ("Network Engineer", "pay", 240),
    ("Network Engineer", "pay", 220),
    ("Security Analyst", "remote", 25),
    ("Application Analyst", "pay", 110),
)


def _ago(today: datetime.date, days: int | None) -> datetime.date | None:
    return today - datetime.timedelta(days=days) if days is not None else None


def _recruiting(rng: random.Random, today: datetime.date, it: Department) -> int:
    """Requisitions in every stage, declined offers, market rates linked to positions, and
    the pay of the people in those positions a little below the market."""
    user = context.SYSTEM
    positions = list(
        Position.objects.filter(team__parent__owner_department=it)
        .select_related("team", "person")
        .order_by("pk")
    )
    rates = services.create_many(
        user,
        MarketRate,
        [
            {
                "name": name,
                "market_pay": pay,
                "source": "Regional public and private salary survey",
                "as_of": datetime.date(today.year, 1, 1),
            }
            for name, pay, _titles in MARKET
        ],
    )
    made = len(rates)
    rate_of: dict[str, Any] = {
        title: rate
        for rate, (_n, _p, titles) in zip(rates, MARKET, strict=True)
        for title in titles
    }
    linked = [(p, {"market_rate": rate_of[p.title]}) for p in positions if p.title in rate_of]
    services.update_rows(user, linked)
    # Pay for the people in those positions: 80 to 92 % of the market's figure.
    records = {r.person_id: r for r in StaffRecord.objects.filter(person__isnull=False)}
    new_pay, changed_pay = [], []
    for position, _values in linked:
        if position.person_id is None:
            continue
        market = rate_of[position.title].market_pay
        pay = (market * Decimal(rng.randint(80, 92)) / 100).quantize(Decimal(1000))
        record = records.get(position.person_id)
        if record is None:
            new_pay.append({"person": position.person, "annual_pay": pay, "source": "demo"})
        else:
            changed_pay.append((record, {"annual_pay": pay}))
    made += len(services.create_many(user, StaffRecord, new_pay))
    services.update_rows(user, changed_pay)
    rows = []
    for team, title, stage, opened, approved, posted, offer, filled in REQUISITIONS:
        matches = [p for p in positions if p.team.name == team and p.title == title]
        seat = next(
            (p for p in matches if (p.person_id is None) == (stage != "filled")),
            None,
        )
        rows.append(
            {
                "title": title,
                "position": seat,
                "team": seat.team if seat else None,
                "owner_department": it,
                "stage": stage,
                "opened_on": _ago(today, opened),
                "approved_on": _ago(today, approved),
                "posted_on": _ago(today, posted),
                "offer_on": _ago(today, offer),
                "filled_on": _ago(today, filled),
                "applicants": rng.randint(8, 30),
                "interviewed": rng.randint(3, 6),
                "hired": seat.person if seat and stage == "filled" else None,
                "source": "demo",
            }
        )
    teams = {t.name: t for t in Team.objects.filter(owner_department=it)}
    rows += [
        {
            "title": "Summer IT internship",
            "kind": "internship",
            "team": teams.get("Service Desk"),
            "owner_department": it,
            "stage": "interviewing",
            "openings": 4,
            "opened_on": _ago(today, 45),
            "approved_on": _ago(today, 40),
            "posted_on": _ago(today, 35),
            "applicants": 46,
            "interviewed": 12,
            "source": "demo",
        },
        {
            "title": "Network technician apprenticeship",
            "kind": "apprenticeship",
            "team": teams.get("Infrastructure and Operations"),
            "owner_department": it,
            "stage": "offer",
            "openings": 2,
            "opened_on": _ago(today, 90),
            "approved_on": _ago(today, 80),
            "posted_on": _ago(today, 70),
            "offer_on": _ago(today, 10),
            "applicants": 18,
            "interviewed": 6,
            "source": "demo",
        },
    ]
    requisitions = services.create_many(user, Requisition, rows)
    made += len(requisitions)
    by_title: dict[str, Any] = {r.title: r for r in Requisition.objects.order_by("pk")}
    declined = [
        {
            "requisition": by_title[title],
            "reason": reason,
            "declined_on": _ago(today, days),
            "source": "demo",
        }
        for title, reason, days in DECLINED
        if title in by_title
    ]
    made += len(services.create_many(user, DeclinedOffer, declined))
    return made
