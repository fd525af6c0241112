"""The public site's part of the demo county: what Juniper County chose to publish, its
readiness statements, news on funded projects, a proposal open for residents' comments
(moderated) and residents' ideas. It runs after the modules whose records it shows, and
writes only through the write path, so the audit log tells the same story."""

import datetime
from typing import Any

# What the county publishes: each kind and its fields. Every kind residents care about is
# on the site; a request's yearly running cost is kept inside, to show that a field can be.
PUBLISHED: dict[str, list[str]] = {
    "budget_cycle": ["first_year", "years", "status", "requests", "funded", "criteria"],
    "proposal": [
        "owner_department",
        "cycle",
        "kind",
        "status",
        "problem",
        "outcome",
        "decision_rationale",
        "approved_start",
        "votes",
        "updates",
    ],
    "ai_use_case": [
        "owner_department",
        "purpose",
        "outputs",
        "stage",
        "high_impact",
        "high_impact_reason",
        "vendor",
        "oversight_notes",
        "remedy_notes",
    ],
    "dataset": [
        "identifier",
        "description",
        "keywords",
        "themes",
        "publisher",
        "contact_name",
        "contact_email",
        "modified",
        "accrual_periodicity",
        "landing_page",
        "license",
        "spatial",
        "temporal",
        "issued",
    ],
    "pilot": [
        "owner_department",
        "technology",
        "description",
        "stage",
        "pilot_on",
        "vendor",
        "personal_data",
        "data_collected",
        "evaluation_criteria",
        "results",
    ],
    "surveillance_review": [
        "owner_department",
        "technology",
        "collected",
        "retention",
        "access",
        "community_input",
        "community_input_on",
        "decision",
        "conditions",
        "decided_on",
    ],
    "readiness": ["topic", "text_en", "text_es", "last_reviewed_on"],
}

# (topic, heading, English, Spanish): general words on how ready the county is, never how
# it is defended.
STATEMENTS = [
    (
        "cyber",
        "How we keep county systems safe",
        "The county follows a national plan for cyber security. Staff take training every "
        "year. Outside experts test our systems each year, and we fix what they find. We "
        "keep copies of our data that an attack cannot reach, and we practice getting them "
        "back.",
        "El condado sigue un plan nacional de ciberseguridad. El personal recibe "
        "capacitación cada año. Expertos de afuera prueban nuestros sistemas cada año y "
        "arreglamos lo que encuentran. Guardamos copias de nuestros datos que un ataque no "
        "puede alcanzar, y practicamos cómo recuperarlas.",
    ),
    (
        "continuity",
        "How we keep services running",
        "Each department has a plan to keep its most needed services going if a building, "
        "a system or the network is lost. We test these plans every year with the "
        "departments, and 911, public safety and payments come back first.",
        "Cada departamento tiene un plan para mantener sus servicios más necesarios si se "
        "pierde un edificio, un sistema o la red. Probamos estos planes cada año con los "
        "departamentos, y el 911, la seguridad pública y los pagos vuelven primero.",
    ),
]

# News for residents on the board's funded requests: (proposal title, days ago, text).
UPDATES = [
    (
        "Endpoint detection and response",
        60,
        "The county chose a vendor and signed the contract.",
    ),
    (
        "Endpoint detection and response",
        20,
        "The new protection now runs on every computer in the county offices.",
    ),
    (
        "Security awareness training program",
        30,
        "All county staff have started the yearly training. Most have finished it.",
    ),
]

# The request open for residents' comments, and what residents said about it:
# (kind, text, resident's address, what the moderator did, the reason for rejecting).
OPEN_FOR_COMMENT = "Emergency notification system"
SAID = [
    (
        "comment",
        "Please send alerts by text message too. Many older people here do not read e-mail.",
        "maria.lopez@example.org",
        "published",
        "",
    ),
    (
        "comment",
        "Will the alerts also come in Spanish?",
        "j.nguyen@example.org",
        "pending",
        "",
    ),
    (
        "comment",
        "Cheap phones and plans at our shop on Main Street, call today!",
        "deals@example.com",
        "rejected",
        "An advertisement, not about this request.",
    ),
    ("support", "", "maria.lopez@example.org", "published", ""),
    ("support", "", "sam.carter@example.net", "published", ""),
    ("support", "", "lee.park@example.org", "pending", ""),
]

