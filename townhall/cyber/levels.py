"""The 1–7 maturity scale of the Nationwide Cybersecurity Review, in plain words for a small
city or county IT shop, and guidance for a team doing its first assessment.

The level names follow the review's scale (so scores can be compared with it); every
description is our own, written for the people who will score: an IT manager, the two or
three people who run the systems, and whoever keeps the policies. Plain Python, so pages,
the leader brief and tests read the same text.
"""

from dataclasses import dataclass

SCALE_MIN, SCALE_MAX = 1, 7
TARGET = 5


@dataclass(frozen=True)
class Level:
    """One step of the scale: what it is called, what it looks like in practice, and what
    an auditor could be shown for it."""

    value: int
    name: str
    practice: str
    evidence: str


LEVELS: tuple[Level, ...] = (
    Level(
        1,
        "Not performed",
        "Nobody does this today. There is no rule, no tool and no habit; asked by an auditor, "
        "the honest answer is “we don't”.",
        "Nothing to show.",
    ),
    Level(
        2,
        "Informally performed",
        "Someone does it, usually when they remember or after something breaks, but nothing "
        "is written down. If that person left, it would quietly stop.",
        "People can describe what they do; there is no document.",
    ),
    Level(
        3,
        "Documented policy",
        "A written, approved policy says this must be done and who is responsible. How to do "
        "it is still mostly in people's heads, and practice may not match the paper yet.",
        "The approved policy, with its date and who approved it.",
    ),
    Level(
        4,
        "Partially documented standards and/or procedures",
        "Beyond the policy, part of the “how” is written: a standard that says what good looks "
        "like, or step-by-step procedures, for some systems or departments but not all.",
        "The policy plus the standards or procedures that exist, and a list of what is missing.",
    ),
    Level(
        5,
        "Implementation in process",
        "Policy and procedures are written and being put into practice across the government: "
        "the tool is deployed or the routine is running, staff follow the steps, and the gaps "
        "left are known and being closed.",
        "Procedures plus records that they are followed: tickets, tool reports, sign-off sheets.",
    ),
    Level(
        6,
        "Tested and verified",
        "It is done everywhere it should be, and someone checks that it works: a restore test, "
        "an access review, a phishing exercise or a tabletop, with the results written down "
        "and failures fixed.",
        "Dated test or review results, and what was fixed afterwards.",
    ),
    Level(
        7,
        "Optimized",
        "Tested on a schedule, measured over time and improved: results are tracked from year "
        "to year, lessons from incidents and tests change the procedure, and it is reviewed at "
        "least once a year.",
        "Trends over several periods, and procedure changes that came from reviews.",
    ),
)

NOT_APPLICABLE_NAME = "Not applicable"
NOT_APPLICABLE = (
    "Only when the subcategory cannot apply to this government at all: the technology or "
    "service it is about does not exist here. “We don't do it” is level 1, not “not "
    "applicable”. Say why in the notes; not-applicable answers leave the averages."
)

TARGET_EXPLAINED = (
    f"The target is {TARGET}, the minimum the review recommends for every subcategory: the "
    "policy and procedures are written, and the work is actually being done across the "
    "government. Below 5, the government relies on someone's memory or on paper that is not "
    "yet practice. Averages are shown against 5; a function averaging 5 can still hide "
    "subcategories far below it, so the list of those below target matters more than the "
    "average."
)

_BY_VALUE = {level.value: level for level in LEVELS}


def level(value: int | None) -> Level | None:
    """The level with this value, or None for a value off the scale (or no value)."""
    if value is None or isinstance(value, bool):
        return None
    return _BY_VALUE.get(value)


def label(value: int | None, not_applicable: bool = False) -> str:
    """How a score reads in a sentence: “3 · Documented policy”, “Not applicable”, or
    “Not scored”."""
    if not_applicable:
        return NOT_APPLICABLE_NAME
    found = level(value)
    return f"{found.value} · {found.name}" if found else "Not scored"


# --- a first assessment -------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionAdvice:
    """Why a function comes where it does in a first assessment, and where inside it to
    begin."""

    identifier: str
    name: str
    why: str
    start_with: str
    sessions: str


