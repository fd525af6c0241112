"""The exchange's part of the demo county, so a new user sees every exchange page with
figures: Juniper County's profile, its metrics compared with peers, a scorecard that has
moved over the last weeks, the priorities survey and a few practice library documents.

Demo only. A real member never holds its peers' submissions: it joins a real hub, sends its
own figures and fetches the released cohort statistics (`member.py`). Here, so the peer
comparison has something to show without a network, this Townhall also plays the hub for
about sixty fictional governments ("Example County 12", clearly made up) with values drawn
around plausible medians, and Juniper County is a member of its own hub. Every record goes
through the write path, the same for a seed, and loading again adds nothing."""

import base64
import datetime
import random
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from townhall.core import context, services

# Juniper County as the exchange sees it: a county in the 100,000 to 249,999 band.
PROFILE = {
    "kind": "county",
    "population": 182_400,
    "region": "west",
    "operating_budget": Decimal("415000000"),
    "employees": 2_140,
    "it_operating_budget": Decimal("11200000"),
}
MEMBERS = {"small": 60, "large": 120}
# Peers drawn around these (median, spread) for each metric of the set; each value is kept
# within the metric's bounds. Cyber scores and training creep up a little each year.
MEDIANS: dict[str, tuple[float, float]] = {
    "cyber_govern": (3.9, 0.8),
    "cyber_identify": (3.8, 0.8),
    "cyber_protect": (4.1, 0.7),
    "cyber_detect": (3.6, 0.9),
    "cyber_respond": (3.5, 0.9),
    "cyber_recover": (3.3, 0.9),
    "components_past_support_pct": (12.0, 6.0),
    "services_meeting_rto_pct": (68.0, 15.0),
    "it_spend_pct_operating": (2.6, 0.8),
    "it_staff_per_1000_employees": (24.0, 7.0),
    "it_vacancy_rate_pct": (10.0, 5.0),
    "spend_outside_it_pct": (16.0, 7.0),
    "governed_spend_pct": (58.0, 15.0),
    "training_completion_pct": (81.0, 10.0),
    "key_person_risk_pct": (32.0, 12.0),
}
YEARLY_GAIN = {"cyber_": 0.1, "training_completion_pct": 1.5}
LEFT_OUT = 0.1  # the share of values a peer does not send (it cannot count them)

# The scorecard's history: these priorities moved over the last weeks (the way each went).
READING_DAYS = 40
MOVED = (
    ("infrastructure_lifecycle", "better"),
    ("cyber_staffing", "better"),
    ("shadow_it", "worse"),
    ("organization", "worse"),
    ("civic_engagement", "better"),
)

# How often members rank each priority highly, a year apart: cyber on top, AI rising.
SURVEY_WEIGHTS = {
    "cyber_prevention": (30, 30, 28),
    "cyber_staffing": (14, 15, 16),
    "modernization": (18, 17, 16),
    "infrastructure_lifecycle": (12, 11, 10),
    "workforce": (12, 13, 14),
    "emerging_technology": (6, 10, 16),
    "data": (8, 9, 10),
    "governance": (7, 7, 7),
    "infrastructure_investment": (8, 7, 6),
    "continuity": (7, 7, 6),
    "portfolio_growth": (4, 4, 4),
    "organization": (5, 5, 5),
    "shadow_it": (3, 4, 5),
    "innovation": (4, 4, 4),
    "emergency_communications": (4, 3, 3),
    "civic_engagement": (3, 3, 3),
    "social_media": (2, 2, 2),
}
CHALLENGES = (
    "We lost two of our three network engineers to the private sector this spring.",
    "Our finance and permitting systems are past end of support and the vendor wants a "
    "full replacement we cannot fund this cycle.",
    "Departments keep buying their own software on cards; we find out at renewal.",
    "Ransomware insurance premiums doubled and the insurer now asks for evidence we lack.",
    "Council wants an AI policy by summer and nobody agrees who owns it.",
    "Our recovery plan assumes a data centre we closed two years ago.",
    "Staff training completion is good at the desk and poor in the field crews.",
    "Radio interoperability with the neighbouring counties still depends on one person.",
    "Everything is a priority, so the board funds whatever was asked loudest.",
    "",
    "",
)
QUOTES = (
    (
        "Keeping experienced staff is harder than buying tools: our best people leave for "
        "salaries we cannot match.",
        "Insurers now ask for evidence of controls we thought we had; finding it took months.",
        "Old systems hold the data every department depends on, and no one budget owns them.",
    ),
    (
        "Departments adopt AI tools before anyone has asked what data goes into them.",
        "We finally replaced an unsupported system, and found three more depending on it.",
        "Our board funds projects; nobody funds the people to run them afterwards.",
    ),
)

