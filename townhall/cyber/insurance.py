"""Insurance readiness: the control questions cyber insurers ask before they renew, answered
from the records where the records can answer, and from a person's answer otherwise.

The first half is plain computation (no database): the questions, which CSF 2.0
subcategories and cyber functions speak to each, and the rules that turn levels, shares and
counts into yes / partly / no. The second half reads the records and builds each answer with
the records behind it, so a reader can check where it came from.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from townhall.core import services
from townhall.cyber import coverage, exposure, training
from townhall.cyber import models as m
from townhall.estate.models import Component, System

YES, PARTLY, NO, UNKNOWN = "yes", "partly", "no", "unknown"
ANSWER_LABELS = {YES: "Yes", PARTLY: "Partly", NO: "No", UNKNOWN: "Not answered"}
_RANK = {NO: 0, PARTLY: 1, YES: 2}

# A level of 6 on the 1–7 scale means the control is tested and verified: what a question
# about testing needs, where others need the assessment's target (5 by default).
TESTED = 6
# Share of people current on every required course for a yes; below the second figure it
# is a no. Who counts as current is the training page's rule (`training.training_summary`),
# so the questionnaire, the training page and the leader brief never disagree.
TRAINED_FULLY, TRAINED_PARTLY = 0.95, 0.5

# --- the questions (plain computation) --------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One insurer's question.

    `subcategories`: CSF 2.0 subcategories whose assessment level answers it (`needs` is the
    level a yes takes; None means the assessment's target). `function`: the cyber function
    (see coverage.FUNCTIONS) whose row answers it — nobody performing it is a no; when
    `function_is_yes`, someone performing it is a yes. `data`: a special source, one of
    "training", "kev", "eol", "monitoring". `gap`: what an insurer expects, said when the
    answer falls short."""

    slug: str
    topic: str
    text: str
    gap: str
    subcategories: tuple[str, ...] = ()
    needs: int | None = None
    function: str = ""
    function_is_yes: bool = False
    data: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "mfa-remote",
        "Multi-factor sign-in: remote access",
        "Is multi-factor authentication required for every way into the network from "
        "outside (VPN, remote desktop, remote support tools)?",
        "Insurers expect a second factor on every remote path; one exception is often the way in.",
        subcategories=("PR.AA-03",),
    ),
    Question(
        "mfa-email",
        "Multi-factor sign-in: e-mail",
        "Is multi-factor authentication required to read e-mail from the web or from "
        "personal devices?",
        "A stolen password alone should not open a mailbox; turn on a second factor for "
        "web and mobile e-mail.",
        subcategories=("PR.AA-03",),
    ),
    Question(
        "mfa-privileged",
        "Multi-factor sign-in: administrators",
        "Is multi-factor authentication required for every administrator and service "
        "management account?",
        "Administrator accounts are what ransomware crews look for first; each needs a "
        "second factor.",
        subcategories=("PR.AA-03", "PR.AA-05"),
    ),
    Question(
        "privileged-access",
        "Privileged access",
        "Are administrator rights kept to separate accounts, given only to those who need "
        "them, and reviewed at least yearly?",
        "Keep administrator rights off everyday accounts and review who holds them.",
        subcategories=("PR.AA-05",),
    ),
    Question(
        "backups-protected",
        "Backups out of reach",
        "Are backups of critical systems kept offline, immutable or otherwise out of reach "
        "of the network's own accounts?",
        "Backups an attacker can reach with a stolen administrator password are encrypted "
        "along with everything else; keep a copy offline or immutable.",
        subcategories=("PR.DS-11",),
    ),
    Question(
        "backups-tested",
        "Restores tested",
        "Has a restore from backup of a critical system been tested in the last 12 months?",
        "Insurers ask for a restore test within the year; a backup never restored is a "
        "hope, not a control.",
        subcategories=("PR.DS-11", "RC.RP-03"),
        needs=TESTED,
        function="backups",
    ),
    Question(
        "edr",
        "Endpoint detection and response",
        "Is endpoint detection and response (EDR) software running on all computers and "
        "servers, with someone acting on what it finds?",
        "Antivirus alone no longer satisfies most insurers; they ask for EDR on every "
        "computer and server.",
        subcategories=("DE.CM-09",),
        function="edr",
        function_is_yes=True,
    ),
    Question(
        "monitoring",
        "Round-the-clock monitoring",
        "Are security alerts watched and acted on 24 hours a day, 7 days a week, by staff "
        "or a managed service?",
        "Attacks often start at night or on a holiday; someone must answer alerts at any "
        "hour (a managed service or the state's program can).",
        subcategories=("DE.CM-01", "DE.CM-09"),
        function="monitoring",
        data="monitoring",
    ),
    Question(
        "email-filtering",
        "E-mail filtering",
        "Is incoming e-mail filtered for phishing, malicious links and attachments, and are "
        "the government's domains protected from spoofing (SPF, DKIM, DMARC)?",
        "Filter e-mail for malicious links and attachments and publish SPF, DKIM and DMARC "
        "records.",
        function="email",
        function_is_yes=True,
    ),
    Question(
        "training",
        "Security awareness training",
        "Do all employees complete security awareness training at least once a year?",
        "Insurers expect every employee trained each year; follow up with those who are "
        "not current.",
        subcategories=("PR.AT-01",),
        data="training",
    ),
    Question(
        "phishing-simulation",
        "Phishing practice",
        "Are employees sent practice phishing messages at least every quarter, with "
        "follow-up for those who click?",
        "Regular practice phishing, with short lessons for those who click, is a common "
        "insurer question.",
        function="training",
    ),
    Question(
        "incident-plan",
        "Incident response plan",
        "Is there a written incident response plan, and has it been exercised (for example "
        "in a tabletop) in the last 12 months?",
        "Write the plan down, name who does what (insurer's hotline included) and rehearse "
        "it at least yearly.",
        subcategories=("ID.IM-04", "RS.MA-01"),
        function="incident_response",
    ),
    Question(
        "kev-patching",
        "Known-exploited vulnerabilities",
        "Are vulnerabilities in CISA's Known Exploited Vulnerabilities catalog patched by "
        "the catalog's due dates?",
        "Patch or mitigate every known-exploited vulnerability by its due date; those used "
        "in ransomware first.",
        data="kev",
    ),
    Question(
        "end-of-life",
        "Supported software and equipment",
        "Is all software and equipment in use still supported by its vendor with security updates?",
        "Replace, upgrade or isolate what no longer gets security updates; insurers ask "
        "for a list and a plan.",
        data="eol",
    ),
    Question(
        "remote-desktop",
        "Remote desktop closed to the internet",
        "Is remote desktop (RDP) closed to the internet, reachable only through a VPN or "
        "gateway with multi-factor sign-in?",
        "Remote desktop open to the internet is among the commonest ways ransomware gets "
        "in; close it or put it behind a gateway.",
    ),
)

