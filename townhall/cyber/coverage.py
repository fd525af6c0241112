"""Boots on the ground: who performs each cyber function a local government needs.

The first half is plain computation (no database): the standard list of functions and the
rules that flag a gap (nobody performs it; it needs someone around the clock but is covered
only part of the day). The second half reads and writes `Coverage` rows, always through the
write path.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse

from townhall.core import services
from townhall.cyber.models import Coverage

# --- the standard functions (plain Python) ----------------------------------------------


@dataclass(frozen=True)
class CyberFunction:
    """One job someone must be doing. `key` is how other code refers to it; `name` is what
    a `Coverage` row's `function` holds; `round_the_clock` says an attack at 2 a.m. on a
    Sunday needs someone to act on it then, not on Monday morning."""

    key: str
    name: str
    description: str
    round_the_clock: bool = False


FUNCTIONS: tuple[CyberFunction, ...] = (
    CyberFunction(
        "monitoring",
        "Security monitoring and alert triage",
        "Someone watches the alerts from firewalls, endpoints and accounts and decides, "
        "at any hour, which ones are an attack.",
        round_the_clock=True,
    ),
    CyberFunction(
        "incident_response",
        "Incident response",
        "A team that can contain an attack, preserve evidence and bring systems back, "
        "reachable at any hour.",
        round_the_clock=True,
    ),
    CyberFunction(
        "edr",
        "Endpoint detection and response",
        "Software on every computer and server that spots and stops malicious behaviour, "
        "and someone who acts on what it finds.",
    ),
    CyberFunction(
        "vulnerability_scanning",
        "Vulnerability scanning",
        "Regular scans of computers, servers and internet-facing services for known weaknesses.",
    ),
    CyberFunction(
        "patching",
        "Patching of systems and applications",
        "Installing security updates on a schedule, and fast for known-exploited vulnerabilities.",
    ),
    CyberFunction(
        "backups",
        "Backups and restore testing",
        "Backups kept out of an attacker's reach, and restores tried out to prove they work.",
    ),
    CyberFunction(
        "identity",
        "Identity and access management",
        "Creating and removing accounts, multi-factor sign-in, and keeping administrator "
        "rights to the few who need them.",
    ),
    CyberFunction(
        "email",
        "E-mail security",
        "Filtering phishing and malware out of e-mail and protecting the government's "
        "domains from being spoofed.",
    ),
    CyberFunction(
        "training",
        "Security awareness training",
        "Yearly training for every employee and practice phishing messages.",
    ),
    CyberFunction(
        "governance",
        "Security policy and governance",
        "Writing and keeping the security policies, and reporting on them to leaders.",
    ),
    CyberFunction(
        "risk_assessment",
        "Cyber risk assessment",
        "Finding and rating cyber risks and the yearly self-assessment against a framework.",
    ),
    CyberFunction(
        "vendor_risk",
        "Third-party and vendor risk",
        "Checking the security of vendors and cloud services before and during a contract.",
    ),
    CyberFunction(
        "threat_intelligence",
        "Threat intelligence sharing",
        "Taking part in MS-ISAC and the state's fusion center, and acting on their alerts.",
    ),
    CyberFunction(
        "penetration_testing",
        "Penetration testing",
        "Outside testers who try to break in, so weaknesses are found before attackers find them.",
    ),
    CyberFunction(
        "logging",
        "Log collection and retention",
        "Keeping the records of who did what, long enough to investigate an incident.",
    ),
    CyberFunction(
        "network",
        "Network security and firewall management",
        "Firewall rules, network segments and remote access set up and reviewed.",
    ),
    CyberFunction(
        "ot",
        "OT and SCADA security",
        "Protecting water, wastewater, traffic and building control systems.",
    ),
    CyberFunction(
        "continuity",
        "Continuity and disaster recovery exercises",
        "Rehearsing how services keep running and come back after an attack or disaster.",
    ),
)

BY_KEY: dict[str, CyberFunction] = {f.key: f for f in FUNCTIONS}
NOBODY = "nobody"

_ROUND_THE_CLOCK = re.compile(
    r"24\s*[x×*/]\s*7|24\s*[x×*/]\s*365|24\s*hours?|round[ -]the[ -]clock|around the clock"
    r"|always on|all hours|continuous",
    re.IGNORECASE,
)


def normalized(name: str) -> str:
    """How function names are compared: case, spacing and the 24×7 sign do not matter."""
    return " ".join(name.replace("×", "x").casefold().split())


def standard_for(name: str) -> CyberFunction | None:
    """The standard function a `Coverage` row stands for, by its name."""
    wanted = normalized(name)
    return next((f for f in FUNCTIONS if normalized(f.name) == wanted), None)


def needs_round_the_clock(name: str) -> bool:
    """A standard function marked so, or any function whose own name asks for 24×7."""
    standard = standard_for(name)
    if standard is not None:
        return standard.round_the_clock
    return bool(_ROUND_THE_CLOCK.search(name))


def round_the_clock(hours: str) -> bool | None:
    """Whether the hours written on a row mean around the clock; None when none are written
    (unknown is not the same as business hours)."""
    if not hours or not hours.strip():
        return None
    return bool(_ROUND_THE_CLOCK.search(hours))


@dataclass(frozen=True)
class Flag:
    """Why a row needs attention: `kind` is "uncovered", "part_time" or "hours_unknown"."""

    kind: str
    text: str


def flags(name: str, performer: str, hours: str) -> list[Flag]:
    """The problems with one row. Nobody performing a function is the worst; a function that
    needs 24×7 coverage but has written hours that are not 24×7 comes next; 24×7 functions
    with no hours written get a softer note."""
    if performer == NOBODY:
        return [Flag("uncovered", "Nobody performs this function.")]
    if not needs_round_the_clock(name):
        return []
    full = round_the_clock(hours)
    if full is None:
        return [Flag("hours_unknown", "Needs 24×7 coverage; the hours are not recorded.")]
    if not full:
        return [Flag("part_time", f"Needs 24×7 coverage; covered only {hours.strip()}.")]
    return []


def missing(existing: Iterable[str]) -> list[CyberFunction]:
    """The standard functions that have no row yet, in their standard order."""
    have = {normalized(name) for name in existing}
    return [f for f in FUNCTIONS if normalized(f.name) not in have]


# --- rows in the database ---------------------------------------------------------------


def rows(user: Any) -> list[Any]:
    """The coverage rows `user` may see, in their order, with contacts loaded."""
    return list(
        Coverage.objects.restrict(user, "view")
        .select_related("contact")
        .order_by("order", "function", "pk")
    )


def find(user: Any, key: str) -> Any:
    """The row for the standard function `key`, if there is one `user` may see."""
    wanted = normalized(BY_KEY[key].name)
    return next((row for row in rows(user) if normalized(row.function) == wanted), None)


def seed_functions(user: Any) -> list[Any]:
    """Add a row, performed by nobody, for each standard function that has none yet.

    Rows already there (renamed ones included) are left as they are, so running it again
    adds nothing. Returns the rows added."""
    existing = list(Coverage.objects.values_list("function", flat=True))
    added = []
    with transaction.atomic():
        for function in missing(existing):
            position = (FUNCTIONS.index(function) + 1) * 10
            added.append(
                services.create(
                    user,
                    Coverage,
                    {
                        "function": function.name,
                        "performer": NOBODY,
                        "order": position,
                        "notes": function.description,
                    },
                )
            )
    return added


def matrix(user: Any) -> dict[str, Any]:
    """Rows with their flags and the counts by performer, for the page and the brief."""
    performers = list(Coverage.Performer.choices)
    found = rows(user)
    lines = []
    counts = {value: 0 for value, _ in performers}
    for row in found:
        counts[row.performer] = counts.get(row.performer, 0) + 1
        lines.append({"row": row, "flags": flags(row.function, row.performer, row.hours)})
    return {
        "lines": lines,
        "performers": performers,
        "counts": counts,
        "uncovered": [x["row"] for x in lines if any(f.kind == "uncovered" for f in x["flags"])],
        "part_time": [x["row"] for x in lines if any(f.kind == "part_time" for f in x["flags"])],
        "hours_unknown": [
            x["row"] for x in lines if any(f.kind == "hours_unknown" for f in x["flags"])
        ],
        "missing": missing(row.function for row in found),
    }


def coverage_summary(user: Any) -> dict[str, Any]:
    """For the leader brief. Shape:

    {"functions": int,                      # rows `user` may see (0 for a liaison)
     "covered": int,                        # performed by someone
     "uncovered": [str, ...],               # function names nobody performs
     "part_time": [str, ...],               # need 24×7, covered only part of the day
     "hours_unknown": [str, ...],           # need 24×7, hours not written down
     "by_performer": [(label, count), ...], # in-house, managed, state, nobody
     "standard_missing": int,               # standard functions with no row yet
     "url": str}                            # the coverage matrix page
    """
    data = matrix(user)
    labels = dict(data["performers"])
    total = len(data["lines"])
    return {
        "functions": total,
        "covered": total - len(data["uncovered"]),
        "uncovered": [r.function for r in data["uncovered"]],
        "part_time": [r.function for r in data["part_time"]],
        "hours_unknown": [r.function for r in data["hours_unknown"]],
        "by_performer": [(labels[v], data["counts"].get(v, 0)) for v, _ in data["performers"]],
        "standard_missing": len(data["missing"]),
        "url": reverse("cyber:coverage_matrix"),
    }
