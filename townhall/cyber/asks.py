"""What the leader brief asks of a council or board, worked out from the cyber figures.

Leaders read a brief to learn what they must decide or support; a list of findings without
an ask gets filed. Each ask names the figure behind it, so it can be traced. Plain Python,
no Django: the brief (brief.py) gathers the figures."""

from dataclasses import dataclass, field
from decimal import Decimal

TRAINING_GOAL = 95  # percent of staff with current required training


@dataclass
class Figures:
    """The numbers the asks depend on; None where the data is missing."""

    areas_below_target: list[str] = field(default_factory=list)  # function names
    target: int = 5
    plan_cost: Decimal | None = None  # estimated cost of open plan actions
    plan_open: int = 0
    ransomware_exposures: int = 0
    overdue_exposures: int = 0  # known-exploited vulnerabilities past CISA's due date
    end_of_life_items: int = 0
    uncovered_functions: list[str] = field(default_factory=list)
    training_percent: float | None = None
    lowest_departments: list[str] = field(default_factory=list)
    acceptances_ending: int = 0
    insurance_gaps: int = 0


@dataclass(frozen=True)
class Ask:
    text: str
    why: str


def money(amount: Decimal | float | int) -> str:
    return f"${float(amount):,.0f}"


def asks(f: Figures, limit: int = 4) -> list[Ask]:
    """The most pressing asks first: exposure an attacker is using now, then who does the
    work, then money for the plan, then people's training, then renewals."""
    found: list[Ask] = []
    if f.ransomware_exposures or f.overdue_exposures:
        parts = []
        if f.ransomware_exposures:
            parts.append(f"{f.ransomware_exposures:,} used in ransomware attacks")
        if f.overdue_exposures:
            parts.append(f"{f.overdue_exposures:,} past the federal due date")
        found.append(
            Ask(
                "Back the urgent patching and replacement work, including planned downtime "
                "of the systems affected.",
                "Known-exploited weaknesses on our systems: " + "; ".join(parts) + ".",
            )
        )
    if f.uncovered_functions:
        names = ", ".join(f.uncovered_functions[:3])
        more = len(f.uncovered_functions) - 3
        found.append(
            Ask(
                "Decide who will perform the cyber functions nobody performs today: our "
                "staff, a managed service or a state program.",
                f"Nobody performs {names}" + (f" and {more} more" if more > 0 else "") + ".",
            )
        )
    if f.areas_below_target:
        cost = f" Its open actions are estimated at {money(f.plan_cost)}." if f.plan_cost else ""
        found.append(
            Ask(
                "Support the plan of action that brings every area up to the recommended "
                f"minimum of {f.target}.",
                f"{len(f.areas_below_target)} of our areas are below {f.target}: "
                f"{', '.join(f.areas_below_target)}.{cost}",
            )
        )
    if f.training_percent is not None and f.training_percent < TRAINING_GOAL:
        lowest = f" Lowest: {', '.join(f.lowest_departments[:3])}." if f.lowest_departments else ""
        found.append(
            Ask(
                "Ask every department head to have their staff complete the required "
                "security training.",
                f"{f.training_percent:.0f}% of staff are current; the goal is "
                f"{TRAINING_GOAL}%.{lowest}",
            )
        )
    if f.insurance_gaps:
        found.append(
            Ask(
                "Expect questions at the cyber insurance renewal, and fund the controls "
                "insurers require.",
                f"{f.insurance_gaps} of the insurers' usual questions cannot be answered yes.",
            )
        )
    if f.acceptances_ending:
        found.append(
            Ask(
                "Review the risks the government has accepted whose acceptance ends soon.",
                f"{f.acceptances_ending} accepted risk{'s' if f.acceptances_ending != 1 else ''} "
                "end within 60 days or have ended.",
            )
        )
    if f.end_of_life_items and len(found) < limit:
        found.append(
            Ask(
                "Keep the replacement of unsupported technology in the budget.",
                f"{f.end_of_life_items} systems or components run releases past their end of life.",
            )
        )
    return found[:limit]


def headline(
    overall: float | None,
    target: int,
    previous: float | None,
    answered: int | None = None,
    total: int | None = None,
) -> str:
    """The brief's first sentence: where we stand on the 1–7 scale, and which way we move.
    An assessment still in progress says so: its mean covers only what is answered."""
    if overall is None:
        return "We have not yet scored our cyber defences against the national framework."
    where = (
        f"Our cyber defences score {overall:.1f} on the national 1–7 scale, "
        + ("meeting" if overall >= target else "below")
        + f" the recommended minimum of {target}"
    )
    change = round(overall - previous, 1) if previous is not None else None
    if change is None:
        sentence = where + "."
    elif change > 0:
        sentence = where + f", up {change:.1f} from last year."
    elif change < 0:
        sentence = where + f", down {-change:.1f} from last year."
    else:
        sentence = where + ", the same as last year."
    if answered is not None and total and answered < total:
        sentence += f" This year's assessment is in progress: {answered} of {total} items answered."
    return sentence
