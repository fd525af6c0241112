"""Cyber assessment actions: start an assessment (optionally from last year's answers), save
one subcategory's score, complete or reopen it, evidence coming due, and the summary that
pages and the leader brief show. Every write goes through townhall.core.services
(permission, validation, conflict check, audit); the arithmetic is in `rollup.py`.
"""

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from townhall.audit.models import AuditEntry
from townhall.core import permissions, services
from townhall.cyber import rollup
from townhall.cyber.models import (
    SCORE_NOTES_MAX,
    TARGET,
    Assessment,
    Evidence,
    Framework,
    Requirement,
    RequirementMapping,
    Score,
)
from townhall.estate import calendar

EXPIRY_WINDOW_DAYS = 60
EXPIRY_WINDOW_MAX = 730  # the furthest ahead the list and the reminders look, in days
NOTES_MAX = SCORE_NOTES_MAX  # the workspace form's limit is the model's rule


# --- reading the tree and the scores -------------------------------------------------------


def requirements_of(framework: Framework | int) -> list[Requirement]:
    """The framework's current (not withdrawn) requirements in tree order: each node
    followed by its children, children by sort key and identifier. One query."""
    fw = framework.pk if isinstance(framework, Framework) else framework
    rows = list(
        Requirement.objects.filter(framework_id=fw, withdrawn=False).order_by(
            "sort_key", "identifier", "pk"
        )
    )
    order = rollup.depth_first([(r.pk, r.parent_id) for r in rows])
    by_pk = {r.pk: r for r in rows}
    return [by_pk[pk] for pk in order]


def nodes_of(requirements: list[Requirement]) -> list[rollup.Node]:
    ids = {r.pk: r.identifier for r in requirements}
    return [
        rollup.Node(
            r.identifier,
            None if r.parent_id is None else ids.get(r.parent_id),
            r.level,
            r.assessable,
            r.title,
        )
        for r in requirements
    ]


def marks_of(assessment: Assessment | int | None) -> dict[str, rollup.Mark]:
    """The assessment's answers by requirement identifier (one query)."""
    if assessment is None:
        return {}
    rows = Score.objects.filter(assessment_id=getattr(assessment, "pk", assessment)).values_list(
        "requirement__identifier", "level", "not_applicable"
    )
    return {ident: rollup.Mark(level, na) for ident, level, na in rows}


def rollup_of(
    assessment: Assessment, requirements: list[Requirement] | None = None
) -> rollup.Rollup:
    """The assessment's scores rolled up over its framework's tree (two queries, one when
    the requirements are given)."""
    if requirements is None:
        requirements = requirements_of(assessment.framework_id)
    return rollup.roll_up(nodes_of(requirements), marks_of(assessment), assessment.target)


def previous_rollup(
    assessment: Assessment, requirements: list[Requirement] | None = None
) -> rollup.Rollup | None:
    """Last time's roll-up, over last time's own framework tree (matched by identifier when
    compared), with this assessment's target, so both are judged alike."""
    previous = assessment.previous
    if previous is None:
        return None
    if previous.framework_id != assessment.framework_id or requirements is None:
        requirements = requirements_of(previous.framework_id)
    return rollup.roll_up(nodes_of(requirements), marks_of(previous), assessment.target)


# --- starting, scoring, completing ---------------------------------------------------------


def _person_id(value: Any) -> int | None:
    return getattr(value, "pk", value) if value not in (None, "") else None


