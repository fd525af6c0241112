"""The metrics a jurisdiction may share with an exchange hub: a defined, versioned set.

Pure data and checks. A member computes each metric from its own records
(`metrics_input.py`), shows them to an administrator, and only then submits them; the hub
accepts only metrics of a version it knows, each within its bounds. A metric is never
redefined under the same version: a change of meaning is a new `METRIC_SET_VERSION`, and
the hub keeps statistics per version so figures that mean different things never mix.
"""

from dataclasses import dataclass
from decimal import Decimal

METRIC_SET_VERSION = "2026.1"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # "score" (1–7), "percent" (0–100) or "per_1000"
    lowest: float
    highest: float
    higher_is_better: bool
    priority: str  # a key of priorities.PRIORITIES
    means: str  # how it is counted, in plain words

    def problem(self, value: object) -> str | None:
        """Why `value` cannot be this metric's value, or None when it can."""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return f"{self.key} must be a number"
        if value != value or not (self.lowest <= float(value) <= self.highest):  # NaN too
            return f"{self.key} must be between {self.lowest:g} and {self.highest:g}"
        return None


def _score(function: str, name: str) -> Metric:
    return Metric(
        f"cyber_{function}",
        f"Cyber maturity: {name}",
        "score",
        1,
        7,
        True,
        "cyber_prevention",
        f"The latest completed self-assessment's average for the {name} function of "
        "NIST CSF 2.0, on the 1–7 scale (5 is the usual target).",
    )


METRICS: tuple[Metric, ...] = (
    _score("govern", "Govern"),
    _score("identify", "Identify"),
    _score("protect", "Protect"),
    _score("detect", "Detect"),
    _score("respond", "Respond"),
    _score("recover", "Recover"),
    Metric(
        "components_past_support_pct",
        "Components past end of support",
        "percent",
        0,
        100,
        False,
        "infrastructure_lifecycle",
        "Share of the components in use whose vendor support has ended.",
    ),
    Metric(
        "services_meeting_rto_pct",
        "Essential services meeting their recovery time",
        "percent",
        0,
        100,
        True,
        "continuity",
        "Share of services with a recovery time objective whose dependencies can come "
        "back within it.",
    ),
    Metric(
        "it_spend_pct_operating",
        "IT spending as a share of the operating budget",
        "percent",
        0,
        100,
        True,
        "infrastructure_investment",
        "The IT operating budget divided by the government's whole operating budget.",
    ),
    Metric(
        "it_staff_per_1000_employees",
        "IT staff per 1,000 employees",
        "per_1000",
        0,
        1000,
        True,
        "organization",
        "Filled IT positions (full-time equivalents) per 1,000 government employees.",
    ),
    Metric(
        "it_vacancy_rate_pct",
        "IT vacancy rate",
        "percent",
        0,
        100,
        False,
        "workforce",
        "Funded IT positions that are vacant, as a share of all funded IT positions.",
    ),
    Metric(
        "spend_outside_it_pct",
        "Technology spending outside IT",
        "percent",
        0,
        100,
        False,
        "shadow_it",
        "Technology bought by departments on cards and payables, as a share of all "
        "technology spending found.",
    ),
    Metric(
        "governed_spend_pct",
        "Technology spending decided through governance",
        "percent",
        0,
        100,
        True,
        "governance",
        "The yearly cost (licences, support, hosting, staff) of the systems that a "
        "board-approved investment request replaces, extends or retires, as a share of the "
        "yearly cost of every system recorded.",
    ),
    Metric(
        "training_completion_pct",
        "Staff who finished security training",
        "percent",
        0,
        100,
        True,
        "cyber_staffing",
        "People required to take security awareness training who finished it this year.",
    ),
    Metric(
        "key_person_risk_pct",
        "Critical systems that depend on one person",
        "percent",
        0,
        100,
        False,
        "workforce",
        "Critical systems fewer than two people can run, as a share of critical systems.",
    ),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
# The versions a hub accepts, each with its metrics (older versions stay readable).
VERSIONS: dict[str, dict[str, Metric]] = {METRIC_SET_VERSION: BY_KEY}


def problems(version: object, values: object) -> list[str]:
    """What is wrong with a submission's metric values, in words (empty: nothing). A member
    may leave out a metric it cannot compute; it may not send one the version lacks."""
    if version not in VERSIONS:
        return [f"unknown metric set version {version!r}; this hub knows {', '.join(VERSIONS)}"]
    if not isinstance(values, dict):
        return ["values must be an object of metric key to number"]
    known = VERSIONS[str(version)]
    found = [f"unknown metric {key!r}" for key in sorted(set(values) - set(known))]
    for key, value in values.items():
        if key in known and (problem := known[key].problem(value)):
            found.append(problem)
    return found
