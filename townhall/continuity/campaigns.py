"""BIA campaigns: ask every department that owns a service to fill in (or review and
confirm) the business impact analyses of its services by a date, remind the late ones,
take in what they submit, approve it or send it back, and close the round.

These actions are the only way a campaign moves from draft to open to closed. Every write
goes through townhall.core.services (permission, validation, audit entry), so the history
of each analysis shows who submitted, approved or returned it and why. Reading is done in
a fixed number of queries however many services there are; the plain rules (what is still
missing from an analysis, how counts add up) are the pure functions near the top.
"""

import datetime
import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from townhall.accounts.models import Role, User
from townhall.continuity.models import (
    CATEGORIES,
    POINTS,
    Campaign,
    CampaignRequest,
    ImpactAnalysis,
)
from townhall.core import permissions, services
from townhall.estate.models import Service
from townhall.jobs import runner
from townhall.jobs.models import Job
from townhall.org.models import Department

logger = logging.getLogger(__name__)
S = ImpactAnalysis.Status
STATES = (S.DRAFT, S.SUBMITTED, S.APPROVED)
DONE = (S.SUBMITTED, S.APPROVED)
REASON_MAX = 2000  # characters of a reason for returning an analysis


# --- plain rules ------------------------------------------------------------------------


def _rated(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def missing_fields(
    essential_function: str, mtd_hours: Any, rto_hours: Any, impacts: Any
) -> list[str]:
    """What an analysis still lacks before it can be submitted, each named as on the form;
    [] when it is complete enough. The impact grid must have every cell rated; its gaps
    are named by category and escalation point."""
    missing = []
    if not essential_function:
        missing.append("Essential function")
    if mtd_hours is None:
        missing.append("Maximum tolerable downtime (MTD)")
    if rto_hours is None:
        missing.append("Recovery time objective (RTO)")
    grid = impacts if isinstance(impacts, dict) else {}
    gaps = []
    for key, label in CATEGORIES:
        found = grid.get(key)
        ratings = found if isinstance(found, dict) else {}
        empty = [text for point, text in POINTS if not _rated(ratings.get(point))]
        if len(empty) == len(POINTS):
            gaps.append(f"{label} (no rating yet)")
        elif empty:
            gaps.append(f"{label} after {', '.join(empty)}")
    if len(gaps) == len(CATEGORIES) and all(g.endswith("(no rating yet)") for g in gaps):
        missing.append("Impact over time (no rating yet)")
    elif gaps:
        missing.append("Impact over time: " + "; ".join(gaps))
    return missing


def analysis_missing(analysis: ImpactAnalysis) -> list[str]:
    """`missing_fields` of a saved analysis."""
    return missing_fields(
        analysis.essential_function, analysis.mtd_hours, analysis.rto_hours, analysis.impacts
    )


def recipients(liaisons: Iterable[str], head: str = "", it_liaison: str = "") -> list[str]:
    """A department's addresses: its liaisons' accounts, then its head and IT liaison, each
    once (addresses differ only in case are the same mailbox)."""
    seen, result = set(), []
    for address in [*liaisons, head, it_liaison]:
        address = (address or "").strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            result.append(address)
    return result


@dataclass
class Tally:
    """How far a set of requests has come. Done means submitted or approved: the
    department has done its part."""

    requested: int = 0
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    not_emailed: int = 0
    last_sent: datetime.datetime | None = None
    last_reminded: datetime.datetime | None = None

    @property
    def done(self) -> int:
        return self.submitted + self.approved

    @property
    def unfinished(self) -> int:
        return self.requested - self.done

    @property
    def percent(self) -> int:
        """Whole percent done, rounded down: 100 only when everything is in."""
        return math.floor(100 * self.done / self.requested) if self.requested else 0

    def add(
        self, state: str, count: int, unsent: int = 0, sent: Any = None, reminded: Any = None
    ) -> None:
        state = state if state in STATES else S.DRAFT
        self.requested += count
        setattr(self, state, getattr(self, state) + count)
        self.not_emailed += unsent
        if sent is not None and (self.last_sent is None or sent > self.last_sent):
            self.last_sent = sent
        if reminded is not None and (self.last_reminded is None or reminded > self.last_reminded):
            self.last_reminded = reminded


@dataclass
class DepartmentProgress:
    department_id: int | None
    name: str
    tally: Tally
    overdue: bool = False


@dataclass
class Progress:
    """A campaign's progress overall and per department (by name)."""

    overall: Tally
    departments: list[DepartmentProgress]
    overdue: bool
    due_on: datetime.date | None
    today: datetime.date

    @property
    def days_left(self) -> int | None:
        return (self.due_on - self.today).days if self.due_on else None


def fold(
    rows: Iterable[Mapping[str, Any]],
    is_open: bool,
    due_on: datetime.date | None,
    today: datetime.date,
) -> Progress:
    """Progress from grouped counts: rows of department_id, department__name, state, n,
    unsent, sent, reminded. A department is overdue when the campaign is open, its due
    date has passed and some of its analyses are not in; so is the campaign."""
    late = is_open and due_on is not None and today > due_on
    overall = Tally()
    by_dept: dict[Any, DepartmentProgress] = {}
    for row in rows:
        key = row["department_id"]
        if key not in by_dept:
            name = row["department__name"] or "No department"
            by_dept[key] = DepartmentProgress(key, name, Tally())
        for tally in (overall, by_dept[key].tally):
            tally.add(row["state"], row["n"], row["unsent"], row["sent"], row["reminded"])
    departments = sorted(by_dept.values(), key=lambda d: (d.name.lower(), d.department_id or 0))
    for dept in departments:
        dept.overdue = late and dept.tally.unfinished > 0
    return Progress(overall, departments, late and overall.unfinished > 0, due_on, today)


# --- who may do what ---------------------------------------------------------------------


def may_manage(user: Any, campaign: Campaign) -> bool:
    """Whether `user` runs campaigns (IT staff and administrators: they may change one)."""
    return permissions.can(user, "change", campaign)


def _require_manager(user: Any, campaign: Campaign, what: str) -> None:
    if not may_manage(user, campaign):
        raise PermissionDenied(f"Only IT staff and administrators {what}.")


def may_review(user: Any) -> bool:
    """Approving and returning analyses is for IT staff and administrators."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and permissions.is_it_staff(user)
    )


# --- who is asked ------------------------------------------------------------------------


@dataclass
class Ask:
    """What one department is asked in a campaign, and where the message goes."""

    department: Department
    services: list[Service] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    analyses: list[ImpactAnalysis | None] = field(default_factory=list)
    requests: list[CampaignRequest] = field(default_factory=list)

    @property
    def reviewing(self) -> int:
        """Its submitted or approved analyses, which opening puts back to draft."""
        return sum(1 for x in self.analyses if x is not None and x.status in DONE)


@dataclass
class Scope:
    """Everything opening a campaign would do, to show before doing it."""

    asks: list[Ask]

    @property
    def services(self) -> int:
        return sum(len(a.services) for a in self.asks)

    @property
    def new_analyses(self) -> int:
        return sum(1 for a in self.asks for x in a.analyses if x is None)

    @property
    def to_review(self) -> int:
        """Submitted or approved analyses that go back to draft for the department to
        review and submit again."""
        return sum(a.reviewing for a in self.asks)

    @property
    def no_address(self) -> list[Department]:
        return [a.department for a in self.asks if not a.recipients]


def _liaison_addresses(department_ids: Iterable[int]) -> dict[int, list[str]]:
    """Active liaison accounts with an e-mail address, by department (one query)."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        User.objects.filter(
            role=Role.LIAISON, is_active=True, department_id__in=list(department_ids)
        )
        .exclude(email="")
        .order_by("username", "pk")
        .values_list("department_id", "email")
    )
    for dept, address in rows:
        found[dept].append(address)
    return found


