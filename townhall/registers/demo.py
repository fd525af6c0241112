"""The registers' part of the demo county: each register's records, reviewed and not."""

from collections.abc import Callable

# Each register's loader, (scale, seed) -> records made; a register adds its own.
LOADERS: list[Callable[[str, int], int]] = []


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's register records; return how many were created."""
    return sum(loader(scale, seed) for loader in LOADERS)


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
_OPEN = "https://data.example-county.gov/datasets/"


def load_datasets(scale: str, seed: int) -> int:
    """The demo county's data inventory: open data with downloads, restricted and
    non-public data with their reasons. Returns how many records were made."""
    import datetime

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
    today = datetime.date(2026, 1, 15)
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
                "contact_email": "" if steward else f"data@{code.lower()}.example-county.gov",
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
                "spatial": "Example County",
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