BY_SLUG: dict[str, Question] = {q.slug: q for q in QUESTIONS}
SUBCATEGORIES: tuple[str, ...] = tuple(sorted({s for q in QUESTIONS for s in q.subcategories}))


def worst(answers: Iterable[str | None]) -> str | None:
    """The weakest of the answers given (no < partly < yes); None when none is given."""
    given = [a for a in answers if a in _RANK]
    return min(given, key=_RANK.__getitem__) if given else None


def level_answer(levels: Sequence[int], needs: int, unscored: int = 0) -> str | None:
    """Assessment levels → an answer: all at `needs` or above is a yes; any at 1 (not
    performed) is a no; anything between is partly. None when nothing is scored.

    The answers go on an insurance application, where a wrong yes can cost a claim: a yes
    needs every subcategory behind it scored, so with `unscored` ones left, levels that
    would make a yes answer nothing (a partly or a no stands)."""
    if not levels:
        return None
    low = min(levels)
    if low >= needs:
        return None if unscored else YES
    if low <= 1:
        return NO
    return PARTLY


def share_answer(done: int, total: int) -> str | None:
    """A share of people → an answer (see TRAINED_FULLY, TRAINED_PARTLY); None for nobody."""
    if total <= 0:
        return None
    share = done / total
    if share >= TRAINED_FULLY:
        return YES
    if share >= TRAINED_PARTLY:
        return PARTLY
    return NO


# --- answers from the records -----------------------------------------------------------


@dataclass
class Finding:
    """One piece of what the records say: a sentence, its answer (None: informs only) and
    links to the records behind it."""

    text: str
    answer: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Answer:
    question: Question
    answer: str  # yes / partly / no / unknown
    basis: str  # "data", "manual" or "none"
    findings: list[Finding]
    manual: Any = None  # the InsuranceAnswer, if a person answered
    disagrees: bool = False  # a person's answer differs from what the data says

    @property
    def label(self) -> str:
        return ANSWER_LABELS[self.answer]

    @property
    def gap(self) -> str:
        if self.answer == YES:
            return ""
        if self.answer == UNKNOWN:
            return "Not answered yet. " + self.question.gap
        return self.question.gap


