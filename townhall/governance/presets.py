"""Criteria sets a board can start from. Weights of the first preset are those Orange County,
NC publishes for its technology governance; every description and anchor is our own wording.
"""

from typing import Any


def _anchors(low: str, mid: str, high: str) -> list[tuple[int, str]]:
    return [(1, low), (3, mid), (5, high)]


ORANGE_COUNTY_STYLE: dict[str, Any] = {
    "key": "county-six",
    "name": "County six-criteria set (Orange County, NC weights)",
    "description": "Six criteria with the weights Orange County, NC publishes: savings and "
    "revenue weigh most, then service to residents and to staff.",
    "scale": (1, 5),
    "criteria": [
        {
            "name": "Statutory compliance",
            "weight": 15,
            "description": "Does a law, rule or audit finding require this?",
            "anchors": _anchors(
                "No legal or audit requirement is involved.",
                "Helps meet a requirement that has other ways to be met.",
                "Needed to meet a requirement with a deadline or penalty.",
            ),
        },
        {
            "name": "Service to residents",
            "weight": 20,
            "description": "How much better, faster or more reachable a service to residents "
            "or businesses becomes.",
            "anchors": _anchors(
                "Residents will not notice a difference.",
                "One service improves for some residents.",
                "A widely used service becomes clearly faster, easier or open to more people.",
            ),
        },
        {
            "name": "Cost savings or revenue",
            "weight": 25,
            "description": "Money saved, costs avoided or revenue gained, net of what it costs "
            "to run.",
            "anchors": _anchors(
                "No savings or revenue can be shown.",
                "Savings or revenue cover part of the cost within five years.",
                "Savings or revenue repay the full cost within five years.",
            ),
        },
        {
            "name": "Alignment with adopted plans",
            "weight": 10,
            "description": "Fit with the strategic plan, the IT plan and council priorities.",
            "anchors": _anchors(
                "Not connected to any adopted plan.",
                "Supports a goal of one adopted plan.",
                "Delivers a named priority of the strategic or IT plan.",
            ),
        },
        {
            "name": "Internal service improvement",
            "weight": 20,
            "description": "Time saved and errors avoided for staff doing the government's work.",
            "anchors": _anchors(
                "Staff work stays the same.",
                "Saves time for one team or removes some manual steps.",
                "Removes substantial manual work or risk for several departments.",
            ),
        },
        {
            "name": "Enterprise scope",
            "weight": 10,
            "description": "How many departments benefit or share the solution.",
            "anchors": _anchors(
                "One team uses it.",
                "One department, or two sharing it.",
                "Used across the government.",
            ),
        },
    ],
}

STATE_RUBRIC: dict[str, Any] = {
    "key": "hundred-point",
    "name": "100-point rubric",
    "description": "A state-style rubric whose weights add up to 100 points, scored 1 to 10.",
    "scale": (1, 10),
    "criteria": [
        {
            "name": "Business case and benefits",
            "weight": 25,
            "description": "Clear problem, measurable benefits, and who receives them.",
            "anchors": [
                (1, "The problem or the benefit is not stated."),
                (5, "Benefits are described but not measured."),
                (10, "Benefits are measured with a baseline and a target."),
            ],
        },
        {
            "name": "Financial return",
            "weight": 20,
            "description": "Total cost of ownership against savings, avoided cost and revenue.",
            "anchors": [
                (1, "Costs only; no return identified."),
                (5, "Return covers about half the total cost of ownership."),
                (10, "Return exceeds the total cost of ownership."),
            ],
        },
        {
            "name": "Risk of not acting",
            "weight": 20,
            "description": "What happens to services, security or compliance if nothing is done.",
            "anchors": [
                (1, "Little changes if we wait."),
                (5, "Service quality or security slowly worsens."),
                (10, "A failure, breach or violation is likely soon."),
            ],
        },
        {
            "name": "Strategic alignment",
            "weight": 15,
            "description": "Fit with adopted plans and the enterprise architecture.",
            "anchors": [
                (1, "No link to adopted plans; adds a one-off technology."),
                (5, "Supports adopted plans with some new technology to support."),
                (10, "Delivers adopted priorities on the standard platforms."),
            ],
        },
        {
            "name": "Readiness and capacity",
            "weight": 10,
            "description": "Sponsor, staff, data and vendor readiness to deliver on time.",
            "anchors": [
                (1, "No sponsor or staff time identified."),
                (5, "Sponsor named; staff time partly committed."),
                (10, "Sponsor, team, data and procurement path are ready."),
            ],
        },
        {
            "name": "Reach",
            "weight": 10,
            "description": "Number of residents, businesses or staff who benefit.",
            "anchors": [
                (1, "A handful of people."),
                (5, "One department or one community."),
                (10, "Most residents or the whole government."),
            ],
        },
    ],
}

RISK_WEIGHTED: dict[str, Any] = {
    "key": "risk-first",
    "name": "Risk-reduction set",
    "description": "Weighted toward reducing cyber risk, protecting continuity of services "
    "and replacing infrastructure past the end of its support.",
    "scale": (1, 5),
    "criteria": [
        {
            "name": "Cyber risk reduction",
            "weight": 30,
            "description": "Closes known weaknesses, exploited vulnerabilities or gaps in the "
            "cybersecurity assessment.",
            "anchors": _anchors(
                "No effect on cyber risk.",
                "Reduces a known weakness in one system.",
                "Closes an exploited vulnerability or a gap in a core control.",
            ),
        },
        {
            "name": "Continuity of essential services",
            "weight": 25,
            "description": "Shortens recovery or removes a single point of failure under "
            "mission-essential services.",
            "anchors": _anchors(
                "No effect on recovery.",
                "Improves recovery of a supporting service.",
                "Lets a mission-essential service meet its recovery time.",
            ),
        },
        {
            "name": "End-of-support exposure",
            "weight": 20,
            "description": "Replaces or upgrades technology past or near its vendor's end of "
            "support.",
            "anchors": _anchors(
                "Nothing it touches is near end of support.",
                "Replaces technology reaching end of support within two years.",
                "Replaces technology already past end of support.",
            ),
        },
        {
            "name": "Compliance",
            "weight": 15,
            "description": "Meets CJIS, HIPAA, PCI or audit requirements.",
            "anchors": _anchors(
                "No compliance requirement involved.",
                "Strengthens compliance that is met today with effort.",
                "Fixes a finding or an unmet requirement.",
            ),
        },
        {
            "name": "Service value",
            "weight": 10,
            "description": "Benefit to residents and staff beyond risk.",
            "anchors": _anchors(
                "None beyond risk reduction.",
                "Some improvement for one department.",
                "Clear improvement for residents or many staff.",
            ),
        },
    ],
}

PRESETS = {p["key"]: p for p in (ORANGE_COUNTY_STYLE, STATE_RUBRIC, RISK_WEIGHTED)}
