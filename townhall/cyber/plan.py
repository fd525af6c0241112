"""The plan of action and milestones: what will be done about each gap, by whom, by when.

`generate_actions` proposes one action per subcategory below target in an assessment, per
open risk, per known-exploited vulnerability and per release at end of life found in the
estate, when none has one yet; people then fill in owners, dates, costs and milestones.

Exposures are grouped: the KEV feed names no affected versions, so every server running a
product matches every KEV entry for it, and one action per exposure would make a plan of
thousands of lines. One action covers every open exposure to one vulnerability (or one
release), names how many systems and components it concerns, and lists the first of them.

Generating only ever adds: an action people already have is never changed, and when its
source is resolved (the subcategory reached its target, the risk was closed, nothing is
exposed to the vulnerability or release any more) the plan says so beside it, for a person
to close.
"""

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Sum, Value
from django.urls import reverse
from django.utils import timezone

from townhall.core import permissions, services
from townhall.core.kept import kept
from townhall.cyber import models as m

A = m.Action
OPEN = (A.Status.PLANNED, A.Status.IN_PROGRESS)
OPEN_RISK = (m.Risk.Status.OPEN, m.Risk.Status.IN_TREATMENT)
TITLE_MAX: int = A._meta.get_field("title").max_length or 200

# --- plain computation ------------------------------------------------------------------


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    """Fit a title into the field, ending with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def gap_title(identifier: str, title: str, level: int, target: int) -> str:
    """“Raise GV.OC-01 from 3 to 5: Mission understood” — what to do, in plain words."""
    head = f"Raise {identifier} from {level} to {target}"
    return shorten(f"{head}: {title}" if title else head)


def risk_title(title: str, rating: int | None) -> str:
    rated = f" (rated {rating} of 25)" if rating else ""
    return shorten(f"Treat the risk “{title}”{rated}")


def kev_title(cve: str, product: str, where: str, ransomware: bool) -> str:
    """“Patch or mitigate CVE-1 (Acme Widget) on 37 systems — used in ransomware”."""
    what = f"{cve} ({product})" if product else cve
    tail = " — used in ransomware" if ransomware else ""
    return shorten(f"Patch or mitigate {what} on {where}{tail}")


def eol_title(release: str, where: str, ended: datetime.date | None) -> str:
    """“Upgrade, replace or isolate Windows Server 2012 on 3 systems (end of life …)”."""
    when = f" (end of life {ended:%Y-%m-%d})" if ended else ""
    return shorten(f"Upgrade, replace or isolate {release} on {where}{when}")


def product_name(vendor: str, product: str) -> str:
    """The KEV entry's vendor and product in words, without saying the vendor twice:
    (“Acme”, “Widget”) → “Acme Widget”, (“Fortinet”, “Fortinet FortiOS”) → “Fortinet FortiOS”."""
    vendor, product = vendor.strip(), product.strip()
    if not vendor or product.casefold().startswith(vendor.casefold()):
        return product or vendor
    return f"{vendor} {product}" if product else vendor


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def items_phrase(systems: int, components: int, only: str = "") -> str:
    """Where an action applies: the item's name when there is one (`only`), else how many
    systems and components — “37 systems”, “2 components”, “37 systems and 2 components”."""
    if systems + components == 1 and only:
        return only
    parts = []
    if systems:
        parts.append(_plural(systems, "system", "systems"))
    if components:
        parts.append(_plural(components, "component", "components"))
    return " and ".join(parts) or "no system"


def affected_note(names: Sequence[str], limit: int = 10) -> str:
    """The items an action covers, for its notes: the first `limit` named, the rest counted
    (“Affected (12): A, B, … J and 2 more.”), so a plan of 40,000 exposures stays short."""
    if not names:
        return ""
    shown = ", ".join(names[:limit])
    rest = len(names) - limit
    more = f" and {rest:,} more" if rest > 0 else ""
    return f"Affected ({len(names):,}): {shown}{more}."


@dataclass(frozen=True)
class Hit:
    """One open exposure, as the plan needs it: what it is exposed to (`key`: ("kev",
    vulnerability id) or ("eol", release id), `what`: the CVE or release in words), the item,
    its due date and the item's technical owner (systems only)."""

    exposure: int
    key: tuple[str, int]
    what: str
    item: str
    system: bool
    due: datetime.date | None
    ransomware: bool
    owner: int | None = None

    def urgency(self) -> tuple:
        """Used in ransomware first, then the earliest due date (none last), then by name."""
        return (
            not self.ransomware,
            self.due is None,
            self.due or datetime.date.max,
            self.item.casefold(),
            self.exposure,
        )