def _url(name: str, *args: Any, **params: Any) -> str:
    url = reverse(name, args=args)
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def readiness_assessment(user: Any) -> m.Assessment | None:
    """The assessment whose scores answer the questions: among those scoring any of the
    subcategories above, the latest in progress, else the latest."""
    scored = m.Score.objects.filter(requirement__identifier__in=SUBCATEGORIES).filter(
        Q(level__isnull=False) | Q(not_applicable=True)
    )
    candidates = list(
        m.Assessment.objects.restrict(user, "view")
        .filter(pk__in=scored.values("assessment_id"))
        .order_by("-year", "-pk")
    )
    in_progress = [a for a in candidates if a.status == m.Assessment.Status.IN_PROGRESS]
    return (in_progress or candidates or [None])[0]


class _Records:
    """Everything the answers read, fetched once for all questions. `trained` is the training
    summary when the caller has it already (the brief does): counting coverage again cost as
    much as the rest of the answers together on a county's people. The exposure counts are
    the exposure page's and the brief's (`exposure.exposure_summary`, kept until a change):
    counting them here again read every open exposure twice."""

    def __init__(
        self,
        user: Any,
        today: datetime.date,
        trained: dict[str, Any] | None = None,
        exposed: dict[str, Any] | None = None,
    ) -> None:
        self.user = user
        self.today = today
        self.trained = trained
        self.exposed = exposed if exposed is not None else exposure.exposure_summary(user, today)
        self.assessment = readiness_assessment(user)
        self.scores: dict[str, Any] = {}
        if self.assessment is not None:
            for score in (
                m.Score.objects.restrict(user, "view")
                .filter(assessment=self.assessment, requirement__identifier__in=SUBCATEGORIES)
                .select_related("requirement")
                .order_by("requirement__identifier", "pk")
            ):
                self.scores[score.requirement.identifier] = score
        self.evidence: dict[str, list[Any]] = {}
        visible = m.Evidence.objects.restrict(user, "view").exclude(expires__lt=today)
        links = (
            m.Evidence.requirements.through.objects.filter(
                requirement__identifier__in=SUBCATEGORIES, evidence__in=visible
            )
            .select_related("evidence", "requirement")
            .order_by("evidence__title", "pk")
        )
        for link in links:
            self.evidence.setdefault(link.requirement.identifier, []).append(link.evidence)
        self.coverage = {coverage.normalized(row.function): row for row in coverage.rows(user)}
        self.manual = {
            a.question: a
            for a in m.InsuranceAnswer.objects.restrict(user, "view").select_related("evidence")
        }

    def coverage_row(self, key: str) -> Any:
        return self.coverage.get(coverage.normalized(coverage.BY_KEY[key].name))


def _scores_finding(q: Question, rec: _Records) -> list[Finding]:
    if not q.subcategories:
        return []
    a = rec.assessment
    if a is None:
        return [
            Finding(
                "No assessment scores "
                + ", ".join(q.subcategories)
                + " yet; scoring them would answer this."
            )
        ]
    needs = q.needs or a.target
    levels, parts, links = [], [], []
    unscored = 0
    for ident in q.subcategories:
        score = rec.scores.get(ident)
        if score is None or (score.level is None and not score.not_applicable):
            parts.append(f"{ident} not scored")
            unscored += 1
            continue
        links.append((f"{ident} in {a}", score.get_absolute_url()))
        if score.not_applicable:
            parts.append(f"{ident} marked not applicable")
            continue
        levels.append(score.level)
        parts.append(f"{ident} at {score.level} of 7")
    for ident in q.subcategories:
        for ev in rec.evidence.get(ident, []):
            links.append((f"Evidence: {ev.title}", ev.get_absolute_url()))
    answer = level_answer(levels, needs, unscored)
    level_word = "tested and verified" if q.needs == TESTED else "the target"
    text = f"{a}: " + "; ".join(parts) + f" (a yes takes {needs}, {level_word}, or above)."
    return [Finding(text, answer, links)]


