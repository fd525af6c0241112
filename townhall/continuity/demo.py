"""Continuity records for Juniper County, the fictional demo jurisdiction.

What it creates, on top of the demo estate:

- a business impact analysis for every service: public safety, water, payroll, billing and
  permits are mission-essential (about a quarter), with impact grids, MTD, RTO, RPO and the
  practical details a department would write down;
- a recovery capability for most systems and for the infrastructure they stand on
  (virtual machines, database servers, virtualization hosts, storage, network, firewalls);
- two exercises with measured recovery times and follow-up actions;
- this year's campaign asking departments to review their analyses, mostly answered, and
  the government-wide plan: version 1 approved, version 2 in draft.

Recovery values are sized the way a careful IT team would size them (each item comes back
well within the tightest RTO of the services that need it), then a few realistic flaws
are planted so the analysis has something to say: single sign-on restores slowly and was
never tested, one storage array and two database servers restore in a day or more, three
data stores are backed up only nightly, and two items carry their own RTO looser than the
services that need them. The rest follows from the estate's dependency graph.

`plan(seed, estate, today)` turns a snapshot of the estate (`read_estate()`) into plain
rows, deterministic for a seed and a day; `load()` writes them through `core.services` as
the system (the large scale writes recovery capabilities with the estate demo's audited
bulk loader), then opens this year's campaign and writes the plan's two versions.
"""

import datetime
import random
import re
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict

from django.utils import timezone

from townhall.continuity import models as m
from townhall.core import context, services
from townhall.estate import models as e
from townhall.estate.demo import CORE_SYSTEMS, LOCAL_SERVICES
from townhall.org.models import Department

Key = tuple[str, int]
SOURCE = "demo"
PREFIX = "demo-"
INTRANET = "https://intranet.example.gov/it/recovery"

# --- impact analyses ---------------------------------------------------------------------

POINTS = ("1h", "4h", "24h", "72h", "1w")
# Impact rising over time per category, by kind of service.
PROFILES: dict[str, dict[str, tuple[int, ...]]] = {
    "safety": {
        "public_safety": (5, 5, 5, 5, 5),
        "finance": (1, 1, 2, 3, 3),
        "legal": (2, 3, 4, 4, 5),
        "residents": (4, 5, 5, 5, 5),
        "reputation": (3, 4, 5, 5, 5),
    },
    "utility": {
        "public_safety": (2, 3, 4, 5, 5),
        "finance": (1, 1, 2, 3, 4),
        "legal": (1, 2, 3, 4, 5),
        "residents": (2, 3, 4, 5, 5),
        "reputation": (1, 2, 4, 5, 5),
    },
    "health": {
        "public_safety": (1, 2, 3, 4, 5),
        "finance": (1, 1, 1, 2, 2),
        "legal": (1, 1, 2, 3, 4),
        "residents": (1, 2, 3, 4, 4),
        "reputation": (1, 1, 2, 3, 4),
    },
    "finance": {
        "public_safety": (1, 1, 1, 1, 1),
        "finance": (1, 1, 2, 4, 5),
        "legal": (1, 1, 2, 3, 4),
        "residents": (1, 1, 2, 3, 4),
        "reputation": (1, 1, 2, 3, 4),
    },
    "legal": {
        "public_safety": (1, 1, 1, 2, 2),
        "finance": (1, 1, 2, 2, 3),
        "legal": (1, 2, 3, 4, 5),
        "residents": (1, 2, 3, 3, 4),
        "reputation": (1, 1, 2, 3, 4),
    },
    "resident": {
        "public_safety": (1, 1, 1, 1, 1),
        "finance": (1, 1, 1, 2, 3),
        "legal": (1, 1, 1, 2, 3),
        "residents": (1, 2, 2, 3, 4),
        "reputation": (1, 1, 2, 2, 3),
    },
    "internal": {
        "public_safety": (1, 1, 1, 1, 1),
        "finance": (1, 1, 1, 2, 2),
        "legal": (1, 1, 1, 1, 2),
        "residents": (1, 1, 1, 2, 2),
        "reputation": (1, 1, 1, 2, 2),
    },
}

# What a department writes about the most common kinds of service.
PROFILE_TEXT = {
    "safety": (
        "Around the clock; storms, holidays and large public events",
        "Paper forms and radio relay from the nearest staffed station.",
    ),
    "utility": (
        "Summer demand and freezing weather",
        "Operators run the plants by hand from local panels and log readings on paper.",
    ),
    "health": (
        "Outbreaks and the autumn vaccination season",
        "Paper intake forms; reports phoned to the state health department.",
    ),
    "finance": (
        "Month end and the fiscal year close",
        "Checks written by hand from the last printed register, approved by two signers.",
    ),
    "legal": (
        "Statutory deadlines and court calendars",
        "Paper log of everything received, stamped with date and time, entered later.",
    ),
    "resident": (
        "Weekdays during business hours",
        "Staff take requests by phone and on paper and enter them once systems are back.",
    ),
    "internal": (
        "None in particular",
        "Wait for the system, or keep a spreadsheet on a laptop and enter the work later.",
    ),
}


@dataclass(frozen=True)
class Need:
    """What a department decided about one service."""

    essential: str  # ImpactAnalysis.Essential value
    profile: str
    mtd: float
    rto: float
    rpo: float
    staff: int
    peak: str = ""
    alternate: str = ""
    workaround: str = ""
    vital: str = ""


