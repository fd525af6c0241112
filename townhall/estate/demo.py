"""The technology estate of Juniper County, a fictional U.S. county used for the demo.

`load(scale, seed)` first builds a plan — plain tuples, deterministic for a seed and a day —
and then writes it. Every demo record carries an `external_id` starting with "demo-", which
is how a second run finds what the first created: missing records are created, records whose
values differ are updated, identical ones are left alone (no save, no audit entry).

Both ways of writing the plan are the write path: `core.services.create/update` for the
small scale and for every update at any scale, and `bulk_load()` — `services.create_many`,
which checks, saves in batches and writes the same audit entry per record as `create` — for
the records the large scale must *create* (hundreds of thousands of rows, impractical one
transaction at a time).

Dates (ends of support, contract ends, go-live) are set relative to the day of the run, so
the dashboard always has something due: a second run on the same day changes nothing, while
a run on a later day moves those dates through the write path (and audits the change).

Names of vendors, products, people and manufacturers are invented; any likeness to a real
company or person is an accident.
"""

import datetime
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from townhall.core import context, services
from townhall.core.models import TrackedModel
from townhall.estate import models as m
from townhall.estate.dashboard import add_months
from townhall.org.models import Department

PREFIX = "demo-"
EMAIL_DOMAIN = "juniper-county.example"


@dataclass(frozen=True)
class Sizes:
    services: int
    systems: int
    components: int
    vendors: int
    contracts: int
    dependencies: int
    it_staff: int
    owners_per_department: int


SIZES = {
    "small": Sizes(
        services=60,
        systems=250,
        components=3000,
        vendors=120,
        contracts=200,
        dependencies=6000,
        it_staff=40,
        owners_per_department=2,
    ),
    "large": Sizes(
        services=400,
        systems=5000,
        components=100_000,
        vendors=600,
        contracts=3000,
        dependencies=300_000,
        it_staff=250,
        owners_per_department=6,
    ),
}

# --- what a county runs ------------------------------------------------------------------

# (name, department, category, hosting, tier, flags) — flags: c=CJIS h=HIPAA p=PCI i=PII
CORE_SYSTEMS = [
    ("Computer-aided dispatch (CAD)", "E911", "Dispatch", "on_premises", 1, "ci"),
    ("Next Generation 911 call handling", "E911", "Call handling", "on_premises", 1, "ci"),
    ("Emergency notification (mass alerts)", "E911", "Alerting", "saas", 1, "i"),
    ("Radio system P25 management", "E911", "Radio", "on_premises", 1, ""),
    ("Records management system (RMS)", "SHF", "Police records", "on_premises", 1, "ci"),
    ("Body-worn camera evidence", "SHF", "Evidence", "saas", 2, "ci"),
    ("Mobile data for patrol cars", "SHF", "Mobile data", "on_premises", 1, "c"),
    ("Civil process tracking", "SHF", "Case tracking", "on_premises", 3, "i"),
    ("Jail management system", "JAIL", "Jail management", "on_premises", 1, "chi"),
    ("Inmate phone and video visitation", "JAIL", "Visitation", "partner", 3, "c"),
    ("Commissary ordering", "JAIL", "Commissary", "saas", 4, "p"),
    ("Court case management", "CLK", "Court cases", "on_premises", 1, "ci"),
    ("Court e-filing portal", "CLK", "E-filing", "saas", 2, "i"),
    ("Jury management", "CLK", "Jury", "on_premises", 3, "i"),
    ("Land records recording", "REC", "Land records", "on_premises", 2, "i"),
    ("Assessor CAMA (property appraisal)", "ASR", "Appraisal", "on_premises", 2, "i"),
    ("Property sketching", "ASR", "Sketching", "on_premises", 4, ""),
    ("Tax billing and collection", "TRS", "Tax billing", "on_premises", 1, "pi"),
    ("Online tax payments", "TRS", "Payments", "saas", 2, "p"),
    ("ERP financials (general ledger)", "FIN", "ERP", "on_premises", 1, "i"),
    ("Accounts payable workflow", "FIN", "Workflow", "on_premises", 3, ""),
    ("Budget preparation", "FIN", "Budgeting", "saas", 3, ""),
    ("ERP payroll and HR", "HR", "ERP", "on_premises", 1, "i"),
    ("Applicant tracking", "HR", "Recruiting", "saas", 3, "i"),
    ("Learning management", "HR", "Training", "saas", 4, "i"),
    ("Timekeeping and scheduling", "HR", "Timekeeping", "cloud", 2, "i"),
    ("E-procurement and bids", "PUR", "Procurement", "saas", 3, ""),
    ("Voter registration", "ELE", "Elections", "partner", 1, "i"),
    ("Election night results site", "ELE", "Web", "saas", 2, ""),
    ("Poll worker management", "ELE", "Scheduling", "on_premises", 3, "i"),
    ("Utility billing (water and sewer)", "UTL", "Utility billing", "on_premises", 1, "pi"),
    ("SCADA water treatment monitoring", "UTL", "SCADA", "on_premises", 1, ""),
    ("Meter data management (AMI)", "UTL", "Metering", "cloud", 2, "i"),
    ("Utility customer payment portal", "UTL", "Payments", "saas", 2, "p"),
    ("Work orders and asset management", "PW", "Work orders", "on_premises", 2, ""),
    ("Pavement management", "RDS", "Pavement", "on_premises", 4, ""),
    ("Traffic signal management", "RDS", "Traffic", "on_premises", 2, ""),
    ("Snow plow tracking (AVL)", "RDS", "Vehicle location", "saas", 3, ""),
    ("Scale house and landfill billing", "SWM", "Scale house", "on_premises", 3, "p"),
    ("Building automation (HVAC controls)", "FAC", "Building automation", "on_premises", 3, ""),
    ("Access control and badging", "FAC", "Access control", "on_premises", 2, "i"),
    ("Facility reservations", "FAC", "Reservations", "saas", 4, ""),
    ("Fleet management and fuel", "FLT", "Fleet", "on_premises", 3, ""),
    ("Permitting and land management", "PLN", "Permitting", "cloud", 2, "i"),
    ("Zoning map viewer", "PLN", "Maps", "cloud", 4, ""),
    ("Mobile inspections", "BLD", "Inspections", "saas", 3, ""),
    ("Environmental health inspections", "HLT", "Inspections", "saas", 3, ""),
    ("Immunization clinic records", "HLT", "Clinic", "on_premises", 2, "hi"),
    ("Disease surveillance reporting", "HLT", "Surveillance", "partner", 2, "hi"),
    ("Human services case management", "HSV", "Case management", "on_premises", 2, "hi"),
    ("Benefits eligibility", "HSV", "Eligibility", "partner", 2, "hi"),
    ("Recreation registration", "PRK", "Registration", "saas", 3, "pi"),
    ("Library integrated system (ILS)", "LIB", "Library", "saas", 3, "i"),
    ("Public computer reservations", "LIB", "Reservations", "on_premises", 4, ""),
    ("E-book lending", "LIB", "Lending", "saas", 4, "i"),
    ("Animal shelter management", "ANM", "Shelter", "saas", 3, ""),
    ("Pet licensing", "ANM", "Licensing", "saas", 4, "p"),
    ("Fire records management", "FIRE", "Fire records", "on_premises", 2, "i"),
    ("Fire station alerting", "FIRE", "Station alerting", "on_premises", 1, ""),
    ("Electronic patient care reports (ePCR)", "EMS", "Patient care", "saas", 1, "hi"),
    ("Ambulance billing", "EMS", "Billing", "partner", 2, "hpi"),
    ("Emergency operations center management", "EM", "EOC", "saas", 2, ""),
    ("Identity and single sign-on", "IT", "Identity", "on_premises", 1, "i"),
    ("Email and calendaring", "IT", "Email", "saas", 2, "i"),
    ("IT service desk", "IT", "Service desk", "saas", 3, ""),
    ("Backup and recovery", "IT", "Backup", "on_premises", 1, ""),
    ("Endpoint management", "IT", "Endpoints", "cloud", 2, ""),
    ("Network monitoring", "IT", "Monitoring", "on_premises", 2, ""),
    ("Security event monitoring (SIEM)", "IT", "Security", "cloud", 1, ""),
    ("GIS (enterprise mapping)", "IT", "GIS", "on_premises", 2, ""),
    ("Enterprise document management", "IT", "Documents", "on_premises", 2, "i"),
    ("Data warehouse and reporting", "IT", "Reporting", "cloud", 3, "i"),
    ("County website", "PIO", "Web", "saas", 2, ""),
    ("Open data portal", "IT", "Open data", "saas", 4, ""),
    ("Legal matter management", "ATY", "Legal", "saas", 3, "i"),
    ("Agenda and meeting management", "BOC", "Agendas", "saas", 3, ""),
    ("Meeting video streaming", "BOC", "Video", "saas", 4, ""),
    ("Resident requests (311)", "ADM", "Requests", "saas", 3, "i"),
    ("Performance dashboard", "ADM", "Dashboards", "cloud", 4, ""),
    ("Business incentive tracking", "ECD", "Tracking", "saas", 4, ""),
    ("Social media archiving", "PIO", "Archiving", "saas", 4, ""),
]