def start_assessment(
    user: Any,
    framework: Framework,
    year: int,
    name: str,
    *,
    previous: Assessment | None = None,
    copy_from_previous: bool = False,
    target: int = TARGET,
    lead: Any = None,
) -> Assessment:
    """Create an assessment. With `copy_from_previous`, last time's levels, not-applicable
    marks, notes and responsible people become the starting point of every subcategory
    still in the framework (each a score of the new assessment, to confirm or change).

    Copying needs `previous` of the same framework version; comparing does not (nodes are
    matched by identifier). All or nothing: one transaction."""
    if previous is not None and not permissions.can(user, "view", previous):
        raise PermissionDenied("You may not see the assessment to compare with.")
    if copy_from_previous:
        if previous is None:
            raise ValidationError({"previous": "Choose the assessment to start from."})
        if previous.framework_id != framework.pk:
            raise ValidationError(
                {
                    "previous": f"“{previous}” uses {previous.framework}; only an assessment "
                    f"of {framework} can be the starting point. Compare with it instead."
                }
            )
    with transaction.atomic():
        assessment = services.create(
            user,
            Assessment,
            {
                "name": name,
                "framework": framework,
                "year": year,
                "target": target,
                "previous": previous,
                "lead": lead,
                "status": Assessment.Status.IN_PROGRESS,
            },
        )
        if copy_from_previous:
            earlier = (
                Score.objects.filter(
                    assessment=previous,
                    requirement__assessable=True,
                    requirement__withdrawn=False,
                )
                .select_related("requirement")
                .order_by("requirement__sort_key", "requirement__identifier", "pk")
            )
            for old in earlier:
                if old.level is None and not old.not_applicable and not old.notes:
                    continue
                services.create(
                    user,
                    Score,
                    {
                        "assessment": assessment,
                        "requirement": old.requirement,
                        "level": old.level,
                        "not_applicable": old.not_applicable,
                        "notes": old.notes,
                        "responsible": old.responsible_id,
                    },
                )
    return assessment


def _may_edit(user: Any, assessment: Assessment) -> None:
    if not permissions.can(user, "change", assessment):
        raise PermissionDenied("Only IT staff and administrators change assessments.")


def may_edit(user: Any, assessment: Assessment) -> bool:
    """Whether the workspace offers `user` the score forms: IT staff or an administrator,
    on an assessment still in progress."""
    return assessment.status == Assessment.Status.IN_PROGRESS and permissions.can(
        user, "change", assessment
    )


def _conflict(score: Score) -> services.ConflictError:
    entries = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Score), object_id=str(score.pk)
        )
    )
    return services.ConflictError(score, entries)


def save_score(
    user: Any,
    assessment: Assessment,
    requirement: Requirement,
    *,
    level: int | None = None,
    not_applicable: bool = False,
    notes: str = "",
    responsible: Any = None,
    version: int | None = None,
) -> Score:
    """Create or change one subcategory's answer in an assessment in progress. The answer is
    replaced as a whole: pass the notes and responsible person again to keep them.

    `version` is the version of the score the person started from, or None when there was
    no score yet. Someone else's save in between raises `ConflictError` (also when they
    created the score first). A level together with not applicable, a requirement of
    another framework or one that is not scored, or a complete assessment raise
    `ValidationError`; only IT staff and administrators may save (`PermissionDenied`)."""
    _may_edit(user, assessment)
    if assessment.status != Assessment.Status.IN_PROGRESS:
        raise ValidationError("This assessment is complete; reopen it to change its scores.")
    values = {
        "level": level,
        "not_applicable": bool(not_applicable),
        "notes": notes or "",
        "responsible": _person_id(responsible),
    }
    with transaction.atomic():
        current = (
            Score.objects.select_for_update()
            .filter(assessment=assessment, requirement=requirement)
            .first()
        )
        if current is None:
            return services.create(
                user, Score, {"assessment": assessment, "requirement": requirement, **values}
            )
        if version is None:
            raise _conflict(current)  # created by someone else after the page was opened
        return services.update(user, current, values, version=version)


def _unanswered(mark: rollup.Mark) -> bool:
    return mark.level is None and not mark.not_applicable


def complete(user: Any, assessment: Assessment, *, version: int | None = None) -> Assessment:
    """Mark the assessment complete (dated today). Every subcategory must be scored or
    marked not applicable first; the message names the first ones left."""
    _may_edit(user, assessment)
    if assessment.status == Assessment.Status.COMPLETE:
        raise ValidationError("This assessment is already complete.")
    marks = marks_of(assessment)
    blank = rollup.Mark()
    missing = [
        r.identifier
        for r in requirements_of(assessment.framework_id)
        if r.assessable and _unanswered(marks.get(r.identifier, blank))
    ]
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise ValidationError(
            f"{len(missing)} subcategor{'y is' if len(missing) == 1 else 'ies are'} not scored "
            f"yet ({shown}). Score each one, or mark it not applicable, before completing."
        )
    return services.transition(
        user,
        assessment,
        Assessment.Status.COMPLETE,
        extra={"completed_on": timezone.localdate()},
        version=version,
    )