def _coverage_finding(q: Question, rec: _Records) -> list[Finding]:
    if not q.function:
        return []
    function = coverage.BY_KEY[q.function]
    matrix = _url("cyber:coverage_matrix")
    row = rec.coverage_row(q.function)
    if row is None:
        return [
            Finding(
                f"“{function.name}” is not in the coverage matrix.",
                None,
                [("Who performs each cyber function", matrix)],
            )
        ]
    links = [(f"{row.function} (who performs it)", matrix + f"#coverage-{row.pk}")]
    if row.performer == m.Coverage.Performer.NOBODY:
        return [Finding(f"Nobody performs “{row.function}”.", NO, links)]
    who = row.get_performer_display().lower()
    if row.provider:
        who += f" ({row.provider})"
    if q.data == "monitoring":
        full = coverage.round_the_clock(row.hours)
        if full is None:
            return [Finding(f"Performed by {who}; its hours are not recorded.", None, links)]
        if full:
            return [Finding(f"Performed by {who}, {row.hours}.", YES, links)]
        return [Finding(f"Performed by {who}, only {row.hours}.", PARTLY, links)]
    return [
        Finding(f"Performed by {who}.", YES if q.function_is_yes else None, links),
    ]


def _percent(value: float) -> str:
    """75.0 → “75”, 66.7 → “66.7”: the training page's one decimal, without a bare “.0”."""
    return f"{value:g}"


def _training_finding(rec: _Records) -> list[Finding]:
    """The share of people current on every required course, exactly as the training page
    and the leader brief count it (`training.training_summary`)."""
    summary = rec.trained
    if summary is None:
        summary = training.training_summary(rec.user, rec.today)
    course_link = [("Required courses", _url("cyber:course_list", required="true"))]
    if not summary["required_courses"]:
        return [Finding("No required training course is recorded.", None, course_link)]
    people, covered = summary["people"], summary["covered"]
    if not people:
        return [Finding("The people register is empty.", None, course_link)]
    names = ", ".join(summary["required_courses"])
    text = (
        f"{covered:,} of {people:,} people in the register ({_percent(summary['percent'])}%) "
        f"are current on every required course ({names})."
    )
    late = summary["overdue_people"]
    if late:
        text += (
            f" {late:,} {'is' if late == 1 else 'are'} overdue or "
            f"{'has' if late == 1 else 'have'} never completed one."
        )
    links = [
        ("Training coverage by department", _url("cyber:training_coverage")),
        *course_link,
    ]
    return [Finding(text, share_answer(covered, people), links)]


def _kev_finding(rec: _Records) -> list[Finding]:
    if not m.KnownVulnerability.objects.restrict(rec.user, "view").exists():
        return [
            Finding(
                "The Known Exploited Vulnerabilities catalog has not been imported.",
                None,
                [("Feed imports", _url("cyber:feedimport_list"))],
            )
        ]
    late = rec.exposed["overdue"]
    pending = rec.exposed["open_kev"] - late
    today = rec.today.isoformat()
    links = [
        (
            "Open past their due date",
            _url("cyber:exposure_list", kind="kev", status="open", due_before=today),
        ),
        ("All open", _url("cyber:exposure_list", kind="kev", status="open")),
    ]
    if late:
        text = (
            f"{late} open known-exploited vulnerabilit{'y is' if late == 1 else 'ies are'} "
            f"past CISA's due date; {pending} more not yet due."
        )
        return [Finding(text, NO, links)]
    text = f"None past its due date; {pending} open and not yet due."
    return [Finding(text, YES, links)]


def _eol_finding(rec: _Records) -> list[Finding]:
    today = rec.today
    has_feed = m.ProductRelease.objects.restrict(rec.user, "view").exists()
    systems = System.objects.restrict(rec.user, "view")
    components = Component.objects.restrict(rec.user, "view")
    has_dates = has_feed or (
        systems.filter(end_of_support__isnull=False).exists()
        or components.filter(end_of_support__isnull=False).exists()
    )
    if not has_dates:
        return [
            Finding(
                "Neither end-of-life dates from endoflife.date nor vendors' end-of-support "
                "dates in the estate are recorded.",
                None,
                [("Feed imports", _url("cyber:feedimport_list"))],
            )
        ]
    exposures = rec.exposed["open_eol"]
    old_systems = (
        systems.filter(end_of_support__lt=today).exclude(lifecycle=System.Lifecycle.RETIRED).count()
    )
    old_components = (
        components.filter(end_of_support__lt=today).exclude(status=Component.Status.RETIRED).count()
    )
    day = today.isoformat()
    links = [
        ("Open end-of-life exposures", _url("cyber:exposure_list", kind="eol", status="open")),
        ("Systems past end of support", _url("estate:system_list", end_of_support_before=day)),
        (
            "Components past end of support",
            _url("estate:component_list", end_of_support_before=day),
        ),
    ]
    text = (
        f"{exposures} open end-of-life exposure{'s' if exposures != 1 else ''}; "
        f"{old_systems} system{'s' if old_systems != 1 else ''} and {old_components} "
        f"component{'s' if old_components != 1 else ''} not retired are past the vendor's "
        "end of support (the lists also show retired ones)."
    )
    bad = exposures + old_systems + old_components
    return [Finding(text, NO if bad else YES, links)]