# Smaller applications found in most departments: "<department> <template>".
LOCAL_SYSTEMS = [
    ("records scanning", "Imaging", "on_premises"),
    ("scheduling tool", "Scheduling", "saas"),
    ("online forms", "Forms", "saas"),
    ("intranet site", "Web", "on_premises"),
    ("spreadsheet tracker", "Spreadsheet", "saas"),
    ("mobile field app", "Mobile", "saas"),
    ("reporting database", "Reporting", "on_premises"),
    ("training tracker", "Training", "saas"),
    ("inventory tracker", "Inventory", "on_premises"),
    ("grant tracking", "Grants", "saas"),
    ("public kiosk", "Kiosk", "on_premises"),
    ("survey tool", "Surveys", "saas"),
]

# (name, department, audience, systems it relies on, by name)
CORE_SERVICES = [
    (
        "911 emergency call answering",
        "E911",
        "residents",
        ["Next Generation 911 call handling", "Computer-aided dispatch (CAD)"],
    ),
    (
        "Emergency dispatch for police, fire and EMS",
        "E911",
        "residents",
        [
            "Computer-aided dispatch (CAD)",
            "Radio system P25 management",
            "Mobile data for patrol cars",
        ],
    ),
    (
        "Emergency alerts to residents",
        "E911",
        "residents",
        ["Emergency notification (mass alerts)"],
    ),
    (
        "Patrol and investigations",
        "SHF",
        "residents",
        [
            "Records management system (RMS)",
            "Mobile data for patrol cars",
            "Body-worn camera evidence",
        ],
    ),
    ("Serving court papers", "SHF", "residents", ["Civil process tracking"]),
    (
        "Booking and custody of inmates",
        "JAIL",
        "internal",
        ["Jail management system", "Inmate phone and video visitation", "Commissary ordering"],
    ),
    (
        "Court filings and case records",
        "CLK",
        "residents",
        ["Court case management", "Court e-filing portal"],
    ),
    ("Jury service", "CLK", "residents", ["Jury management"]),
    ("Recording deeds and land records", "REC", "residents", ["Land records recording"]),
    (
        "Property assessment and appeals",
        "ASR",
        "residents",
        ["Assessor CAMA (property appraisal)", "Property sketching", "GIS (enterprise mapping)"],
    ),
    (
        "Property tax bills and payments",
        "TRS",
        "residents",
        ["Tax billing and collection", "Online tax payments"],
    ),
    (
        "Paying county suppliers",
        "FIN",
        "businesses",
        ["ERP financials (general ledger)", "Accounts payable workflow"],
    ),
    (
        "Preparing the county budget",
        "FIN",
        "internal",
        ["Budget preparation", "ERP financials (general ledger)"],
    ),
    (
        "Payroll and benefits",
        "HR",
        "internal",
        ["ERP payroll and HR", "Timekeeping and scheduling"],
    ),
    ("Hiring county staff", "HR", "residents", ["Applicant tracking"]),
    ("Bids and purchasing", "PUR", "businesses", ["E-procurement and bids"]),
    (
        "Voter registration and elections",
        "ELE",
        "residents",
        ["Voter registration", "Election night results site", "Poll worker management"],
    ),
    (
        "Clean drinking water and sewer",
        "UTL",
        "residents",
        ["SCADA water treatment monitoring", "Meter data management (AMI)"],
    ),
    (
        "Utility bills and payments",
        "UTL",
        "residents",
        ["Utility billing (water and sewer)", "Utility customer payment portal"],
    ),
    (
        "Road repair and snow removal",
        "RDS",
        "residents",
        ["Work orders and asset management", "Snow plow tracking (AVL)", "Pavement management"],
    ),
    ("Traffic signals", "RDS", "residents", ["Traffic signal management"]),
    ("Landfill and recycling drop-off", "SWM", "residents", ["Scale house and landfill billing"]),
    (
        "County buildings and maintenance",
        "FAC",
        "internal",
        [
            "Building automation (HVAC controls)",
            "Access control and badging",
            "Work orders and asset management",
        ],
    ),
    ("County vehicles and fuel", "FLT", "internal", ["Fleet management and fuel"]),
    (
        "Building permits and inspections",
        "BLD",
        "businesses",
        ["Permitting and land management", "Mobile inspections", "GIS (enterprise mapping)"],
    ),
    (
        "Zoning and land use",
        "PLN",
        "residents",
        ["Permitting and land management", "Zoning map viewer"],
    ),
    (
        "Restaurant and septic inspections",
        "HLT",
        "businesses",
        ["Environmental health inspections"],
    ),
    ("Immunizations and clinics", "HLT", "residents", ["Immunization clinic records"]),
    ("Disease investigation", "HLT", "residents", ["Disease surveillance reporting"]),
    (
        "Public assistance",
        "HSV",
        "residents",
        ["Human services case management", "Benefits eligibility"],
    ),
    ("Recreation programs and park reservations", "PRK", "residents", ["Recreation registration"]),
    (
        "Library lending and public computers",
        "LIB",
        "residents",
        ["Library integrated system (ILS)", "Public computer reservations", "E-book lending"],
    ),
    (
        "Pet adoption and licensing",
        "ANM",
        "residents",
        ["Animal shelter management", "Pet licensing"],
    ),
    (
        "Fire response",
        "FIRE",
        "residents",
        ["Fire station alerting", "Fire records management", "Computer-aided dispatch (CAD)"],
    ),
    (
        "Ambulance service",
        "EMS",
        "residents",
        [
            "Electronic patient care reports (ePCR)",
            "Ambulance billing",
            "Computer-aided dispatch (CAD)",
        ],
    ),
    (
        "Disaster preparedness",
        "EM",
        "residents",
        ["Emergency operations center management", "Emergency notification (mass alerts)"],
    ),
    (
        "Public meetings and agendas",
        "BOC",
        "residents",
        ["Agenda and meeting management", "Meeting video streaming"],
    ),
    ("Resident requests (311)", "ADM", "residents", ["Resident requests (311)"]),
    ("County website and open data", "PIO", "residents", ["County website", "Open data portal"]),
    ("Legal advice to departments", "ATY", "internal", ["Legal matter management"]),
    (
        "Staff email and collaboration",
        "IT",
        "internal",
        ["Email and calendaring", "Identity and single sign-on"],
    ),
    ("IT help desk", "IT", "internal", ["IT service desk", "Endpoint management"]),
    ("Maps and property lookup", "IT", "residents", ["GIS (enterprise mapping)"]),
    ("Attracting businesses", "ECD", "businesses", ["Business incentive tracking"]),
]