def _addresses(department: Department, liaisons: Mapping[int, list[str]]) -> list[str]:
    # An unset link reads as None without a query.
    head = department.head.email if department.head is not None else ""
    it = department.it_liaison.email if department.it_liaison is not None else ""
    return recipients(liaisons.get(department.pk, []), head, it)


def scope(campaign: Campaign, user: Any) -> Scope:
    """The departments a campaign asks, their services with today's analyses, and their
    addresses: the chosen departments, or every department that owns a service. Three
    queries, whatever the size."""
    chosen = list(campaign.departments.values_list("pk", flat=True))
    qs = Service.objects.restrict(user, "view").filter(owner_department__isnull=False)
    if chosen:
        qs = qs.filter(owner_department_id__in=chosen)
    rows = qs.select_related(
        "owner_department__head", "owner_department__it_liaison", "impact_analysis"
    ).order_by("owner_department__name", "owner_department_id", "name", "pk")
    asks: dict[int, Ask] = {}
    for svc in rows:
        ask = asks.get(svc.owner_department_id)
        if ask is None:
            ask = asks[svc.owner_department_id] = Ask(svc.owner_department)
        ask.services.append(svc)
        ask.analyses.append(getattr(svc, "impact_analysis", None))
    liaisons = _liaison_addresses(asks)
    for ask in asks.values():
        ask.recipients = _addresses(ask.department, liaisons)
    return Scope(list(asks.values()))


