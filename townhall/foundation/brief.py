"""The foundation brief: one page for leaders, in plain words, on what is weakening, under
which services, what replacing what wears out costs over five fiscal years (from
`forecast.py`), and what happens to the weakest services if the work is deferred.

Drawn from the same figures as the health pages (`health.py`, fed by `health_input.py`), for
what the requesting person may see. As a web page (`?format=html`), or as PDF (WeasyPrint)
or DOCX (python-docx) laid out by a background job on the one job runner.
"""

import dataclasses
import datetime
import io
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from townhall.core.pdf import html_page, pdf
from townhall.foundation import forecast, forecast_input, health, health_input
from townhall.jobs import runner

TEMPLATE = "foundation/brief.html"
JOB_KIND = "foundation_brief"
FORMATS = ("pdf", "docx")
SERVICES = 5  # weakest services the brief names
ITEMS = 3  # weakest items named under each
HORIZON = 5  # fiscal years of the forecast: the brief speaks of five years, whatever the page's
REASONS = [
    # (code, severity, how the brief says it)
    ("support", health.CRITICAL, "past their vendor's end of support"),
    ("support", health.WARNING, "losing vendor support within a year"),
    ("kev", health.CRITICAL, "with known-exploited vulnerabilities on the version installed"),
    ("redundancy", health.CRITICAL, "whose loss alone stops a mission-essential service"),
    ("age", health.WARNING, "older than their expected service life"),
    ("restore", health.WARNING, "whose restore was not tested within a year"),
    ("incidents", health.WARNING, "involved in two or more cyber incidents in the last year"),
    ("owner", health.WATCH, "with no named technical owner"),
    ("support", health.WATCH, "whose vendor support nobody has recorded"),
]


def _forecast_items(
    user: Any, today: datetime.date, tagged: dict[health.Key, list[str]]
) -> list[forecast.Item]:
    """The forecast page's own items (`forecast_input.estate`: components and systems, due
    and priced as there), so brief and page agree; each under the weakest services (by id)
    standing on it instead of the services' names."""
    items = forecast_input.estate(user, today).items
    return [dataclasses.replace(i, services=tuple(tagged.get(_key(i.id), ()))) for i in items]


def _key(item_id: str) -> health.Key:
    """The health graph's key of a forecast item."""
    kind = "system" if forecast_input.is_system(item_id) else "component"
    return (kind, forecast_input.pk_of(item_id))