# The county's own services, by name (townhall.estate.demo.CORE_SERVICES).
CORE_NEEDS: dict[str, Need] = {
    "911 emergency call answering": Need(
        "pmef",
        "safety",
        4,
        1,
        0.25,
        6,
        "Every day around the clock; severe weather and holiday weekends",
        "Backup 911 Center (Cedar Falls)",
        "Calls roll over to the neighbouring county's 911 center under the mutual-aid "
        "agreement; call takers note each call on a paper card until the systems return.",
        "Call recordings, the street address guide, caller location records",
    ),
    "Emergency dispatch for police, fire and EMS": Need(
        "pmef",
        "safety",
        4,
        1,
        0.25,
        5,
        "Every day around the clock; severe weather and holiday weekends",
        "Backup 911 Center (Cedar Falls)",
        "Dispatchers track units on paper run cards and a wall map and dispatch by radio.",
        "Unit status log, premise hazard notes, run cards",
    ),
    "Emergency alerts to residents": Need(
        "mef",
        "safety",
        8,
        2,
        1,
        2,
        "Severe weather season; boil-water notices",
        "Backup 911 Center (Cedar Falls); the vendor's web console from any laptop",
        "Alerts go out through local radio and television and the county's social media accounts.",
        "Resident contact lists, alert templates",
    ),
    "Patrol and investigations": Need(
        "mef",
        "safety",
        12,
        4,
        1,
        40,
        "Friday and Saturday nights; the county fair in August",
        "Cedar Falls Annex",
        "Deputies write paper reports and call records checks in to dispatch by radio.",
        "Case files, evidence logs, warrants",
    ),
    "Booking and custody of inmates": Need(
        "mef",
        "safety",
        8,
        4,
        1,
        18,
        "Weekends",
        "Detention Center (local terminals on the jail network)",
        "Paper booking sheets and head counts every hour; medication given from the paper "
        "medication log.",
        "Inmate roster, medical and medication records, release dates",
    ),
    "Court filings and case records": Need(
        "mef",
        "legal",
        72,
        24,
        4,
        6,
        "Monday mornings; filing deadlines at the end of each month",
        "Cedar Falls Annex",
        "Filings accepted on paper and date-stamped at the counter; judges work from printed "
        "dockets.",
        "Case files, dockets, orders and judgments",
    ),
    "Property tax bills and payments": Need(
        "mef",
        "finance",
        120,
        48,
        4,
        4,
        "November through January, when bills are due",
        "Cedar Falls Annex",
        "Payments taken by check with paper receipts and posted once the system returns.",
        "Tax roll, payment history, escrow files",
    ),
    "Payroll and benefits": Need(
        "mef",
        "finance",
        72,
        24,
        4,
        3,
        "Every second Thursday (payday); the last payroll of the year",
        "Cedar Falls Annex",
        "Repeat the last pay run from the bank file kept offline; correct the differences "
        "on the next one.",
        "Employee pay and tax records, direct deposit details, benefit elections",
    ),
    "Voter registration and elections": Need(
        "mef",
        "legal",
        48,
        12,
        1,
        4,
        "The eight weeks before an election, and election night",
        "Cedar Falls Annex",
        "Provisional ballots at the polls; paper poll books printed the week before.",
        "Voter rolls, poll books, ballot definitions, canvass records",
    ),
    "Clean drinking water and sewer": Need(
        "pmef",
        "utility",
        12,
        4,
        1,
        6,
        "Summer demand; hard freezes",
        "Water Treatment Plant control room",
        "Operators run the plant from local panels and take samples and readings by hand.",
        "Water quality test results, plant operating logs",
    ),
    "Utility bills and payments": Need(
        "mef",
        "finance",
        120,
        48,
        4,
        3,
        "The first week of each month, when bills go out",
        "Cedar Falls Annex",
        "Bills estimated from last month's readings; shut-offs suspended until systems return.",
        "Customer accounts, meter readings, payment history",
    ),
    "Road repair and snow removal": Need(
        "mef",
        "utility",
        24,
        8,
        24,
        12,
        "Winter storms; spring pothole season",
        "Public Works Yard",
        "Plow routes from printed maps; drivers report progress by radio.",
        "Plow route maps, road condition log",
    ),
    "Building permits and inspections": Need(
        "mef",
        "resident",
        120,
        48,
        24,
        4,
        "Spring and summer construction season",
        "Cedar Falls Annex",
        "Inspectors work from printed schedules and paper correction notices; permits issued "
        "on paper forms with a hand-numbered log.",
        "Permit files, approved plans, certificates of occupancy",
    ),
    "Disease investigation": Need(
        "mef",
        "health",
        24,
        8,
        4,
        3,
        "Outbreaks; the autumn respiratory season",
        "Health and Human Services Building",
        "Case reports taken by phone and fax and kept on paper forms.",
        "Case reports, contact lists",
    ),
    "Public assistance": Need(
        "mef",
        "resident",
        72,
        24,
        4,
        10,
        "The first days of each month",
        "Cedar Falls Annex",
        "Emergency food and shelter vouchers issued on paper forms.",
        "Case files, eligibility decisions",
    ),
    "Fire response": Need(
        "pmef",
        "safety",
        4,
        1,
        0.25,
        30,
        "Dry summer months; holiday weekends",
        "Each station works on its own; Backup 911 Center for dispatch",
        "Stations are alerted by radio; crews write incident reports on paper.",
        "Pre-fire plans, hydrant maps, incident reports",
    ),
    "Ambulance service": Need(
        "pmef",
        "safety",
        4,
        1,
        0.25,
        12,
        "Holiday weekends; heat waves",
        "Backup 911 Center (Cedar Falls)",
        "Crews use paper patient care forms and hand them over at the hospital.",
        "Patient care reports",
    ),
    "Disaster preparedness": Need(
        "mef",
        "safety",
        12,
        4,
        4,
        4,
        "Storm season; any declared emergency",
        "Emergency operations center, or the Public Works Yard as a fallback",
        "Status boards on paper; resource requests by phone and radio.",
        "Emergency contact lists, resource inventories, shelter lists",
    ),
    "Serving court papers": Need("not_essential", "legal", 336, 120, 24, 2),
    "Jury service": Need("supporting", "legal", 168, 72, 24, 2),
    "Recording deeds and land records": Need(
        "supporting",
        "legal",
        120,
        48,
        4,
        2,
        "Month end, when property sales close",
        vital="Recorded deeds, plats and liens",
    ),
    "Property assessment and appeals": Need("not_essential", "finance", 720, 168, 24, 3),
    "Paying county suppliers": Need("supporting", "finance", 168, 72, 24, 2),
    "Preparing the county budget": Need("not_essential", "finance", 720, 336, 24, 2),
    "Hiring county staff": Need("not_essential", "internal", 720, 336, 168, 1),
    "Bids and purchasing": Need("not_essential", "finance", 336, 168, 24, 1),
    "Traffic signals": Need("supporting", "utility", 24, 8, 24, 2),
    "Landfill and recycling drop-off": Need("not_essential", "resident", 168, 72, 24, 3),
    "County buildings and maintenance": Need("supporting", "internal", 72, 24, 24, 4),
    "County vehicles and fuel": Need(
        "supporting",
        "internal",
        48,
        24,
        24,
        2,
        "Winter storms",
        "Public Works Yard",
        "Fuel handed out against a paper log kept at the pump.",
    ),
    "Zoning and land use": Need("not_essential", "resident", 336, 168, 24, 2),
    "Restaurant and septic inspections": Need("not_essential", "resident", 336, 120, 24, 2),
    "Immunizations and clinics": Need("supporting", "health", 72, 24, 4, 4),
    "Recreation programs and park reservations": Need("not_essential", "resident", 720, 168, 24, 1),
    "Library lending and public computers": Need("not_essential", "resident", 720, 168, 24, 3),
    "Pet adoption and licensing": Need("not_essential", "resident", 336, 168, 24, 2),
    "Public meetings and agendas": Need("not_essential", "legal", 336, 72, 24, 1),
    "Resident requests (311)": Need("supporting", "resident", 72, 24, 24, 2),
    "County website and open data": Need(
        "supporting",
        "resident",
        24,
        8,
        24,
        1,
        "Any emergency, when residents look for news",
        "Any county office, through the hosting company's console",
        "News posted on the county's social media accounts instead.",
    ),
    "Legal advice to departments": Need("not_essential", "legal", 336, 120, 24, 2),
    "Staff email and collaboration": Need(
        "supporting",
        "internal",
        24,
        8,
        4,
        2,
        "Any emergency",
        "",
        "Phone trees and text messages; the emergency contact list is printed quarterly.",
    ),
    "IT help desk": Need("supporting", "internal", 24, 8, 24, 2),
    "Maps and property lookup": Need("supporting", "resident", 72, 24, 24, 1),
    "Attracting businesses": Need("not_essential", "internal", 720, 336, 168, 1),
}