def open_campaign_elsewhere(campaign: Campaign | None = None) -> Campaign | None:
    """The campaign that is open now, other than `campaign` (only one may be open)."""
    qs = Campaign.objects.filter(status=Campaign.Status.OPEN)
    if campaign is not None:
        qs = qs.exclude(pk=campaign.pk)
    return qs.order_by("pk").first()


# --- e-mail ------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _day(value: datetime.date) -> str:
    return f"{value:%A}, {value:%B} {value.day}, {value.year}"


def _base(base_url: str) -> str:
    return (base_url or getattr(settings, "TOWNHALL_BASE_URL", "") or "").rstrip("/")


def message(
    campaign: Campaign,
    ask: Ask,
    base_url: str,
    *,
    reminder: bool = False,
) -> EmailMessage:
    """The e-mail to one department: its services, the due date, the instructions and the
    address of its list of analyses."""
    base = _base(base_url)
    name = _one_line(campaign.name)
    due = _day(campaign.due_on)
    dept = _one_line(ask.department.name)
    if reminder:
        subject = f"Reminder: business impact analyses due {due} ({name})"
        opening = (
            f"{len(ask.services)} business impact "
            f"{'analysis' if len(ask.services) == 1 else 'analyses'} of {dept} "
            f"{'is' if len(ask.services) == 1 else 'are'} not yet submitted for “{name}”. "
            f"They are due {due}."
        )
    else:
        subject = f"Business impact analyses requested: {name}, due {due}"
        opening = (
            f"{dept} is asked to fill in, or review and confirm, the business impact "
            f"analysis of each service it owns for “{name}”, by {due}. An analysis says how "
            "much losing the service would hurt over time and how soon it must be back; IT "
            "uses it to plan recovery in the right order."
        )
    lines = ["Hello,", "", opening, ""]
    if campaign.instructions.strip() and not reminder:
        lines += [campaign.instructions.strip(), ""]
    lines.append(f"Services ({len(ask.services)}):")
    for svc, analysis in zip(ask.services, ask.analyses, strict=True):
        link = f"{base}{analysis.get_absolute_url()}" if analysis is not None else ""
        lines.append(f"- {_one_line(svc.name)}" + (f": {link}" if link else ""))
    lines += [
        "",
        "Edit and submit each analysis from your department's list:",
        f"{base}{reverse('continuity:my_analyses')}",
        "",
        "Department liaisons with a Townhall account can edit and submit them. If you are not "
        "one, please pass this on to the person who is, or reply to IT.",
    ]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=ask.recipients,
    )


