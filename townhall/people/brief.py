"""The workforce brief: one document for a council or board, in plain words, on where the
government depends on one person, the positions standing empty and how long hiring takes,
and the skills the estate and the funded projects need that nobody has.

Drawn from the same rules as the key-person risk page (`risk.py`), the recruiting figures
(`recruiting.py`) and the skill gaps (`workforce.py`), fed by `brief_input.py`, for what
the person who asked may see: retirement dates are personnel data, so a brief made for
anyone but an administrator or IT manager leaves them out and says so. Every section names
the records behind its figures. As a web page (`?format=html`), or as PDF (WeasyPrint) or
an editable Word file (python-docx) laid out by a background job on the one job runner.
"""

import datetime
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from townhall.core import permissions
from townhall.core.pdf import html_page, pdf
from townhall.governance.models import Proposal
from townhall.jobs import runner
from townhall.jobs.models import Job
from townhall.people import brief_input, recruiting, recruiting_input, risk, workforce
from townhall.people.models import DeclinedOffer, Requisition

TEMPLATE = "people/workforce_brief.html"
PAGE = "people/brief.html"
JOB_KIND = "people_brief"
FORMATS = ("pdf", "docx")
NAMED = 8  # records the brief names under each heading before "and N more"
LONG_VACANCIES = 5
YEAR = 365  # days: time to fill and declined offers are counted over the last year
SHOWN_ITEMS = 3  # systems and components named for one skill