# Departments whose shift scheduling keeps people on duty during an emergency.
ROUND_THE_CLOCK = {"E911", "SHF", "JAIL", "FIRE", "EMS", "UTL"}
LOCAL_NEEDS: dict[str, Need] = {
    "public records requests": Need(
        "not_essential",
        "legal",
        336,
        120,
        24,
        1,
        "None in particular",
        "",
        "Log each request on paper and confirm receipt by phone or letter within the "
        "deadline the records law sets.",
        "Request log with response deadlines",
    ),
    "staff scheduling": Need("supporting", "internal", 72, 24, 24, 1),
    "internal reporting": Need("not_essential", "internal", 720, 336, 168, 1),
    "front counter": Need("supporting", "resident", 120, 48, 24, 2),
}
SHIFT_NEED = Need(
    "mef",
    "safety",
    12,
    4,
    4,
    1,
    "Shift changes; storms, when people are called in",
    "Any county office with the printed roster",
    "Supervisors keep the printed two-week roster and call people in from the phone list.",
    "Staff roster, phone list, certifications",
)

# --- recovery capabilities ---------------------------------------------------------------

# Each item restores within this share of the tightest RTO among the services that need it.
SHARE = {
    "system": 0.2,
    "virtual_machine": 0.1,
    "database": 0.15,
    "server": 0.1,
    "storage": 0.1,
    "cloud_service": 0.2,
    "firewall": 0.05,
}
# Tightest RTO assumed for what no service needs, by system criticality (and components).
UNNEEDED_RTO = {1: 8.0, 2: 24.0, 3: 72.0, 4: 168.0, None: 72.0}
# Components that matter for recovery; endpoint, IoT and radio fleets are left out.
KEY_KINDS = {
    "virtual_machine",
    "database",
    "server",
    "storage",
    "network_device",
    "firewall",
    "cloud_service",
}
STEPS = (0.1, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 36, 48, 72, 120, 168)
BACKUP_STEPS = (0.25, 1, 4, 12, 24, 168)

IDENTITY = "Identity and single sign-on"
CORE_SYSTEM_NAMES = {row[0] for row in CORE_SYSTEMS}
NETWORK_RUNBOOK = f"{INTRANET}/network-core"