@dataclass
class Mailing:
    """What opening a campaign or sending reminders did, and whom to call instead."""

    requests: int = 0
    new_analyses: int = 0
    reopened: int = 0
    emailed: list[tuple[Department, list[str]]] = field(default_factory=list)
    no_address: list[Department] = field(default_factory=list)
    failed: list[tuple[Department, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The result in sentences, for the page's message."""
        out = []
        if self.emailed:
            n = len(self.emailed)
            out.append(f"E-mailed {n} department{'s' if n != 1 else ''}.")
        if self.no_address:
            names = ", ".join(d.name for d in self.no_address)
            out.append(f"No e-mail address for {names}: call them.")
        if self.failed:
            names = ", ".join(d.name for d, _ in self.failed)
            out.append(f"The e-mail to {names} could not be sent: call them or try again.")
        return out


def _send(
    campaign: Campaign, asks: Sequence[Ask], base_url: str, result: Mailing, reminder: bool
) -> list[Ask]:
    """Send one message per department with an address; return those sent."""
    sent = []
    connection = get_connection(fail_silently=False)
    try:
        for ask in asks:
            if not ask.recipients:
                result.no_address.append(ask.department)
                continue
            mail = message(campaign, ask, base_url, reminder=reminder)
            mail.connection = connection
            try:
                mail.send()
            except (OSError, ValueError) as exc:  # smtplib errors are OSErrors
                result.failed.append((ask.department, str(exc) or type(exc).__name__))
            else:
                result.emailed.append((ask.department, ask.recipients))
                sent.append(ask)
    finally:
        connection.close()
    return sent


# --- actions on a campaign ---------------------------------------------------------------


def _for_review(user: Any, svc: Service, analysis: ImpactAnalysis | None) -> tuple[Any, str]:
    """The service's analysis, made a draft to review: created when missing, put back to
    draft when submitted or approved."""
    if analysis is None:
        return services.create(user, ImpactAnalysis, {"service": svc}), "new"
    if analysis.status != S.DRAFT:
        reopened = services.transition(user, analysis, S.DRAFT, note="reopened for review")
        return reopened, "reopened"
    return analysis, ""


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def check_openable(campaign: Campaign) -> None:
    """Refuse, in words, to open a campaign that is not a draft or while another is open."""
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(
            f"“{campaign}” is {campaign.get_status_display().lower()} already; only a draft "
            "campaign can be opened."
        )
    other = open_campaign_elsewhere(campaign)
    if other is not None:
        raise ValidationError(
            f"“{other}” is still open. Close it before opening “{campaign}”: departments "
            "answer one campaign at a time."
        )


REFUSALS = {
    "remind": "Reminders go out only while a campaign is open",
    "close": "Only an open campaign can be closed",
}


def check_open(campaign: Campaign, action: str) -> None:
    """Refuse reminders ("remind") and closing ("close") unless the campaign is open."""
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(
            f"{REFUSALS[action]}; “{campaign}” is {campaign.get_status_display().lower()}."
        )


def open_campaign(user: Any, campaign: Campaign, *, base_url: str = "") -> Mailing:
    """Open a draft campaign: one request per service in scope, addressed to the service's
    department; an analysis for every service (a new draft where there was none; submitted
    and approved ones back to draft, since a campaign asks for a review); then one e-mail
    per department. `base_url` ("https://townhall.example.gov") makes the links absolute.

    Refused when another campaign is open, or this one is not a draft. Departments with no
    address are reported in the result (their requests stay unsent) so IT can call them."""
    _require_manager(user, campaign, "open campaigns")
    result = Mailing()
    with transaction.atomic():
        current = _locked(campaign)
        check_openable(current)
        plan = scope(current, user)
        if not plan.asks:
            raise ValidationError(
                "No service in this campaign's scope has an owning department, so there is "
                "nobody to ask. Give the services an owning department, or choose other "
                "departments."
            )
        now = timezone.now()
        for ask in plan.asks:
            sent_at = now if ask.recipients else None
            for n, svc in enumerate(ask.services):
                analysis, change = _for_review(user, svc, ask.analyses[n])
                ask.analyses[n] = analysis
                result.new_analyses += change == "new"
                result.reopened += change == "reopened"
                ask.requests.append(
                    services.create(
                        user,
                        CampaignRequest,
                        {
                            "campaign": current,
                            "service": svc,
                            "department": ask.department,
                            "analysis": analysis,
                            "sent_at": sent_at,
                        },
                    )
                )
        result.requests = plan.services
        services.transition(
            user,
            current,
            Campaign.Status.OPEN,
            extra={"opened_at": now},
            note=f"{plan.services} service analyses asked for",
        )
    _send(current, plan.asks, base_url, result, reminder=False)
    failed = {d.pk for d, _ in result.failed}
    for ask in plan.asks:
        if ask.department.pk in failed:
            for req in ask.requests:
                services.update(user, req, {"sent_at": None}, version=None)
    campaign.refresh_from_db()
    return result


def unfinished(campaign: Campaign) -> QuerySet:
    """The campaign's requests whose analysis is not yet submitted or approved."""
    return CampaignRequest.objects.filter(campaign=campaign).filter(
        Q(analysis__isnull=True) | Q(analysis__status=S.DRAFT)
    )


def remind(user: Any, campaign: Campaign, *, base_url: str = "") -> Mailing:
    """E-mail each department with analyses not yet in, listing only those, and note when
    it was reminded. Only while the campaign is open."""
    _require_manager(user, campaign, "send reminders")
    campaign.refresh_from_db()
    check_open(campaign, "remind")
    rows = (
        unfinished(campaign)
        .select_related("service", "analysis", "department__head", "department__it_liaison")
        .order_by("department__name", "department_id", "service__name", "pk")
    )
    asks: dict[Any, Ask] = {}
    result = Mailing()
    for req in rows:
        if req.department_id is None:
            continue  # a request always has a department; none means it was removed since
        ask = asks.get(req.department_id)
        if ask is None:
            ask = asks[req.department_id] = Ask(req.department)
        ask.services.append(req.service)
        ask.analyses.append(req.analysis)
        ask.requests.append(req)
    liaisons = _liaison_addresses(asks)
    for ask in asks.values():
        ask.recipients = _addresses(ask.department, liaisons)
    sent = _send(campaign, list(asks.values()), base_url, result, reminder=True)
    now = timezone.now()
    with transaction.atomic():
        for ask in sent:
            for req in ask.requests:
                services.update(user, req, {"reminded_at": now}, version=None)
                result.requests += 1
    return result


def close_campaign(user: Any, campaign: Campaign) -> Tally:
    """Close an open campaign, keeping each request's analysis status as it stands now
    (later edits to an analysis do not change what the campaign achieved)."""
    _require_manager(user, campaign, "close campaigns")
    tally = Tally()
    with transaction.atomic():
        current = _locked(campaign)
        check_open(current, "close")
        for req in CampaignRequest.objects.filter(campaign=current).select_related("analysis"):
            final = req.analysis.status if req.analysis is not None else ""
            # A copy of the analysis's status as it stands, written once: a record of the
            # outcome, not a state the request moves through, so an update rather than a
            # transition (the campaign's own closing is the transition below).
            services.update(user, req, {"final_status": final}, version=None)
            tally.add(final, 1)
        services.transition(
            user, current, Campaign.Status.CLOSED, extra={"closed_at": timezone.now()}
        )
    campaign.refresh_from_db()
    return tally


# --- what an action did, in words ----------------------------------------------------------


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def opened_text(campaign: Campaign, result: Mailing) -> str:
    depts = len(result.emailed) + len(result.no_address) + len(result.failed)
    text = (
        f"“{campaign}” is open: {_plural(result.requests, 'impact analysis', 'impact analyses')}"
        f" asked of {_plural(depts, 'department', 'departments')}."
    )
    if result.new_analyses or result.reopened:
        text += (
            f" {_plural(result.new_analyses, 'new draft', 'new drafts')} started; "
            f"{_plural(result.reopened, 'submitted or approved analysis is', 'submitted or approved analyses are')}"  # noqa: E501
            " back to draft for review."
        )
    return text


def reminded_text(result: Mailing) -> str:
    if not (result.emailed or result.no_address or result.failed):
        return "Every analysis is in: no reminder was needed."
    if not result.emailed:
        return "No reminder was sent."
    n = _plural(result.requests, "analysis", "analyses")
    return f"Reminders sent about {n} not yet submitted."


def closed_text(campaign: Campaign, tally: Tally) -> str:
    return (
        f"“{campaign}” is closed: {tally.done:,} of {tally.requested:,} analyses were "
        f"submitted or approved ({tally.percent}%)."
    )


# --- long actions in the background ------------------------------------------------------

# Up to this many records written, an action runs while the page waits; more go to a
# background job with a progress page (each write is checked and audited, a few ms each).
INLINE_LIMIT = 400
JOB_KIND = "continuity_campaign"
JOB_TITLES = {
    "open": "Open the campaign “{}”",
    "remind": "Send reminders for “{}”",
    "close": "Close the campaign “{}”",
}


def work_size(campaign: Campaign, user: Any, action: str) -> int:
    """How many requests `action` ("open", "remind", "close") would write (one query)."""
    if action == "open":
        chosen = list(campaign.departments.values_list("pk", flat=True))
        qs = Service.objects.restrict(user, "view").filter(owner_department__isnull=False)
        if chosen:
            qs = qs.filter(owner_department_id__in=chosen)
        return qs.count()
    if action == "remind":
        return unfinished(campaign).count()
    return CampaignRequest.objects.filter(campaign=campaign).count()


def running_job(campaign: Campaign) -> Job | None:
    """The campaign's background action waiting or under way, if any."""
    return runner.unfinished(JOB_KIND, campaign=campaign.pk)


def start_job(user: Any, campaign: Campaign, action: str, *, base_url: str = "") -> Job:
    """Queue `action` on the campaign as a background job, after the same checks the
    action makes first, so a refusal is said on the page rather than in the job."""
    _require_manager(user, campaign, "run campaigns")
    if action == "open":
        check_openable(campaign)
    else:
        check_open(campaign, action)
    return runner.submit(
        user,
        JOB_KIND,
        JOB_TITLES[action].format(_one_line(campaign.name)),
        {"campaign": campaign.pk, "action": action, "base_url": base_url},
    )


def run_action(user: Any, campaign: Campaign, action: str, base_url: str) -> str:
    """Do `action` ("open", "remind", "close") on the campaign; what it did, in words."""
    if action == "open":
        result = open_campaign(user, campaign, base_url=base_url)
        return " ".join([opened_text(campaign, result), *result.lines()])
    if action == "remind":
        result = remind(user, campaign, base_url=base_url)
        return " ".join([reminded_text(result), *result.lines()])
    return closed_text(campaign, close_campaign(user, campaign))


# --- actions on an analysis --------------------------------------------------------------


def _fresh(analysis: ImpactAnalysis, version: int | None) -> ImpactAnalysis:
    current = ImpactAnalysis.objects.select_related("service").get(pk=analysis.pk)
    if version is not None and int(version) != current.version:
        raise services.ConflictError(current, [])
    return current


def _check_complete(analysis: ImpactAnalysis) -> None:
    missing = analysis_missing(analysis)
    if missing:
        raise ValidationError(
            f"“{analysis.service}” cannot be submitted yet. Still to fill in: "
            + "; ".join(missing)
            + ".",
            code="incomplete",
        )


def submit_analysis(
    user: Any, analysis: ImpactAnalysis, *, version: int | None = None
) -> ImpactAnalysis:
    """The department (its liaison, or IT for it) says its analysis is ready for review.
    Refused, naming each missing field, until the essential function, MTD, RTO and every
    cell of the impact grid are filled in. `version` is the one the person saw: a change
    since then is a conflict rather than a silent submission of something unseen."""
    if not permissions.can(user, "change", analysis):
        raise PermissionDenied(
            "Only the department's liaisons, IT staff and administrators submit this analysis."
        )
    current = _fresh(analysis, version)
    if current.status != S.DRAFT:
        raise ValidationError(
            f"“{current.service}” is {current.get_status_display().lower()} already."
        )
    _check_complete(current)
    return services.transition(user, current, S.SUBMITTED, version=current.version)


def approve_analysis(
    user: Any, analysis: ImpactAnalysis, *, version: int | None = None
) -> ImpactAnalysis:
    """IT accepts a submitted analysis; the review date is today."""
    if not may_review(user) or not permissions.can(user, "change", analysis):
        raise PermissionDenied("Only IT staff and administrators approve impact analyses.")
    current = _fresh(analysis, version)
    if current.status != S.SUBMITTED:
        raise ValidationError(
            f"Only a submitted analysis can be approved; “{current.service}” is "
            f"{current.get_status_display().lower()}."
        )
    _check_complete(current)
    return services.transition(
        user,
        current,
        S.APPROVED,
        extra={"reviewed_on": timezone.localdate()},
        version=current.version,
    )


def return_analysis(
    user: Any, analysis: ImpactAnalysis, reason: str, *, version: int | None = None
) -> ImpactAnalysis:
    """IT sends a submitted (or approved) analysis back to the department as a draft. The
    reason goes at the top of its notes, dated and signed, and into the audit entry, so the
    liaison sees what to change."""
    if not may_review(user) or not permissions.can(user, "change", analysis):
        raise PermissionDenied("Only IT staff and administrators return impact analyses.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say what the department should change."})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": f"Keep the reason to {REASON_MAX} characters (it has {len(reason)})."}
        )
    current = _fresh(analysis, version)
    if current.status == S.DRAFT:
        raise ValidationError(
            f"“{current.service}” is a draft already: the department has it in hand."
        )
    who = (user.get_full_name() if hasattr(user, "get_full_name") else "") or user.username
    note = f"Returned to the department on {timezone.localdate():%Y-%m-%d} by {who}: {reason}"
    notes = f"{note}\n\n{current.notes}" if current.notes.strip() else note
    return services.transition(
        user,
        current,
        S.DRAFT,
        note=f"returned: {reason}",
        extra={"notes": notes},
        version=current.version,
    )


