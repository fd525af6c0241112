"""The demo county's cyber picture: last year's finished NIST CSF 2.0 self-assessment and
this year's in progress, about 30 risks, 15 incidents, a year of training records, who
performs each cyber function, a few insurer answers, and exposures from small sample feeds
matched against the demo estate. Deterministic; does nothing when it exists already."""

import datetime
import random
from pathlib import Path
from typing import Any

from django.utils import timezone

from townhall.core import context, services
from townhall.cyber import models as m
from townhall.estate.models import Person, System
from townhall.org.models import Department

THIS_YEAR = 2026
FEEDS = Path(__file__).resolve().parent / "demo_feeds"
# How mature the county is per CSF 2.0 function last year: (typical level, spread).
MATURITY = {
    "GV": (3.4, 1),
    "ID": (3.2, 1),
    "PR": (4.2, 1),
    "DE": (3.8, 1),
    "RS": (3.9, 1),
    "RC": (3.5, 1),
}

# title, department, systems (name starts), likelihood, impact, residual (l, i) or None,
# treatment, status
RISKS: list[tuple[Any, ...]] = [
    (
        "Ransomware encrypts on-premises servers",
        "IT",
        ("ERP financials",),
        4,
        5,
        (3, 4),
        "mitigate",
        "in_treatment",
    ),
    (
        "Phishing leads to stolen staff credentials",
        "IT",
        (),
        5,
        4,
        (3, 3),
        "mitigate",
        "in_treatment",
    ),
    (
        "Business e-mail compromise diverts a vendor payment",
        "FIN",
        ("Accounts payable",),
        3,
        4,
        (2, 4),
        "mitigate",
        "open",
    ),
    ("Unsupported servers cannot be patched", "IT", (), 4, 4, (4, 3), "mitigate", "open"),
    (
        "Computer-aided dispatch outage during an attack",
        "E911",
        ("Computer-aided dispatch",),
        2,
        5,
        (2, 4),
        "mitigate",
        "in_treatment",
    ),
    (
        "CJIS audit finding on advanced authentication",
        "SHF",
        ("Records management",),
        3,
        4,
        (2, 3),
        "mitigate",
        "in_treatment",
    ),
    (
        "Backups reachable from the domain are encrypted too",
        "IT",
        (),
        3,
        5,
        (2, 5),
        "mitigate",
        "in_treatment",
    ),
    (
        "Water plant SCADA reachable from the office network",
        "UTL",
        (),
        2,
        5,
        (2, 4),
        "mitigate",
        "open",
    ),
    (
        "Election results site defaced on election night",
        "ELE",
        ("Election night results",),
        2,
        4,
        (1, 4),
        "transfer",
        "open",
    ),
    (
        "Payment card data exposed by the online tax site",
        "TRS",
        ("Online tax payments",),
        2,
        4,
        (1, 4),
        "transfer",
        "open",
    ),
    (
        "Former employees keep access to cloud applications",
        "HR",
        ("ERP payroll",),
        3,
        3,
        (2, 3),
        "mitigate",
        "open",
    ),
    ("Vendor remote access without multi-factor sign-in", "IT", (), 3, 4, None, "mitigate", "open"),
    ("Laptop with client records lost or stolen", "HSV", (), 3, 3, (2, 2), "mitigate", "closed"),
    (
        "Health records exposed through a misconfigured share",
        "HLT",
        (),
        2,
        4,
        (2, 3),
        "mitigate",
        "open",
    ),
    (
        "Legacy jail system runs an end-of-life database",
        "JAIL",
        ("Jail management",),
        3,
        4,
        (3, 4),
        "accept",
        "accepted",
    ),
    (
        "Library public computers used to attack the network",
        "LIB",
        (),
        2,
        3,
        (1, 3),
        "mitigate",
        "closed",
    ),
    (
        "Single staff member knows the firewall configuration",
        "IT",
        (),
        3,
        4,
        (3, 3),
        "mitigate",
        "open",
    ),
    ("No 24×7 monitoring of security alerts", "IT", (), 4, 4, (3, 4), "mitigate", "in_treatment"),
    (
        "Court e-filing vendor breach exposes filings",
        "CLK",
        ("Court e-filing",),
        2,
        4,
        (2, 4),
        "transfer",
        "open",
    ),
    (
        "Denial of service takes the county website down",
        "PIO",
        (),
        3,
        2,
        (2, 2),
        "accept",
        "accepted",
    ),
    ("Building access system on a flat network", "FAC", (), 2, 3, None, "mitigate", "open"),
    (
        "Body camera evidence chain of custody questioned",
        "SHF",
        ("Body-worn camera",),
        2,
        4,
        (1, 4),
        "mitigate",
        "open",
    ),
    (
        "Shared administrator passwords on network devices",
        "IT",
        (),
        3,
        4,
        (2, 3),
        "mitigate",
        "in_treatment",
    ),
    ("Permit portal leaks applicant data", "BLD", (), 2, 3, (1, 3), "mitigate", "open"),
    (
        "Radio system management console outdated",
        "E911",
        ("Radio system",),
        2,
        4,
        (2, 4),
        "accept",
        "accepted",
    ),
    ("Macros in e-mailed documents run malware", "IT", (), 3, 3, (2, 3), "mitigate", "closed"),
    ("Fleet telematics vendor weak security", "FLT", (), 2, 2, (2, 2), "accept", "accepted"),
    (
        "Cyber insurance renewal refused for missing controls",
        "ADM",
        (),
        3,
        4,
        (2, 4),
        "mitigate",
        "open",
    ),
    ("Geographic data portal defaced", "PLN", (), 2, 2, (1, 2), "avoid", "closed"),
    ("Utility billing portal credential stuffing", "UTL", (), 3, 3, (2, 3), "mitigate", "open"),
]

