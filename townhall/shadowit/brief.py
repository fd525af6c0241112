"""The shadow IT brief: one page for leaders, in plain words, on what buying technology
outside IT costs and risks — tools bought more than once and what buying them once would
save, the share of technology spend outside IT, residents' data without a contract or a
security review, and services without single sign-on.

The same figures as the front page (`pages/home.py`), for what the requesting person may
see. As a web page (`?format=html`), or as PDF (WeasyPrint, `core/pdf.py`) laid out by a
background job on the one job runner (`tasks.py`).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from townhall.core.pdf import html_page, pdf
from townhall.jobs import runner
from townhall.shadowit.pages import home

TEMPLATE = "shadowit/brief.html"
JOB_KIND = "shadowit_brief"
NAMED = 3  # items the brief names under each heading


def _money(value: Decimal) -> str:
    return f"${value:,.0f}"


def _n(count: int, word: str, plural: str = "") -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def facts(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the brief says, for what `user` may see."""
    data = home.figures(user, today)
    data["jurisdiction_name"] = settings.JURISDICTION_NAME
    return data


def sections(data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The brief's words, section by section: a paragraph, then the items it names."""
    duplicates = data["duplicates"]
    paid = [
        f"{data['duplicate_count']:,} tools or kinds of tool are paid for by two or more "
        f"departments, {_money(data['duplicate_spend'])} in the year. Buying each once for the "
        f"whole city could save about {_money(data['saving'])} a year (we keep the largest "
        f"department's spend and count {data['share_percent']}% of the rest as saved)."
        if duplicates
        else "No tool is paid for by more than one department."
    ]
    paid += [
        f"{d['label']}: {_n(d['departments'], 'department')}, {_money(d['spend'])}; "
        f"about {_money(d['saving'])} saved."
        for d in duplicates[:NAMED]
    ]
    overall = data["overall"]
    if overall["percent"] is None:
        share = ["No technology spend is recorded for the year."]
    else:
        share = [
            f"{_money(overall['outside'])} of {_money(overall['technology'])} spent on "
            f"technology was bought outside IT: {overall['percent_text']}. Technology spend "
            "counts purchases from technology merchants and the recorded yearly costs of the "
            "systems in use; outside IT means another department bought it from a merchant IT "
            "has not adopted or approved."
        ]
        share += [
            f"{d['name']}: {_money(d['outside'])} outside IT, {d['percent_text']} of its "
            "technology spend."
            for d in data["departments"][:NAMED]
            if d["outside"] > 0
        ]
    exposed = [
        f"{_n(data['exposure_count'], 'service')} found outside IT "
        f"{'holds' if data['exposure_count'] == 1 else 'hold'} residents' data with no current "
        f"contract or no security review in the last year."
        if data["exposure_count"]
        else "No service found outside IT is known to hold residents' data without a "
        "contract and a recent security review."
    ]
    exposed += [f"{e['name']}: {'; '.join(e['reasons'])}." for e in data["exposures"][:NAMED]]
    sign_on = [
        f"{_n(data['no_sign_on_count'], 'software service')} paid for this year "
        f"({_money(data['no_sign_on_spend'])}) "
        f"{'is' if data['no_sign_on_count'] == 1 else 'are'} not reached through single "
        "sign-on: when someone leaves the city, their account there stays open."
        if data["no_sign_on_count"]
        else "Every software service paid for this year is reached through single sign-on."
    ]
    sign_on += [
        f"{n['name']}: {_money(n['spend'])}, {_n(n['departments'], 'department')}."
        for n in data["no_sign_on"][:NAMED]
    ]
    return [
        ("Tools bought more than once", paid),
        ("Technology bought outside IT", share),
        ("Residents' data at risk", exposed),
        ("Accounts nobody closes", sign_on),
    ]


def brief_html(user: Any, site: str = "") -> str:
    data = facts(user)
    blocks = [(h, paras[0], paras[1:]) for h, paras in sections(data)]
    context = {**data, "blocks": blocks, "site": site, "generated": timezone.now()}
    return render_to_string(TEMPLATE, context)


def brief_file(user: Any, site: str = "") -> tuple[bytes, str]:
    """The brief as PDF, holding what `user` may see: the body and its file name."""
    name = f"shadow-it-brief-{timezone.localdate():%Y-%m-%d}.pdf"
    return pdf(brief_html(user, site), site), name


@require_safe
@never_cache
def brief(request: HttpRequest) -> HttpResponse:
    """The brief as a web page (`?format=html`); else as PDF, laid out by a background job
    whose page offers the file."""
    site = request.build_absolute_uri("/").rstrip("/")
    if request.GET.get("format") == "html":
        return html_page(brief_html(request.user, site))
    job = runner.submit(request.user, JOB_KIND, "Shadow IT brief (PDF)", {"site": site})
    return redirect(job.get_absolute_url())
