"""Innovation pilots in the demo county: one pilot at each point of the pipeline — a drone
pilot awaiting its surveillance review, body-worn cameras running under an approved review
with conditions, an automated shuttle under evaluation, downtown parking sensors scaled up,
a resident chatbot stopped after its evaluation, licence-plate readers stopped when their
review was rejected — and readiness assessments for drones, AI and body-worn cameras.
Pilots are created as ideas and moved by the pilots' verb, so their history shows each
move. Dates count back from today; made once."""

import datetime
from typing import Any

from django.utils import timezone

from townhall.core import context, services
from townhall.estate.models import Component, Person, Vendor
from townhall.org.models import Department
from townhall.registers import pilot_moves, readiness
from townhall.registers.models import Pilot, ReadinessAssessment, SurveillanceReview

# (title, technology, department code, personal data, stages reached (stage, days ago),
#  review (decision, conditions) or None, data collected, criteria, results)
PILOTS: tuple[tuple[Any, ...], ...] = (
    (
        "Bridge inspection drones",
        "drone",
        "RDS",
        True,
        (),
        ("pending", ""),
        "Close-up video and photos of bridge decks and piers; people on or under the bridge "
        "may appear.",
        "Inspection time per bridge against rope access; defects found that a ground "
        "inspection missed.",
        "",
    ),
    (
        "Body-worn cameras for civil process deputies",
        "body_camera",
        "SHF",
        True,
        (("pilot", 60),),
        (
            "approved_with_conditions",
            "Record only while serving papers; keep routine footage 90 days; publish a "
            "quarterly count of recordings and requests.",
        ),
        "Video and sound of encounters while serving court papers.",
        "Complaints per 100 services, time spent on public records requests, deputies' views.",
        "",
    ),
    (
        "Automated shuttle to the county campus",
        "vehicle",
        "PW",
        True,
        (("pilot", 200), ("evaluation", 20)),
        ("approved", ""),
        "Vehicle position, passenger counts and video around the shuttle.",
        "Riders per day, safety events per 1,000 miles, cost per rider against the bus.",
        "",
    ),
    (
        "Smart parking sensors downtown",
        "iot",
        "PW",
        False,
        (("pilot", 500), ("evaluation", 320), ("scaled", 200)),
        None,
        "Whether each space is occupied, every minute; no images or plates.",
        "Time to find a space, turnover in two-hour zones, sensor uptime.",
        "Drivers found a space 4 minutes sooner on average; 97% of sensors reported every day. "
        "Extended to all downtown blocks.",
    ),
    (
        "Resident questions chatbot",
        "ai",
        "ADM",
        True,
        (("pilot", 300), ("evaluation", 180), ("stopped", 120)),
        None,
        "Questions residents typed, and the answers given; no account needed.",
        "Share of questions answered correctly, calls to the front desk, residents' ratings.",
        "Answered 58% of questions correctly against a target of 85%; front-desk calls did not "
        "fall. Stopped; the questions asked were used to rewrite the website's top pages.",
    ),
    (
        "Licence-plate readers at the transfer station",
        "plate_reader",
        "PW",
        True,
        (("stopped", 40),),
        ("rejected", ""),
        "Images of every plate entering and leaving, with times.",
        "Unpaid loads caught, staff time saved at the gate.",
        "The surveillance review was rejected: the gate staff's checks were judged enough.",
    ),
)

# What each pilot tries, in the sponsor's words (the record's "What it tries").
WHAT_IT_TRIES = {
    "Bridge inspection drones": "Drones fly close to bridge decks and piers so inspectors "
    "see defects without rope access or closing lanes.",
    "Body-worn cameras for civil process deputies": "Deputies serving court papers wear "
    "cameras, to settle complaints quickly and protect both sides.",
    "Automated shuttle to the county campus": "A low-speed driverless shuttle runs between "
    "the park-and-ride and the county campus at rush hours.",
    "Smart parking sensors downtown": "Sensors in each downtown space show drivers, on signs "
    "and a map, where a free space is.",
    "Resident questions chatbot": "A chatbot on the county website answers residents' "
    "common questions at any hour.",
    "Licence-plate readers at the transfer station": "Cameras at the transfer station gate "
    "read plates to match loads to permits and payments.",
}