# title, department, kind, severity, month (this year or the two before), hours to contain,
# hours to recover, detected hours after it began, systems, reported to
INCIDENTS: list[tuple[Any, ...]] = [
    (
        "Phishing wave against Finance",
        "FIN",
        "phishing",
        "moderate",
        (2024, 3),
        4,
        20,
        6,
        (),
        ("ms_isac",),
    ),
    ("Malware on a library public computer", "LIB", "malware", "low", (2024, 5), 2, 8, 30, (), ()),
    (
        "Vendor invoice fraud attempt",
        "FIN",
        "phishing",
        "high",
        (2024, 8),
        10,
        72,
        48,
        ("Accounts payable",),
        ("ms_isac", "law_enforcement", "insurer"),
    ),
    (
        "Lost patrol laptop",
        "SHF",
        "lost_device",
        "moderate",
        (2024, 10),
        1,
        24,
        12,
        ("Mobile data",),
        ("state",),
    ),
    (
        "Website denial of service",
        "PIO",
        "denial_of_service",
        "moderate",
        (2024, 11),
        3,
        6,
        1,
        (),
        ("ms_isac",),
    ),
    (
        "Compromised e-mail account sends spam",
        "HR",
        "unauthorized_access",
        "moderate",
        (2025, 1),
        2,
        10,
        20,
        (),
        ("ms_isac",),
    ),
    (
        "Ransomware stopped on one file server",
        "PW",
        "ransomware",
        "critical",
        (2025, 4),
        6,
        96,
        3,
        (),
        ("ms_isac", "state", "insurer", "law_enforcement"),
    ),
    (
        "Misconfigured file share in Public Health",
        "HLT",
        "data_exposure",
        "high",
        (2025, 6),
        5,
        30,
        400,
        (),
        ("state",),
    ),
    (
        "Credential stuffing on the utility portal",
        "UTL",
        "unauthorized_access",
        "moderate",
        (2025, 7),
        8,
        24,
        10,
        (),
        ("ms_isac",),
    ),
    (
        "E-filing vendor security incident",
        "CLK",
        "vendor",
        "high",
        (2025, 9),
        48,
        120,
        200,
        ("Court e-filing",),
        ("state", "insurer"),
    ),
    ("USB malware at a fire station", "FIRE", "malware", "low", (2025, 11), 2, 6, 4, (), ()),
    (
        "Phishing: payroll direct-deposit change",
        "HR",
        "phishing",
        "high",
        (2026, 2),
        3,
        28,
        36,
        ("ERP payroll",),
        ("ms_isac", "law_enforcement"),
    ),
    (
        "Stolen tablet from a building inspector",
        "BLD",
        "lost_device",
        "low",
        (2026, 4),
        1,
        8,
        20,
        (),
        (),
    ),
    (
        "Exploited firewall vulnerability",
        "IT",
        "unauthorized_access",
        "critical",
        (2026, 6),
        12,
        60,
        72,
        (),
        ("ms_isac", "state", "insurer"),
    ),
    (
        "Suspicious sign-ins to the jail system",
        "JAIL",
        "unauthorized_access",
        "moderate",
        (2026, 9),
        6,
        None,
        8,
        ("Jail management",),
        ("state",),
    ),
]