LOCAL_SERVICES = [
    ("public records requests", "residents"),
    ("staff scheduling", "internal"),
    ("internal reporting", "internal"),
    ("front counter", "residents"),
]

LOCATIONS = [
    ("Government Center Data Center", "data_center", "100 Courthouse Square, Juniper"),
    ("Public Safety Building Data Center", "data_center", "2200 Sentinel Road, Juniper"),
    ("Juniper County 911 Center", "911_center", "2200 Sentinel Road, Juniper"),
    ("Backup 911 Center (Cedar Falls)", "911_center", "41 Mill Street, Cedar Falls"),
    ("County Government Center", "office", "100 Courthouse Square, Juniper"),
    ("Justice Center", "office", "300 Courthouse Square, Juniper"),
    ("Detention Center", "office", "2250 Sentinel Road, Juniper"),
    ("Public Works Yard", "office", "870 Quarry Lane, Juniper"),
    ("Water Treatment Plant", "office", "15 Riverbend Drive, Juniper"),
    ("Health and Human Services Building", "office", "512 Aspen Avenue, Juniper"),
    ("Main Library", "office", "220 Linden Street, Juniper"),
    ("Cedar Falls Annex", "office", "45 Mill Street, Cedar Falls"),
    ("Fire Station 1", "office", "900 Ember Way, Juniper"),
    ("Fire Station 4", "office", "12 Ridge Road, Pinecrest"),
    ("Landfill and Scale House", "office", "7000 County Road 12, Juniper"),
    ("Bald Knob Tower Site", "tower_site", "Bald Knob summit, County Road 40"),
    ("Cedar Falls Tower Site", "tower_site", "Water tower, Cedar Falls"),
    ("Pinecrest Tower Site", "tower_site", "Pinecrest Ridge"),
    ("Hollow Creek Tower Site", "tower_site", "Hollow Creek Road"),
    ("Prairie Gap Tower Site", "tower_site", "Prairie Gap, County Road 9"),
    ("Cloud region East (fictional provider)", "cloud_region", ""),
    ("Cloud region Central (fictional provider)", "cloud_region", ""),
    ("Government cloud region (fictional provider)", "cloud_region", ""),
]