# (title, technology, department code, days ago, score per question in order)
ASSESSMENTS: tuple[tuple[str, str, str, int, tuple[int, ...]], ...] = (
    ("Drones for Roads and Bridges", "drone", "RDS", 45, (2, 1, 1, 2, 0, 1)),
    ("AI for resident services", "ai", "ADM", 320, (2, 1, 1, 0, 2, 1)),
    ("Body-worn cameras for the Sheriff's Office", "body_camera", "SHF", 90, (3, 2, 2, 1, 2, 3)),
)


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's pilots, reviews and readiness assessments; return how many."""
    if Pilot.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    if not departments:
        return 0
    fallback = departments.get("IT") or next(iter(departments.values()))
    vendors = list(Vendor.objects.order_by("pk")[: len(PILOTS)])
    today = timezone.localdate()
    user = context.SYSTEM
    count = 0
    with context.acting("demo"):
        for n, (title, kind, code, personal, moves, review, data, criteria, results) in enumerate(
            PILOTS
        ):
            department = departments.get(code, fallback)
            started = max([days for _, days in moves], default=0) + 60
            reviewer = Person.objects.filter(owner_department=department).order_by("pk").first()
            pilot = services.create(
                user,
                Pilot,
                {
                    "title": title,
                    "description": WHAT_IT_TRIES[title],
                    "technology": kind,
                    "owner_department": department,
                    "vendor": vendors[n] if n < len(vendors) else None,
                    "personal_data": personal,
                    "idea_on": _ago(today, started),
                    "data_collected": data,
                    "evaluation_criteria": criteria,
                    "review_owner": reviewer,
                    "last_reviewed_on": _ago(today, 400 if n == 4 else 30),
                    "source": "demo",
                },
            )
            count += 1
            if review is not None:
                decision, conditions = review
                decided = moves[0][1] + 10 if moves else 0
                services.create(
                    user,
                    SurveillanceReview,
                    {
                        "pilot": pilot,
                        "owner_department": department,
                        "collected": data,
                        "retention": "30 days unless needed as evidence or for a claim.",
                        "access": "The sponsor department's supervisors; IT for support only.",
                        "community_input": "Notice on the county website and a public "
                        "meeting of the Board of Commissioners.",
                        "community_input_on": _ago(today, decided + 14) if moves else None,
                        "decision": decision,
                        "conditions": conditions,
                        "decided_on": _ago(today, decided) if decision != "pending" else None,
                        "review_owner": reviewer,
                        # A decided review was last reviewed when it was decided.
                        "last_reviewed_on": (
                            _ago(today, decided) if decision != "pending" else None
                        ),
                        "source": "demo",
                    },
                )
                count += 1
            for stage, days in moves:
                pilot = pilot_moves.move(user, pilot, stage, on=_ago(today, days))
            if results:
                pilot = services.update(user, pilot, {"results": results}, version=None)
            if kind == "iot":
                sensors = services.create(
                    user,
                    Component,
                    {
                        "name": "Downtown parking sensor network",
                        "kind": Component.Kind.IOT,
                        "owner_department": department,
                        "source": "demo",
                    },
                )
                services.update(user, pilot, {"components": [sensors]}, version=None)
                count += 1
        for title, kind, code, days, scores in ASSESSMENTS:
            keys = [q.key for q in readiness.questionnaire(kind)]
            department = departments.get(code, fallback)
            services.create(
                user,
                ReadinessAssessment,
                {
                    "title": title,
                    "technology": kind,
                    "owner_department": department,
                    # Someone answers for the next review, as on every other register.
                    "review_owner": Person.objects.filter(owner_department=department)
                    .order_by("pk")
                    .first(),
                    "assessed_on": _ago(today, days),
                    "answers": dict(zip(keys, scores, strict=True)),
                    "last_reviewed_on": _ago(today, days),
                    "pilot": Pilot.objects.filter(technology=kind).order_by("pk").first(),
                    "source": "demo",
                },
            )
            count += 1
    return count


def _ago(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)
