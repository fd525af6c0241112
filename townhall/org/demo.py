"""Departments of Juniper County, a fictional U.S. county used for the demo."""

import random

from townhall.core import context, services
from townhall.org.models import Department

# (code, name, parent code, employees) — the shape of a mid-sized county government.
DEPARTMENTS = [
    ("ADM", "County Administrator's Office", None, 24),
    ("BOC", "Board of Commissioners", None, 12),
    ("IT", "Information Technology", "ADM", 58),
    ("FIN", "Finance", "ADM", 41),
    ("PUR", "Purchasing", "FIN", 9),
    ("HR", "Human Resources", "ADM", 22),
    ("ATY", "County Attorney", "ADM", 15),
    ("CLK", "Clerk of Court", None, 63),
    ("REC", "Recorder of Deeds", None, 18),
    ("ASR", "Assessor", None, 34),
    ("TRS", "Treasurer", None, 16),
    ("ELE", "Elections", None, 11),
    ("SHF", "Sheriff's Office", None, 412),
    ("JAIL", "Detention Center", "SHF", 188),
    ("E911", "Emergency Communications (911)", None, 67),
    ("EM", "Emergency Management", None, 8),
    ("FIRE", "Fire and Rescue", None, 296),
    ("EMS", "Emergency Medical Services", "FIRE", 142),
    ("PW", "Public Works", None, 231),
    ("RDS", "Roads and Bridges", "PW", 97),
    ("UTL", "Water and Sewer Utility", "PW", 118),
    ("SWM", "Solid Waste", "PW", 44),
    ("FAC", "Facilities Management", None, 52),
    ("FLT", "Fleet Services", "FAC", 21),
    ("PLN", "Planning and Zoning", None, 27),
    ("BLD", "Building Inspections", "PLN", 31),
    ("HLT", "Public Health", None, 86),
    ("HSV", "Human Services", None, 143),
    ("PRK", "Parks and Recreation", None, 77),
    ("LIB", "Public Library", None, 65),
    ("ANM", "Animal Services", None, 19),
    ("ECD", "Economic Development", "ADM", 7),
    ("PIO", "Public Information Office", "ADM", 6),
]


def load(scale: str = "small", seed: int = 1) -> int:
    """Create or refresh the demo departments; return how many were created."""
    rng = random.Random(seed)
    rows = list(DEPARTMENTS)
    if scale == "large":
        # A large county: many more offices, each under an existing department.
        for i in range(1, 171):
            parent = rows[rng.randrange(len(DEPARTMENTS))][0]
            rows.append((f"D{i:03d}", f"Program Office {i:03d}", parent, rng.randint(3, 60)))
    created = 0
    by_code = {d.code: d for d in Department.objects.all()}
    for code, name, parent_code, employees in rows:
        values = {
            "name": name,
            "code": code,
            "parent": by_code.get(parent_code) if parent_code else None,
            "employees": employees,
            "source": "demo",
        }
        existing = by_code.get(code)
        if existing is None:
            by_code[code] = services.create(context.SYSTEM, Department, values)
            created += 1
        else:
            services.update(context.SYSTEM, existing, values, version=None)
    return created