VENDOR_FIRST = [
    "Quillfeather",
    "Brambleway",
    "Lanternfish",
    "Copperkettle",
    "Owlsbridge",
    "Marigold",
    "Tumbleweed",
    "Harborlight",
    "Fernhollow",
    "Bluejay Ridge",
    "Thistledown",
    "Kestrelmark",
    "Moonpenny",
    "Ironbark",
    "Saltmarsh",
    "Wrenfield",
    "Cobblestone",
    "Juniperleaf",
    "Sparrowgate",
    "Larkspur",
    "Millbrook",
    "Otterpine",
    "Pebblecreek",
    "Riverstitch",
    "Sagebrush",
    "Tinderbox",
    "Umberfield",
    "Velvetmoss",
    "Willowisp",
    "Yarrowvale",
]
VENDOR_SECOND = [
    "Civic Software",
    "Public Systems",
    "Networks",
    "Data Works",
    "GovLogic",
    "Radio Co.",
    "Records Inc.",
    "Infrastructure Group",
    "Analytics",
    "Cloud Services",
    "Devices",
    "Solutions Cooperative",
    "Labs",
    "Technologies (fictional)",
    "Integration Partners",
    "Hardware Supply",
    "Safety Systems",
    "Mapping Studio",
    "Payments",
    "Consulting",
]
PRODUCT_WORDS = [
    "Beacon",
    "Keystone",
    "Harbor",
    "Meridian",
    "Atlas",
    "Summit",
    "Compass",
    "Ledger",
    "Sentinel",
    "Prairie",
    "Granite",
    "Lumen",
    "Orchard",
    "Trellis",
    "Bastion",
    "Cascade",
]
MANUFACTURERS = [
    "Ironbark Hardware (fictional)",
    "Otterpine Devices (fictional)",
    "Kestrelmark (fictional)",
    "Pebblecreek Radio (fictional)",
    "Saltmarsh Storage (fictional)",
]
OS_NAMES = [
    ("Basalt Server OS", ["2012", "2016", "2019", "2022"]),
    ("Fernix Linux", ["7", "8", "9"]),
    ("Quartz Hypervisor", ["6.5", "7.0", "8.0"]),
]
DB_ENGINES = [("Lodestone SQL", ["2014", "2016", "2019", "2022"]), ("Tarn DB", ["11", "13", "15"])]

FIRST_NAMES = [
    "Avery",
    "Blake",
    "Casey",
    "Dana",
    "Emery",
    "Finley",
    "Gray",
    "Harper",
    "Indigo",
    "Jordan",
    "Kai",
    "Logan",
    "Morgan",
    "Noel",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Sage",
    "Taylor",
    "Umi",
    "Val",
    "Wren",
    "Xen",
    "Yael",
    "Zion",
    "Rowan",
    "Skyler",
    "Tatum",
    "Marlowe",
]
LAST_NAMES = [
    "Abernathy",
    "Bellweather",
    "Castellan",
    "Dunmore",
    "Everhart",
    "Fairbanks",
    "Galloway",
    "Hollister",
    "Ingleby",
    "Jessup",
    "Kingsley",
    "Lockhart",
    "Merriwether",
    "Northcott",
    "Oakhurst",
    "Pemberton",
    "Quimby",
    "Rutherford",
    "Stroud",
    "Thackeray",
    "Underhill",
    "Vance",
    "Whitlock",
    "Yardley",
    "Zeller",
    "Ashcombe",
    "Brightwater",
    "Coldwell",
]
IT_TITLES = [
    "Systems Administrator",
    "Database Administrator",
    "Network Engineer",
    "Application Analyst",
    "GIS Analyst",
    "Security Analyst",
    "Service Desk Technician",
    "Cloud Engineer",
    "Radio Systems Technician",
    "Enterprise Architect",
]
OWNER_TITLES = ["Deputy Director", "Program Manager", "Operations Manager", "Records Supervisor"]

# Component kinds as shares of the infrastructure left after each system's own platforms.
INFRA_SHARES = [
    ("server", 0.13),
    ("storage", 0.03),
    ("network_device", 0.42),
    ("firewall", 0.02),
    ("endpoint_fleet", 0.14),
    ("radio_system", 0.10),
    ("iot_fleet", 0.16),
]
INFRA_PREFIX = {
    "server": "srv",
    "storage": "stor",
    "network_device": "net",
    "firewall": "fw",
    "endpoint_fleet": "fleet",
    "radio_system": "radio",
    "iot_fleet": "iot",
}


# --- the plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A reference to another planned record, by model and external id."""

    model: type[models.Model]
    external_id: str


@dataclass(frozen=True)
class Dept:
    code: str


@dataclass
class Plan:
    """Records to write, in dependency order: model -> list of (external_id, values)."""

    records: dict[type[models.Model], list[tuple[str, dict[str, Any]]]]
    heads: dict[str, tuple[str | None, str | None]]  # dept code -> (head, IT liaison) ext ids


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high, 50)).quantize(Decimal("0.01"))


def _end_of_support(rng: random.Random, today: datetime.date, past_share: float) -> datetime.date:
    """A spread of end-of-support dates: some past, many within 12/24/36 months."""
    r = rng.random()
    if r < past_share:
        return today - datetime.timedelta(days=rng.randint(1, 1500))
    months = rng.choice([3, 6, 9, 11, 14, 18, 22, 26, 30, 34, 42, 54, 66, 80])
    return add_months(today, months) + datetime.timedelta(days=rng.randint(0, 27))