# --- reading progress --------------------------------------------------------------------


def _state(campaign: Campaign) -> Any:
    if campaign.status == Campaign.Status.CLOSED:
        return F("final_status")
    return Coalesce("analysis__status", Value(S.DRAFT))


def state_of(request: CampaignRequest, campaign: Campaign) -> str:
    """A request's status as the campaign counts it: its analysis's now, or the one kept
    when the campaign closed; no analysis counts as a draft."""
    if campaign.status == Campaign.Status.CLOSED:
        value = request.final_status
    else:
        value = request.analysis.status if request.analysis is not None else ""
    return value if value in STATES else S.DRAFT


def progress(campaign: Campaign, user: Any, today: datetime.date | None = None) -> Progress:
    """Counts by status overall and per department, percent done and whether anyone is
    late, for the requests `user` may see. One query, whatever the size."""
    rows = (
        CampaignRequest.objects.restrict(user, "view")
        .filter(campaign=campaign)
        .annotate(state=_state(campaign))
        .values("department_id", "department__name", "state")
        .annotate(
            n=Count("pk"),
            unsent=Count("pk", filter=Q(sent_at__isnull=True)),
            sent=Max("sent_at"),
            reminded=Max("reminded_at"),
        )
        .order_by()
    )
    return fold(
        rows,
        campaign.status == Campaign.Status.OPEN,
        campaign.due_on,
        today or timezone.localdate(),
    )


def request_rows(
    campaign: Campaign, user: Any, department: int | None = None, state: str = ""
) -> QuerySet:
    """The campaign's requests `user` may see, with their service, department and analysis
    (one query), optionally of one department and in one status."""
    qs = (
        CampaignRequest.objects.restrict(user, "view")
        .filter(campaign=campaign)
        .select_related("service", "department", "analysis")
        .order_by("department__name", "department_id", "service__name", "pk")
    )
    if department:
        qs = qs.filter(department_id=department)
    if state in STATES:
        qs = qs.annotate(state=_state(campaign))
        if state == S.DRAFT:
            qs = qs.filter(Q(state=S.DRAFT) | Q(state=""))
        else:
            qs = qs.filter(state=state)
    return qs


def department_requests(user: Any, department_id: int | None) -> QuerySet:
    """A department's requests in open campaigns, earliest due first (one query)."""
    return (
        CampaignRequest.objects.restrict(user, "view")
        .filter(department_id=department_id, campaign__status=Campaign.Status.OPEN)
        .select_related("campaign", "service", "analysis")
        .order_by("campaign__due_on", "campaign_id", "service__name", "pk")
    )
