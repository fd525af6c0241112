"""The registers' part of the demo county: each register's records, reviewed and not."""

from collections.abc import Callable

# Each register's loader, (scale, seed) -> records made; a register adds its own.
LOADERS: list[Callable[[str, int], int]] = []


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's register records; return how many were created."""
    return sum(loader(scale, seed) for loader in LOADERS)


# --- Social media accounts ---
# (department, platform, handle, admins, multi-factor, credentials, recovery e-mail or "",
#  recovery phone kind: "gov", "own" or "", which admin's own contacts, reviewed days ago)
SOCIAL = [
    ("PRK", "instagram", "@JuniperParks", 1, True, "personal", "gmail", "own", 0, 500),
    ("SHF", "x", "@JuniperSheriff", 2, False, "shared_document", "gov", "gov", None, 200),
    (
        "SHF",
        "facebook",
        "JuniperCountySheriff",
        3,
        True,
        "business_manager",
        "gov",
        "gov",
        None,
        90,
    ),
    ("ADM", "facebook", "JuniperCounty", 2, True, "business_manager", "gov", "gov", None, 40),
    ("ADM", "youtube", "@JuniperCountyTV", 2, True, "vault", "gov", "", None, 300),
    ("EM", "x", "@JuniperReady", 1, True, "vault", "gov", "own", 0, 420),
    ("LIB", "tiktok", "@juniperlibrary", 1, False, "personal", "yahoo", "own", 0, None),
    ("HLT", "instagram", "@JuniperHealth", 2, True, "shared_document", "gov", "gov", None, 150),
    ("HR", "linkedin", "juniper-county-jobs", 2, True, "vault", "gov", "gov", None, 30),
    ("PW", "nextdoor", "Juniper Public Works", 0, False, "unknown", "", "", None, None),
    ("FIRE", "bluesky", "@juniperfire.bsky.social", 2, False, "vault", "outlook", "gov", 1, 380),
]


def load_social(scale: str = "small", seed: int = 1) -> int:
    """Social media accounts across departments, with the problems counties find: Parks'
    Instagram run by one person through her own Gmail, the Sheriff's X without multi-factor,
    a Nextdoor page nobody is named on."""
    import datetime

    from django.utils import timezone

    from townhall.core import context, services
    from townhall.estate.models import Person
    from townhall.org.models import Department
    from townhall.registers.models import SocialAccount

    if SocialAccount.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    people: dict[str, list[Person]] = {}
    for person in (
        Person.objects.filter(owner_department__isnull=False)
        .select_related("owner_department")
        .order_by("pk")
    ):
        if person.owner_department is not None:
            people.setdefault(person.owner_department.code, []).append(person)
    today = timezone.localdate()
    rows = []
    for code, platform, handle, admins, mfa, kept, email, phone, own, days in SOCIAL:
        staff = people.get(code, [])
        if code not in departments or len(staff) < max(admins, 1):
            continue
        chosen = staff[:admins]
        slug = handle.lstrip("@").split(".")[0].lower().replace(" ", "")
        mail = {
            "gov": f"social.{code.lower()}@juniper-county.example",
            "gmail": f"{slug}.admin@gmail.com",
            "yahoo": f"{slug}@yahoo.com",
            "outlook": f"{slug}.fire@outlook.com",
        }.get(email, "")
        reviewed = today - datetime.timedelta(days=days) if days is not None else None
        rows.append(
            {
                "platform": platform,
                "handle": handle.replace(" ", "") if platform != "nextdoor" else "JuniperPW",
                "address": f"https://{platform}.example/{slug}",
                "owner_department": departments[code],
                "owner": staff[0],
                "administrators": chosen,
                "multi_factor": mfa,
                "credentials_kept_in": kept,
                "recovery_email": mail,
                "recovery_phone": {"gov": "555-0100", "own": "555-0199"}.get(phone, ""),
                "recovery_phone_government": phone == "gov",
                "recovery_person": chosen[own] if own is not None and chosen else None,
                "review_owner": staff[0],
                "last_reviewed_on": reviewed,
                "source": "demo",
            }
        )
    with context.acting("demo"):
        services.create_many(context.SYSTEM, SocialAccount, rows)
    return len(rows)


LOADERS.append(load_social)


