"""The peer report for a council, as PDF: a cover (the jurisdiction, the year, the cohorts
compared with), one page of plain words on where we stand, then each metric's chart with
its figures. Laid out by WeasyPrint (`core/pdf.py`) in a job on the one job runner
(`tasks.py`), never in a request."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from townhall.core.pdf import pdf
from townhall.exchange import comparison, peers_input
from townhall.jobs import runner

TEMPLATE = "exchange/peer_report.html"
JOB_KIND = "exchange_peer_report"


def report_html(found: peers_input.Comparison, site: str = "") -> str:
    charted = [(label, [r for r in rows if r.placement.compared]) for label, rows in found.groups]
    context = {
        "found": found,
        "charted": [(label, rows) for label, rows in charted if rows],
        "not_compared": [p for p in found.placements if not p.compared],
        "summary": comparison.summary(found.placements),
        "site": site,
        "generated": timezone.now(),
    }
    return render_to_string(TEMPLATE, context)


def report_file(year: int | None, site: str = "") -> tuple[bytes, str]:
    """The report as PDF: its body and file name."""
    found = peers_input.compare(year)
    name = f"peer-report-{found.year or 'no-year'}.pdf"
    return pdf(report_html(found, site), site), name


def submit(user: Any, year: int | None, site: str) -> Any:
    """Ask the job runner for the report; the job's page shows its progress and the file."""
    title = f"Peer report {year} (PDF)" if year else "Peer report (PDF)"
    return runner.submit(user, JOB_KIND, title, {"year": year, "site": site})