# The practice library: (member number or None for Juniper County itself, title, kind,
# summary, priorities, licence, shown as, file name, text).
LIBRARY = (
    (
        3,
        "Acceptable use of generative AI tools",
        "policy",
        "A two-page policy for staff using AI chat and writing tools: what data may go in, "
        "who approves a new tool, and how outputs are checked.",
        ["emerging_technology", "governance"],
        "CC-BY-4.0",
        "jurisdiction",
        "generative-ai-use-policy.md",
        "# Acceptable use of generative AI tools\n\n"
        "Example County 3 (fictional), adopted for the demo.\n\n"
        "## Purpose\nStaff may use approved AI tools to draft and summarize, never to decide "
        "about a resident.\n\n## Rules\n1. Put no personal, health or criminal-justice data "
        "into a tool IT has not approved.\n2. A person checks every output before it is "
        "sent or published.\n3. A department asks IT before adopting a new tool; IT keeps "
        "the list.\n",
    ),
    (
        17,
        "Managed detection and response: request for proposals",
        "rfp_template",
        "A template request for proposals for round-the-clock security monitoring, with the "
        "service levels and evidence a county asks for.",
        ["cyber_prevention", "cyber_staffing"],
        "CC0-1.0",
        "member",
        "mdr-rfp-template.md",
        "# Request for proposals: managed detection and response\n\n"
        "A template (fictional demo).\n\n## Scope\nMonitoring of endpoints, servers and "
        "cloud mail, around the clock, with response within 30 minutes for critical "
        "alerts.\n\n## Evidence asked of bidders\n- A SOC 2 Type II report\n- Three "
        "references from local governments\n- Staffing of the operations centre\n",
    ),
    (
        None,
        "Continuity plan review checklist",
        "plan",
        "The one-page checklist Juniper County's IT uses each spring to review the "
        "continuity plan with every department.",
        ["continuity"],
        "CC-BY-SA-4.0",
        "jurisdiction",
        "continuity-review-checklist.txt",
        "Continuity plan review checklist (Juniper County, fictional demo)\n\n"
        "[ ] Each essential service has an owner and a recovery time objective\n"
        "[ ] Each dependency's recovery time is known and tested this year\n"
        "[ ] Contact lists checked against the staff directory\n"
        "[ ] The alternate site can be reached and opened\n",
    ),
    (
        41,
        "Cybersecurity analyst job description",
        "job_description",
        "Duties, qualifications and the career ladder for a first security hire in a small "
        "IT department.",
        ["cyber_staffing", "workforce"],
        "members-only",
        "member",
        "cyber-analyst-job-description.md",
        "# Cybersecurity analyst\n\nA job description (fictional demo).\n\n## Duties\n- "
        "Watch alerts and triage incidents with the managed service.\n- Run the yearly "
        "awareness training and phishing exercises.\n- Keep the evidence auditors and "
        "insurers ask for.\n\n## Qualifications\nTwo years in IT operations; a security "
        "certification within a year of hire.\n",
    ),
)


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the exchange's demo records; return how many were created (none when the
    profile already exists)."""
    from townhall.exchange.models import JurisdictionProfile

    if JurisdictionProfile.objects.exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    keys: dict[str, str] = {}  # member id -> its private key, to sign with; never kept
    with context.acting("demo"):
        made, own, profile = _profile_and_own_member(keys)
        members = _peers(rng, MEMBERS.get(scale, MEMBERS["small"]), keys)
        made += len(members)
        made += _submissions(rng, members, today.year, keys)
        made += _own_submission(profile, own, today, keys[own.member_id])
        made += _statistics(profile, today.year)
        made += _readings(today)
        made += _surveys(rng, [own, *members], today)
        made += _library([own, *members], today)
    return made


def _profile_and_own_member(keys: dict[str, str]) -> tuple[int, Any, Any]:
    """Juniper County's profile, joined to this Townhall as its own hub."""
    from townhall.exchange import client, member, protocol
    from townhall.exchange.models import HubMember, JurisdictionProfile

    key = protocol.new_private_key()
    profile = services.create(
        context.SYSTEM,
        JurisdictionProfile,
        {
            "name": settings.JURISDICTION_NAME,
            **PROFILE,
            "hub_url": settings.TOWNHALL_BASE_URL or "http://127.0.0.1:8000",
            "member_id": "juniper-county-demo",
            "signing_key": client.SIGNING_KEYS.seal(key),
            "joined_at": timezone.now(),
        },
    )
    own = services.create(
        context.SYSTEM,
        HubMember,
        {
            "member_id": profile.member_id,
            "name": profile.name,
            "public_key": protocol.public_key(key),
            **member.bands_of(profile),
        },
    )
    keys[own.member_id] = key
    return 2, own, profile