# --- AI use cases ---
# The county's AI use cases: a resident chatbot, license-plate readers (high-impact, every
# practice answered), a translation tool, a pavement-condition model, a fraud model in
# finance (presumed high-impact, one practice still in progress) and a retired pilot.
# (department, system or "", name, topic, stage, high-impact, days ago: initiated,
# implemented, retired, reviewed; development, uses a vendor)
_AI_USES: list[dict] = [
    {
        "dept": "ADM",
        "system": "Resident requests (311)",
        "name": "311 resident chatbot",
        "topic_area": "government_services",
        "purpose": "Answers residents' common questions on the county website at any hour "
        "and files service requests, so call takers handle the hard cases.",
        "outputs": "Chat replies and draft service requests a call taker can accept.",
        "stage": "deployed",
        "high_impact": "no",
        "high_impact_reason": "It gives information and files requests; a person decides "
        "every request.",
        "days": (700, 420, None, 200),
        "development": "contracted",
        "vendor": True,
        "public_facing": "yes",
        "personal_data": "yes",
        "privacy_assessed": "yes",
    },
    {
        "dept": "SHF",
        "system": "",
        "name": "License-plate readers",
        "topic_area": "law_justice",
        "purpose": "Reads plates at fixed and patrol cameras and alerts deputies to stolen "
        "vehicles and Amber alerts.",
        "outputs": "Plate reads and hot-list alerts with a photo, time and place.",
        "stage": "deployed",
        "high_impact": "yes",
        "high_impact_reason": "Alerts can lead to a traffic stop: a decision with a "
        "significant effect on people's rights.",
        "days": (1100, 800, None, 90),
        "development": "contracted",
        "vendor": True,
        "public_facing": "no",
        "personal_data": "yes",
        "privacy_assessed": "yes",
        "practices": {
            "testing": (
                "done",
                "Read accuracy measured on 5,000 labelled reads in day and "
                "night light before go-live.",
            ),
            "impact_assessment": (
                "done",
                "Assessment approved by the county attorney; reviewed yearly.",
            ),
            "monitoring": (
                "done",
                "Monthly misread and false-alert report to the sheriff's command staff.",
            ),
            "training": ("done", "Every deputy completes the LPR course before access."),
            "oversight": (
                "done",
                "A deputy confirms the plate by eye and with dispatch before any stop.",
            ),
            "remedy": (
                "done",
                "Complaints go to internal affairs; reads are purged after "
                "30 days unless tied to a case.",
            ),
            "feedback": ("done", "Two public meetings before the contract; policy posted online."),
        },
    },
    {
        "dept": "PIO",
        "system": "County website",
        "name": "Website translation tool",
        "topic_area": "government_services",
        "purpose": "Translates county web pages into the ten languages most spoken in the county.",
        "outputs": "Machine-translated page text, marked as such.",
        "stage": "deployed",
        "high_impact": "no",
        "high_impact_reason": "",
        "days": (600, 500, None, 400),
        "development": "contracted",
        "vendor": True,
        "public_facing": "yes",
        "personal_data": "no",
    },
    {
        "dept": "RDS",
        "system": "Pavement management",
        "name": "Pavement-condition model",
        "topic_area": "transportation",
        "purpose": "Scores road segments from survey-vehicle images so the paving plan "
        "goes to the worst roads first.",
        "outputs": "A condition index per road segment.",
        "stage": "pilot",
        "high_impact": "no",
        "high_impact_reason": "",
        "days": (300, 60, None, None),
        "development": "in_house",
        "vendor": False,
        "public_facing": "no",
        "personal_data": "no",
    },
    {
        "dept": "FIN",
        "system": "Accounts payable workflow",
        "name": "Payment fraud detection",
        "topic_area": "mission_enabling",
        "purpose": "Flags vendor payments that look like fraud (changed bank details, "
        "duplicate invoices) before they are paid.",
        "outputs": "A risk score and the reasons for it on each payment.",
        "stage": "deployed",
        "high_impact": "presumed",
        "high_impact_reason": "It can hold a payment owed to a business: presumed "
        "high-impact until the county determines otherwise.",
        "days": (500, 250, None, 380),
        "development": "both",
        "vendor": True,
        "public_facing": "no",
        "personal_data": "yes",
        "privacy_assessed": "no",
        "practices": {
            "testing": (
                "done",
                "Run on two years of paid invoices; every known fraud case flagged.",
            ),
            "impact_assessment": ("in_progress", "Draft with the county attorney."),
            "monitoring": ("done", "Weekly count of holds and of holds released."),
            "training": ("done", "Payables clerks trained on reading the reasons."),
            "oversight": ("done", "A clerk releases or keeps every hold within a day."),
            "remedy": ("done", "A vendor may call payables to release a held payment."),
            "feedback": ("not_done", "No vendor consultation yet."),
        },
    },
    {
        "dept": "HSV",
        "system": "",
        "name": "Caseworker note summaries pilot",
        "topic_area": "health",
        "purpose": "Tried summarising long case files for caseworkers taking over a case.",
        "outputs": "A one-page summary of a case file.",
        "stage": "retired",
        "high_impact": "no",
        "high_impact_reason": "",
        # Confirmed retired at the last yearly inventory, not left past its review day.
        "days": (900, 800, 600, 200),
        "development": "contracted",
        "vendor": True,
        "public_facing": "no",
        "personal_data": "yes",
        "privacy_assessed": "yes",
    },
]


