"""Differential-privacy noise for the hub's released figures, with OpenDP's Laplace
mechanism. Pure Python (no Django); on only when the hub sets a privacy budget.

The budget ε is per year and metric set version. One member's value of one metric enters
the figures of every cohort it belongs to (`bands.COHORT_DIMENSIONS`), three figures each
(first quartile, median, third quartile), so the budget is split evenly over the metrics,
those cohorts and the three figures. A blended quantile (`cohorts.quantile`) moves by at
most the metric's range when one member's value changes, so that range is the sensitivity
and the noise's scale is range ÷ (ε for the figure). Noisy figures are held to the range.
"""

from collections.abc import Callable
from dataclasses import dataclass

from townhall.exchange import bands
from townhall.exchange.metrics import Metric

FIGURES = 3  # first quartile, median, third quartile


@dataclass(frozen=True)
class Budget:
    epsilon: float  # per year and metric set version
    metrics: int
    cohorts_per_member: int = len(bands.COHORT_DIMENSIONS)

    @property
    def releases(self) -> int:
        return self.metrics * self.cohorts_per_member * FIGURES

    @property
    def per_figure(self) -> float:
        return self.epsilon / self.releases


def scale(metric: Metric, budget: Budget) -> float:
    return (metric.highest - metric.lowest) / budget.per_figure


def noise_for(metric: Metric, budget: Budget) -> Callable[[float], float]:
    """A function adding Laplace noise sized for one figure of `metric` under `budget`."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    sensitivity = metric.highest - metric.lowest
    mechanism = dp.m.make_laplace(
        dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float), scale(metric, budget)
    )
    assert mechanism.map(float(sensitivity)) <= budget.per_figure * (1 + 1e-9)

    def noisy(value: float) -> float:
        return min(max(float(mechanism(float(value))), metric.lowest), metric.highest)

    return noisy