def _peers(rng: random.Random, count: int, keys: dict[str, str]) -> list[Any]:
    """Fictional member governments of varied kinds and sizes; the first dozen are counties
    of Juniper's size, so its closest cohort is large enough to be released."""
    from townhall.exchange import bands, protocol
    from townhall.exchange.models import HubMember

    population = [b.key for b in bands.POPULATION_BANDS]
    budget = [b.key for b in bands.BUDGET_BANDS]
    regions = [k for k, _ in bands.REGIONS]
    rows = []
    for number in range(1, count + 1):
        if number <= 12:
            kind, pop = "county", 2
        else:
            kind = "county" if rng.random() < 0.45 else "city"
            pop = rng.choices(range(len(population)), weights=(10, 25, 25, 18, 12, 6))[0]
        spend = min(len(budget) - 1, max(0, (pop + 1) // 2 + rng.choice((-1, 0, 0, 1))))
        member_id = f"{rng.getrandbits(128):032x}"
        key = keys[member_id] = protocol.new_private_key()
        rows.append(
            {
                "member_id": member_id,
                "name": f"Example {kind.title()} {number}",
                "public_key": protocol.public_key(key),
                "kind": kind,
                "population_band": population[pop],
                "region": rng.choice(regions),
                "budget_band": budget[spend],
            }
        )
    return services.create_many(context.SYSTEM, HubMember, rows)


def _bands(found: Any) -> dict[str, str]:
    return {f: getattr(found, f) for f in ("kind", "population_band", "region", "budget_band")}


def _value(rng: random.Random, key: str, years_ago: int) -> float:
    from townhall.exchange.metrics import BY_KEY

    metric = BY_KEY[key]
    median, spread = MEDIANS[key]
    gain = next((g for prefix, g in YEARLY_GAIN.items() if key.startswith(prefix)), 0.0)
    drawn = rng.gauss(median - gain * years_ago, spread)
    return round(min(metric.highest, max(metric.lowest, drawn)), 1)


def _submissions(
    rng: random.Random, members: list[Any], this_year: int, keys: dict[str, str]
) -> int:
    """Each peer's signed submission for each of the last three years."""
    from townhall.exchange import figures, protocol
    from townhall.exchange.metrics import METRIC_SET_VERSION, METRICS
    from townhall.exchange.models import HubSubmission

    rows = []
    for years_ago in (2, 1, 0):
        year = this_year - years_ago
        for found in members:
            values = {
                m.key: _value(rng, m.key, years_ago) for m in METRICS if rng.random() >= LEFT_OUT
            }
            payload = figures.submission(year, _bands(found), values, METRIC_SET_VERSION)
            rows.append(
                {
                    "member": found,
                    "year": year,
                    "metric_set_version": METRIC_SET_VERSION,
                    "values": values,
                    "signature": protocol.sign_document(keys[found.member_id], payload),
                }
            )
    return len(services.create_many(context.SYSTEM, HubSubmission, rows))


def _own_submission(profile: Any, own: Any, today: datetime.date, key: str) -> int:
    """Juniper County's metrics worked out from the demo records, as its administrator
    would approve and send them, and the same as its hub keeps them."""
    from townhall.exchange import figures, member, metrics_input, protocol
    from townhall.exchange.metrics import METRIC_SET_VERSION
    from townhall.exchange.models import HubSubmission, MetricSubmission

    values = figures.approved_values(metrics_input.compute(context.SYSTEM, profile, today))
    payload = figures.submission(today.year, member.bands_of(profile), values, METRIC_SET_VERSION)
    services.create(
        context.SYSTEM,
        MetricSubmission,
        {
            "year": today.year,
            "metric_set_version": METRIC_SET_VERSION,
            "values": values,
            "submitted_at": timezone.now(),
            "hub_revision": 1,
            "hub_answer": "accepted, revision 1",
        },
    )
    services.create(
        context.SYSTEM,
        HubSubmission,
        {
            "member": own,
            "year": today.year,
            "metric_set_version": METRIC_SET_VERSION,
            "values": values,
            "signature": protocol.sign_document(key, payload),
        },
    )
    return 2


def _statistics(profile: Any, year: int) -> int:
    """The hub's cohort statistics, then the member's copy of its own cohorts' released
    figures, checked and kept as a fetch keeps them."""
    from townhall.exchange import bands, figures, hub, member
    from townhall.exchange.metrics import METRIC_SET_VERSION
    from townhall.exchange.models import PeerStatistic

    made = hub.recompute(context.SYSTEM)
    ours = set(bands.cohorts_of(member.bands_of(profile)))
    answer = {
        "year": year,
        "metric_set_version": METRIC_SET_VERSION,
        "statistics": [s for s in hub.statistics(year, METRIC_SET_VERSION) if s["cohort"] in ours],
    }
    rows, problems = figures.statistic_rows(answer, year, METRIC_SET_VERSION)
    if problems:  # the hub's own answer: a failure here is a bug
        raise ValueError("; ".join(problems))
    member.keep_statistics(context.SYSTEM, year, METRIC_SET_VERSION, rows)
    return made + PeerStatistic.objects.count()


def _earlier_value(key: str, value: float, way: str) -> float:
    """A value some weeks before, from which `value` went `way` ("better" or "worse")."""
    from townhall.exchange import scorecard

    t = scorecard.THRESHOLDS[key]
    share = t.unit == "%"
    step = 12.0 if share else max(3.0, round(abs(value) * 0.4))
    rose = (way == "better") == t.higher_is_better  # did the value go up to get here?
    then = value - step if rose else value + step
    if then < 0 or (share and then > 100):
        then = value + step if rose else value - step
    return min(100.0, max(0.0, then)) if share else max(0.0, then)


def _readings(today: datetime.date) -> int:
    """Daily readings of every priority for the weeks before today, with a few moving."""
    from townhall.exchange import scorecard, scorecard_input
    from townhall.exchange.models import ScorecardReading

    now = {key: value for key, (value, _) in scorecard_input.measure(context.SYSTEM, today).items()}
    start = {
        key: _earlier_value(key, v, way) for key, way in MOVED if (v := now.get(key)) is not None
    }
    rows = []
    for days in range(READING_DAYS, 0, -1):
        day = today - datetime.timedelta(days=days)
        for key, value in now.items():
            if key in start and value is not None:
                share = scorecard.THRESHOLDS[key].unit == "%"
                moved = start[key] + (value - start[key]) * (READING_DAYS - days) / READING_DAYS
                value = round(moved, 1) if share else float(round(moved))
            rows.append(
                {
                    "day": day,
                    "priority": key,
                    "status": scorecard.status_of(key, value),
                    "value": value,
                }
            )
    return len(services.create_many(context.SYSTEM, ScorecardReading, rows))


def _ranked(rng: random.Random, column: int, ranks: int) -> list[str]:
    """A member's top `ranks` priorities, drawn by the year's weights, none twice."""
    left = dict(SURVEY_WEIGHTS)
    picked: list[str] = []
    while len(picked) < ranks:
        keys = list(left)
        choice = rng.choices(keys, weights=[left[k][column] for k in keys])[0]
        picked.append(choice)
        del left[choice]
    return picked


def _surveys(rng: random.Random, members: list[Any], today: datetime.date) -> int:
    """Two published years with their quotes, and this year's open to members (fetched
    by Juniper County, not yet answered)."""
    from townhall.exchange import survey_api, survey_tasks
    from townhall.exchange.models import Survey, SurveyQuote, SurveyResponse

    made = 0
    for column, years_ago in enumerate((2, 1, 0)):
        year = today.year - years_ago
        current = years_ago == 0
        found = services.create(
            context.SYSTEM,
            Survey,
            {
                "year": year,
                "title": f"Priorities survey {year}",
                "opens": today - datetime.timedelta(days=10)
                if current
                else datetime.date(year, 9, 1),
                "closes": today + datetime.timedelta(days=30)
                if current
                else datetime.date(year, 10, 15),
                "ranks": 5,
            },
        )
        services.transition(context.SYSTEM, found, Survey.Status.OPEN)
        peers = members[1:]  # Juniper County answers for itself, on the survey page
        answering = rng.sample(peers, k=min(len(peers), 14 if current else 34 + column))
        rows = [
            {
                "survey": found,
                "member": who,
                "ranked": _ranked(rng, column, found.ranks),
                "challenges": rng.choice(CHALLENGES),
            }
            for who in answering
        ]
        made += 1 + len(services.create_many(context.SYSTEM, SurveyResponse, rows))
        if current:
            survey_tasks.keep_survey(context.SYSTEM, survey_api._describe(found, None))
            made += 1
            continue
        quotes = [{"survey": found, "text": text} for text in QUOTES[column]]
        made += len(services.create_many(context.SYSTEM, SurveyQuote, quotes))
        services.transition(context.SYSTEM, found, Survey.Status.CLOSED)
        services.transition(context.SYSTEM, found, Survey.Status.PUBLISHED)
    return made


def _library(members: list[Any], today: datetime.date) -> int:
    """A few documents members shared, each with its licence and who consented."""
    from townhall.exchange import library, library_api

    made = 0
    for number, title, kind, summary, priorities, licence, shown, name, text in LIBRARY:
        by = members[0] if number is None else members[min(number, len(members) - 1)]
        doc = {
            "title": title,
            "kind": kind,
            "summary": summary,
            "priorities": priorities,
            "licence": licence,
            "consent": {
                "name": "Pat Example" if number else "Jordan Reyes",
                "title": "Chief Information Officer",
                "day": (today - datetime.timedelta(days=20 + made * 9)).isoformat(),
            },
            "shown_as": shown,
            "file_name": name,
            "file": base64.b64encode(text.encode()).decode(),
        }
        library_api.share(by, library.check_share(doc, today))
        made += 1
    return made