def load_ai_use_cases(scale: str = "small", seed: int = 1) -> int:
    """The six AI use cases, made once; the same on every run."""
    import datetime

    from django.utils import timezone

    from townhall.core import context, services
    from townhall.estate.models import Person, System, Vendor
    from townhall.org.models import Department
    from townhall.registers.models import AIUseCase

    if AIUseCase.objects.filter(source="demo").exists():
        return 0
    today = timezone.localdate()
    departments = {d.code: d for d in Department.objects.all()}
    systems = {s.name: s for s in System.objects.filter(name__in=[u["system"] for u in _AI_USES])}
    vendors = list(Vendor.objects.order_by("name", "pk")[:6])

    def ago(days: int | None) -> datetime.date | None:
        return None if days is None else today - datetime.timedelta(days=days)

    rows = []
    for n, use in enumerate(_AI_USES):
        dept = departments.get(use["dept"])
        owner = (
            Person.objects.filter(owner_department=dept).order_by("name", "pk").first()
            if dept
            else None
        )
        initiated, implemented, retired, reviewed = use["days"]
        vendor = vendors[n % len(vendors)] if use["vendor"] and vendors else None
        row = {
            "name": use["name"],
            "owner_department": dept,
            "review_owner": owner,
            "source": "demo",
            "external_id": f"AI-{n + 1:03d}",
            "topic_area": use["topic_area"],
            "purpose": use["purpose"],
            "outputs": use["outputs"],
            "stage": use["stage"],
            "high_impact": use["high_impact"],
            "high_impact_reason": use["high_impact_reason"],
            "initiated_on": ago(initiated),
            "implemented_on": ago(implemented),
            "retired_on": ago(retired),
            "last_reviewed_on": ago(reviewed),
            "development": use["development"] if vendor or not use["vendor"] else "in_house",
            "vendor": vendor,
            "system": systems.get(use["system"]),
            "public_facing": use["public_facing"],
            "personal_data": use["personal_data"],
            "privacy_assessed": use.get("privacy_assessed", ""),
        }
        for practice, (status, notes) in use.get("practices", {}).items():
            row[practice] = status
            row[f"{practice}_notes"] = notes
        rows.append(row)
    with context.acting("demo"):
        return len(services.create_many(context.SYSTEM, AIUseCase, rows))


LOADERS.append(load_ai_use_cases)


# --- Data inventory ---------------------------------------------------------------------