def reopen(user: Any, assessment: Assessment, *, version: int | None = None) -> Assessment:
    """Put a complete assessment back in progress, so its scores can change again."""
    _may_edit(user, assessment)
    if assessment.status != Assessment.Status.COMPLETE:
        raise ValidationError("This assessment is already in progress.")
    return services.transition(
        user,
        assessment,
        Assessment.Status.IN_PROGRESS,
        extra={"completed_on": None},
        version=version,
    )


# --- levels implied through mappings -------------------------------------------------------


def derived_levels(assessment: Assessment, source: Assessment) -> dict[str, rollup.Implied]:
    """Levels implied for `assessment`'s requirements by `source`'s scores (an assessment of
    another framework) through requirement mappings, by requirement identifier. These are
    hints, never scores: pages label them as derived. Two queries."""
    if source.framework_id == assessment.framework_id:
        return {}
    pairs = RequirementMapping.objects.filter(
        source__framework_id=source.framework_id,
        target__framework_id=assessment.framework_id,
    ).values_list("source__identifier", "target__identifier", "relation")
    return rollup.implied_levels(list(pairs), marks_of(source))


def mapping_sources(user: Any, assessment: Assessment) -> list[Assessment]:
    """Assessments of other frameworks whose scores count toward this one's requirements
    through mappings, newest first: the choices for showing derived levels."""
    frameworks = RequirementMapping.objects.filter(
        target__framework_id=assessment.framework_id
    ).values("source__framework_id")
    return list(
        Assessment.objects.restrict(user, "view")
        .filter(framework_id__in=frameworks)
        .select_related("framework")
        .order_by("-year", "name", "pk")
    )


# --- evidence coming due -------------------------------------------------------------------


def expiry_text(expires: datetime.date | None, today: datetime.date) -> str:
    """“expired 3 days ago”, “expires today”, “expires in 12 days”."""
    if expires is None:
        return ""
    days = (expires - today).days
    if days < 0:
        return f"expired {-days} day{'s' if days != -1 else ''} ago"
    if days == 0:
        return "expires today"
    return f"expires in {days} day{'s' if days != 1 else ''}"


def sees_evidence(user: Any) -> bool:
    """Evidence has no department, so department liaisons see none of it (CyberRows);
    everyone else signed in reads it."""
    return bool(getattr(user, "is_authenticated", False)) and not permissions.is_liaison(user)


def expiring_evidence(
    user: Any, within_days: int = EXPIRY_WINDOW_DAYS, today: datetime.date | None = None
) -> dict[str, Any]:
    """Evidence the user may see that has expired, and that expires within `within_days`.

    Returns {"today", "until", "expired": [...], "expiring": [...]}: Evidence records,
    soonest first, each with `owner` loaded and `requirements` prefetched (by identifier).
    Two queries."""
    today = today or timezone.localdate()
    within_days = max(0, int(within_days))
    until = today + datetime.timedelta(days=within_days)
    rows = list(
        Evidence.objects.restrict(user, "view")
        .filter(expires__isnull=False, expires__lte=until)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.select_related("framework").order_by(
                    "framework__name", "sort_key", "identifier", "pk"
                ),
            )
        )
        .order_by("expires", "title", "pk")
    )
    return {
        "today": today,
        "until": until,
        "expired": [e for e in rows if e.expires < today],
        "expiring": [e for e in rows if e.expires >= today],
    }


