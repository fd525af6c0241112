"""The registers' part of the demo county: each register's records, reviewed and not."""

from collections.abc import Callable

# Each register's loader, (scale, seed) -> records made; a register adds its own.
LOADERS: list[Callable[[str, int], int]] = []


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's register records; return how many were created."""
    return sum(loader(scale, seed) for loader in LOADERS)


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
            {**review, "assessed_on": ago(430), "last_reviewed_on": ago(430)},
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