# (identifier, title, department code, system of record, classification, access level,
#  frequency, personal / sensitive / children's data, retention (schedule, years), keywords)
DATASETS = [
    (
        "county-building-permits",
        "Building permits",
        "BLD",
        "Permitting and land management",
        "public",
        "public",
        "R/P1D",
        (False, False, False),
        ("GS-BLD-04", 10),
        "building, permits, construction, inspections",
    ),
    (
        "county-gis-parcels",
        "Tax parcels (GIS)",
        "ASR",
        "GIS (enterprise mapping)",
        "public",
        "public",
        "R/P1M",
        (False, False, False),
        ("GS-ASR-12", 0),
        "parcels, property, maps, GIS",
    ),
    (
        "county-road-closures",
        "Road closures",
        "RDS",
        None,
        "public",
        "public",
        "R/P1D",
        (False, False, False),
        ("GS-PW-02", 2),
        "roads, closures, traffic",
    ),
    (
        "county-restaurant-inspections",
        "Restaurant inspections",
        "HLT",
        None,
        "public",
        "public",
        "R/P1W",
        (False, False, False),
        ("GS-HLT-08", 5),
        "food safety, restaurants, inspections, health",
    ),
    (
        "county-911-calls",
        "911 call records",
        "E911",
        "Computer-aided dispatch (CAD)",
        "restricted",
        "non-public",
        "R/PT1S",
        (True, True, False),
        ("GS-E911-01", 3),
        "911, emergency calls, dispatch",
    ),
    (
        "county-911-call-volumes",
        "911 call volumes by month",
        "E911",
        "Computer-aided dispatch (CAD)",
        "public",
        "restricted public",
        "R/P1M",
        (False, False, False),
        ("GS-E911-03", 5),
        "911, call volumes, statistics",
    ),
    (
        "county-payroll",
        "Payroll",
        "HR",
        "ERP payroll and HR",
        "confidential",
        "non-public",
        "R/P2W",
        (True, True, False),
        ("GS-HR-20", 7),
        "payroll, salaries, employees",
    ),
    (
        "county-library-cardholders",
        "Library cardholders",
        "LIB",
        None,
        "confidential",
        "non-public",
        "R/P1D",
        (True, False, True),
        ("GS-LIB-05", 1),
        "library, patrons, cards",
    ),
]
_RIGHTS = {
    "county-911-calls": "Callers' identities and medical details; ask 911 for a records request.",
    "county-911-call-volumes": "Counts only, shared with agencies on request; ask 911.",
    "county-payroll": "Employees' pay and deductions; salary ranges are published separately.",
    "county-library-cardholders": "Patron records are confidential under state library law.",
}
_OPEN = "https://data.juniper-county.example/datasets/"


def load_datasets(scale: str, seed: int) -> int:
    """The demo county's data inventory: open data with downloads, restricted and
    non-public data with their reasons. Returns how many records were made."""
    import datetime

    from django.utils import timezone

    from townhall.core import context, services
    from townhall.estate.models import Person, System
    from townhall.org.models import Department
    from townhall.registers.models import Dataset, Distribution

    if Dataset.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    systems = {s.name: s for s in System.objects.filter(name__in={d[3] for d in DATASETS})}
    # Each dataset's steward: the first person of its department with an e-mail.
    stewards: dict[int | None, Person] = {}
    for person in (
        Person.objects.exclude(email="")
        .filter(owner_department__code__in={d[2] for d in DATASETS})
        .order_by("-pk")
    ):
        stewards[person.owner_department_id] = person
    # Reviews count back from today, two months apart, so the demo keeps one dataset past
    # its review day and one due soon whenever it is loaded (not all of them a year on).
    today = timezone.localdate()
    rows = []
    for i, (ident, title, code, system, cls, level, freq, flags, retention, words) in enumerate(
        DATASETS
    ):
        if code not in departments:
            continue
        steward = stewards.get(departments[code].pk)
        rows.append(
            {
                "identifier": ident,
                "title": title,
                "description": f"{title} kept by {departments[code].name}.",
                "keywords": words,
                "owner_department": departments[code],
                "steward": steward,
                "review_owner": steward,
                "contact_email": "" if steward else f"data.{code.lower()}@juniper-county.example",
                "system": systems.get(system) if system else None,
                "classification": cls,
                "access_level": level,
                "accrual_periodicity": freq,
                "personal_data": flags[0],
                "sensitive_personal_data": flags[1],
                "childrens_data": flags[2],
                "retention_schedule": retention[0],
                "retention_years": retention[1] or None,
                "rights": _RIGHTS.get(ident, ""),
                "landing_page": _OPEN + ident if level == "public" else "",
                "license": (
                    "https://creativecommons.org/publicdomain/zero/1.0/" if cls == "public" else ""
                ),
                "spatial": "Juniper County",
                "last_reviewed_on": today - datetime.timedelta(days=60 * i),
            }
        )
    with context.acting("demo"):
        made = services.create_many(context.SYSTEM, Dataset, rows)
        by_ident = {d.identifier: d for d in made if isinstance(d, Dataset)}
        dists = []
        for ident in ("county-building-permits", "county-gis-parcels", "county-road-closures"):
            if ident not in by_ident:
                continue
            dists.append(
                {
                    "dataset": by_ident[ident],
                    "title": "CSV download",
                    "download_url": f"{_OPEN}{ident}.csv",
                    "media_type": "text/csv",
                    "format": "CSV",
                }
            )
            dists.append(
                {
                    "dataset": by_ident[ident],
                    "title": "API",
                    "access_url": f"{_OPEN}{ident}/api",
                    "format": "API",
                }
            )
        services.create_many(context.SYSTEM, Distribution, dists)
    return len(made) + len(dists)