@dataclass
class Group:
    """Every open exposure to one vulnerability or release: what one action covers."""

    key: tuple[str, int]
    hits: list[Hit]  # most urgent first

    @property
    def first(self) -> Hit:
        return self.hits[0]

    @property
    def ransomware(self) -> bool:
        return any(h.ransomware for h in self.hits)

    @property
    def due(self) -> datetime.date | None:
        """The earliest due date among the exposures: the action is late when any is."""
        return min((h.due for h in self.hits if h.due), default=None)

    @property
    def owner(self) -> int | None:
        """The technical owner of most of the systems concerned (ties: of the most urgent);
        None when no system has one."""
        counts = Counter(h.owner for h in self.hits if h.owner)
        if not counts:
            return None
        top = max(counts.values())
        return next(h.owner for h in self.hits if h.owner and counts[h.owner] == top)

    @property
    def systems(self) -> int:
        return sum(1 for h in self.hits if h.system)

    @property
    def components(self) -> int:
        return len(self.hits) - self.systems

    def where(self) -> str:
        return items_phrase(self.systems, self.components, self.first.item)

    def names(self) -> list[str]:
        return [h.item for h in self.hits]

    def order(self) -> tuple:
        """Groups used in ransomware first, then the soonest due, vulnerabilities before
        releases, then by CVE or release."""
        due = self.due
        return (
            not self.ransomware,
            due is None,
            due or datetime.date.max,
            self.key[0] != "kev",
            self.first.what.casefold(),
            self.key[1],
        )


def group_hits(hits: Iterable[Hit]) -> list[Group]:
    """Open exposures grouped by vulnerability or release, each group's most urgent exposure
    first, the groups in the order the plan takes them (see `Group.order`)."""
    by_key: dict[tuple[str, int], list[Hit]] = {}
    for hit in hits:
        by_key.setdefault(hit.key, []).append(hit)
    groups = [Group(key, sorted(found, key=Hit.urgency)) for key, found in by_key.items()]
    return sorted(groups, key=Group.order)


_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b")
_AFTER_DATE = re.compile(r"^\s*[:—–-]?\s*")


def milestones(text: str) -> list[tuple[datetime.date | None, str]]:
    """A plan's milestones, one per line, each with the date it starts with if any
    (2026-03-31 or 3/31/2026): “- 2026-03-31: vendor chosen” → (2026-03-31, "vendor chosen")."""
    found: list[tuple[datetime.date | None, str]] = []
    for raw in (text or "").splitlines():
        line = _BULLET.sub("", raw).strip()
        if not line:
            continue
        day = None
        iso, us = _ISO.match(line), _US.match(line)
        try:
            if iso:
                day = datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
                line = line[iso.end() :]
            elif us:
                day = datetime.date(int(us[3]), int(us[1]), int(us[2]))
                line = line[us.end() :]
        except ValueError:
            day = None  # not a real date: keep the line as written
        else:
            line = _AFTER_DATE.sub("", line, count=1) if day else line
        found.append((day, line.strip() or raw.strip()))
    return found


# --- which assessment -------------------------------------------------------------------


def default_assessment(user: Any) -> m.Assessment | None:
    """The latest assessment in progress that `user` may see, else the latest one."""
    visible = m.Assessment.objects.restrict(user, "view").order_by("-year", "-pk")
    return visible.filter(status=m.Assessment.Status.IN_PROGRESS).first() or visible.first()


# --- generating -------------------------------------------------------------------------


