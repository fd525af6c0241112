"""A jurisdiction's profile as the exchange sees it: never its exact size or budget, only
the band each falls in, so a profile alone does not point at one government. Pure data."""

from dataclasses import dataclass
from decimal import Decimal

KINDS = (("city", "City"), ("county", "County"))
# The U.S. Census Bureau's four regions.
REGIONS = (
    ("northeast", "Northeast"),
    ("midwest", "Midwest"),
    ("south", "South"),
    ("west", "West"),
)


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    below: int | None  # the first value above the band; None: no upper end


POPULATION_BANDS: tuple[Band, ...] = (
    Band("pop_under_25k", "Under 25,000 residents", 25_000),
    Band("pop_25k_100k", "25,000 to 99,999 residents", 100_000),
    Band("pop_100k_250k", "100,000 to 249,999 residents", 250_000),
    Band("pop_250k_500k", "250,000 to 499,999 residents", 500_000),
    Band("pop_500k_1m", "500,000 to 999,999 residents", 1_000_000),
    Band("pop_1m_plus", "1,000,000 residents or more", None),
)
BUDGET_BANDS: tuple[Band, ...] = (
    Band("budget_under_50m", "Operating budget under $50 million", 50_000_000),
    Band("budget_50m_250m", "$50 million to under $250 million", 250_000_000),
    Band("budget_250m_1b", "$250 million to under $1 billion", 1_000_000_000),
    Band("budget_1b_plus", "$1 billion or more", None),
)


def band_of(value: int | Decimal, bands: tuple[Band, ...]) -> Band:
    """The band `value` falls in (values below zero fall in the first)."""
    for band in bands:
        if band.below is None or value < band.below:
            return band
    return bands[-1]


def profile(kind: str, population: int, region: str, operating_budget: int | Decimal) -> dict:
    """What a jurisdiction tells the hub about itself: four keys, each a band or a choice."""
    return {
        "kind": kind,
        "population_band": band_of(population, POPULATION_BANDS).key,
        "region": region,
        "budget_band": band_of(operating_budget, BUDGET_BANDS).key,
    }


PROFILE_CHOICES: dict[str, tuple[str, ...]] = {
    "kind": tuple(k for k, _ in KINDS),
    "population_band": tuple(b.key for b in POPULATION_BANDS),
    "region": tuple(k for k, _ in REGIONS),
    "budget_band": tuple(b.key for b in BUDGET_BANDS),
}


def profile_problems(given: object) -> list[str]:
    """What is wrong with a profile a member sent, in words (empty: nothing)."""
    if not isinstance(given, dict):
        return ["the profile must be an object"]
    problems = [f"unknown profile field {k!r}" for k in sorted(set(given) - set(PROFILE_CHOICES))]
    for key, allowed in PROFILE_CHOICES.items():
        if given.get(key) not in allowed:
            problems.append(f"{key} must be one of {', '.join(allowed)}")
    return problems


# --- cohorts: the groups of members the hub releases statistics for ------------------------

# The dimensions a cohort may fix, from the least to the most specific combination. "all" is
# everyone; a cohort's key lists its fixed dimensions sorted by name: "kind=county",
# "kind=county|population_band=pop_100k_250k". Hub and member use these same keys.
COHORT_DIMENSIONS: tuple[tuple[str, ...], ...] = (
    (),
    ("kind",),
    ("population_band",),
    ("region",),
    ("budget_band",),
    ("kind", "population_band"),
)
_LABELS: dict[str, dict[str, str]] = {
    "kind": {"city": "cities", "county": "counties"},
    "population_band": {b.key: b.label.lower() for b in POPULATION_BANDS},
    "region": {k: f"in the {label}" for k, label in REGIONS},
    "budget_band": {
        b.key: "operating budget " + b.label.split("budget ")[-1] for b in BUDGET_BANDS
    },
}


def cohort_key(fixed: dict[str, str]) -> str:
    """The key of the cohort that fixes these dimensions ("all" for none)."""
    return "|".join(f"{name}={fixed[name]}" for name in sorted(fixed)) or "all"


def cohort_label(key: str) -> str:
    """The cohort in words: "counties, 100,000 to 249,999 residents"; "all members"."""
    if key == "all":
        return "all members"
    parts = dict(part.split("=", 1) for part in key.split("|"))
    words = [_LABELS[name].get(parts[name], parts[name]) for name in _LABELS if name in parts]
    return ", ".join(words)


def cohorts_of(profile_bands: dict[str, str]) -> list[str]:
    """The keys of every cohort a member with these bands belongs to, most specific first."""
    keys = [cohort_key({d: profile_bands[d] for d in dims}) for dims in COHORT_DIMENSIONS]
    return list(reversed(keys))
