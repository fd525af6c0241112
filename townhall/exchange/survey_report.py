"""The published report's figures, read from the hub's records and counted by the pure
`survey.py`: what the report page and its CSV show, and nothing about who answered."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from townhall.core import charts
from townhall.exchange import survey as rules
from townhall.exchange.models import Survey, SurveyResponse

TREND_PRIORITIES = 5  # the year's leading priorities followed over the years


@dataclass(frozen=True)
class Row:
    label: str
    named: str  # as shown: small counts hidden
    first: str
    score: str  # withheld when fewer than the minimum named it: it would tell their ranks


@dataclass
class Report:
    survey: Survey
    respondents: int
    minimum: int
    refused: str  # why it is not published, or ""
    rows: list[Row]
    quotes: list[str]
    trends: list[rules.Trend]
    years: list[int]
    chart: Any


def _answers(found: Survey) -> list[list[str]]:
    ranked = SurveyResponse.objects.filter(survey=found).values_list("ranked", flat=True)
    return [list(r) for r in ranked if isinstance(r, list)]


def report(found: Survey) -> Report:
    minimum = settings.EXCHANGE_MIN_COHORT
    answers = _answers(found)
    refused = rules.may_publish(len(answers), minimum)
    if refused:
        return Report(found, len(answers), minimum, refused, [], [], [], [], None)
    tally = rules.tally(answers, found.ranks)
    rows = [
        Row(
            t.label,
            rules.shown(t.named, minimum),
            rules.shown(t.first, minimum),
            "withheld" if 0 < t.named < minimum else str(t.score),
        )
        for t in tally
    ]
    quotes = list(found.quotes.filter(published=True).values_list("text", flat=True))
    years: dict[int, tuple[int, list[rules.Tally]]] = {}
    for other in Survey.objects.filter(status=Survey.Status.PUBLISHED, year__lte=found.year):
        past = _answers(other)
        if not rules.may_publish(len(past), minimum):
            years[other.year] = (len(past), rules.tally(past, other.ranks))
    years[found.year] = (len(answers), tally)
    keys = [t.key for t in tally if t.score][:TREND_PRIORITIES]
    trends = rules.trends(years, keys, minimum)
    items = [
        charts.Item(
            f"{t.label} {year}",
            share or 0,
            "fewer than the minimum" if share is None else f"{share}%",
        )
        for t in trends
        for year, share in t.shares
    ]
    chart = charts.bar_chart(items, label_width=230) if items else None
    return Report(found, len(answers), minimum, "", rows, quotes, trends, sorted(years), chart)