LOADERS.append(load_datasets)


# --- Innovation pilots and emerging technology ---

from townhall.registers import demo_pilots  # noqa: E402

LOADERS.append(demo_pilots.load)


# --- Emergency communications ---
# Juniper County's radio story: a self-assessment strong on technology and weak on
# governance and training; two radio systems in the estate, the county's own trunked system
# (which 911 dispatch relies on) and a regional network; eight talkgroups and seven partner
# agencies, the hospital reached only by handing out cache radios and the electric
# cooperative never tested.

COUNTY_RADIO = "Juniper County P25 trunked radio system"
REGIONAL_RADIO = "Tri-county interoperability radio network"
DISPATCH_SERVICE = "Emergency dispatch for police, fire and EMS"
RADIO_SYSTEM = "Radio system P25 management"

# (lane, level, evidence) for the latest assessment, and the one a year before.
LANES = [
    (
        "governance",
        2,
        "Chiefs meet when an incident calls for it; no charter or standing committee.",
    ),
    (
        "procedures",
        3,
        "Written mutual-aid talkgroup procedures agreed with the two neighbouring counties.",
    ),
    (
        "technology",
        4,
        "County agencies share one P25 system; the regional network links the state patrol.",
    ),
    ("training", 2, "Each agency trains its own dispatchers; the last joint drill was a tabletop."),
    ("usage", 3, "Mutual-aid talkgroups are patched in for large fires and the county fair."),
]
EARLIER = [("governance", 1), ("technology", 3), ("training", 2)]

# (name, system, purpose, encrypted, id)
TALKGROUPS = [
    ("County Dispatch 1", COUNTY_RADIO, "dispatch", False, "1001"),
    ("Fire-EMS Dispatch", COUNTY_RADIO, "dispatch", False, "1101"),
    ("Sheriff Tactical 1", COUNTY_RADIO, "tactical", True, "2001"),
    ("Sheriff Tactical 2", COUNTY_RADIO, "tactical", True, "2002"),
    ("County Mutual Aid", COUNTY_RADIO, "mutual_aid", False, "3001"),
    ("Fairgrounds Events", COUNTY_RADIO, "event", False, "4001"),
    ("Regional Interop 1", REGIONAL_RADIO, "interoperability", False, "9001"),
    ("Utilities Coordination", REGIONAL_RADIO, "interoperability", False, "9050"),
]

PARTNERS = [
    ("Alder County Sheriff's Office", "neighbouring"),
    ("Birch County Fire District", "neighbouring"),
    ("State Patrol, District 4", "state"),
    ("State Office of Emergency Management", "state"),
    ("Juniper Ranger District (federal forest service)", "federal"),
    ("Juniper Valley Electric Cooperative", "utility"),
    ("Juniper Regional Medical Center", "hospital"),
]

# (partner, talkgroup, how, days since tested or None, works)
LINKS = [
    ("Alder County Sheriff's Office", "County Mutual Aid", "shared_system", 45, "yes"),
    ("Alder County Sheriff's Office", "Regional Interop 1", "gateway", 120, "yes"),
    ("Birch County Fire District", "County Mutual Aid", "shared_system", 45, "yes"),
    ("Birch County Fire District", "Fire-EMS Dispatch", "shared_channel", 200, "partly"),
    ("State Patrol, District 4", "Regional Interop 1", "gateway", 90, "yes"),
    ("State Office of Emergency Management", "Regional Interop 1", "gateway", 90, "partly"),
    (
        "Juniper Ranger District (federal forest service)",
        "County Mutual Aid",
        "gateway",
        150,
        "yes",
    ),
    (
        "Juniper Valley Electric Cooperative",
        "Utilities Coordination",
        "shared_channel",
        None,
        "yes",
    ),
    ("Juniper Regional Medical Center", "Fire-EMS Dispatch", "cache_radios", 60, "yes"),
]