# Residents' ideas: (title, description, address, department code to make it a draft
# request there, or "" to leave it waiting for a moderator).
IDEAS = [
    (
        "Report a pothole with a photo",
        "Let me send a photo and the place of a pothole from my phone, and see when it "
        "will be fixed.",
        "pat.rivera@example.org",
        "PW",
    ),
    (
        "Book library rooms online",
        "I would like to see which library rooms are free and book one online, not by phone.",
        "chris.wu@example.net",
        "",
    ),
]


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's public site; return how many records were created. A second run
    changes nothing."""
    from townhall.core import context
    from townhall.public.models import Publication

    if Publication.objects.exists():
        return 0
    with context.acting("demo"):
        return _publish() + _statements() + _updates() + _comments() + _ideas()


def _moderator() -> Any:
    """The demo's IT manager moderates (a person, so the audit log names them)."""
    from townhall.accounts.models import User
    from townhall.core import context

    found = User.objects.filter(role="it_manager", is_active=True).order_by("pk").first()
    return found or context.SYSTEM


def _publish() -> int:
    from townhall.core import context, services
    from townhall.public import kinds
    from townhall.public.models import Publication

    rows = [
        {"kind": key, "published": True, "fields": fields}
        for key, fields in PUBLISHED.items()
        if kinds.get(key) is not None
    ]
    return len(services.create_many(context.SYSTEM, Publication, rows))


def _statements() -> int:
    from django.utils import timezone

    from townhall.core import context, services
    from townhall.public.models import PublicStatement

    reviewed = timezone.localdate() - datetime.timedelta(days=45)
    rows = [
        {
            "topic": topic,
            "heading": heading,
            "text_en": english,
            "text_es": spanish,
            "last_reviewed_on": reviewed,
        }
        for topic, heading, english, spanish in STATEMENTS
    ]
    return len(services.create_many(context.SYSTEM, PublicStatement, rows))


def _updates() -> int:
    from django.utils import timezone

    from townhall.core import context, services
    from townhall.governance.models import ProjectUpdate, Proposal

    today = timezone.localdate()
    funded = {
        p.title: p
        for p in Proposal.objects.filter(
            title__in={title for title, _, _ in UPDATES}, status__in=ProjectUpdate.FUNDED
        )
    }
    made = 0
    for title, days, text in UPDATES:
        if title in funded:
            services.create(
                context.SYSTEM,
                ProjectUpdate,
                {
                    "proposal": funded[title],
                    "day": today - datetime.timedelta(days=days),
                    "text": text,
                },
            )
            made += 1
    return made


def _said(kind: str, address: str, **values: Any) -> Any:
    """A resident's input as the site keeps it (the address only as its keyed hash),
    confirmed by the resident: it waits for a moderator."""
    from townhall.core import context, services
    from townhall.public import residents
    from townhall.public.models import ResidentInput

    item = services.create(
        context.SYSTEM,
        ResidentInput,
        {"kind": kind, "address_hash": residents.address_hash(address), **values},
    )
    return services.transition(
        context.SYSTEM, item, ResidentInput.Status.PENDING, note="the resident confirmed"
    )


def _comments() -> int:
    from django.utils import timezone

    from townhall.core import context, services
    from townhall.governance.models import Proposal
    from townhall.public import residents
    from townhall.public.models import CommentWindow

    proposal = Proposal.objects.filter(title=OPEN_FOR_COMMENT).first()
    if proposal is None:
        return 0
    today = timezone.localdate()
    window = services.create(
        context.SYSTEM,
        CommentWindow,
        {
            "target_kind": "proposal",
            "target_id": proposal.pk,
            "opens": today - datetime.timedelta(days=10),
            "closes": today + datetime.timedelta(days=20),
        },
    )
    moderator = _moderator()
    for kind, body, address, decision, reason in SAID:
        item = _said(kind, address, window=window, body=body)
        if decision == "published":
            residents.publish(moderator, item)
        elif decision == "rejected":
            residents.reject(moderator, item, reason)
    return 1 + len(SAID)


def _ideas() -> int:
    from townhall.governance.models import BudgetCycle, Proposal
    from townhall.org.models import Department
    from townhall.public import residents

    moderator = _moderator()
    cycle = BudgetCycle.objects.order_by("-first_year", "pk").first()
    made = 0
    for title, body, address, code in IDEAS:
        idea = _said("idea", address, title=title, body=body)
        made += 1
        department = Department.objects.filter(code=code).first() if code else None
        if department is None or cycle is None or not getattr(moderator, "pk", None):
            continue
        idea = residents.publish(moderator, idea)
        residents.to_proposal(
            moderator,
            idea,
            {
                "cycle": cycle,
                "owner_department": department,
                "outcome": "Residents report potholes in a minute and see when each is fixed.",
                "kind": Proposal.Kind.NEW,
            },
        )
        made += 1
    return made
