"""The demo county's FY2027 budget cycle: about 40 requests (some mandated, chains of
prerequisites, infrastructure renewals), five board members who have scored most of them
(three are left for the `board` sign-in to score), and two saved, solved scenarios.
Deterministic; does nothing when the cycle exists already."""

import random
from typing import Any

from django.utils import timezone

from townhall.accounts import services as accounts
from townhall.accounts.demo import DEMO_PASSWORD
from townhall.accounts.models import Role, User
from townhall.core import context, services
from townhall.estate.models import Component, Person, System
from townhall.governance import portfolio, presets
from townhall.governance import services as gov
from townhall.governance.models import BudgetCycle, Proposal, Scenario, SkillPool
from townhall.org.models import Department

CYCLE = "FY2027"
FIRST_YEAR, YEARS = 2027, 5
POOLS = [
    ("apps", "Applications"),
    ("infra", "Infrastructure"),
    ("cyber", "Cybersecurity"),
    ("data", "Data and GIS"),
    ("pm", "Project management"),
]
BOARD = [  # the demo's "board" sign-in is the first member
    ("board2", "Morgan", "Ellis"),
    ("board3", "Priya", "Nair"),
    ("board4", "Dana", "Whitfield"),
    ("board5", "Luis", "Ortega"),
]
K = Proposal.Kind
# title, department, kind, merit (0–1: how the board will see it), duration, capital per year
# in $1,000s, recurring per year in $1,000s, main skill pool, prerequisites, mandate
REQUESTS: list[tuple[Any, ...]] = [
    ("Core network refresh", "IT", K.RENEWAL, 0.8, 2, (900, 600), 40, "infra", (), ""),
    (
        "Data center UPS and cooling replacement",
        "IT",
        K.RENEWAL,
        0.7,
        1,
        (450,),
        10,
        "infra",
        (),
        "",
    ),
    ("Server virtualization host renewal", "IT", K.RENEWAL, 0.65, 1, (700,), 35, "infra", (), ""),
    ("Storage array replacement", "IT", K.RENEWAL, 0.6, 1, (520,), 30, "infra", (), ""),
    (
        "Public safety radio console upgrade",
        "E911",
        K.RENEWAL,
        0.75,
        2,
        (800, 400),
        60,
        "infra",
        (),
        "",
    ),
    (
        "Next Generation 911 call handling",
        "E911",
        K.COMPLIANCE,
        1.0,
        2,
        (1200, 300),
        180,
        "infra",
        ("Core network refresh",),
        "State NG911 transition rule",
    ),
    (
        "Multi-factor sign-in for CJIS access",
        "SHF",
        K.CYBER,
        1.0,
        1,
        (150,),
        45,
        "cyber",
        (),
        "FBI CJIS Security Policy",
    ),
    (
        "Accessible county website (ADA Title II)",
        "PIO",
        K.COMPLIANCE,
        1.0,
        1,
        (220,),
        30,
        "apps",
        (),
        "ADA Title II web accessibility rule",
    ),
    (
        "Card payment security for utility billing",
        "UTL",
        K.COMPLIANCE,
        1.0,
        1,
        (90,),
        20,
        "cyber",
        (),
        "PCI DSS 4.0",
    ),
    (
        "Identity and access management platform",
        "IT",
        K.CYBER,
        0.85,
        1,
        (380,),
        90,
        "cyber",
        (),
        "",
    ),
    ("Endpoint detection and response", "IT", K.CYBER, 0.8, 1, (120,), 140, "cyber", (), ""),
    ("Immutable backup and recovery vault", "IT", K.CYBER, 0.85, 1, (350,), 60, "infra", (), ""),
    ("Security awareness training program", "HR", K.CYBER, 0.55, 1, (20,), 35, "cyber", (), ""),
    (
        "Privileged access management",
        "IT",
        K.CYBER,
        0.6,
        1,
        (160,),
        55,
        "cyber",
        ("Identity and access management platform",),
        "",
    ),
    (
        "ERP financials replacement",
        "FIN",
        K.MODERNIZATION,
        0.8,
        3,
        (1500, 1200, 400),
        350,
        "apps",
        (),
        "",
    ),
    (
        "HR and payroll module",
        "HR",
        K.MODERNIZATION,
        0.7,
        2,
        (600, 300),
        140,
        "apps",
        ("ERP financials replacement",),
        "",
    ),
    (
        "Procurement and contract management",
        "PUR",
        K.MODERNIZATION,
        0.5,
        1,
        (250,),
        60,
        "apps",
        ("ERP financials replacement",),
        "",
    ),
    (
        "Online building permits and inspections",
        "BLD",
        K.NEW,
        0.8,
        2,
        (500, 200),
        90,
        "apps",
        (),
        "",
    ),
    (
        "Planning case management",
        "PLN",
        K.MODERNIZATION,
        0.55,
        1,
        (300,),
        50,
        "apps",
        ("Online building permits and inspections",),
        "",
    ),
    (
        "Computer-aided dispatch upgrade",
        "E911",
        K.MODERNIZATION,
        0.85,
        2,
        (900, 300),
        120,
        "apps",
        ("Core network refresh",),
        "",
    ),
    (
        "Jail management system replacement",
        "JAIL",
        K.MODERNIZATION,
        0.6,
        2,
        (700, 300),
        110,
        "apps",
        ("Multi-factor sign-in for CJIS access",),
        "",
    ),
    (
        "Records management system for the Sheriff",
        "SHF",
        K.MODERNIZATION,
        0.65,
        2,
        (650, 250),
        95,
        "apps",
        ("Jail management system replacement",),
        "",
    ),
    ("Court case e-filing portal", "CLK", K.NEW, 0.6, 1, (280,), 45, "apps", (), ""),
    (
        "Property assessment system modernization",
        "ASR",
        K.MODERNIZATION,
        0.5,
        2,
        (450, 150),
        70,
        "apps",
        (),
        "",
    ),
    ("Tax collection online payments", "TRS", K.NEW, 0.6, 1, (120,), 25, "apps", (), ""),
    ("Election equipment replacement", "ELE", K.RENEWAL, 0.7, 1, (650,), 20, "infra", (), ""),
    (
        "Utility customer portal",
        "UTL",
        K.NEW,
        0.55,
        1,
        (260,),
        55,
        "apps",
        ("Card payment security for utility billing",),
        "",
    ),
    (
        "Automated meter reading network",
        "UTL",
        K.NEW,
        0.65,
        3,
        (800, 800, 400),
        70,
        "infra",
        (),
        "",
    ),
    ("Fleet telematics", "FLT", K.NEW, 0.4, 1, (180,), 60, "data", (), ""),
    (
        "Work order and asset management",
        "PW",
        K.MODERNIZATION,
        0.6,
        2,
        (400, 150),
        65,
        "apps",
        (),
        "",
    ),
    ("Enterprise GIS upgrade", "PLN", K.MODERNIZATION, 0.55, 1, (200,), 40, "data", (), ""),
    ("Open data portal", "ADM", K.NEW, 0.35, 1, (80,), 25, "data", ("Enterprise GIS upgrade",), ""),
    (
        "Library self-checkout and Wi-Fi refresh",
        "LIB",
        K.RENEWAL,
        0.4,
        1,
        (160,),
        15,
        "infra",
        (),
        "",
    ),
    ("Parks reservations system", "PRK", K.NEW, 0.3, 1, (90,), 20, "apps", (), ""),
    ("Public health case management", "HLT", K.MODERNIZATION, 0.6, 1, (330,), 70, "apps", (), ""),
    ("Human services eligibility portal", "HSV", K.NEW, 0.65, 2, (420, 180), 80, "apps", (), ""),
    (
        "Cloud phone system",
        "IT",
        K.MODERNIZATION,
        0.5,
        1,
        (300,),
        120,
        "infra",
        ("Core network refresh",),
        "",
    ),
    ("Conference room video upgrade", "FAC", K.NEW, 0.25, 1, (140,), 15, "infra", (), ""),
    (
        "Animal shelter management software",
        "ANM",
        K.MODERNIZATION,
        0.3,
        1,
        (60,),
        12,
        "apps",
        (),
        "",
    ),
    ("Emergency notification system", "EM", K.NEW, 0.7, 1, (110,), 45, "apps", (), ""),
]
# The last steps the requests reached, by position in REQUESTS (the rest are scored).
DRAFTS = {"Conference room video upgrade", "Parks reservations system"}
SUBMITTED = {"Animal shelter management software", "Library self-checkout and Wi-Fi refresh"}
# Under review, scored by the four other members but not by the demo's `board` sign-in: the
# person who signs in as `board` has these to score, and sees the board's scores on them
# once they submit (and already on every other proposal, which they scored).
TO_SCORE = {
    "Emergency notification system",
    "Human services eligibility portal",
    "Planning case management",
}
DECIDED = {
    "Endpoint detection and response": (Proposal.Status.APPROVED, "Ranked first for risk", 5, 0),
    "Security awareness training program": (
        Proposal.Status.APPROVED,
        "Low cost; insurer requires it",
        5,
        0,
    ),
    "Fleet telematics": (Proposal.Status.DEFERRED, "Revisit after the ERP go-live", 3, 2),
    "Open data portal": (Proposal.Status.REJECTED, "Fold into the GIS upgrade instead", 4, 1),
}


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo budget cycle; return how many records were created."""
    if BudgetCycle.objects.filter(name=CYCLE).exists() or not Department.objects.exists():
        return 0
    rng = random.Random(seed)
    created = 0
    pools = {}
    for code, name in POOLS:
        pools[code] = SkillPool.objects.filter(code=code).first() or services.create(
            context.SYSTEM, SkillPool, {"name": name, "code": code}
        )
        created += 1
    sets = {}
    for key, preset in presets.PRESETS.items():
        sets[key] = None if _set_exists(preset) else gov.load_preset(context.SYSTEM, preset)
        created += 1 if sets[key] else 0
    board = _board()
    years = [FIRST_YEAR + i for i in range(YEARS)]
    cycle = gov.open_cycle(
        context.SYSTEM,
        {
            "name": CYCLE,
            "first_year": FIRST_YEAR,
            "years": YEARS,
            "criteria_set": sets["county-six"] or _set_named(presets.ORANGE_COUNTY_STYLE),
            "status": BudgetCycle.Status.SCORING,
            "intake_deadline": timezone.localdate().replace(month=1, day=31),
            "infrastructure_share": "0.15",
            "budgets": {str(y): {"capital": 4_500_000, "operating": 1_400_000} for y in years},
            "capacities": {
                code: {str(y): hours for y in years}
                for code, hours in (
                    ("apps", 9000),
                    ("infra", 7000),
                    ("cyber", 2500),
                    ("data", 1800),
                    ("pm", 3500),
                )
            },
        },
    )
    created += 1
    proposals = _requests(cycle, rng)
    created += len(proposals)
    created += _score(cycle, proposals, board, rng)
    created += _scenarios(cycle, proposals)
    return created


def _set_exists(preset: dict) -> bool:
    from townhall.governance.models import CriteriaSet

    return CriteriaSet.objects.filter(name=preset["name"]).exists()


def _set_named(preset: dict) -> Any:
    from townhall.governance.models import CriteriaSet

    return CriteriaSet.objects.filter(name=preset["name"]).order_by("edition").first()


def _board() -> list[User]:
    members = []
    first = User.objects.filter(username="board").first()
    if first is not None:
        members.append(first)
    for username, first_name, last_name in BOARD:
        user = User.objects.filter(username=username).first() or accounts.create_user(
            context.SYSTEM,
            username=username,
            role=Role.BOARD,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@juniper-county.example",
        )
        members.append(user)
    return members


def _requests(cycle: BudgetCycle, rng: random.Random) -> dict[str, Proposal]:
    depts = {d.code: d for d in Department.objects.all()}
    people = list(Person.objects.order_by("id")[:60])
    today = timezone.localdate()
    # Foundations past end of support, for renewals to replace.
    old_components = list(
        Component.objects.filter(end_of_support__lt=today).order_by("end_of_support", "id")[:40]
    )
    old_systems = list(System.objects.filter(end_of_support__lt=today).order_by("name")[:20])
    near_systems = list(
        System.objects.filter(end_of_support__gte=today).order_by("end_of_support", "name")[:20]
    )
    made: dict[str, Proposal] = {}
    for n, row in enumerate(REQUESTS):
        title, dept, kind, merit, duration, capital, recurring, pool, prereqs, mandate = row
        effort = {pool: [rng.choice((600, 900, 1200, 1600)) for _ in range(duration)]}
        effort["pm"] = [rng.choice((150, 250, 400)) for _ in range(duration)]
        if kind == K.CYBER and pool != "cyber":
            effort["cyber"] = [200] * duration
        values: dict[str, Any] = {
            "cycle": cycle,
            "owner_department": depts.get(dept) or depts.get("IT"),
            "title": title,
            "problem": _problem(kind, title),
            "outcome": _outcome(kind, title),
            "kind": kind,
            "sponsor": people[n % len(people)] if people else None,
            "mandated": bool(mandate),
            "mandate": mandate,
            "earliest_start": FIRST_YEAR + (1 if n % 7 == 3 else 0),
            "duration": duration,
            "capital_costs": [c * 1000 for c in capital],
            "operating_costs": [rng.choice((0, 10_000, 25_000)) for _ in range(duration)],
            "recurring_operating": recurring * 1000,
            "effort": effort,
            "prerequisites": [made[p] for p in prereqs if p in made],
            "source": "Demo county",
        }
        if kind == K.RENEWAL and old_components:
            values["replaces_components"] = [
                old_components.pop() for _ in range(2) if old_components
            ]
        elif kind == K.MODERNIZATION and old_systems:
            values["replaces_systems"] = [old_systems.pop()]
        elif kind == K.NEW and near_systems and n % 3 == 0:
            values["extends_systems"] = [near_systems.pop()]
        made[title] = services.create(context.SYSTEM, Proposal, values)
    for title, proposal in made.items():
        if title in DRAFTS:
            continue
        gov.move(context.SYSTEM, proposal, Proposal.Status.SUBMITTED, "Submitted by the department")
        if title in SUBMITTED:
            continue
        gov.move(context.SYSTEM, proposal, Proposal.Status.UNDER_REVIEW, "On the board's agenda")
    return made


def _problem(kind: str, title: str) -> str:
    problems: dict[str, str] = {
        K.RENEWAL: "The equipment is past or near the end of vendor support; parts and "
        "security fixes are getting harder to find.",
        K.CYBER: "Insurers and the state assessment ask for this control, and attackers "
        "target counties that lack it.",
        K.COMPLIANCE: "A rule with a deadline requires it; missing it risks penalties and "
        "loss of service.",
        K.MODERNIZATION: "Staff re-key data between old systems and keep paper workarounds.",
        K.NEW: "Residents must call or visit in person for something they expect online.",
    }
    return problems[kind]


def _outcome(kind: str, title: str) -> str:
    return f"{title} in service, measured against today's wait times and staff hours."


def _score(
    cycle: BudgetCycle, proposals: dict[str, Proposal], board: list[User], rng: random.Random
) -> int:
    criteria = list(cycle.criteria_set.criteria.all())
    merit = {row[0]: row[3] for row in REQUESTS}
    count = 0
    for title, proposal in proposals.items():
        proposal.refresh_from_db()
        if proposal.status != Proposal.Status.UNDER_REVIEW or proposal.mandated:
            continue
        members = [m for m in board if m.username != "board"] if title in TO_SCORE else board
        for member in members:
            scores = {}
            for criterion in criteria:
                base = 1 + 4 * merit[title] + rng.uniform(-0.9, 0.9)
                # One member often sees it differently.
                if member is board[-1] and rng.random() < 0.25:
                    base = 6 - base
                scores[criterion.pk] = max(1, min(5, round(base)))
            gov.save_ballot(member, proposal, scores, submit=True)
            count += 1
        if title in TO_SCORE:
            continue
        gov.move(context.SYSTEM, proposal, Proposal.Status.SCORED, "All board members scored")
        if title in DECIDED:
            status, why, yes, no = DECIDED[title]
            gov.move(
                context.SYSTEM,
                proposal,
                status,
                why,
                decision={
                    "rationale": why,
                    "votes_for": yes,
                    "votes_against": no,
                    "votes_abstaining": 0,
                    "approved_start": FIRST_YEAR if status == Proposal.Status.APPROVED else None,
                },
            )
    for proposal in proposals.values():
        proposal.refresh_from_db()
        if proposal.mandated and proposal.status == Proposal.Status.UNDER_REVIEW:
            gov.move(
                context.SYSTEM,
                proposal,
                Proposal.Status.APPROVED,
                f"Mandated: {proposal.mandate}",
                decision={"rationale": f"Mandated by {proposal.mandate}", "votes_for": 5},
            )
    return count


def _scenarios(cycle: BudgetCycle, proposals: dict[str, Proposal]) -> int:
    made = 0
    for name, level, selected, description in (
        ("Adopted budget", "1.00", True, "The budgets the manager proposed to the council."),
        ("Ten percent cut", "0.90", False, "If the council trims the capital plan by 10%."),
    ):
        scenario = services.create(
            context.SYSTEM,
            Scenario,
            {
                "cycle": cycle,
                "name": name,
                "description": description,
                "budget_level": level,
                "time_limit": 10,
                "selected": selected,
            },
        )
        portfolio.solve(scenario, context.SYSTEM)
        made += 1
    return made