def load_emergency_communications(scale: str = "small", seed: int = 1) -> int:
    """The emergency communications register's demo records; made once, after the estate."""
    import datetime

    from django.utils import timezone

    from townhall.core import context, services
    from townhall.estate.models import Component, Dependency, Person, Service, System
    from townhall.org.models import Department
    from townhall.registers import models as m

    if m.Talkgroup.objects.exists():
        return 0
    e911 = Department.objects.filter(code="E911").first()
    if e911 is None:
        return 0
    today = timezone.localdate()
    user = context.SYSTEM
    owner = Person.objects.filter(owner_department=e911).order_by("pk").first()
    review = {"owner_department": e911, "review_owner": owner, "source": "demo"}
    count = 0

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    with context.acting("demo"):
        systems = {}
        for name, model_number in ((COUNTY_RADIO, "P25 Phase II"), (REGIONAL_RADIO, "P25 ISSI")):
            found = Component.objects.filter(name=name, kind=Component.Kind.RADIO).first()
            if found is None:
                found = services.create(
                    user,
                    Component,
                    {
                        "name": name,
                        "kind": Component.Kind.RADIO,
                        "model_number": model_number,
                        "owner_department": e911,
                        "source": "demo",
                    },
                )
                count += 1
            systems[name] = found
        # 911 dispatch relies on the county radio system, and so does the system that
        # manages it: the continuity analysis follows both down to the component.
        county = systems[COUNTY_RADIO]
        ends: list[tuple[str, object]] = []
        dispatch = Service.objects.filter(name=DISPATCH_SERVICE).first()
        if dispatch is not None:
            ends.append(("from_service", dispatch))
        manager = System.objects.filter(name=RADIO_SYSTEM).first()
        if manager is not None:
            ends.append(("from_system", manager))
        for field, source in ends:
            if not Dependency.objects.filter(**{field: source, "to_component": county}).exists():
                services.create(
                    user,
                    Dependency,
                    {
                        field: source,
                        "to_component": county,
                        "kind": Dependency.Kind.RUNS_ON,
                        "owner_department": e911,
                    },
                )
                count += 1

        earlier = services.create(
            user,
            m.ContinuumAssessment,
            # Reviewed last when the latest assessment replaced it: a superseded
            # assessment is not a review the county owes.
            {**review, "assessed_on": ago(430), "last_reviewed_on": ago(60)},
        )
        latest = services.create(
            user,
            m.ContinuumAssessment,
            {**review, "assessed_on": ago(60), "last_reviewed_on": ago(60)},
        )
        rows = [
            {"assessment": earlier, "lane": lane, "level": level, "source": "demo"}
            for lane, level in EARLIER
        ] + [
            {
                "assessment": latest,
                "lane": lane,
                "level": level,
                "evidence": evidence,
                "source": "demo",
            }
            for lane, level, evidence in LANES
        ]
        count += 2 + len(services.create_many(user, m.LaneRating, rows))

        groups = services.create_many(
            user,
            m.Talkgroup,
            [
                {
                    **review,
                    "name": name,
                    "radio_system": systems[system],
                    "purpose": purpose,
                    "encrypted": encrypted,
                    "identifier": identifier,
                    "last_reviewed_on": ago(200),
                }
                for name, system, purpose, encrypted, identifier in TALKGROUPS
            ],
        )
        partners = services.create_many(
            user,
            m.PartnerAgency,
            [
                {**review, "name": name, "kind": kind, "last_reviewed_on": ago(300 + 20 * n)}
                for n, (name, kind) in enumerate(PARTNERS)
            ],
        )
        by_group = {str(g): g for g in groups}
        by_partner = {str(p): p for p in partners}
        links = services.create_many(
            user,
            m.InteropLink,
            [
                {
                    "partner": by_partner[partner],
                    "talkgroup": by_group[group],
                    "how": how,
                    "tested_on": ago(days) if days is not None else None,
                    "works": works,
                    "source": "demo",
                }
                for partner, group, how, days, works in LINKS
            ],
        )
        count += len(groups) + len(partners) + len(links)
    return count


LOADERS.append(load_emergency_communications)
