"""What the hub may release about a metric's values in each cohort. Pure Python.

The rules, in the order they are applied (`release`):

1. **Small cohorts.** A cohort's figures are released only when at least `minimum` members
   (never fewer than five) gave a value. A smaller cohort is withheld.
2. **Nested cohorts.** When one released cohort contains another (all counties, and the
   counties of 100,000 to 249,999 residents), the two must hold the same members or differ
   by at least `minimum`; otherwise the smaller is withheld, so nobody compares the two to
   learn about the few members in between (a differencing attack).
3. **Partitions.** A cohort's sub-cohorts along one dimension (the four regions of all
   members; the population bands of the counties) add up to it. If the whole is released
   and exactly one of its parts is withheld, the smallest released part is withheld too, so
   the withheld part is not the whole minus the others.
   Rules 2 and 3 are applied again until neither withholds anything more.
4. **Only order statistics.** A released cohort shows its size, first quartile, median and
   third quartile; never a mean, sum, smallest or largest value, nor any member's value.
   Each quartile is the average of the interpolated quantiles one rank below, at, and one
   rank above its place, so for a small cohort it is a blend of three members' values and
   is never simply one member's figure (a plain median of five is exactly the third's).
   Figures are rounded to `STEP`, so one released figure fits a range of values.
5. **Noise (optional).** With a privacy budget set, the hub adds noise to each released
   figure (`privacy.py`); that is what protects a member against a group that holds every
   other member of a cohort, who could otherwise narrow its value to a small range.
6. **One draw per release.** A cohort whose values have not changed since the last release
   keeps the figures it had (`kept`, matched by a digest of its values), so recomputing
   after someone else's submission never draws fresh noise that could be averaged away.

Withheld cohorts keep only the reason, never a figure.
"""

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from townhall.exchange import bands

STEP = 0.1  # released figures are rounded to this
LEAST_MINIMUM = 5

SMALL = "fewer than {minimum} members gave a value"
NESTED = "withheld: it differs from {other} by fewer than {minimum} members"
PARTITION = "withheld so that another withheld cohort cannot be worked out from the total"


@dataclass
class Cell:
    """One cohort's release for one metric: figures, or the reason there are none."""

    cohort: str
    label: str
    members: int
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    suppressed: str = ""
    inputs: str = ""  # digest of the values behind the figures (kept at the hub, never sent)


def digest(values: Iterable[float], salt: str = "") -> str:
    """A fingerprint of a cohort's values, whatever their order: the same values and salt
    (the rules and noise in force) give the same digest."""
    text = json.dumps([salt, sorted(float(v) for v in values)])
    return hashlib.sha256(text.encode()).hexdigest()


def _interpolated(ordered: list[float], place: float) -> float:
    place = min(max(place, 0.0), len(ordered) - 1.0)
    low = math.floor(place)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (place - low)


def quantile(ordered: list[float], p: float) -> float:
    """The blended quantile of rule 4 over sorted values: the mean of the linear-
    interpolation quantiles one rank below, at and one rank above place p·(n−1)."""
    place = p * (len(ordered) - 1)
    return sum(_interpolated(ordered, place + shift) for shift in (-1, 0, 1)) / 3


def rounded(value: float, step: float = STEP) -> float:
    return round(round(value / step) * step, 10)


def _fixed(key: str) -> dict[str, str]:
    return {} if key == "all" else dict(part.split("=", 1) for part in key.split("|"))


def _contains(outer: dict[str, str], inner: dict[str, str]) -> bool:
    return len(inner) > len(outer) and all(inner.get(k) == v for k, v in outer.items())


def _partitions(keys: Iterable[str]) -> dict[tuple[str, str], list[str]]:
    """(whole, dimension) → the parts of the whole along that dimension."""
    dimension_sets = set(bands.COHORT_DIMENSIONS)
    found: dict[tuple[str, str], list[str]] = {}
    for key in keys:
        fixed = _fixed(key)
        for name in fixed:
            rest = {k: v for k, v in fixed.items() if k != name}
            if tuple(sorted(rest)) in dimension_sets:
                found.setdefault((bands.cohort_key(rest), name), []).append(key)
    return found


def release(
    values: Iterable[tuple[Mapping[str, str], float]],
    minimum: int = LEAST_MINIMUM,
    noise: Callable[[float], float] | None = None,
    kept: Mapping[str, Cell] | None = None,
    salt: str = "",
) -> list[Cell]:
    """The cells of every cohort with at least one value: (a member's bands, its value).
    `kept` holds the last release by cohort: a cohort whose values are unchanged keeps it."""
    kept = kept or {}
    minimum = max(minimum, LEAST_MINIMUM)
    by_cohort: dict[str, list[float]] = {}
    for member_bands, value in values:
        for key in bands.cohorts_of(dict(member_bands)):
            by_cohort.setdefault(key, []).append(float(value))
    sizes = {key: len(found) for key, found in by_cohort.items()}
    withheld = {key: SMALL.format(minimum=minimum) for key, n in sizes.items() if n < minimum}
    fixed = {key: _fixed(key) for key in sizes}
    partitions = _partitions(sizes)
    changed = True
    while changed:
        changed = False
        shown = sorted((k for k in sizes if k not in withheld), key=lambda k: -sizes[k])
        for outer in shown:
            for inner in shown:
                if inner in withheld or not _contains(fixed[outer], fixed[inner]):
                    continue
                if 0 < sizes[outer] - sizes[inner] < minimum:
                    label = f"“{bands.cohort_label(outer)}”"
                    withheld[inner] = NESTED.format(other=label, minimum=minimum)
                    changed = True
        for (whole, _name), parts in partitions.items():
            if whole in withheld or whole not in sizes:
                continue
            hidden = [p for p in parts if p in withheld]
            open_parts = sorted((p for p in parts if p not in withheld), key=lambda p: sizes[p])
            if len(hidden) == 1 and open_parts:
                withheld[open_parts[0]] = PARTITION
                changed = True
    cells = []
    for key in sorted(sizes):
        label = bands.cohort_label(key)
        if key in withheld:
            cells.append(Cell(key, label, 0, suppressed=withheld[key]))
            continue
        ordered = sorted(by_cohort[key])
        inputs = digest(ordered, f"{minimum}|{salt}")
        before = kept.get(key)
        if before is not None and before.inputs == inputs and not before.suppressed:
            cells.append(
                Cell(key, label, sizes[key], before.q1, before.median, before.q3, "", inputs)
            )
            continue
        figures = [quantile(ordered, p) for p in (0.25, 0.5, 0.75)]
        if noise is not None:
            figures = sorted(noise(f) for f in figures)
        q1, median, q3 = (rounded(f) for f in figures)
        cells.append(Cell(key, label, sizes[key], q1, median, q3, "", inputs))
    return cells
