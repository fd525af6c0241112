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