def _n(count: int, word: str, plural: str = "") -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _names(names: list[str], limit: int = SHOWN_ITEMS) -> str:
    """ "A, B and C", or "A, B, C and 4 more"."""
    if len(names) > limit:
        names = [*names[:limit], f"{len(names) - limit} more"]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _day(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _record(name: str, url: str) -> dict[str, str]:
    return {"name": name, "url": url}


# --- the figures ---------------------------------------------------------------------------


def _depends(found: Any, personnel: bool) -> dict[str, Any]:
    """Section 1: the critical systems below two people, from `risk.py`."""
    result = found.result
    flags = []
    for flag in result.flags:
        people = [
            {
                "name": found.people.get(pk, f"Person {pk}"),
                "url": brief_input.link("estate:person_detail", pk),
                "retiring": found.retiring.get(pk) if personnel else None,
            }
            for pk in flag.risk.people or ()
        ]
        services = []
        for stop in flag.stops:
            name = found.name(stop.service)
            if name not in services:
                services.append(name)
        flags.append(
            {
                "name": found.name(flag.system),
                "url": found.url(flag.system),
                "tier": result.items[flag.system].criticality,
                "people": people,
                "services": services,
            }
        )
    coming = {
        years: [
            {"name": found.name(flag.system), "url": found.url(flag.system)}
            for flag in result.coming[years]
        ]
        for years in risk.HORIZONS
    }
    # One person first (the government depends on them), then those nobody can run;
    # within each, the most critical first, as `risk.py` orders them.
    flags.sort(key=lambda f: (-len(f["people"]), f["tier"] or 9))
    return {
        "flags": flags,
        "personnel": personnel,
        "coming": coming if personnel else {},
        "unknown": [found.name(k) for k in result.unknown_critical],
        "horizon": risk.add_years(found.today, max(risk.HORIZONS)),
    }


def _vacancies(feed: recruiting_input.Found, today: datetime.date) -> dict[str, Any]:
    """Section 2: funded positions standing empty and how long hiring takes, from
    `recruiting.py`, counted as the recruiting page counts them."""
    overall = recruiting.vacancies(feed.seats, today)[None]
    empty = sorted(
        (seat.vacant_since, seat.id)
        for seat in feed.seats
        if seat.funded and seat.vacant_since is not None
    )
    team_of = {seat.id: seat.team_id for seat in feed.seats}
    open_for = feed.open_for()
    stages = dict(Requisition.Stage.choices)
    longest = []
    for since, pk in empty:
        req = open_for.get(pk)
        longest.append(
            {
                "title": feed.titles.get(pk, ""),
                "team": feed.teams.get(team_of[pk], ""),
                "url": brief_input.link("people:position_detail", pk),
                "since": since,
                "days": max(0, (today - since).days),
                "requisition": (
                    {
                        "title": req.title,
                        "stage": str(stages.get(req.stage, req.stage)).lower(),
                        "url": brief_input.link("people:requisition_detail", req.id),
                    }
                    if req
                    else None
                ),
            }
        )
    since = today - datetime.timedelta(days=YEAR)
    fill = recruiting.time_to_fill(feed.openings, since=since, kind="regular")
    filled = [
        {"title": o.title, "url": brief_input.link("people:requisition_detail", o.id)}
        for o in feed.openings
        if o.stage == recruiting.FILLED
        and o.kind == "regular"
        and o.filled_on is not None
        and o.filled_on >= since
    ]
    reasons = dict(DeclinedOffer.Reason.choices)
    declined = [
        {"reason": str(reasons.get(code, code)), "count": count}
        for code, count in recruiting.declined_reasons(feed.declines, since)
    ]
    return {
        "funded": overall.funded,
        "vacant": overall.vacant,
        "rate": round(overall.rate * 100) if overall.rate is not None else None,
        "longest": longest,
        "fill": {
            "filled": fill.filled,
            "median": round(fill.median_days) if fill.median_days is not None else None,
            "longest": fill.longest_days,
        },
        "filled": filled,
        "declined": declined,
    }


def _skills(found: Any, feed: brief_input.SkillsFeed) -> dict[str, Any]:
    """Section 3: the skills nobody has, from `workforce.py`."""

    def skill(pk: Any) -> dict[str, str]:
        code, name = feed.skills.get(pk, ("", f"Skill {pk}"))
        return {"name": name, "code": code, "url": brief_input.link("people:skill_detail", pk)}

    def hiring(reqs: tuple) -> list[dict[str, str]]:
        return [
            _record(
                feed.requisitions.get(r, f"Requisition {r}"),
                brief_input.link("people:requisition_detail", r),
            )
            for r in reqs
        ]

    gaps = [
        {
            **skill(g.skill),
            "items": [found.name(k) for k in g.items],
            "hiring": hiring(g.hiring),
        }
        for g in workforce.estate_gaps(feed.uses, feed.people, feed.hiring)
    ]
    statuses = dict(Proposal.Status.choices)
    projects = [
        {
            "title": p["title"],
            "status": str(statuses.get(p["status"], p["status"])).lower(),
            "url": brief_input.link("governance:proposal_detail", pk),
            "touches": len(set(feed.touches.get(pk, ()))),
        }
        for pk, p in feed.proposals.items()
    ]
    needs = [
        {
            **skill(n.skill),
            "projects": [feed.proposals[p]["title"] for p in n.proposals],
            "items": [found.name(k) for k in n.items],
            "people": n.people,
            "hiring": hiring(n.hiring),
        }
        for n in workforce.portfolio_needs(feed.touches, feed.skills_of, feed.people, feed.hiring)
    ]
    hired_for = [
        {**skill(s), "requisitions": hiring(tuple(sorted(set(reqs), key=str)))}
        for s, reqs in sorted(feed.hiring.items(), key=lambda pair: str(pair[0]))
    ]
    return {
        "gaps": gaps,
        "cycle": str(feed.cycle) if feed.cycle else None,
        "cycle_url": feed.cycle.get_absolute_url() if feed.cycle else "",
        "projects": projects,
        "touched": len({k for keys in feed.touches.values() for k in keys}),
        "needs": needs,
        "needs_nobody": sum(1 for n in needs if n["people"] == 0),
        "hired_for": hired_for,
    }


def facts(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the brief says, for what `user` may see."""
    today = today or timezone.localdate()
    found, recruits, skills = brief_input.read(user, today)
    return {
        "today": today,
        "jurisdiction_name": settings.JURISDICTION_NAME,
        "level": workforce.QUALIFIED_LEVEL,
        "depends": _depends(found, brief_input.sees_retirement(user)),
        "vacancies": _vacancies(recruits, today),
        "skills": _skills(found, skills),
    }


# --- the words -----------------------------------------------------------------------------

Paragraphs = list[tuple[str, str]]
Records = list[dict[str, str]]


def _depends_words(d: dict[str, Any]) -> tuple[Paragraphs, Records]:
    flags = d["flags"]
    words: Paragraphs = [
        (
            "para",
            f"{_n(len(flags), 'critical system')} (tier 1 or 2) "
            f"{'has' if len(flags) == 1 else 'have'} fewer than two people who can run "
            f"{'it' if len(flags) == 1 else 'them'} alone. If that person is away or leaves, "
            "nobody else can keep the system running, and the services resting on it stop."
            if flags
            else "Every critical system whose skills are recorded has at least two people "
            "who can run it alone.",
        )
    ]
    for f in flags[:NAMED]:
        who = (
            f"only {_names([p['name'] for p in f['people']])} can run it"
            if f["people"]
            else "nobody can run it"
        )
        stops = f"; without it, {_names(f['services'])} stop" if f["services"] else ""
        words.append(("item", f"{f['name']} (tier {f['tier']}): {who}{stops}."))
    if len(flags) > NAMED:
        words.append(
            (
                "para",
                f"{_n(len(flags) - NAMED, 'more critical system')}, which nobody can run "
                "alone, are on the key-person risk page.",
            )
        )
    if d["personnel"]:
        for f in flags:
            for p in f["people"]:
                if p["retiring"] is not None and p["retiring"] <= d["horizon"]:
                    words.append(
                        (
                            "item",
                            f"{p['name']}, who alone can run {f['name']}, becomes eligible to "
                            f"retire on {_day(p['retiring'])}.",
                        )
                    )
        counts = [len(d["coming"][y]) for y in risk.HORIZONS]
        words.append(
            (
                "para",
                "As people become eligible to retire, more critical systems fall below two "
                f"people: {counts[0]:,} within a year, {counts[1]:,} more within 3 years and "
                f"{counts[2]:,} more within 5 years. Eligible to retire is a risk to plan for, "
                "not a departure.",
            )
        )
        for years in risk.HORIZONS:
            for s in d["coming"][years]:
                when = "a year" if years == 1 else f"{years} years"
                words.append(("item", f"Within {when}: {s['name']}."))
    else:
        words.append(
            (
                "para",
                "Retirement figures are left out: retirement dates are personnel records, "
                "which only administrators and IT managers see. A brief asked for by one of "
                "them adds who becomes eligible to retire within 1, 3 and 5 years.",
            )
        )
    if d["unknown"]:
        words.append(
            (
                "para",
                f"{_n(len(d['unknown']), 'more critical system')} "
                f"{'has' if len(d['unknown']) == 1 else 'have'} no skills recorded, so who can "
                f"run {'it' if len(d['unknown']) == 1 else 'them'} is not known: "
                f"{_names(d['unknown'], NAMED)}.",
            )
        )
    records = [_record(f["name"], f["url"]) for f in flags[:NAMED]]
    records += [_record(p["name"], p["url"]) for f in flags[:NAMED] for p in f["people"]]
    records += [_record(s["name"], s["url"]) for y in d["coming"].values() for s in y]
    return words, records


def _vacancy_words(v: dict[str, Any]) -> tuple[Paragraphs, Records]:
    words: Paragraphs = [
        (
            "para",
            f"{v['vacant']:,} of {_n(v['funded'], 'funded position')} "
            f"{'is' if v['vacant'] == 1 else 'are'} vacant ({v['rate']}%)."
            if v["funded"]
            else "No funded position is recorded.",
        )
    ]
    for p in v["longest"][:LONG_VACANCIES]:
        req = p["requisition"]
        hiring = (
            f"requisition “{req['title']}” is {req['stage']}"
            if req
            else "no requisition is open for it"
        )
        words.append(
            (
                "item",
                f"{p['title']} ({p['team']}): vacant {_n(p['days'], 'day')}, since "
                f"{_day(p['since'])}; {hiring}.",
            )
        )
    if len(v["longest"]) > LONG_VACANCIES:
        words.append(("para", f"{len(v['longest']) - LONG_VACANCIES:,} more vacancies."))
    fill = v["fill"]
    words.append(
        (
            "para",
            f"Over the last year {_n(fill['filled'], 'position')} "
            f"{'was' if fill['filled'] == 1 else 'were'} filled, in a median of "
            f"{_n(fill['median'], 'day')} from opening the requisition (the longest took "
            f"{_n(fill['longest'], 'day')})."
            if fill["filled"]
            else "No position was filled through a requisition in the last year.",
        )
    )
    if v["declined"]:
        total = sum(r["count"] for r in v["declined"])
        reasons = _names([f"{r['reason'].lower()} ({r['count']:,})" for r in v["declined"]], 6)
        words.append(
            ("para", f"{_n(total, 'offer')} turned down in the last year; why: {reasons}.")
        )
    records = [_record(f"{p['title']} ({p['team']})", p["url"]) for p in v["longest"]]
    records += [
        _record(p["requisition"]["title"], p["requisition"]["url"])
        for p in v["longest"]
        if p["requisition"]
    ]
    records += [_record(r["title"], r["url"]) for r in v["filled"]]
    return words, records


def _hiring_words(hiring: list[dict[str, str]]) -> str:
    if not hiring:
        return "nobody is being hired for it"
    return "being hired for: " + _names([f"“{h['name']}”" for h in hiring], NAMED)


def _skill_words(s: dict[str, Any], level: int) -> tuple[Paragraphs, Records]:
    gaps = s["gaps"]
    words: Paragraphs = [
        (
            "para",
            f"{_n(len(gaps), 'skill')} the estate's systems and components use "
            f"{'has' if len(gaps) == 1 else 'have'} nobody at level {level} (practitioner: "
            "runs it alone) or more."
            if gaps
            else f"Every skill linked to the estate has somebody at level {level} or more.",
        )
    ]
    for g in gaps[:NAMED]:
        words.append(
            (
                "item",
                f"{g['name']}: used by {_names(g['items'])}; {_hiring_words(g['hiring'])}.",
            )
        )
    if len(gaps) > NAMED:
        words.append(("para", f"{len(gaps) - NAMED:,} more skills nobody has."))
    if s["cycle"] is None:
        words.append(("para", "No budget cycle is open, so no funded project is counted."))
    elif not s["projects"]:
        words.append(
            ("para", f"No project in the {s['cycle']} budget cycle is approved or in progress.")
        )
    else:
        words.append(
            (
                "para",
                f"{_n(len(s['projects']), 'project')} of the {s['cycle']} budget cycle "
                f"{'is' if len(s['projects']) == 1 else 'are'} approved or in progress: "
                f"{_names([p['title'] for p in s['projects']], NAMED)}. "
                + (
                    f"{'It touches' if len(s['projects']) == 1 else 'They touch'} "
                    f"{_n(s['touched'], 'system or component', 'systems and components')}, "
                    f"needing {_n(len(s['needs']), 'skill')}; nobody has "
                    f"{s['needs_nobody']:,} of them."
                    if s["needs"]
                    else "None of them names a system or component of the estate with a "
                    "skill linked, so the skills they need are not known."
                ),
            )
        )
        for n in s["needs"][:NAMED]:
            who = "nobody has it" if n["people"] == 0 else f"{_n(n['people'], 'person', 'people')}"
            words.append(
                (
                    "item",
                    f"{n['name']}: for {_names(n['projects'])} (through {_names(n['items'])}); "
                    f"{who}; {_hiring_words(n['hiring'])}.",
                )
            )
    if s["hired_for"]:
        words.append(
            (
                "para",
                "Open requisitions are hiring for "
                + _names([h["name"] for h in s["hired_for"]], NAMED)
                + ".",
            )
        )
    records = [_record(g["name"], g["url"]) for g in gaps[:NAMED]]
    records += [_record(p["title"], p["url"]) for p in s["projects"]]
    records += [_record(n["name"], n["url"]) for n in s["needs"][:NAMED]]
    return words, records


def sections(data: dict[str, Any]) -> list[tuple[str, Paragraphs, Records]]:
    """The brief's words, section by section: ("para" or "item", text) and the records
    behind the figures. The Word file says them as they are; the PDF and web page say the
    same from the same words, with the records linked."""
    out = []
    for heading, (words, records) in (
        ("Where the government depends on one person", _depends_words(data["depends"])),
        ("Vacancies and time to fill", _vacancy_words(data["vacancies"])),
        ("Skills nobody has", _skill_words(data["skills"], data["level"])),
    ):
        seen: set[tuple[str, str]] = set()
        unique = []
        for r in records:
            if (r["name"], r["url"]) not in seen:
                seen.add((r["name"], r["url"]))
                unique.append(r)
        out.append((heading, words, unique))
    return out


def blocks(data: dict[str, Any]) -> list[dict[str, Any]]:
    """`sections` with the items in a row gathered into one list, for the HTML."""
    out = []
    for heading, paragraphs, records in sections(data):
        gathered: list[tuple[str, Any]] = []
        for kind, text in paragraphs:
            if kind == "item" and gathered and gathered[-1][0] == "list":
                gathered[-1][1].append(text)
            elif kind == "item":
                gathered.append(("list", [text]))
            else:
                gathered.append(("para", text))
        out.append({"heading": heading, "paragraphs": gathered, "records": records})
    return out


# --- the files -----------------------------------------------------------------------------


def brief_html(user: Any, site: str = "", today: datetime.date | None = None) -> str:
    data = facts(user, today)
    context = {**data, "blocks": blocks(data), "site": site, "generated": timezone.now()}
    return render_to_string(TEMPLATE, context)


def docx_bytes(data: dict[str, Any]) -> bytes:
    """The brief as an editable Word document, saying what the PDF says."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title = "Workforce brief"
    props.subject = "The people who run the government's technology"
    props.author = str(data["jurisdiction_name"])[:255]
    document.add_heading("Workforce brief", level=0)
    document.add_paragraph(f"{data['jurisdiction_name']} · {_day(data['today'])}")
    for heading, paragraphs, records in sections(data):
        document.add_heading(heading, level=1)
        for kind, text in paragraphs:
            document.add_paragraph(text, style="List Bullet" if kind == "item" else None)
        if records:
            names = "; ".join(r["name"] for r in records)
            document.add_paragraph(f"Records behind these figures: {names}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def brief_file(user: Any, kind: str, site: str = "") -> tuple[bytes, str]:
    """The brief as PDF or DOCX, holding what `user` may see: the body and its file name."""
    today = timezone.localdate()
    name = f"workforce-brief-{today:%Y-%m-%d}.{kind}"
    if kind == "pdf":
        return pdf(brief_html(user, site, today), site), name
    return docx_bytes(facts(user, today)), name


# --- the page ------------------------------------------------------------------------------


def may_ask(user: Any) -> bool:
    """IT staff, IT managers and administrators ask for the brief (it names people)."""
    return permissions.is_it_staff(user)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def brief(request: HttpRequest) -> HttpResponse:
    """The brief's page: what it says, buttons that ask for it as PDF or Word file on the
    job runner (POST), the reader's own briefs to download when ready, and the same brief
    as a web page (`?format=html`) with every record linked."""
    user = request.user
    if request.method == "POST":
        if not may_ask(user):
            raise PermissionDenied("Only IT staff, IT managers and administrators ask for it.")
        kind = request.POST.get("format", "")
        if kind not in FORMATS:
            return render(
                request,
                PAGE,
                _page_context(user, error="Choose PDF or Word for the format."),
                status=400,
            )
        site = request.build_absolute_uri("/").rstrip("/")
        job = runner.submit(
            user, JOB_KIND, f"Workforce brief ({kind.upper()})", {"format": kind, "site": site}
        )
        return redirect(job.get_absolute_url())
    if request.GET.get("format") == "html":
        if not may_ask(user):
            raise PermissionDenied("Only IT staff, IT managers and administrators read it.")
        site = request.build_absolute_uri("/").rstrip("/")
        return html_page(brief_html(user, site))
    return render(request, PAGE, _page_context(user))


def _page_context(user: Any, error: str = "") -> dict[str, Any]:
    mine = list(
        Job.objects.restrict(user, "view")
        .filter(kind=JOB_KIND, created_by=user)
        .order_by("-pk")[:6]
    )
    return {
        "may_ask": may_ask(user),
        "personnel": brief_input.sees_retirement(user),
        "jobs": mine,
        "error": error,
    }