def _answer(q: Question, rec: _Records) -> Answer:
    findings: list[Finding] = []
    if q.data == "training":
        findings += _training_finding(rec)
    elif q.data == "kev":
        findings += _kev_finding(rec)
    elif q.data == "eol":
        findings += _eol_finding(rec)
    findings += _coverage_finding(q, rec)
    # Records that measure the thing itself (training completions, exposures, the hours of
    # the monitoring row) outrank a self-assessed level, which is then only a fallback;
    # otherwise the level and the coverage row both count and the weaker one wins.
    if not (q.data and any(f.answer for f in findings)):
        findings += _scores_finding(q, rec)
    data = worst(f.answer for f in findings)
    manual = rec.manual.get(q.slug)
    said = manual.answer if manual is not None else None
    if data is not None:
        disagrees = said not in (None, m.InsuranceAnswer.Answer.UNKNOWN) and said != data
        return Answer(q, data, "data", findings, manual, disagrees)
    if said is not None and said != m.InsuranceAnswer.Answer.UNKNOWN:
        return Answer(q, said, "manual", findings, manual)
    return Answer(q, UNKNOWN, "none", findings, manual)


def answers(user: Any, today: datetime.date | None = None) -> list[Answer]:
    """Every question's answer for what `user` may see, in the questionnaire's order."""
    return readiness(user, today)[0]


def readiness(
    user: Any,
    today: datetime.date | None = None,
    trained: dict[str, Any] | None = None,
    exposed: dict[str, Any] | None = None,
) -> tuple[list[Answer], m.Assessment | None]:
    """The answers and the assessment whose scores they used, read once for both.

    `trained` and `exposed`: `training.training_summary(user, today)` and
    `exposure.exposure_summary(user, today)` when the caller has them already."""
    rec = _Records(user, today or timezone.localdate(), trained, exposed)
    return [_answer(q, rec) for q in QUESTIONS], rec.assessment


def record_answer(
    user: Any, slug: str, values: dict[str, Any], version: int | None = None
) -> m.InsuranceAnswer:
    """Save a person's answer to question `slug` (creating it the first time), through the
    write path: `version` is the one the form was opened at (None when there was none)."""
    if slug not in BY_SLUG:
        raise KeyError(slug)
    with transaction.atomic():
        current = m.InsuranceAnswer.objects.filter(question=slug).first()
        if current is None:
            return services.create(user, m.InsuranceAnswer, {"question": slug, **values})
        return services.update(user, current, values, version=version)


def insurance_summary(
    user: Any,
    today: datetime.date | None = None,
    trained: dict[str, Any] | None = None,
    exposed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """For the leader brief (`trained`, `exposed`: as `readiness` takes them). Shape:

    {"questions": int,                    # 15
     "yes": int, "partly": int, "no": int, "unknown": int,
     "from_data": int,                    # answered by the records, not by a person
     "gaps": [{"slug": str, "topic": str, "answer": str, "label": str, "gap": str}, ...],
                                          # every answer that is not a yes, in order
     "assessment": Assessment | None,     # whose scores were used
     "url": str}                          # the questionnaire page
    Empty (all zero, no gaps) for someone who may not see cyber records."""
    url = reverse("cyber:insurance")
    if m.InsuranceAnswer.objects.restrict(user, "view").query.is_empty():
        return {
            "questions": 0,
            "yes": 0,
            "partly": 0,
            "no": 0,
            "unknown": 0,
            "from_data": 0,
            "gaps": [],
            "assessment": None,
            "url": url,
        }
    found, assessment = readiness(user, today, trained, exposed)
    counts = {k: sum(1 for a in found if a.answer == k) for k in (YES, PARTLY, NO, UNKNOWN)}
    return {
        "questions": len(found),
        **counts,
        "from_data": sum(1 for a in found if a.basis == "data"),
        "gaps": [
            {
                "slug": a.question.slug,
                "topic": a.question.topic,
                "answer": a.answer,
                "label": a.label,
                "gap": a.gap,
            }
            for a in found
            if a.answer != YES
        ],
        "assessment": assessment,
        "url": url,
    }