@dataclass
class GenerationReport:
    """What one run of `generate_actions` did."""

    assessment: m.Assessment | None
    from_assessment: list[Any] = field(default_factory=list)
    from_risks: list[Any] = field(default_factory=list)
    from_kev: list[Any] = field(default_factory=list)  # one per known-exploited vulnerability
    from_eol: list[Any] = field(default_factory=list)  # one per release at end of life
    kev_items: int = 0  # open exposures the new vulnerability actions cover
    eol_items: int = 0  # … and the new release actions
    ransomware: int = 0  # new vulnerability actions for one used in ransomware
    already_planned: int = 0  # gaps, risks, vulnerabilities and releases that had an action
    not_scored: int = 0  # subcategories of the assessment with no level yet
    resolved: list[Any] = field(default_factory=list)  # open actions whose source is resolved

    @property
    def from_exposures(self) -> list[Any]:
        return self.from_kev + self.from_eol

    @property
    def added(self) -> list[Any]:
        return self.from_assessment + self.from_risks + self.from_exposures

    def lines(self) -> list[str]:
        """The report in sentences, for the page's message."""
        n = len(self.added)
        out = [f"Added {n} action{'s' if n != 1 else ''} to the plan."]
        if self.assessment is not None:
            k = len(self.from_assessment)
            out.append(
                f"{k} for subcategories below the target of {self.assessment.target} "
                f"in {self.assessment}."
            )
        else:
            out.append("No assessment to take gaps from.")
        out.append(f"{len(self.from_risks)} for open risks.")
        kev = len(self.from_kev)
        ransom = f" ({self.ransomware} used in ransomware)" if self.ransomware else ""
        out.append(
            f"{kev} for known-exploited vulnerabilities{ransom} on "
            f"{_plural(self.kev_items, 'system or component', 'systems and components')}."
        )
        out.append(
            f"{len(self.from_eol)} for releases at or near end of life on "
            f"{_plural(self.eol_items, 'system or component', 'systems and components')}."
        )
        if self.already_planned:
            out.append(f"{self.already_planned} already had an action and were left alone.")
        if self.not_scored:
            out.append(
                f"{self.not_scored} subcategor{'y' if self.not_scored == 1 else 'ies'} "
                "not scored yet were left out."
            )
        if self.resolved:
            r = len(self.resolved)
            out.append(
                f"{r} open action{'s' if r != 1 else ''} "
                f"{'has its' if r == 1 else 'have their'} source resolved: check and close "
                f"{'it' if r == 1 else 'them'}."
            )
        return out


def generate_actions(user: Any, assessment: m.Assessment | None = None) -> GenerationReport:
    """Add the actions the plan is missing, as `user`, in one transaction.

    One per subcategory below target in `assessment` (default: `default_assessment`), one
    per open or in-treatment risk with no action, and one per known-exploited vulnerability
    and per release at end of life that open exposures name and no action covers yet (see
    `_from_exposures`). Subcategories marked not applicable or not scored are left out. A gap
    already has an action when an action names the same assessment and requirement, or an
    open one names the requirement; a risk has one when any action names it. Running it
    twice adds nothing the second time. The number of queries grows with the actions added,
    not with the exposures read."""
    if not permissions.can_add(user, A):
        raise PermissionDenied("Only IT staff generate the plan of action.")
    if assessment is None:
        assessment = default_assessment(user)
    elif not m.Assessment.objects.restrict(user, "view").filter(pk=assessment.pk).exists():
        raise PermissionDenied("You may not see this assessment.")
    report = GenerationReport(assessment=assessment)
    actions = A.objects.restrict(user, "view")
    with transaction.atomic():
        if assessment is not None:
            _from_assessment(user, assessment, actions, report)
        _from_risks(user, actions, report)
        _from_exposures(user, actions, report)
        opened = list(_with_sources(actions.filter(status__in=OPEN)))
        reasons = resolutions(user, opened, assessment)
        report.resolved = [a for a in opened if a.pk in reasons]
    return report