def evidence_events(
    user: Any, start: datetime.date, stop: datetime.date, base_url: str
) -> list[calendar.Event]:
    """One calendar event per piece of evidence the user may see that expires between
    `start` and `stop`, for the personal calendar feed (none for department liaisons)."""
    rows = (
        Evidence.objects.restrict(user, "view")
        .filter(expires__gte=start, expires__lte=stop)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.order_by("sort_key", "identifier", "pk"),
            )
        )
        .order_by("expires", "pk")
    )
    events = []
    for e in rows:
        supports = ", ".join(r.identifier for r in e.requirements.all())
        owner = f" Owner: {e.owner}." if e.owner else " It has no owner."
        events.append(
            calendar.Event(
                uid=f"evidence-{e.pk}-expires@townhall",
                day=e.expires,
                summary=f"Evidence expires: {e.title}",
                description=(
                    f"{e.title} stops counting as evidence after this day."
                    + (f" It supports {supports}." if supports else "")
                    + owner
                    + " Renew it, then change its expiry date."
                ),
                url=base_url + e.get_absolute_url(),
                stamp=e.updated_at,
                categories=("Evidence expiry",),
            )
        )
    return events


# --- the summary for pages and the leader brief --------------------------------------------


def _summary_row(
    node: rollup.NodeSummary, target: int, before: rollup.Rollup | None
) -> dict[str, Any]:
    old = before.nodes.get(node.identifier) if before else None
    delta, status = rollup.change(old.mean if old else None, node.mean)
    return {
        "identifier": node.identifier,
        "title": node.title,
        "mean": node.mean,
        "target": target,
        "gap": node.gap,
        "below": node.below,
        "previous_mean": old.mean if old else None,
        "delta": delta,
        "change": status,
        "scored": node.scored,
        "not_applicable": node.not_applicable,
        "unscored": node.unscored,
        "total": node.total,
    }


def assessment_summary(assessment: Assessment) -> dict[str, Any]:
    """The assessment's roll-up, as plain values, for pages and the leader brief.

    The caller has already checked that the reader may see the assessment. Means are
    `Decimal`s rounded half up to one place, or None when nothing below was scored
    (see `rollup.py`). Shape:

        {
          "assessment": {"id", "name", "year", "status", "status_label", "framework",
                         "target", "completed_on"},
          "previous": {"id", "name", "year"} or None,
          "target": 5,
          "overall": {"mean", "previous_mean", "delta", "change", "gap", "below"},
          "counts": {"total", "scored", "not_applicable", "unscored", "answered",
                     "below_target"},
          "functions": [  # in framework order
            {"identifier": "GV", "title": "Govern", "mean", "target", "gap", "below",
             "previous_mean", "delta", "change", "scored", "not_applicable", "unscored",
             "total",
             "categories": [ {same keys, without "categories"}, … ]},
            …
          ],
          "below_target": [  # largest gap first
            {"identifier": "GV.OC-01", "title", "level", "gap", "function": "GV"}, …
          ],
        }

    `change` is one of rollup's "improved", "declined", "same", "new", "not scored",
    "neither". Four queries (three without a previous assessment)."""
    requirements = requirements_of(assessment.framework_id)
    now = rollup_of(assessment, requirements)
    before = previous_rollup(assessment, requirements)
    target = assessment.target
    previous = assessment.previous
    overall_delta, overall_change = rollup.change(
        before.overall.mean if before else None, now.overall.mean
    )
    o = now.overall
    return {
        "assessment": {
            "id": assessment.pk,
            "name": assessment.name,
            "year": assessment.year,
            "status": assessment.status,
            "status_label": assessment.get_status_display(),
            "framework": str(assessment.framework),
            "target": target,
            "completed_on": assessment.completed_on,
        },
        "previous": (
            {"id": previous.pk, "name": previous.name, "year": previous.year} if previous else None
        ),
        "target": target,
        "overall": {
            "mean": o.mean,
            "previous_mean": before.overall.mean if before else None,
            "delta": overall_delta,
            "change": overall_change,
            "gap": o.gap,
            "below": o.below,
        },
        "counts": {
            "total": o.total,
            "scored": o.scored,
            "not_applicable": o.not_applicable,
            "unscored": o.unscored,
            "answered": o.answered,
            "below_target": len(now.below_target),
        },
        "functions": [
            {
                **_summary_row(f, target, before),
                "categories": [_summary_row(c, target, before) for c in now.children(f.identifier)],
            }
            for f in now.functions
        ],
        "below_target": [
            {
                "identifier": g.identifier,
                "title": g.title,
                "level": g.level,
                "gap": g.gap,
                "function": g.function,
            }
            for g in now.below_target
        ],
    }