COURSES = [
    ("Annual security awareness", "SEC-101", True, 12),
    ("Phishing: spot and report", "SEC-110", True, 12),
    ("CJIS security awareness", "CJIS-2", False, 24),
    ("Handling health information (HIPAA)", "HIPAA-1", False, 12),
]

PROVIDERS = {
    "in_house": "County IT security team",
    "managed": "Regional managed security provider",
    "state": "State cyber program",
}
# standard function (coverage.py key) -> who performs it and when; others: IT, office hours
COVERAGE_PLAN = {
    "monitoring": ("managed", "24×7"),
    "incident_response": ("in_house", "business hours"),
    "vulnerability_scanning": ("state", "weekly"),
    "threat_intelligence": ("state", "24×7"),
    "penetration_testing": ("nobody", ""),
    "ot": ("nobody", ""),
    "vendor_risk": ("nobody", ""),
}


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's cyber records; return how many were created."""
    if m.Assessment.objects.exists() or not Department.objects.exists():
        return 0
    rng = random.Random(seed)
    with context.acting("demo"):
        created = _frameworks_and_assessments(rng)
        created += _risks(rng)
        created += _incidents(rng)
        created += _training(rng)
        created += _coverage_and_insurance(rng)
        created += _exposures()
        created += _plan()
    return created


def _create(model: type, **values: Any) -> Any:
    return services.create(context.SYSTEM, model, values)


def _departments() -> dict[str, Department]:
    return {d.code: d for d in Department.objects.all()}


def _it_people() -> list[Person]:
    people = list(Person.objects.filter(is_it_staff=True).order_by("pk")[:40])
    return people or list(Person.objects.order_by("pk")[:10])


def _systems(starts: tuple[str, ...]) -> list[System]:
    found = []
    for start in starts:
        system = System.objects.filter(name__startswith=start).order_by("pk").first()
        if system:
            found.append(system)
    return found


def _frameworks_and_assessments(rng: random.Random) -> int:
    from townhall.cyber import frameworks
    from townhall.cyber import services as cyber

    frameworks.load_builtin(context.SYSTEM)
    csf = m.Framework.objects.get(key="csf", release="2.0")
    leaves = list(
        m.Requirement.objects.filter(framework=csf, assessable=True, withdrawn=False).order_by(
            "sort_key", "identifier"
        )
    )
    people = _it_people()
    last = cyber.start_assessment(
        context.SYSTEM, csf, THIS_YEAR - 1, f"{THIS_YEAR - 1} self-assessment"
    )
    levels: dict[int, int] = {}
    for requirement in leaves:
        typical, spread = MATURITY.get(requirement.identifier[:2], (3.5, 1))
        level = max(1, min(7, round(rng.gauss(typical, spread))))
        levels[requirement.pk] = level
        not_applicable = requirement.identifier.startswith("GV.SC-1") and rng.random() < 0.3
        cyber.save_score(
            context.SYSTEM,
            last,
            requirement,
            level=None if not_applicable else level,
            not_applicable=not_applicable,
            notes="",
            responsible=rng.choice(people) if people else None,
        )
    cyber.complete(context.SYSTEM, last)
    current = cyber.start_assessment(
        context.SYSTEM,
        csf,
        THIS_YEAR,
        f"{THIS_YEAR} self-assessment",
        previous=last,
        copy_from_previous=False,
    )
    # This year's work has reached Govern, Identify and Protect; Detect is half done.
    scored = 0
    for requirement in leaves:
        function = requirement.identifier[:2]
        if function in ("RS", "RC") or (function == "DE" and rng.random() < 0.5):
            continue
        gain = rng.choice((0, 0, 1, 1, 1, 2))
        cyber.save_score(
            context.SYSTEM,
            current,
            requirement,
            level=min(7, levels[requirement.pk] + gain),
            not_applicable=False,
            notes="Improved since last year." if gain else "",
            responsible=rng.choice(people) if people else None,
        )
        scored += 1
    today = timezone.localdate()
    evidence = 0
    for title, ids, months in (
        ("Information security policy (adopted by the Board)", ("GV.PO-01", "GV.PO-02"), 14),
        ("Backup restore test report", ("PR.DS-11", "RC.RP-03"), 2),
        ("Incident response plan", ("RS.MA-01", "ID.IM-04"), 20),
        ("Asset inventory export", ("ID.AM-01", "ID.AM-02"), 1),
        ("Security awareness training completion report", ("PR.AT-01",), -1),
    ):
        requirements = list(m.Requirement.objects.filter(framework=csf, identifier__in=ids))
        _create(
            m.Evidence,
            title=title,
            link=f"https://intranet.example.gov/it/security/{title.split()[0].lower()}",
            owner=people[evidence % len(people)] if people else None,
            effective_date=today - datetime.timedelta(days=300),
            expires=today + datetime.timedelta(days=30 * months),
            requirements=requirements,
        )
        evidence += 1
    return 2 + len(leaves) + scored + evidence