def _from_assessment(
    user: Any, assessment: m.Assessment, actions: Any, report: GenerationReport
) -> None:
    scores = (
        m.Score.objects.restrict(user, "view")
        .filter(assessment=assessment, not_applicable=False)
        .select_related("requirement")
        .order_by("requirement__sort_key", "requirement__identifier", "pk")
    )
    planned = set(
        actions.filter(source=A.Source.ASSESSMENT)
        .filter(Q(assessment=assessment) | Q(status__in=OPEN))
        .values_list("requirement_id", flat=True)
    )
    for score in scores:
        if score.level is None:
            report.not_scored += 1
            continue
        if score.level >= assessment.target:
            continue
        if score.requirement_id in planned:
            report.already_planned += 1
            continue
        req = score.requirement
        action = services.create(
            user,
            A,
            {
                "title": gap_title(req.identifier, req.title, score.level, assessment.target),
                "source": A.Source.ASSESSMENT,
                "requirement": req,
                "assessment": assessment,
                "owner": score.responsible_id,
                "status": A.Status.PLANNED,
            },
        )
        planned.add(req.pk)
        report.from_assessment.append(action)


def _from_risks(user: Any, actions: Any, report: GenerationReport) -> None:
    risks = (
        m.Risk.objects.restrict(user, "view")
        .filter(status__in=OPEN_RISK)
        .order_by(F("due_date").asc(nulls_last=True), "title", "pk")
    )
    planned = set(actions.filter(risk__isnull=False).values_list("risk_id", flat=True))
    for risk in risks:
        if risk.pk in planned:
            report.already_planned += 1
            continue
        rating = risk.residual_rating or risk.inherent_rating
        action = services.create(
            user,
            A,
            {
                "title": risk_title(risk.title, rating),
                "source": A.Source.RISK,
                "risk": risk,
                "owner": risk.owner_id,
                "due_date": risk.due_date,
                "status": A.Status.PLANNED,
            },
        )
        report.from_risks.append(action)