# The order a small team works through NIST CSF 2.0's functions the first time: who
# decides and what exists first (governance, then the asset inventory), because every
# other answer depends on them; then the controls in the order an attack would meet them.
FUNCTION_ORDER: tuple[FunctionAdvice, ...] = (
    FunctionAdvice(
        "GV",
        "Govern",
        "It sets the frame for everything else: who is responsible for cyber risk, which "
        "policies exist, how much risk leaders accept and how suppliers are held to account. "
        "A handful of documents (the security policy, an org chart, contracts) answer many "
        "of its questions, so it is a quick and encouraging start.",
        "Roles and responsibilities (GV.RR) and policy (GV.PO).",
        "One session.",
    ),
    FunctionAdvice(
        "ID",
        "Identify",
        "You cannot protect what you do not know you have. The asset inventory comes first; "
        "the estate records in Townhall (systems, components, vendors) are evidence here.",
        "Asset management (ID.AM), then risk assessment (ID.RA).",
        "One session.",
    ),
    FunctionAdvice(
        "PR",
        "Protect",
        "The largest function: accounts and multi-factor sign-in, training, protecting data, "
        "keeping systems patched and configured, backups. Most of the plan of action usually "
        "comes from here.",
        "Identity and access (PR.AA), then platform security and backups (PR.PS, PR.DS).",
        "Two sessions.",
    ),
    FunctionAdvice(
        "DE",
        "Detect",
        "Who would notice an intruder, and how fast: logs that are kept and read, alerts that "
        "someone answers, including outside business hours.",
        "Continuous monitoring (DE.CM).",
        "Part of a session.",
    ),
    FunctionAdvice(
        "RS",
        "Respond",
        "What happens in the first hours of an incident: the plan, who decides, and whom to "
        "call (MS-ISAC, the state, the insurer, law enforcement).",
        "Incident management (RS.MA).",
        "Part of a session.",
    ),
    FunctionAdvice(
        "RC",
        "Recover",
        "Bringing services back after an incident in the right order, from backups that are "
        "known to work, and telling residents and staff what is going on.",
        "The recovery plan (RC.RP).",
        "Part of a session.",
    ),
)

_ADVICE = {advice.identifier: advice for advice in FUNCTION_ORDER}


def advice_for(identifier: str) -> FunctionAdvice | None:
    """The advice for a function, by its identifier (“GV”, or “GV: Govern”), if we have
    any; other frameworks' functions get none."""
    key = identifier.split(":")[0].split(".")[0].strip().upper()
    return _ADVICE.get(key)


def recommended_order(identifiers: list[str]) -> list[str]:
    """The given function identifiers in the order a first assessment should take them:
    those we have advice for in that order, then the rest as given."""
    rank = {advice.identifier: n for n, advice in enumerate(FUNCTION_ORDER)}
    ranked = []
    for position, identifier in enumerate(identifiers):
        advice = advice_for(identifier)
        ranked.append((rank[advice.identifier] if advice else len(rank), position, identifier))
    return [identifier for _, _, identifier in sorted(ranked)]


WHO_AND_HOW_LONG = (
    "Two to four people are enough: the IT manager, one or two people who run the systems "
    "day to day, and someone who knows the policies and contracts (often the clerk, HR or "
    "finance). One person leads and records the scores. For the 106 subcategories of NIST "
    "CSF 2.0, a first assessment takes most small teams four to six sessions of two to three "
    "hours over two or three weeks. The next year goes faster: start from last year's "
    "scores and change only what moved."
)

HONEST_SCORING: tuple[str, ...] = (
    "Score what is true today for the whole government, not for the best-run department "
    "and not what is planned for next quarter.",
    "Each level includes the ones below it: a control that is tested but has no written "
    "policy is not a 6.",
    "A policy nobody follows is at most a 3; a good habit nobody wrote down is a 2.",
    "Torn between two levels? Take the lower one and write in the notes what would move it "
    "up: that note becomes the plan of action.",
    "Name the evidence you would show an auditor. If there is none, the level is probably "
    "too high.",
    "Low scores in a first assessment are normal and useful: they show where to spend the "
    "next dollar. A score inflated to look good helps nobody.",
)

AFTERWARDS = (
    "Every subcategory below 5 is a candidate for the plan of action. Choose the few with "
    "the largest gap that are cheapest to close, give each an owner and a date, and "
    "re-score them when they are done."
)
