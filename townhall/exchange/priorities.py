"""The priorities city and county CIOs name year after year, as the scorecard and the
annual survey list them. Pure data: the keys are what the exchange and the survey send
between Townhalls, so a key never changes once released; the words may."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Priority:
    key: str
    label: str
    question: str  # what a leader asks about it, in plain words


PRIORITIES: tuple[Priority, ...] = (
    Priority(
        "infrastructure_lifecycle",
        "Infrastructure lifecycle",
        "Are servers, networks and devices replaced before their support ends?",
    ),
    Priority(
        "modernization",
        "Modernization",
        "Are the oldest systems being replaced or moved, not just kept alive?",
    ),
    Priority(
        "cyber_prevention",
        "Cyber prevention",
        "How mature are the cyber defences against the target of 5 on the 1–7 scale?",
    ),
    Priority(
        "cyber_staffing",
        "Cyber staffing",
        "Are there enough trained people to defend, and do staff finish their training?",
    ),
    Priority(
        "governance",
        "Governance",
        "Is technology money decided by the board, on agreed criteria, in the open?",
    ),
    Priority(
        "portfolio_growth",
        "Portfolio growth",
        "Is the portfolio of investments growing in step with what departments ask?",
    ),
    Priority(
        "infrastructure_investment",
        "Infrastructure investment",
        "Is the foundation funded before it cracks?",
    ),
    Priority(
        "continuity",
        "Business continuity",
        "Would the services residents rely on come back in time after a disaster?",
    ),
    Priority(
        "shadow_it",
        "Shadow IT",
        "Is technology bought outside IT found and brought under management?",
    ),
    Priority(
        "organization",
        "IT organization",
        "Is the IT organization shaped for the work, with clear lines and funded posts?",
    ),
    Priority(
        "workforce",
        "Workforce",
        "Can the government hire and keep the skills it needs, and who could it lose?",
    ),
    Priority(
        "data",
        "Data",
        "Does the government know its data, who owns it and what it publishes?",
    ),
    Priority(
        "social_media",
        "Social media",
        "Are the official accounts owned, reviewed and recoverable?",
    ),
    Priority(
        "innovation",
        "Innovation",
        "Are new ideas tried as pilots and decided on evidence?",
    ),
    Priority(
        "emerging_technology",
        "Emerging technology",
        "Are AI and surveillance technologies inventoried and reviewed before use?",
    ),
    Priority(
        "emergency_communications",
        "Emergency communications",
        "Can responders talk to each other and to their partners when it matters?",
    ),
    Priority(
        "civic_engagement",
        "Civic engagement",
        "Can residents see what is decided and say what they think?",
    ),
)

BY_KEY: dict[str, Priority] = {p.key: p for p in PRIORITIES}