def plan(
    scale: str = "small",
    seed: int = 1,
    *,
    sizes: Sizes | None = None,
    today: datetime.date | None = None,
    departments: Iterable[str] = (),
) -> Plan:
    """The whole demo estate as data; the same seed, sizes, day and departments give the same
    plan. `departments` are the codes that exist (the org demo's)."""
    size = sizes or SIZES[scale]
    today = today or datetime.date.today()
    rng = random.Random(f"estate-{seed}")
    dept_codes = list(departments)
    known = set(dept_codes)
    records: dict[type[models.Model], list[tuple[str, dict[str, Any]]]] = {
        model: []
        for model in (
            m.Location,
            m.Person,
            m.Vendor,
            m.System,
            m.Service,
            m.Component,
            m.Contract,
            m.RedundancyGroup,
            m.Dependency,
        )
    }

    def dept(code: str) -> Dept | None:
        return Dept(code) if code in known else (Dept(dept_codes[0]) if dept_codes else None)

    # Locations
    for i, (name, kind, address) in enumerate(LOCATIONS, 1):
        records[m.Location].append(
            (
                f"{PREFIX}loc-{i:03d}",
                {
                    "name": name,
                    "kind": kind,
                    "address": address,
                    "owner_department": dept("IT"),
                    "source": "demo",
                },
            )
        )
    locations = [e for e, _ in records[m.Location]]
    by_kind_loc: dict[str, list[str]] = {}
    for ext, values in records[m.Location]:
        by_kind_loc.setdefault(values["kind"], []).append(ext)

    # People: heads, IT liaisons, business owners, IT staff.
    used_emails: set[str] = set()
    person_n = 0

    def person(code: str, title: str, is_it: bool) -> str:
        nonlocal person_n
        person_n += 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}".lower()
        n = 1
        while f"{email}{n if n > 1 else ''}" in used_emails:
            n += 1
        email = f"{email}{n if n > 1 else ''}"
        used_emails.add(email)
        ext = f"{PREFIX}person-{person_n:05d}"
        records[m.Person].append(
            (
                ext,
                {
                    "name": f"{first} {last}",
                    "email": f"{email}@{EMAIL_DOMAIN}",
                    "title": title,
                    "is_it_staff": is_it,
                    "owner_department": dept(code),
                    "source": "demo",
                },
            )
        )
        return ext

    heads: dict[str, tuple[str | None, str | None]] = {}
    owners: dict[str, list[str]] = {}
    it_staff: list[str] = []
    for code in dept_codes:
        head = person(code, "Department Director", False)
        liaison = person(code, "IT Liaison", False)
        heads[code] = (head, liaison)
        owners[code] = [head] + [
            person(code, rng.choice(OWNER_TITLES), False) for _ in range(size.owners_per_department)
        ]
    for _ in range(size.it_staff):
        it_staff.append(person("IT", rng.choice(IT_TITLES), True))

    # Vendors
    names = [f"{a} {b}" for a in VENDOR_FIRST for b in VENDOR_SECOND]
    rng.shuffle(names)
    while len(names) < size.vendors:
        names.append(f"{rng.choice(VENDOR_FIRST)} Vendor {len(names) + 1:04d} (fictional)")
    for i, name in enumerate(names[: size.vendors], 1):
        slug = _slug(name)[:40]
        records[m.Vendor].append(
            (
                f"{PREFIX}vendor-{i:04d}",
                {
                    "name": name,
                    "website": f"https://{slug}.example",
                    "support_contact": f"support@{slug}.example",
                    "source": "demo",
                },
            )
        )
    vendors = [e for e, _ in records[m.Vendor]]
    vendor_names = {e: v["name"] for e, v in records[m.Vendor]}

    # Systems
    specs: list[tuple[str, str, str, str, int | None, str]] = []
    specs.extend(CORE_SYSTEMS)
    k = 0
    local_codes = dept_codes or ["IT"]
    dept_names = {code: code for code in local_codes}
    dept_names.update({c: n for c, n, _p, _e in _org_departments() if c in dept_names})
    while len(specs) < size.systems:
        template, category, hosting = LOCAL_SYSTEMS[(k // len(local_codes)) % len(LOCAL_SYSTEMS)]
        code = local_codes[k % len(local_codes)]
        rnd = k // (len(local_codes) * len(LOCAL_SYSTEMS))
        name = f"{dept_names[code]} {template}" + (f" {rnd + 1}" if rnd else "")
        specs.append((name, code, category, hosting, None, ""))
        k += 1
    specs = specs[: size.systems]
    system_by_name: dict[str, str] = {}
    system_names: dict[str, str] = {}
    system_dept: dict[str, str] = {}
    system_hosting: dict[str, str] = {}
    system_vendor: dict[str, str] = {}
    lifecycles = ["planned"] * 5 + ["phase_in"] * 8 + ["active"] * 65 + ["phase_out"] * 12
    lifecycles += ["retired"] * 10
    for i, (name, code, category, hosting, tier, flags) in enumerate(specs, 1):
        ext = f"{PREFIX}sys-{i:05d}"
        core = tier is not None
        if not core:
            hosting = rng.choice([hosting] * 3 + ["on_premises", "saas", "cloud", "partner"])
            tier = rng.choice([2, 3, 3, 4, 4])
        discovered = not core and rng.random() < 0.18
        vendor = rng.choice(vendors) if vendors else None
        lifecycle = "active" if core and rng.random() < 0.8 else rng.choice(lifecycles)
        if discovered:
            lifecycle = "active"
        eos = None if rng.random() < 0.08 else _end_of_support(rng, today, 0.14)
        product = f"{rng.choice(PRODUCT_WORDS)} {category}"
        version = f"{rng.randint(3, 12)}.{rng.randint(0, 9)}"
        owner_pool = owners.get(code) or [p for p, _ in records[m.Person]][:1]
        business = None if rng.random() < (0.5 if discovered else 0.08) else rng.choice(owner_pool)
        technical = None if discovered or rng.random() < 0.1 else rng.choice(it_staff or [None])
        go_live = today - datetime.timedelta(days=rng.randint(200, 6000))
        if lifecycle in ("planned", "phase_in"):
            go_live = today + datetime.timedelta(days=rng.randint(30, 400))
        values = {
            "name": name,
            "owner_department": dept(code),
            "purpose": f"{category} for {dept_names.get(code, code)}.",
            "business_owner": Ref(m.Person, business) if business else None,
            "technical_owner": Ref(m.Person, technical) if technical else None,
            "vendor": Ref(m.Vendor, vendor) if vendor else None,
            "product": f"{product} ({vendor_names[vendor].split()[0]})" if vendor else product,
            "product_version": version,
            "hosting": hosting,
            "lifecycle": lifecycle,
            "time_disposition": rng.choice(["", "tolerate", "invest", "migrate", "eliminate"]),
            "functional_fit": rng.randint(1, 4),
            "technical_fit": rng.randint(1, 4),
            "criticality": tier,
            "users": rng.choice([5, 12, 25, 40, 80, 150, 300, 900, 2400]),
            "cost_license": _money(rng, 0, 250_000) if not discovered else None,
            "cost_support": _money(rng, 1_000, 90_000) if not discovered else None,
            "cost_hosting": _money(rng, 0, 60_000) if hosting != "partner" else None,
            "cost_staff": _money(rng, 5_000, 180_000),
            "data_classification": "restricted"
            if flags
            else rng.choice(["public", "internal", "internal", "confidential"]),
            "holds_cjis": "c" in flags,
            "holds_hipaa": "h" in flags,
            "holds_pci": "p" in flags,
            "holds_pii": "i" in flags,
            "sanctioned": not discovered,
            "go_live": go_live,
            "end_of_support": eos,
            "end_of_sale": add_months(eos, -18) if eos else None,
            "source": "demo",
        }
        records[m.System].append((ext, values))
        system_by_name[name] = ext
        system_names[ext] = name
        system_dept[ext] = code
        system_hosting[ext] = hosting
        if vendor:
            system_vendor[ext] = vendor
    systems = [e for e, _ in records[m.System]]

    # Services
    svc_specs = [(n, c, a, s) for n, c, a, s in CORE_SERVICES]
    k = 0
    while len(svc_specs) < size.services:
        template, audience = LOCAL_SERVICES[(k // len(local_codes)) % len(LOCAL_SERVICES)]
        code = local_codes[k % len(local_codes)]
        rnd = k // (len(local_codes) * len(LOCAL_SERVICES))
        name = f"{dept_names[code]} {template}" + (f" {rnd + 1}" if rnd else "")
        mine = [e for e in systems if system_dept[e] == code][:40]
        picks = rng.sample(mine, min(len(mine), rng.randint(1, 3)))
        svc_specs.append((name, code, audience, picks))
        k += 1
    deps: list[tuple[str, str, str, str, str, str]] = []  # from kind, ext, to kind, ext, kind, dept

    def dep(fk: str, fe: str, tk: str, te: str, kind: str, code: str | None) -> None:
        deps.append((fk, fe, tk, te, kind, code or "IT"))

    for i, (name, code, audience, sys_names) in enumerate(svc_specs[: size.services], 1):
        ext = f"{PREFIX}svc-{i:04d}"
        records[m.Service].append(
            (
                ext,
                {
                    "name": name,
                    "owner_department": dept(code),
                    "audience": audience,
                    "description": f"{name}, delivered by {dept_names.get(code, code)}.",
                    "source": "demo",
                },
            )
        )
        for s in sys_names:
            target = system_by_name.get(s, s)
            if target in system_dept:
                dep("service", ext, "system", target, "runs_on", code)

    # Components: each system's own platforms first, then the shared infrastructure.
    comps: list[tuple[str, dict[str, Any]]] = []
    comp_kind: dict[str, str] = {}
    n_comp = 0

    def component(kind: str, name: str, code: str, loc: str | None, extra: dict) -> str:
        nonlocal n_comp
        n_comp += 1
        ext = f"{PREFIX}cmp-{n_comp:06d}"
        install = today - datetime.timedelta(days=rng.randint(60, 4000))
        eos = None if rng.random() < 0.1 else _end_of_support(rng, today, 0.2)
        values = {
            "name": name,
            "kind": kind,
            "owner_department": dept(code),
            "location": Ref(m.Location, loc) if loc else None,
            "manufacturer": rng.choice(MANUFACTURERS)
            if kind not in ("virtual_machine", "database")
            else "",
            "install_date": install,
            "service_life_years": rng.choice([4, 5, 5, 7, 10]),
            "replacement_cost": _money(rng, 500, 120_000),
            "status": "in_service"
            if rng.random() < 0.9
            else rng.choice(["spare", "retired", "planned"]),
            "end_of_support": eos,
            "asset_tag": f"JC-{n_comp:06d}",
            "source": "demo",
            "quantity": 1,
            **extra,
        }
        comps.append((ext, values))
        comp_kind[ext] = kind
        return ext

    budget = size.components
    platforms_of: dict[str, list[str]] = {}
    data_centers = by_kind_loc.get("data_center", locations[:1])
    clouds = by_kind_loc.get("cloud_region", locations[:1])
    per_system = max(1, min(4, budget * 3 // (10 * max(1, len(systems)))))
    for ext in systems:
        code, hosting = system_dept[ext], system_hosting[ext]
        short = ext.rsplit("-", 1)[1]
        mine = []
        if hosting in ("on_premises", "cloud"):
            loc = rng.choice(data_centers if hosting == "on_premises" else clouds)
            for j in range(rng.randint(1, per_system)):
                os_name, versions = rng.choice(OS_NAMES[:2])
                mine.append(
                    component(
                        "virtual_machine",
                        f"jcvm-{short}-{j + 1}",
                        "IT",
                        loc,
                        {"os_firmware": os_name, "os_version": rng.choice(versions)},
                    )
                )
            if rng.random() < 0.7:
                engine, versions = rng.choice(DB_ENGINES)
                mine.append(
                    component(
                        "database",
                        f"jcdb-{short}",
                        "IT",
                        loc,
                        {"os_firmware": engine, "os_version": rng.choice(versions)},
                    )
                )
        elif hosting == "saas" and rng.random() < 0.5:
            mine.append(component("cloud_service", f"tenant-{short}", code, rng.choice(clouds), {}))
        platforms_of[ext] = mine
    remaining = max(0, budget - len(comps))
    infra: dict[str, list[str]] = {}
    for kind, share in INFRA_SHARES:
        count = round(remaining * share)
        infra[kind] = []
        for j in range(count):
            if kind in ("server", "storage", "firewall"):
                loc = rng.choice(data_centers)
                code = "IT"
            elif kind == "radio_system":
                loc = rng.choice(by_kind_loc.get("tower_site", locations[:1]))
                code = "E911"
            else:
                loc = rng.choice(locations)
                code = rng.choice(local_codes)
            extra: dict[str, Any] = {
                "model_number": f"{INFRA_PREFIX[kind].upper()}-{rng.randint(100, 999)}"
            }
            if kind in ("endpoint_fleet", "iot_fleet"):
                extra["quantity"] = rng.choice([10, 25, 40, 80, 150, 400])
            if kind == "server":
                os_name, versions = rng.choice(OS_NAMES)
                extra.update(os_firmware=os_name, os_version=rng.choice(versions))
            infra[kind].append(
                component(kind, f"jc{INFRA_PREFIX[kind]}-{j + 1:05d}", code, loc, extra)
            )
    # Trim to the exact budget (rounding).
    del comps[budget:]
    alive = {e for e, _ in comps}
    for kind in infra:
        infra[kind] = [e for e in infra[kind] if e in alive]
    records[m.Component] = comps

    # Dependencies: services -> systems (above) -> platforms -> infrastructure.
    identity = system_by_name.get("Identity and single sign-on")
    for ext in systems:
        code = system_dept[ext]
        for p in platforms_of.get(ext, []):
            if p in alive:
                dep(
                    "system",
                    ext,
                    "component",
                    p,
                    "stores_data_in" if comp_kind[p] == "database" else "runs_on",
                    code,
                )
        if identity and ext != identity and rng.random() < 0.6:
            dep("system", ext, "system", identity, "authenticates_with", code)
        if rng.random() < 0.25:
            other = rng.choice(systems)
            if other != ext:
                dep("system", ext, "system", other, "integrates_with", code)
    servers, storage = infra.get("server", []), infra.get("storage", [])
    network, firewalls = infra.get("network_device", []), infra.get("firewall", [])
    for ext in systems:
        for p in platforms_of.get(ext, []):
            if p not in alive or comp_kind[p] == "cloud_service":
                continue
            if servers:
                dep("component", p, "component", rng.choice(servers), "runs_on", "IT")
            if storage and comp_kind[p] == "database":
                dep("component", p, "component", rng.choice(storage), "stores_data_in", "IT")
    # The rest of the budget: infrastructure on the network and behind firewalls.
    edge = [
        e
        for kind in ("server", "storage", "endpoint_fleet", "radio_system", "iot_fleet")
        for e in infra.get(kind, [])
    ]
    pool = edge + network
    left = size.dependencies - len(deps)
    if pool and network and left > 0:
        per = left / len(pool)
        carry = 0.0
        for ext in pool:
            carry += per
            n = int(carry)
            carry -= n
            for _ in range(n):
                if comp_kind[ext] == "network_device" and firewalls and rng.random() < 0.3:
                    target, kind = rng.choice(firewalls), "network_path"
                else:
                    target, kind = rng.choice(network), "network_path"
                    if comp_kind[ext] in ("server", "storage") and rng.random() < 0.2:
                        kind = "powered_by"
                if target != ext:
                    dep("component", ext, "component", target, kind, "IT")
    tries = 0
    while pool and len(network) > 1 and len(deps) < size.dependencies and tries < 10**7:
        tries += 1
        ext, target = rng.choice(pool), rng.choice(network)
        if target != ext:
            dep("component", ext, "component", target, "network_path", "IT")
    del deps[size.dependencies :]
    # Redundancy: switches and firewalls come in pairs (either carries the traffic), and
    # so do storage arrays (mirrored); what needed one member needs either of its pair.
    # The odd one out and the servers stay single, so real single points remain.
    pair_of: dict[str, str] = {}
    labels = {
        "network_device": "Switch pair",
        "firewall": "Firewall pair",
        "storage": "Storage mirror",
    }
    for kind, label in labels.items():
        members = infra.get(kind, [])
        for j in range(0, len(members) - 1, 2):
            ext = f"{PREFIX}grp-{len(records[m.RedundancyGroup]) + 1:05d}"
            a, b = members[j], members[j + 1]
            records[m.RedundancyGroup].append(
                (
                    ext,
                    {
                        "name": f"{label} {j // 2 + 1}",
                        "description": "Either member is enough.",
                        "owner_department": dept("IT"),
                        "components": [Ref(m.Component, a), Ref(m.Component, b)],
                        "systems": [],
                        "source": "demo",
                    },
                )
            )
            pair_of[a] = pair_of[b] = ext
    members_of: dict[str, set[str]] = {}
    for member, group in pair_of.items():
        members_of.setdefault(group, set()).add(member)
    for n, (fk, fe, tk, te, kind, code) in enumerate(deps):
        pair = pair_of.get(te) if tk == "component" else None
        if pair and fe not in members_of[pair]:
            deps[n] = (fk, fe, "group", pair, kind, code)
    model_of = {
        "service": m.Service,
        "system": m.System,
        "component": m.Component,
        "group": m.RedundancyGroup,
    }
    for i, (fk, fe, tk, te, kind, code) in enumerate(deps, 1):
        records[m.Dependency].append(
            (
                f"{PREFIX}dep-{i:07d}",
                {
                    f"from_{fk}": Ref(model_of[fk], fe),
                    f"to_{tk}": Ref(model_of[tk], te),
                    "kind": kind,
                    "owner_department": dept(code),
                },
            )
        )

    # Contracts: some for systems, some for hardware maintenance; some notice deadlines soon.
    kinds = ["licence", "subscription", "support", "maintenance", "services"]
    by_vendor: dict[str, list[str]] = {}
    for s, v in system_vendor.items():
        by_vendor.setdefault(v, []).append(s)
    hardware = servers + storage + network[:200] + firewalls
    for i in range(1, size.contracts + 1):
        if vendors:
            vendor = vendors[(i * 7) % len(vendors)]
        else:
            break
        mine = by_vendor.get(vendor, [])
        notice = rng.choice([30, 60, 90, 90, 120, 180])
        r = rng.random()
        if r < 0.15:  # notice deadline in the next 90 days
            end = today + datetime.timedelta(days=notice + rng.randint(0, 89))
        elif r < 0.25:  # already ended
            end = today - datetime.timedelta(days=rng.randint(1, 700))
        else:
            end = today + datetime.timedelta(days=notice + rng.randint(90, 1800))
        start = end - datetime.timedelta(days=365 * rng.choice([1, 2, 3, 5]))
        cost = _money(rng, 2_000, 400_000)
        linked_systems = rng.sample(mine, min(len(mine), rng.randint(1, 3))) if mine else []
        linked_components = (
            rng.sample(hardware, min(len(hardware), rng.randint(1, 4)))
            if not linked_systems and hardware
            else []
        )
        code = system_dept[linked_systems[0]] if linked_systems else "IT"
        kind = "maintenance" if linked_components else rng.choice(kinds)
        title = f"{vendor_names[vendor]} {kind} agreement" + (
            f" – {system_names[linked_systems[0]]}" if linked_systems else " – hardware"
        )
        records[m.Contract].append(
            (
                f"{PREFIX}contract-{i:05d}",
                {
                    "vendor": Ref(m.Vendor, vendor),
                    "number": f"JC-{start.year}-{i:04d}",
                    "title": title[:300],
                    "kind": kind,
                    "start": start,
                    "end": end,
                    "auto_renew": rng.random() < 0.45,
                    "notice_days": notice,
                    "annual_cost": cost,
                    "total_value": cost * ((end - start).days // 365 or 1),
                    "owner_department": dept(code),
                    "systems": [Ref(m.System, s) for s in linked_systems],
                    "components": [Ref(m.Component, c) for c in linked_components],
                    "source": "demo",
                },
            )
        )
    return Plan(records=records, heads=heads)


def _org_departments() -> list[tuple[str, str, Any, Any]]:
    from townhall.org.demo import DEPARTMENTS

    return list(DEPARTMENTS)


# --- writing the plan --------------------------------------------------------------------


class _Resolver:
    def __init__(self) -> None:
        self.pks: dict[type[models.Model], dict[str, int]] = {}
        self.depts = dict(Department.objects.values_list("code", "pk"))

    def value(self, value: Any) -> Any:
        if isinstance(value, Ref):
            return self.pks[value.model][value.external_id]
        if isinstance(value, Dept):
            return self.depts.get(value.code)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {k: self.value(v) for k, v in values.items()}


def _differs(obj: models.Model, values: dict[str, Any], m2m_pks: dict[str, set]) -> bool:
    m2m_names = {f.name for f in obj._meta.many_to_many}
    for name, value in values.items():
        if name in m2m_names:
            if set(value) != m2m_pks.get(name, set()):
                return True
            continue
        field = obj._meta.get_field(name)
        assert isinstance(field, models.Field)  # a column of the record, not a reverse link
        current = getattr(obj, field.attname)
        if current != value:
            return True
    return False


def _existing(model: type[models.Model]) -> dict[str, models.Model]:
    qs = model._default_manager.filter(external_id__startswith=PREFIX)
    m2m = [f.name for f in model._meta.many_to_many if f.name != "tags"]
    if m2m:
        qs = qs.prefetch_related(*m2m)
    found: dict[str, models.Model] = {}
    for obj in qs:
        assert isinstance(obj, TrackedModel)  # every demo record is tracked
        found[obj.external_id] = obj
    return found


def _m2m_pks(obj: models.Model) -> dict[str, set]:
    return {
        f.name: {o.pk for o in getattr(obj, f.name).all()}
        for f in obj._meta.many_to_many
        if f.name != "tags"
    }


def load(
    scale: str = "small",
    seed: int = 1,
    *,
    sizes: Sizes | None = None,
    today: datetime.date | None = None,
    bulk: bool | None = None,
    progress: Any = None,
) -> int:
    """Create or refresh the demo estate; return how many records were created.

    `sizes` overrides the scale's sizes (tests use tiny ones). New records go through
    `bulk_load()` (`services.create_many`, validated and audited as one at a time would be,
    in a few queries per batch); `bulk=False` writes them one by one with `services.create`,
    which the tests compare it with."""
    use_bulk = True if bulk is None else bulk
    depts = list(Department.objects.order_by("code").values_list("code", flat=True))
    the_plan = plan(scale, seed, sizes=sizes, today=today, departments=depts)
    resolver = _Resolver()
    created = 0
    for model, rows in the_plan.records.items():
        existing = _existing(model)
        pks = resolver.pks.setdefault(model, {})
        pks.update({ext: obj.pk for ext, obj in existing.items()})
        new: list[tuple[str, dict[str, Any]]] = []
        for ext, values in rows:
            obj = existing.get(ext)
            if obj is None:
                new.append((ext, values))
                continue
            resolved = resolver.values(values)
            if _differs(obj, resolved, _m2m_pks(obj)):
                services.update(context.SYSTEM, obj, resolved, version=None)
        if use_bulk:
            for ext, obj in zip(
                [e for e, _ in new],
                bulk_load(model, [{**resolver.values(v), "external_id": e} for e, v in new]),
                strict=True,
            ):
                pks[ext] = obj.pk
        else:
            for ext, values in new:
                obj = services.create(
                    context.SYSTEM, model, {**resolver.values(values), "external_id": ext}
                )
                pks[ext] = obj.pk
        created += len(new)
        if progress:
            progress(model, len(new))
    # Department heads and IT liaisons.
    people = resolver.pks.get(m.Person, {})
    for department in Department.objects.filter(code__in=list(the_plan.heads)):
        head, liaison = the_plan.heads[department.code]
        values = {
            "head": people.get(head) if head is not None else None,
            "it_liaison": people.get(liaison) if liaison is not None else None,
        }
        if department.head_id != values["head"] or department.it_liaison_id != values["it_liaison"]:
            services.update(context.SYSTEM, department, values, version=None)
    return created


def _with_ends(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dependency rows with their ends as records (read once per kind of end), so that
    naming each new dependency in its audit entry needs no query per row."""
    for side, end in [
        *(("from", end) for end in m.Dependency.ENDS),
        *(("to", end) for end in m.Dependency.TARGETS),
    ]:
        field = f"{side}_{end}"
        wanted = {row.get(field) for row in rows} - {None}
        wanted = {v for v in wanted if not isinstance(v, models.Model)}
        if not wanted:
            continue
        link = m.Dependency._meta.get_field(field)
        assert isinstance(link, models.ForeignKey)
        model = link.related_model
        assert isinstance(model, type)  # a model class, never "self" once loaded
        found = model._default_manager.only("pk", "name").in_bulk(list(wanted))
        rows = [
            {**row, field: found.get(row[field], row[field])} if row.get(field) else row
            for row in rows
        ]
    return rows


def bulk_load(
    model: type[models.Model], rows: list[dict[str, Any]], batch: int = 2000
) -> list[models.Model]:
    """Create many records of `model` as the system, through `services.create_many`.

    Values are already resolved (foreign keys as primary keys; many-to-many as lists of
    primary keys) and each row carries its `external_id`."""
    if not rows:
        return []
    if model is m.Dependency:
        rows = _with_ends(rows)
    return services.create_many(context.SYSTEM, model, rows, batch=batch)