def _floor(value: float, steps: tuple[float, ...] = STEPS) -> float:
    """The largest round number of hours at or under `value` (the smallest step at least)."""
    best = steps[0]
    for step in steps:
        if step <= value:
            best = step
    return best


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _hours(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- reading the estate ------------------------------------------------------------------


@dataclass
class Estate:
    """What the plan needs to know about the estate, read in a fixed number of queries."""

    services: list[tuple[int, str, str]]  # pk, name, department code
    systems: dict[int, tuple[str, str, str, int | None]]  # name, dept, hosting, criticality
    components: dict[int, tuple[str, str, str]]  # name, kind, location name
    edges: list[tuple[Key, Key]]
    heads: dict[str, int | None]  # department code -> person pk of the head
    departments: dict[str, str] = field(default_factory=dict)  # code -> name
    parents: dict[str, str] = field(default_factory=dict)  # code -> parent code


def read_estate() -> Estate:
    """Snapshot of the estate for `plan()`."""
    codes = dict(Department.objects.values_list("pk", "code"))
    locations = dict(e.Location.objects.values_list("pk", "name"))
    services_ = [
        (pk, name, codes.get(dept, ""))
        for pk, name, dept in e.Service.objects.order_by("pk").values_list(
            "pk", "name", "owner_department_id"
        )
    ]
    systems = {
        pk: (name, codes.get(dept, ""), hosting, criticality)
        for pk, name, dept, hosting, criticality in e.System.objects.order_by("pk").values_list(
            "pk", "name", "owner_department_id", "hosting", "criticality"
        )
    }
    components = {
        pk: (name, kind, locations.get(loc, ""))
        for pk, name, kind, loc in e.Component.objects.order_by("pk").values_list(
            "pk", "name", "kind", "location_id"
        )
    }
    edges: list[tuple[Key, Key]] = []
    columns = [f"from_{x}_id" for x in e.Dependency.ENDS] + [
        f"to_{x}_id" for x in e.Dependency.ENDS
    ]
    for row in e.Dependency.objects.order_by("pk").values_list(*columns):
        source = next(((k, v) for k, v in zip(e.Dependency.ENDS, row[:3], strict=True) if v), None)
        target = next(((k, v) for k, v in zip(e.Dependency.ENDS, row[3:], strict=True) if v), None)
        if source and target:
            edges.append((source, target))
    # A dependency on a redundancy group reaches each member (the demo's records cover both).
    members: dict[int, list[Key]] = {}
    for group, member in e.RedundancyGroup.components.through.objects.values_list(
        "redundancygroup_id", "component_id"
    ):
        members.setdefault(group, []).append(("component", member))
    for row in e.Dependency.objects.filter(to_group__isnull=False).values_list(
        *columns[:3], "to_group_id"
    ):
        source = next(((k, v) for k, v in zip(e.Dependency.ENDS, row[:3], strict=True) if v), None)
        if source:
            edges += [(source, member) for member in members.get(row[3], [])]
    departments = Department.objects.order_by("code").values_list("code", "name", "head_id")
    parent_codes = {
        code: codes.get(parent)
        for code, parent in Department.objects.values_list("code", "parent_id")
        if parent
    }
    return Estate(
        services=services_,
        systems=systems,
        components=components,
        edges=edges,
        heads={code: head for code, _name, head in departments},
        departments={code: name for code, name, _head in departments},
        parents={k: v for k, v in parent_codes.items() if v},
    )


# --- the plan ----------------------------------------------------------------------------


@dataclass
class Plan:
    """Rows to write: values by field name, foreign keys as primary keys."""

    analyses: list[dict[str, Any]]
    capabilities: list[dict[str, Any]]
    exercises: list[dict[str, Any]]
    flaws: dict[str, list[str]]  # what was planted, by kind, naming the items


def _need_for(name: str, code: str, parents: dict[str, str]) -> Need:
    if name in CORE_NEEDS:
        return CORE_NEEDS[name]
    for template, _audience in LOCAL_SERVICES:
        if re.search(rf" {re.escape(template)}( \d+)?$", name):
            family = {code, parents.get(code, "")}
            if template == "staff scheduling" and family & ROUND_THE_CLOCK:
                return SHIFT_NEED
            return LOCAL_NEEDS[template]
    return LOCAL_NEEDS["internal reporting"]


def _grid(profile: str, rng: random.Random) -> dict[str, dict[str, int]]:
    grid = {}
    for category, base in PROFILES[profile].items():
        shift = rng.choice((-1, 0, 0, 0, 1))
        if base[0] == 5:
            shift = 0  # severe from the first hour stays severe
        grid[category] = {
            point: max(1, min(5, level + shift)) for point, level in zip(POINTS, base, strict=True)
        }
    return grid


def _tightest(targets: dict[int, float], succ: dict[Key, list[Key]]) -> dict[Key, float]:
    """For every item some service needs, the tightest target among those services.

    Services are walked tightest first; an item reached once already carries a target at
    least as tight, and so does everything under it, so each item is visited once."""
    found: dict[Key, float] = {}
    for pk in sorted(targets, key=lambda p: (targets[p], p)):
        start: Key = ("service", pk)
        queue = deque([start])
        while queue:
            key = queue.popleft()
            for dep in succ.get(key, ()):
                if dep not in found:
                    found[dep] = targets[pk]
                    queue.append(dep)
    return found


def _closure(start: Key, succ: dict[Key, list[Key]]) -> list[Key]:
    seen = {start}
    order = []
    queue = deque([start])
    while queue:
        key = queue.popleft()
        for dep in succ.get(key, ()):
            if dep not in seen:
                seen.add(dep)
                order.append(dep)
                queue.append(dep)
    return order


def _network_core(estate: Estate) -> set[int]:
    """The network devices that need each other (the meshed core), found as the largest
    cycle of the estate graph."""
    from townhall.continuity import analysis

    keys = {k for edge in estate.edges for k in edge}
    graph = analysis.Graph([analysis.Item(k[0], k[1]) for k in sorted(keys)], estate.edges)
    cycles = graph.cycles()
    if not cycles:
        return set()
    return {analysis.record_id(k) for k in cycles[0].members if k[0] == "component"}


def plan(seed: int, estate: Estate, today: datetime.date) -> Plan:
    """Every continuity record of the demo as plain rows; the same estate, seed and day give
    the same plan."""
    succ: dict[Key, list[Key]] = {}
    for source, target in estate.edges:
        succ.setdefault(source, []).append(target)
    needs = {pk: _need_for(name, code, estate.parents) for pk, name, code in estate.services}

    def rng(part: str) -> random.Random:  # one stream per part: each stays put
        return random.Random(f"continuity-{seed}-{part}")

    analyses = _plan_analyses(estate, needs, rng("analyses"), today)
    capabilities, flaws = _plan_capabilities(estate, needs, succ, rng("recovery"), today)
    exercises = _plan_exercises(estate, rng("exercises"), today)
    return Plan(analyses=analyses, capabilities=capabilities, exercises=exercises, flaws=flaws)


def _plan_analyses(
    estate: Estate, needs: dict[int, Need], rng: random.Random, today: datetime.date
) -> list[dict[str, Any]]:
    rows = []
    for pk, name, code in estate.services:
        need = needs[pk]
        essential = need.essential in ("pmef", "mef")
        # Where each stands at the end of this year's review: most approved, some waiting
        # for IT, some still with the department.
        roll = rng.random()
        if essential or roll < 0.68:
            status = "approved"
        elif roll < 0.84:
            status = "submitted"
        else:
            status = "draft"
        peak, workaround = PROFILE_TEXT[need.profile]
        rows.append(
            {
                "service": pk,
                "mission_essential": essential,
                "essential_function": need.essential,
                "impacts": _grid(need.profile, rng),
                "mtd_hours": _hours(need.mtd),
                "rto_hours": _hours(need.rto),
                "rpo_hours": _hours(need.rpo),
                "peak_periods": need.peak or peak,
                "minimum_staff": need.staff,
                "alternate_locations": need.alternate
                or rng.choice(
                    (
                        "Cedar Falls Annex",
                        "County Government Center (any free office)",
                        "Staff work from home with county laptops",
                        "",
                    )
                ),
                "manual_workarounds": need.workaround or workaround,
                "vital_records": need.vital,
                "status": status,
                "reviewed_on": today - datetime.timedelta(days=rng.randint(300, 360)),
                "external_id": f"{PREFIX}bia-{pk}",
                "source": SOURCE,
                "_name": name,
                "_department": code,
            }
        )
    return rows


def _recovery_site(kind: str, location: str, code: str, rng: random.Random) -> str | None:
    if rng.random() < 0.12:
        return None  # nowhere to recover to: a gap the plan should show
    if code == "E911":
        return "Backup 911 Center (Cedar Falls)"
    if location == "Government Center Data Center":
        return "Public Safety Building Data Center"
    if location == "Public Safety Building Data Center":
        return "Government Center Data Center"
    if "cloud" in location.lower() or kind == "cloud_service":
        return "Cloud region Central (fictional provider)"
    return rng.choice(("Public Safety Building Data Center", "Government Center Data Center"))


def _last_test(rng: random.Random, today: datetime.date) -> datetime.date | None:
    roll = rng.random()
    if roll < 0.14:
        return None  # never tested
    if roll < 0.3:
        return today - datetime.timedelta(days=rng.randint(380, 1100))  # stale
    return today - datetime.timedelta(days=rng.randint(7, 330))


def _plan_capabilities(
    estate: Estate,
    needs: dict[int, Need],
    succ: dict[Key, list[Key]],
    rng: random.Random,
    today: datetime.date,
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    rto_need = _tightest({pk: n.rto for pk, n in needs.items()}, succ)
    rpo_need = _tightest({pk: n.rpo for pk, n in needs.items()}, succ)
    core = _network_core(estate)
    has_db = {
        source[1]
        for source, target in estate.edges
        if source[0] == "system"
        and target[0] == "component"
        and estate.components.get(target[1], ("", ""))[1] == "database"
    }
    by_name = {name: pk for pk, (name, *_rest) in estate.systems.items()}
    service_pk = {name: pk for pk, name, _code in estate.services}
    rows: dict[Key, dict[str, Any]] = {}

    for pk, (name, code, hosting, criticality) in estate.systems.items():
        key: Key = ("system", pk)
        core_system = name in CORE_SYSTEM_NAMES
        if not core_system and rng.random() < 0.12:
            continue  # "most systems": some have no recovery record yet
        need = rto_need.get(key, UNNEEDED_RTO.get(criticality, 72.0))
        cap = 8.0 if hosting in ("saas", "partner") else 48.0
        restore = _floor(min(cap, max(0.25, SHARE["system"] * need)))
        backup = None
        if pk not in has_db:
            target = rpo_need.get(key, 24.0)
            backup = _floor(target, BACKUP_STEPS) if rng.random() < 0.9 else 24.0
        rows[key] = {
            "system": pk,
            "restore_hours": restore,
            "backup_frequency_hours": backup,
            "rto_hours": None,
            "last_restore_test": _last_test(rng, today),
            "recovery_site": _recovery_site("system", "", code, rng),
            "procedure_link": "" if rng.random() < 0.1 else f"{INTRANET}/{_slug(name)}",
            "_name": name,
        }

    for pk, (name, kind, location) in estate.components.items():
        key = ("component", pk)
        if kind not in KEY_KINDS:
            continue
        needed = key in rto_need
        if kind == "network_device" and not needed:
            continue  # access switches no service relies on
        need = rto_need.get(key, UNNEEDED_RTO[None])
        if kind == "network_device":
            # The meshed core comes back as one; an edge switch restarts on its own.
            restore = 0.25 if pk in core else 0.0
            link = NETWORK_RUNBOOK
        else:
            restore = _floor(max(0.1, SHARE[kind] * need))
            link = f"{INTRANET}/{kind.replace('_', '-')}s"
        backup = None
        if kind in ("database", "storage", "cloud_service"):
            backup = _floor(rpo_need.get(key, 24.0), BACKUP_STEPS)
        rows[key] = {
            "component": pk,
            "restore_hours": restore,
            "backup_frequency_hours": backup,
            "rto_hours": None,
            "last_restore_test": _last_test(rng, today),
            "recovery_site": _recovery_site(kind, location, "IT", rng),
            "procedure_link": "" if rng.random() < 0.08 else link,
            "_name": name,
        }

    flaws: dict[str, list[str]] = {"rto": [], "rpo": [], "own_rto": []}

    def plant(key: Key | None, why: str, **values: Any) -> None:
        if key is None or key not in rows:
            return
        rows[key].update(values)
        flaws[why].append(rows[key]["_name"])

    # Single sign-on: slow to rebuild, never tested, and IT gave it a day.
    identity = by_name.get(IDENTITY)
    if identity is not None:
        plant(
            ("system", identity),
            "rto",
            restore_hours=2.0,
            last_restore_test=None,
            recovery_site=None,
            procedure_link="",
        )
        plant(("system", identity), "own_rto", rto_hours=24.0)
    # A storage array and database servers that take a day or more to restore.
    payroll = service_pk.get("Payroll and benefits")
    store = _under(payroll, "storage", succ, estate)
    plant(store, "rto", restore_hours=20.0, last_restore_test=today - datetime.timedelta(days=540))
    plant(store, "own_rto", rto_hours=48.0)
    for system_name, hours in (
        ("Utility billing (water and sewer)", 40.0),
        ("Tax billing and collection", 30.0),
    ):
        plant(_data_store(by_name.get(system_name), succ, estate), "rto", restore_hours=hours)
    # Data stores backed up only nightly under services that cannot lose hours of work.
    for system_name in (
        "Jail management system",
        "Utility billing (water and sewer)",
        "Voter registration",
    ):
        plant(
            _data_store(by_name.get(system_name), succ, estate), "rpo", backup_frequency_hours=24.0
        )

    out = []
    for key in sorted(rows):
        row = rows[key]
        out.append(
            {
                **row,
                "restore_hours": _hours(row["restore_hours"]),
                "backup_frequency_hours": _hours(row["backup_frequency_hours"]),
                "rto_hours": _hours(row["rto_hours"]),
                "external_id": f"{PREFIX}recovery-{key[0]}-{key[1]}",
                "source": SOURCE,
            }
        )
    return out, flaws


def _data_store(system: int | None, succ: dict[Key, list[Key]], estate: Estate) -> Key | None:
    """The database a system keeps its data in, or the system itself."""
    if system is None:
        return None
    for dep in succ.get(("system", system), ()):
        if dep[0] == "component" and estate.components[dep[1]][1] == "database":
            return dep
    return ("system", system)


def _under(
    service: int | None, kind: str, succ: dict[Key, list[Key]], estate: Estate
) -> Key | None:
    """An item of `kind` under `service` (a virtualization host when it has none)."""
    if service is None:
        return None
    below = _closure(("service", service), succ)
    for wanted in (kind, "server"):
        found = [k for k in below if k[0] == "component" and estate.components[k[1]][1] == wanted]
        if found:
            return found[0]
    return None


# --- exercises ---------------------------------------------------------------------------


class ExerciseSpec(TypedDict):
    """A demo exercise: what was rehearsed, the times measured and the actions agreed."""

    name: str
    kind: str
    scenario: str
    days_ago: int
    facilitator: str
    departments: tuple[str, ...]
    narrative: str
    findings: str
    results: tuple[tuple[str, float], ...]  # service name, hours to recover
    # title, department code, service name, due days after the exercise, status
    follow_ups: tuple[tuple[str, str, str, int, str], ...]


RANSOMWARE: ExerciseSpec = {
    "name": "Ransomware tabletop: locked out of the county network",
    "kind": "tabletop",
    "scenario": "cyber",
    "days_ago": 160,
    "facilitator": "Regional emergency management coordinator",
    "departments": ("ADM", "IT", "E911", "FIN", "HR", "UTL", "PIO", "ATY", "EM"),
    "narrative": (
        "Early on a Monday the service desk hears that file shares will not open. By 8 a.m. "
        "ransom notes appear on servers in both data centers and staff cannot sign in: the "
        "attackers have encrypted the directory servers as well. The group worked through "
        "the first four hours, the first day and the first week: who decides to disconnect, "
        "who calls the insurer and the state, how payroll is paid on Thursday, and how 911 "
        "keeps taking calls while dispatch systems are rebuilt."
    ),
    "findings": (
        "Dispatch software signs in through the county directory, so rebuilding single "
        "sign-on comes before 911 systems can be restored; that order was not written "
        "down anywhere.\n"
        "Nobody has restored the directory servers from backup; the team estimated a day.\n"
        "The offline payroll bank file was three weeks old.\n"
        "Contact details for the insurer's breach line were only in e-mail."
    ),
    "results": (
        ("911 emergency call answering", 3.0),
        ("Emergency dispatch for police, fire and EMS", 6.0),
        ("Payroll and benefits", 30.0),
        ("Staff email and collaboration", 36.0),
        ("Utility bills and payments", 40.0),
        ("Property tax bills and payments", 44.0),
    ),
    "follow_ups": (
        (
            "Test a full restore of single sign-on into the isolated network",
            "IT",
            "Staff email and collaboration",
            120,
            "open",
        ),
        (
            "Keep an offline copy of the last payroll bank file, refreshed every pay day",
            "HR",
            "Payroll and benefits",
            30,
            "done",
        ),
        (
            "Give dispatch a local sign-in that works without the county directory",
            "E911",
            "Emergency dispatch for police, fire and EMS",
            200,
            "in_progress",
        ),
        (
            "Print the insurer's and the state's incident contacts into the plan",
            "ADM",
            "",
            14,
            "done",
        ),
    ),
}
WINTER_STORM: ExerciseSpec = {
    "name": "Winter storm drill: power lost at the Government Center",
    "kind": "functional",
    "scenario": "weather",
    "days_ago": 55,
    "facilitator": "Emergency Management duty officer",
    "departments": ("EM", "IT", "E911", "UTL", "RDS", "FAC", "FLT", "PIO", "SHF"),
    "narrative": (
        "An ice storm brings down power lines across the county seat. The Government Center "
        "and its data center run on generator until a fuel delivery fails to arrive; after "
        "six hours the building goes dark. In the drill staff really moved dispatch to the "
        "backup 911 center, switched the water plant to local control, ran plow routes and "
        "sent alerts, timing how long each service took to work again."
    ),
    "findings": (
        "Dispatch was taking calls at the backup center in under an hour.\n"
        "The water plant's monitoring came back later than planned: the radio link to the "
        "treatment plant needed a technician on site.\n"
        "The generator fuel contract has no priority delivery clause.\n"
        "Plow drivers had printed route maps; the vehicle tracking site worked from phones."
    ),
    "results": (
        ("Emergency dispatch for police, fire and EMS", 0.75),
        ("911 emergency call answering", 0.5),
        ("Emergency alerts to residents", 1.5),
        ("Clean drinking water and sewer", 6.5),
        ("Road repair and snow removal", 3.0),
        ("County website and open data", 10.0),
        ("Disaster preparedness", 2.0),
    ),
    "follow_ups": (
        (
            "Add priority fuel delivery to the generator contract",
            "FAC",
            "Clean drinking water and sewer",
            90,
            "open",
        ),
        (
            "Keep a spare radio for the water plant link at the Public Works Yard",
            "UTL",
            "Clean drinking water and sewer",
            120,
            "in_progress",
        ),
        (
            "Write storm alert messages in advance and load them as templates",
            "EM",
            "Emergency alerts to residents",
            30,
            "done",
        ),
        (
            "Post storm updates on the website from outside the data center",
            "PIO",
            "County website and open data",
            150,
            "open",
        ),
    ),
}
EXERCISES = (RANSOMWARE, WINTER_STORM)


def _plan_exercises(
    estate: Estate, rng: random.Random, today: datetime.date
) -> list[dict[str, Any]]:
    service_pk = {name: pk for pk, name, _code in estate.services}
    out = []
    for spec in EXERCISES:
        held = today - datetime.timedelta(days=spec["days_ago"])
        participants = [
            f"{estate.departments[code]} (department head)"
            for code in spec["departments"]
            if code in estate.departments
        ]
        participants.append("Information Technology: systems, network and security staff")
        results = [
            {"service": service_pk[name], "measured_hours": _hours(hours)}
            for name, hours in spec["results"]
            if name in service_pk
        ]
        follow_ups = []
        # (title, department, service, due days after the exercise, status); an action
        # still open after its due date is overdue.
        for title, code, service, due_after, status in spec["follow_ups"]:
            due = held + datetime.timedelta(days=due_after)
            follow_ups.append(
                {
                    "title": title,
                    "department": code,
                    "service": service_pk.get(service),
                    "owner": estate.heads.get(code),
                    "due_on": due,
                    "status": status,
                    "done_on": min(today, due - datetime.timedelta(days=rng.randint(1, 9)))
                    if status == "done"
                    else None,
                }
            )
        out.append(
            {
                "name": spec["name"],
                "kind": spec["kind"],
                "scenario": spec["scenario"],
                "held_on": held,
                "narrative": spec["narrative"],
                "facilitator": spec["facilitator"],
                "participants": "\n".join(participants),
                "findings": spec["findings"],
                "results": results,
                "follow_ups": follow_ups,
            }
        )
    return out


# --- writing -----------------------------------------------------------------------------


def load(scale: str = "small", seed: int = 1, *, today: datetime.date | None = None) -> int:
    """Create the demo's continuity records; return how many were created. Does nothing
    when impact analyses exist already or there are no services to analyse."""
    if m.ImpactAnalysis.objects.exists() or not e.Service.objects.exists():
        return 0
    today = today or timezone.localdate()
    with context.acting("demo"):
        the_plan = plan(seed, read_estate(), today)
        created = _write_capabilities(the_plan.capabilities, bulk=scale == "large")
        created += _write_analyses(the_plan.analyses, today)
        created += _write_exercises(the_plan.exercises)
        created += _campaign(the_plan.analyses, today)
        created += _recovery_plans(today)
    return created


def _create(model: type, values: dict[str, Any]) -> Any:
    return services.create(context.SYSTEM, model, values)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """A planned row without the names kept for reading the plan."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _write_capabilities(rows: list[dict[str, Any]], *, bulk: bool) -> int:
    """The records described are handed over loaded (in two queries), so checking each
    one's owning department reads nothing more. The large estate's tens of thousands of
    rows go through the estate demo's audited batch loader."""
    sites = dict(e.Location.objects.values_list("name", "pk"))
    wanted: dict[str, list[int]] = {"system": [], "component": []}
    for row in rows:
        kind = "system" if row.get("system") else "component"
        wanted[kind].append(row[kind])
    loaded = {
        kind: model.objects.only("pk", "name", "owner_department_id").in_bulk(wanted[kind])
        for kind, model in (("system", e.System), ("component", e.Component))
    }
    values = []
    for row in rows:
        kind = "system" if row.get("system") else "component"
        value = {k: v for k, v in _public(row).items() if k not in ("system", "component")}
        value[kind] = loaded[kind][row[kind]]
        value["recovery_site"] = sites.get(row["recovery_site"])
        values.append(value)
    if bulk:
        from townhall.estate.demo import bulk_load

        return len(bulk_load(m.RecoveryCapability, values))
    for value in values:
        _create(m.RecoveryCapability, value)
    return len(values)


def _write_analyses(rows: list[dict[str, Any]], today: datetime.date) -> int:
    """Every analysis as approved in last year's review; this year's campaign (below)
    reopens them and leaves each in its planned status."""
    loaded = e.Service.objects.only("pk", "name", "owner_department_id").in_bulk(
        [row["service"] for row in rows]
    )
    for row in rows:
        values = {**_public(row), "service": loaded[row["service"]], "status": "approved"}
        _create(m.ImpactAnalysis, values)
    return len(rows)


CAMPAIGN_INSTRUCTIONS = (
    "Once a year each department confirms how long it can do without each of its services "
    "and how soon they must be back. Review last year's answers, change what is no longer "
    "true (staff, peak periods, alternate locations, manual workarounds) and submit. IT "
    "approves each analysis or sends it back with a question."
)


def _campaign(rows: list[dict[str, Any]], today: datetime.date) -> int:
    """This year's review: opened (every analysis back to draft for its department), then
    answered as planned — most departments have submitted everything and IT approved most
    of it, a few still have drafts. E-mail goes nowhere: the demo's addresses are invented."""
    from django.test.utils import override_settings

    from townhall.continuity import campaigns

    campaign = _create(
        m.Campaign,
        {
            "name": f"{today.year} annual impact analysis review",
            "instructions": CAMPAIGN_INSTRUCTIONS,
            "due_on": today + datetime.timedelta(days=14),
            "source": SOURCE,
        },
    )
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        mailing = campaigns.open_campaign(context.SYSTEM, campaign)
    analyses = m.ImpactAnalysis.objects.select_related("service").in_bulk(
        [row["service"] for row in rows], field_name="service_id"
    )
    for row in rows:
        if row["status"] == "draft":
            continue
        analysis = campaigns.submit_analysis(context.SYSTEM, analyses[row["service"]])
        if row["status"] == "approved":
            campaigns.approve_analysis(context.SYSTEM, analysis)
    return 1 + mailing.requests


def _write_exercises(rows: list[dict[str, Any]]) -> int:
    departments = dict(Department.objects.values_list("code", "pk"))
    created = 0
    for row in rows:
        values = {k: v for k, v in row.items() if k not in ("results", "follow_ups")}
        exercise = _create(m.Exercise, {**values, "source": SOURCE})
        created += 1
        for result in row["results"]:
            _create(m.ExerciseResult, {**result, "exercise": exercise, "source": SOURCE})
            created += 1
        for action in row["follow_ups"]:
            values = {k: v for k, v in action.items() if k != "department"}
            values["owner_department"] = departments.get(action["department"])
            _create(m.FollowUp, {**values, "exercise": exercise, "source": SOURCE})
            created += 1
    return created


# Who fills the plan's roles: a department code stands for its head, other words for the
# first IT staff member with that title (the head of IT when nobody has it). The plan's
# default roles are kept; two more are added for the county.
PLAN_PEOPLE = {
    "Infrastructure recovery lead": ("Systems Administrator", "Network Engineer"),
    "Applications recovery lead": ("Application Analyst", "Database Administrator"),
    "Security lead": ("Security Analyst", "IT"),
    "Public information officer": ("PIO", "ADM"),
}
EXTRA_ROLES = (
    (
        "Emergency operations liaison",
        "EM",
        "FIRE",
        "Links the recovery team with the emergency operations center: shelters, fuel, "
        "generators and what residents are told.",
    ),
    (
        "Emergency purchasing",
        "FIN",
        "PUR",
        "Buys replacement hardware and outside help under the emergency purchasing rules and "
        "keeps the record for reimbursement.",
    ),
)
VERSION_2_CHANGES = (
    "Lessons of the ransomware tabletop: single sign-on is restored before the dispatch "
    "systems that sign in through it, and the insurer's and the state's incident lines are "
    "called within the first hour. Lessons of the winter storm drill: generator fuel is "
    "checked before a storm and the water plant's radio link has a spare."
)


def _recovery_plans(today: datetime.date) -> int:
    """Version 1, approved by the County Administrator before this year's exercises, and
    version 2, a draft with what the exercises taught."""
    from townhall.continuity import plans

    heads = dict(Department.objects.filter(head__isnull=False).values_list("code", "head_id"))
    for title, pk in (
        e.Person.objects.filter(is_it_staff=True).order_by("-pk").values_list("title", "pk")
    ):
        heads[title] = pk  # the first with each title wins (the list runs backwards)
    first = plans.new_plan(context.SYSTEM)
    services.update(
        context.SYSTEM,
        first,
        {"coordinator": heads.get("IT"), "alternate_coordinator": heads.get("EM")},
        version=None,
    )
    created = 1 + _fill_roles(first, heads)
    admin_head = heads.get("ADM")
    approver = (
        e.Person.objects.filter(pk=admin_head).values_list("name", flat=True).first()
        if admin_head is not None
        else None
    )
    approved_on = min(today, timezone.localdate()) - datetime.timedelta(days=200)
    plans.approve(
        context.SYSTEM,
        first,
        approver_name=approver or "County Administrator",
        approver_title="County Administrator",
        approved_on=approved_on,
    )
    second = plans.new_plan(context.SYSTEM)
    notification = (
        second.notification.rstrip()
        + "\n6. After a cyberattack, call the insurer's breach line and the state's cyber "
        "incident line within the first hour; the numbers are in the contact list."
    )
    services.update(
        context.SYSTEM,
        second,
        {"changes": VERSION_2_CHANGES, "notification": notification},
        version=None,
    )
    return created + 1 + second.roles.count()


def _fill_roles(plan: m.RecoveryPlan, heads: dict[str, int]) -> int:
    """People in the default roles, and the county's two extra roles; `heads` gives a
    person by department code or IT title."""
    for plan_role in plan.roles.all():
        person, alternate = PLAN_PEOPLE.get(plan_role.role, (None, None))
        services.update(
            context.SYSTEM,
            plan_role,
            {
                "person": heads.get(person or "") or heads.get("IT"),
                "alternate": heads.get(alternate or ""),
            },
            version=None,
        )
    order = max((r.order for r in plan.roles.all()), default=0)
    for n, (role, person, alternate, duties) in enumerate(EXTRA_ROLES, start=1):
        _create(
            m.PlanRole,
            {
                "plan": plan,
                "role": role,
                "person": heads.get(person),
                "alternate": heads.get(alternate),
                "responsibilities": duties,
                "order": order + 10 * n,
                "source": SOURCE,
            },
        )
    return plan.roles.count()