def _risks(rng: random.Random) -> int:
    departments = _departments()
    people = _it_people()
    csf_leaves = list(
        m.Requirement.objects.filter(assessable=True, framework__key="csf").values_list(
            "pk", flat=True
        )[:200]
    )
    today = timezone.localdate()
    for n, (title, dept, systems, li, im, residual, treatment, status) in enumerate(RISKS):
        accepted = treatment == "accept"
        values: dict[str, Any] = {
            "title": title,
            "owner_department": departments.get(dept),
            "inherent_likelihood": li,
            "inherent_impact": im,
            "residual_likelihood": residual[0] if residual else None,
            "residual_impact": residual[1] if residual else None,
            "treatment": treatment,
            "status": status,
            "owner": people[n % len(people)] if people else None,
            "due_date": today + datetime.timedelta(days=rng.randint(-60, 300)),
            "systems": _systems(systems),
            "requirements": rng.sample(csf_leaves, min(2, len(csf_leaves))),
        }
        if accepted:
            values["approver"] = people[0] if people else None
            values["acceptance_expires"] = today + datetime.timedelta(
                days=rng.choice((25, 120, 300))
            )
        _create(m.Risk, **values)
    return len(RISKS)


def _incidents(rng: random.Random) -> int:
    departments = _departments()
    risks = {r.title: r for r in m.Risk.objects.all()}
    tz = timezone.get_current_timezone()
    for title, dept, kind, severity, (
        year,
        month,
    ), contain, recover, detect, systems, told in INCIDENTS:
        detected = datetime.datetime(
            year, month, rng.randint(1, 27), rng.randint(7, 18), 0, tzinfo=tz
        )
        values: dict[str, Any] = {
            "title": title,
            "owner_department": departments.get(dept),
            "kind": kind,
            "severity": severity,
            "began": detected - datetime.timedelta(hours=detect),
            "detected": detected,
            "contained": detected + datetime.timedelta(hours=contain),
            "eradicated": (
                detected + datetime.timedelta(hours=(contain + recover) / 2) if recover else None
            ),
            "recovered": detected + datetime.timedelta(hours=recover) if recover else None,
            "systems": _systems(systems),
            "lessons_learned": "Reviewed with the department; see the linked risks."
            if recover
            else "",
        }
        for recipient in told:
            values[f"reported_{recipient}"] = detected + datetime.timedelta(
                hours=rng.randint(2, 70)
            )
        if kind in ("phishing", "ransomware"):
            linked = [r for t, r in risks.items() if kind.split("_")[0] in t.lower()]
            values["risks"] = linked[:2]
        _create(m.Incident, **values)
    return len(INCIDENTS)