def facts(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the brief says, for what `user` may see."""
    today = today or timezone.localdate()
    data = health_input.read(user, today)
    healths = health.assess_all(data.items, today)
    bands = health.band_counts(healths.values())
    reasons = health.factor_counts(healths.values())
    services = health.services_health(data.services, data.edges, healths, limit=ITEMS)
    weakest = [s for s in services if s.band in (health.CRITICAL, health.WARNING)][:SERVICES]
    tagged: dict[health.Key, list[str]] = {}
    for s in weakest:
        for key in health.under(s.key, data.edges):
            tagged.setdefault(key, []).append(str(s.key[1]))  # by id: names may repeat
    items = _forecast_items(user, today, tagged)
    # Items already past their end of life today (the forecast counts by fiscal year).
    ended = [i for i in items if i.end_of_life is not None and i.end_of_life < today]
    # The city's inflation rate, fiscal-year start and unit costs, as the forecast page uses.
    city = forecast_input.settings()
    result = forecast.forecast(
        items,
        today=today,
        costs=forecast_input.cost_table(),
        inflation=city.inflation,
        horizon=HORIZON,
        start_month=city.start_month,
    )
    years = [
        {
            "year": y.year,
            "items": y.totals.items,
            "systems": _systems(y.due),
            "capital": round(y.totals.capital),
            "past_due": len(y.past_due),  # due in an earlier fiscal year
            "without_cost": y.totals.without_cost,
        }
        for y in result.years
    ]
    last = result.years[-1].year
    deferred = []
    for s in weakest:
        due, capital = 0, 0.0
        for y in result.years:
            totals = y.by_service.get(str(s.key[1]))
            if totals is not None:
                due += totals.items
                capital += totals.capital
        late = [i.id for i in ended if str(s.key[1]) in i.services]
        deferred.append(
            {
                "name": s.name,
                "band": s.band,
                "critical": s.counts[health.CRITICAL],
                "warning": s.counts[health.WARNING],
                "items_under": s.items_under,
                "weakest": [
                    {
                        "name": w.health.name,
                        "reason": w.health.factors[0].text,
                        "chain": " → ".join(data.names.get(k, str(k)) for k in w.chain),
                    }
                    for w in s.weakest
                ],
                "due": due,
                "past_due": len(late),
                "past_due_systems": _systems(late),
                "capital": round(capital),
            }
        )
    return {
        "today": today,
        "jurisdiction_name": settings.JURISDICTION_NAME,
        "item_count": sum(bands.values()),
        "bands": bands,
        "reasons": [
            {"words": words, "count": reasons[(code, severity)], "severity": severity}
            for code, severity, words in REASONS
            if reasons.get((code, severity))
        ],
        "services": deferred,
        "weak_service_count": sum(1 for s in services if s.band != health.SOUND),
        "service_count": len(services),
        "years": years,
        "first_year": result.years[0].year,
        "last_year": last,
        "total_capital": round(sum(y.totals.capital for y in result.years)),
        "without_cost": len(result.without_cost),
        "systems_without_cost": _systems(result.without_cost),
        "without_date": len(result.without_date),
        "inflation_percent": round(city.inflation * 100, 1),
    }


# --- the files -----------------------------------------------------------------------------


def blocks(data: dict[str, Any]) -> list[tuple[str, list[tuple[str, Any]]]]:
    """`sections` with the items in a row gathered into one list, for the HTML."""
    out = []
    for heading, paragraphs in sections(data):
        gathered: list[tuple[str, Any]] = []
        for kind, text in paragraphs:
            if kind == "item" and gathered and gathered[-1][0] == "list":
                gathered[-1][1].append(text)
            elif kind == "item":
                gathered.append(("list", [text]))
            else:
                gathered.append(("para", text))
        out.append((heading, gathered))
    return out


def brief_html(user: Any, site: str = "") -> str:
    data = facts(user)
    context = {**data, "blocks": blocks(data), "site": site, "generated": timezone.now()}
    return render_to_string(TEMPLATE, context)


def brief_file(user: Any, kind: str, site: str = "") -> tuple[bytes, str]:
    """The brief as PDF or DOCX, holding what `user` may see: the body and its file name."""
    today = timezone.localdate()
    name = f"foundation-brief-{today:%Y-%m-%d}.{kind}"
    if kind == "pdf":
        return pdf(brief_html(user, site), site), name
    return docx_bytes(facts(user, today)), name


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _have(count: int) -> str:
    return "has" if count == 1 else "have"


def _systems(item_ids: list[str]) -> int:
    return sum(1 for i in item_ids if forecast_input.is_system(i))


def _things(count: int, systems: int) -> str:
    """`count` items of which `systems` are systems, in words: "2 components and 1 system"."""
    if not systems:
        return _n(count, "component")
    if systems == count:
        return _n(systems, "system")
    return f"{_n(count - systems, 'component')} and {_n(systems, 'system')}"


def _money(amount: float) -> str:
    return f"${amount:,.0f}"


def docx_bytes(data: dict[str, Any]) -> bytes:
    """The brief as an editable Word document, saying what the PDF says."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title = "Foundation brief"
    props.subject = "Health of the technology the services stand on"
    props.author = str(data["jurisdiction_name"])[:255]
    document.add_heading("Foundation brief", level=0)
    document.add_paragraph(f"{data['jurisdiction_name']} · {data['today']:%B %-d, %Y}")
    for heading, paragraphs in sections(data):
        document.add_heading(heading, level=1)
        for kind, text in paragraphs:
            document.add_paragraph(text, style="List Bullet" if kind == "item" else None)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sections(data: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The brief's words, section by section, as ("para" or "item", text): the DOCX says
    them as they are; the PDF's template says the same from the same figures."""
    bands = data["bands"]
    weakening = [
        (
            "para",
            f"Of {data['item_count']:,} systems and components in service, "
            f"{bands['critical']:,} are critical, {bands['warning']:,} need attention soon and "
            f"{bands['watch']:,} are to watch; {bands['sound']:,} have no known weakness.",
        )
    ]
    weakening += [("item", f"{r['count']:,} {r['words']}.") for r in data["reasons"]]
    under = [
        (
            "para",
            f"{data['weak_service_count']:,} of {data['service_count']:,} services stand on "
            "something weak. The weakest:",
        )
    ]
    for s in data["services"]:
        names = "; ".join(f"{w['name']}: {w['reason']}" for w in s["weakest"])
        under.append(
            (
                "item",
                f"{s['name']}: {s['critical']:,} critical and {s['warning']:,} needing attention "
                f"of the {_n(s['items_under'], 'item')} it stands on. {names}",
            )
        )
    cost = [
        (
            "para",
            f"Replacing the systems and components that reach their end of life in fiscal years "
            f"{data['first_year']} to {data['last_year']} costs {_money(data['total_capital'])} "
            f"in capital at their recorded replacement costs or the city's unit costs, rising "
            f"{data['inflation_percent']:g}% "
            "a year.",
        )
    ]
    cost += [
        (
            "item",
            f"FY{y['year']}: {_money(y['capital'])} for {_things(y['items'], y['systems'])}"
            + (f" ({y['past_due']:,} due in earlier years)" if y["past_due"] else "")
            + (
                f"; {y['without_cost']:,} {_have(y['without_cost'])} no cost recorded"
                if y["without_cost"]
                else ""
            )
            + ".",
        )
        for y in data["years"]
    ]
    if data["without_cost"]:
        cost.append(
            (
                "para",
                f"{_things(data['without_cost'], data['systems_without_cost'])} without a "
                "replacement cost recorded"
                + (
                    " (the estate records none for a system)"
                    if data["systems_without_cost"]
                    else ""
                )
                + ": the total is short by their price.",
            )
        )
    deferred = [
        (
            "item",
            f"{s['name']}: {_things(s['past_due'], s['past_due_systems'])} it needs already "
            f"past the end of its life; {s['due']:,} due for replacement by the end of "
            f"FY{data['last_year']} "
            f"({_money(s['capital'])}). Deferred, they run on without fixes or past their "
            "expected life, and every reason above stays under this service.",
        )
        for s in data["services"]
    ] or [("para", "No service stands on anything critical or needing attention soon.")]
    return [
        ("What is weakening", weakening),
        ("Under which services", under),
        ("What it costs over five years", cost),
        ("If the work is deferred", deferred),
    ]


# --- the page ------------------------------------------------------------------------------


@require_safe
@never_cache
def brief(request: HttpRequest) -> HttpResponse:
    """The brief as a web page (`?format=html`); as PDF or DOCX (`?format=docx`), laid out by
    a background job whose page offers the file."""
    site = request.build_absolute_uri("/").rstrip("/")
    kind = request.GET.get("format", "pdf")
    if kind == "html":
        return html_page(brief_html(request.user, site))
    if kind not in FORMATS:
        kind = "pdf"
    job = runner.submit(
        request.user,
        JOB_KIND,
        f"Foundation brief ({kind.upper()})",
        {"format": kind, "site": site},
    )
    return redirect(job.get_absolute_url())