def _hits(user: Any) -> Iterable[tuple[Hit, dict[str, Any]]]:
    """Every open exposure `user` may see to a vulnerability or a release, with what the
    action's title needs, in one query read in chunks (no model objects: there can be tens
    of thousands)."""
    E = m.Exposure
    rows = (
        E.objects.restrict(user, "view")
        .filter(status=E.Status.OPEN)
        .filter(
            Q(kind=E.Kind.KEV, vulnerability__isnull=False)
            | Q(kind=E.Kind.EOL, release__isnull=False)
        )
        .order_by("pk")
        .values(
            "pk",
            "kind",
            "vulnerability_id",
            "release_id",
            "due_date",
            "ransomware",
            "system_id",
            "system__name",
            "system__technical_owner_id",
            "component__name",
            "vulnerability__cve_id",
            "vulnerability__vendor_project",
            "vulnerability__product",
            "vulnerability__due_date",
            "vulnerability__ransomware",
            "release__product",
            "release__label",
            "release__cycle",
            "release__end_of_life",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        if row["kind"] == E.Kind.KEV:
            key = ("kev", row["vulnerability_id"])
            what = row["vulnerability__cve_id"]
            due = row["due_date"] or row["vulnerability__due_date"]
            ransomware = bool(row["ransomware"] or row["vulnerability__ransomware"])
        else:
            key = ("eol", row["release_id"])
            label = row["release__label"] or row["release__product"]
            what = f"{label} {row['release__cycle']}"
            due = row["due_date"]
            ransomware = bool(row["ransomware"])
        hit = Hit(
            exposure=row["pk"],
            key=key,
            what=what,
            item=(row["system__name"] if row["system_id"] else row["component__name"]) or "",
            system=bool(row["system_id"]),
            due=due,
            ransomware=ransomware,
            owner=row["system__technical_owner_id"],
        )
        yield hit, row


def _from_exposures(user: Any, actions: Any, report: GenerationReport) -> None:
    """One action per vulnerability and per release that open exposures name, unless an
    action (not cancelled) already points at an exposure to it. The action points at the
    group's most urgent exposure, is due by the earliest due date among them, goes to the
    technical owner of most of its systems, and lists the items in its notes."""
    planned: set[tuple[str, int]] = set()
    for vuln, release in (
        actions.exclude(status=A.Status.CANCELLED)
        .filter(exposure__isnull=False)
        .order_by()
        .values_list("exposure__vulnerability_id", "exposure__release_id")
        .distinct()
    ):
        if vuln:
            planned.add(("kev", vuln))
        if release:
            planned.add(("eol", release))
    facts: dict[tuple[str, int], dict[str, Any]] = {}
    hits = []
    for hit, row in _hits(user):
        hits.append(hit)
        facts.setdefault(hit.key, row)
    for group in group_hits(hits):
        if group.key in planned:
            report.already_planned += 1
            continue
        row = facts[group.key]
        if group.key[0] == "kev":
            product = product_name(
                row["vulnerability__vendor_project"], row["vulnerability__product"]
            )
            title = kev_title(group.first.what, product, group.where(), group.ransomware)
        else:
            title = eol_title(group.first.what, group.where(), row["release__end_of_life"])
        action = services.create(
            user,
            A,
            {
                "title": title,
                "source": A.Source.EXPOSURE,
                "exposure": group.first.exposure,
                "owner": group.owner,
                "due_date": group.due,
                "status": A.Status.PLANNED,
                "notes": affected_note(group.names()),
            },
        )
        planned.add(group.key)
        if group.key[0] == "kev":
            report.from_kev.append(action)
            report.kev_items += len(group.hits)
            report.ransomware += group.ransomware
        else:
            report.from_eol.append(action)
            report.eol_items += len(group.hits)


# --- reading the plan -------------------------------------------------------------------


def _with_sources(qs: Any) -> Any:
    """Actions with everything the plan shows about them, so a page costs the same number
    of queries at 10 rows or 1,000."""
    return qs.select_related(
        "owner",
        "requirement",
        "assessment",
        "risk",
        "exposure__system",
        "exposure__component",
        "exposure__vulnerability",
        "exposure__release",
    )


def ordered(qs: Any) -> Any:
    """Soonest due first (no date last), then by title."""
    return qs.order_by(F("due_date").asc(nulls_last=True), "title", "pk")


def plan_rows(user: Any) -> Any:
    """The actions `user` may see, with their sources loaded, soonest due first."""
    return ordered(_with_sources(A.objects.restrict(user, "view")))


def resolutions(
    user: Any, actions: Iterable[Any], current: m.Assessment | None = None
) -> dict[int, str]:
    """Open actions whose source no longer needs them, by id, with the reason in words.

    A gap is resolved when the requirement reaches the target (or is marked not
    applicable) in the current assessment, or, if that does not score it, in the action's
    own; a risk when it is accepted or closed; an action about an exposure when nothing is
    exposed any more to its vulnerability (or release): an action covers them all. Two
    queries, whatever the number of actions (pass them with their sources loaded)."""
    actions = [a for a in actions if a.status in OPEN]
    exposed = _still_exposed(user, [a.exposure for a in actions if a.exposure_id])
    gaps = [a for a in actions if a.source == A.Source.ASSESSMENT and a.requirement_id]
    scores: dict[tuple[int, int], Any] = {}
    if gaps:
        assessments = {a.assessment_id for a in gaps if a.assessment_id}
        if current is not None:
            assessments.add(current.pk)
        for score in (
            m.Score.objects.restrict(user, "view")
            .filter(
                assessment_id__in=assessments,
                requirement_id__in={a.requirement_id for a in gaps},
            )
            .select_related("assessment", "requirement")
        ):
            scores[(score.assessment_id, score.requirement_id)] = score
    gap_ids = {a.pk for a in gaps}
    reasons: dict[int, str] = {}
    for action in actions:
        reason = ""
        if action.pk in gap_ids:
            score = None
            if current is not None:
                score = scores.get((current.pk, action.requirement_id))
            if score is None or (score.level is None and not score.not_applicable):
                score = scores.get((action.assessment_id, action.requirement_id))
            if score is not None:
                ident = score.requirement.identifier
                if score.not_applicable:
                    reason = f"{ident} is marked not applicable in {score.assessment}."
                elif score.level is not None and score.level >= score.assessment.target:
                    reason = f"{ident} is at {score.level} in {score.assessment}."
        elif action.risk_id and action.risk.status not in OPEN_RISK:
            reason = f"The risk is {action.risk.get_status_display().lower()}."
        elif action.exposure_id:
            reason = _exposure_reason(action.exposure, exposed)
        if reason:
            reasons[action.pk] = reason
    return reasons


def _key(exposure: m.Exposure) -> tuple[str, int] | None:
    if exposure.vulnerability_id:
        return ("kev", exposure.vulnerability_id)
    if exposure.release_id:
        return ("eol", exposure.release_id)
    return None


def _still_exposed(user: Any, exposures: list[m.Exposure]) -> set[tuple[str, int]]:
    """Of the vulnerabilities and releases these exposures name, those with an open
    exposure `user` may see, as ("kev", id) and ("eol", id)."""
    vulns = {e.vulnerability_id for e in exposures if e.vulnerability_id}
    releases = {e.release_id for e in exposures if e.release_id}
    if not vulns and not releases:
        return set()
    # Whether one open exposure is left to each, found through the exposures' indexes: a
    # plan names a few dozen, while reading the exposures to them went through tens of
    # thousands on a county's estate (25 ms).
    open_rows = m.Exposure.objects.restrict(user, "view").filter(status=m.Exposure.Status.OPEN)
    asks = []
    for kind, model, column, ids in (
        ("kev", m.KnownVulnerability, "vulnerability_id", vulns),
        ("eol", m.ProductRelease, "release_id", releases),
    ):
        if ids:
            asks.append(
                model.objects.filter(pk__in=ids)
                .filter(Exists(open_rows.filter(**{column: OuterRef("pk")})))
                .annotate(kind=Value(kind, output_field=CharField()))
                .order_by()
                .values_list("kind", "pk")
            )
    rows = asks[0].union(*asks[1:], all=True) if len(asks) > 1 else asks[0]
    return {(kind, pk) for kind, pk in rows}


def _exposure_reason(exposure: m.Exposure, exposed: set[tuple[str, int]]) -> str:
    key = _key(exposure)
    if key is None:  # names neither (the record's own rules forbid it): its own status
        if exposure.status == m.Exposure.Status.OPEN:
            return ""
        return f"The exposure is {exposure.get_status_display().lower()}."
    if key in exposed:
        return ""
    what = exposure.vulnerability if key[0] == "kev" else _release_name(exposure.release)
    return f"No system or component is exposed to {what} any more."


def _release_name(release: m.ProductRelease | None) -> str:
    if release is None:
        return "a release no longer on record"
    return f"{release.label or release.product} {release.cycle}"


def source_link(action: Any) -> tuple[str, str] | None:
    """(label, url) of the record an action came from, if any."""
    if action.requirement_id:
        label = action.requirement.identifier
        if action.assessment_id:
            label += f" in {action.assessment}"
        return label, action.requirement.get_absolute_url()
    if action.risk_id:
        return f"Risk: {action.risk}", action.risk.get_absolute_url()
    if action.exposure_id:
        # An action covers every exposure to a vulnerability or release: its page lists them.
        e = action.exposure
        if e.vulnerability_id:
            v = e.vulnerability
            return f"{v.cve_id} ({product_name(v.vendor_project, v.product)})", v.get_absolute_url()
        if e.release_id:
            return f"End of life: {_release_name(e.release)}", e.release.get_absolute_url()
        return f"Exposure: {e}", e.get_absolute_url()
    return None


def is_overdue(action: Any, today: datetime.date) -> bool:
    return bool(action.status in OPEN and action.due_date and action.due_date < today)


def plan_summary(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """For the leader brief. Shape:

    {"total": int,                 # every action `user` may see (0 for a liaison)
     "open": int,                  # planned or in progress
     "overdue": int,               # open, due date passed
     "done": int, "cancelled": int,
     "cost_open": Decimal,         # estimated cost of open actions (blank costs count 0)
     "cost_total": Decimal,        # of every action not cancelled
     "unpriced": int,              # open actions with no cost estimate yet
     "next_due": [{"title": str, "due_date": date, "owner": str, "status": str,
                   "overdue": bool, "url": str}, ...],   # up to 5 open, soonest first
     "exposure_actions": int,      # open actions about a vulnerability or ended release
                                   # (each covers every exposure to it)
     "exposures_open": int,        # open exposures `user` may see
     "exposures_covered": int,     # … whose vulnerability or release has an open action
     "exposures_unplanned": int,   # … whose has no action at all (not cancelled): what
                                   # generating the plan would add actions for
     "url": str}                   # the plan of action page
    """
    today = today or timezone.localdate()
    qs = A.objects.restrict(user, "view")
    is_open = Q(status__in=OPEN)
    # One pass over the actions for every count and sum (they were seven queries).
    found = qs.aggregate(
        **{f"n_{s}": Count("pk", filter=Q(status=s)) for s in A.Status.values},
        cost_open=Sum("cost", filter=is_open),
        cost_total=Sum("cost", filter=~Q(status=A.Status.CANCELLED)),
        overdue=Count("pk", filter=is_open & Q(due_date__lt=today)),
        unpriced=Count("pk", filter=is_open & Q(cost__isnull=True)),
        exposure_actions=Count("pk", filter=is_open & Q(exposure__isnull=False)),
    )
    counts = {s: found[f"n_{s}"] for s in A.Status.values}
    opened = qs.filter(is_open)
    zero = Decimal("0.00")
    cost_open = found["cost_open"] or zero
    cost_total = found["cost_total"] or zero
    nxt = ordered(opened.filter(due_date__isnull=False).select_related("owner"))[:5]
    exposures = _exposure_coverage(user, qs)
    return {
        "total": sum(counts.values()),
        "open": counts[A.Status.PLANNED] + counts[A.Status.IN_PROGRESS],
        "overdue": found["overdue"],
        "done": counts[A.Status.DONE],
        "cancelled": counts[A.Status.CANCELLED],
        "cost_open": cost_open,
        "cost_total": cost_total,
        "unpriced": found["unpriced"],
        "next_due": [
            {
                "title": a.title,
                "due_date": a.due_date,
                "owner": str(a.owner or ""),
                "status": a.get_status_display(),
                "overdue": is_overdue(a, today),
                "url": a.get_absolute_url(),
            }
            for a in nxt
        ],
        "exposure_actions": found["exposure_actions"],
        **exposures,
        "url": reverse("cyber:plan"),
    }


def _exposure_coverage(user: Any, actions: Any) -> dict[str, int]:
    """How many open exposures the plan covers, in one query: an exposure is covered when an
    action points at an exposure to the same vulnerability or release. It reads every open
    exposure (tens of thousands on a county's estate, 12 ms), so it is counted once until
    the next change (`core.kept`)."""
    return kept(f"cyber:plan-exposures:{user.pk}", _count_exposure_coverage, user, actions)


def _count_exposure_coverage(user: Any, actions: Any) -> dict[str, int]:

    def covers(statuses: Any) -> Q:
        linked = actions.filter(status__in=statuses)
        vulns = linked.filter(exposure__vulnerability__isnull=False).values(
            "exposure__vulnerability_id"
        )
        releases = linked.filter(exposure__release__isnull=False).values("exposure__release_id")
        return Q(vulnerability_id__in=vulns) | Q(release_id__in=releases)

    live = [s for s in A.Status.values if s != A.Status.CANCELLED]
    found = (
        m.Exposure.objects.restrict(user, "view")
        .filter(status=m.Exposure.Status.OPEN)
        .aggregate(
            total=Count("pk"),
            covered=Count("pk", filter=covers(OPEN)),
            planned=Count("pk", filter=covers(live)),
        )
    )
    return {
        "exposures_open": found["total"],
        "exposures_covered": found["covered"],
        "exposures_unplanned": found["total"] - found["planned"],
    }