def _training(rng: random.Random) -> int:
    courses = [
        _create(
            m.Course,
            name=name,
            code=code,
            provider="County learning system",
            required=req,
            renewal_months=months,
        )
        for name, code, req, months in COURSES
    ]
    today = timezone.localdate()
    created = len(courses)
    # Departments differ: public safety trains well, some small offices lag behind.
    lagging = {"PRK", "LIB", "ANM", "SWM", "FLT"}
    for person in Person.objects.select_related("owner_department").order_by("pk"):
        code = person.owner_department.code if person.owner_department else ""
        chance = 0.6 if code in lagging else 0.96
        for course in courses[:2]:
            if rng.random() > chance:
                continue
            late = rng.random() < 0.05  # completed, but more than a year ago: overdue now
            days = rng.randint(380, 600) if late else rng.randint(5, 330)
            _create(
                m.TrainingCompletion,
                person=person,
                course=course,
                completed_on=today - datetime.timedelta(days=days),
                source="learning system export",
            )
            created += 1
        if code in ("SHF", "JAIL", "E911") and rng.random() < 0.8:
            _create(
                m.TrainingCompletion,
                person=person,
                course=courses[2],
                completed_on=today - datetime.timedelta(days=rng.randint(30, 500)),
                source="learning system export",
            )
            created += 1
    return created


def _coverage_and_insurance(rng: random.Random) -> int:
    """A small county: IT covers the basics in business hours, a managed provider watches
    alerts at night, the state program scans and shares threat news, and some functions
    have nobody."""
    from townhall.cyber import coverage

    rows = coverage.seed_functions(context.SYSTEM)
    for row in m.Coverage.objects.order_by("order", "function"):
        standard = coverage.standard_for(row.function)
        performer, hours = COVERAGE_PLAN.get(
            standard.key if standard else "", ("in_house", "business hours")
        )
        services.update(
            context.SYSTEM,
            row,
            {"performer": performer, "provider": PROVIDERS.get(performer, ""), "hours": hours},
            version=row.version,
        )
    from townhall.cyber import insurance

    for slug, answer, notes in (
        (
            "remote-desktop",
            "yes",
            "No remote desktop is open to the internet; checked by the state's scan.",
        ),
        ("phishing-simulation", "partly", "Quarterly simulations for Finance and HR only."),
    ):
        if slug in insurance.BY_SLUG:
            insurance.record_answer(
                context.SYSTEM, slug, {"answer": answer, "notes": notes}, version=None
            )
    return len(rows)


def _exposures() -> int:
    """Sample feeds in the official formats, with invented entries that name products of
    the demo estate (and CVE records whose versions make some matches affected, some not
    and leave others unknown); a real government imports the published files."""
    from townhall.cyber import exposure

    kev = exposure.import_kev(
        context.SYSTEM, (FEEDS / "kev-demo.json").read_bytes(), "kev-demo.json"
    )
    eol = exposure.import_eol(
        context.SYSTEM, (FEEDS / "eol-demo.json").read_bytes(), file_name="eol-demo.json"
    )
    records = exposure.import_cve(
        context.SYSTEM, (FEEDS / "cve-demo.json").read_bytes(), file_name="cve-demo.json"
    )
    exposure.refresh_exposures(context.SYSTEM)
    return kev.created + eol.created + records.created + m.Exposure.objects.count()


def _plan() -> int:
    """The plan of action proposed from the assessment, risks and exposures, with costs
    and milestones filled in for the first few as a CISO would."""
    from townhall.cyber import plan

    report = plan.generate_actions(context.SYSTEM)
    today = timezone.localdate()
    for n, action in enumerate(m.Action.objects.order_by("due_date", "pk")[:12]):
        services.update(
            context.SYSTEM,
            action,
            {
                "cost": 5000 * (n % 5 + 1),
                "status": "in_progress" if n % 3 == 0 else action.status,
                "milestones": f"- {today + datetime.timedelta(days=30):%Y-%m-%d}: owner agreed\n"
                f"- {today + datetime.timedelta(days=90):%Y-%m-%d}: work done and checked",
            },
            version=action.version,
        )
    return len(report.added)
