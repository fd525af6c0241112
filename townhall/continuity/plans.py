"""Actions on the recovery plan: start a new version, approve one.

Versions count up from 1. A new version starts as a draft with the written sections,
coordinators and roles of the latest version (or, for the first, with starting text to
adapt); there is one draft at a time. Approving a draft names the person who approved it,
freezes what the plan generates from the estate at that moment (`plan_content`), and marks
the version approved before it as superseded. An approved version no longer changes: the
next change is a new version.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from townhall.continuity import plan_content
from townhall.continuity.models import PlanRole, RecoveryPlan
from townhall.core import permissions, services
from townhall.core.kept import kept

P = RecoveryPlan
WRITTEN = (
    "title",
    "purpose",
    "scope",
    "assumptions",
    "activation",
    "notification",
    "reconstitution",
    "coordinator",
    "alternate_coordinator",
)
REQUIRED = (  # (field, how a message names it) — what an approved plan cannot lack
    ("purpose", "the purpose"),
    ("scope", "the scope"),
    ("activation", "the activation criteria"),
)

# Starting text for the first version, meant to be adapted to the government.
DEFAULTS: dict[str, str] = {
    "purpose": (
        "This plan says how we bring our technology services back after a disruption: a "
        "cyberattack, severe weather, fire, a power or network failure, or anything else "
        "that takes systems away. It names who leads the recovery, when the plan is put "
        "into action, who is told and how, the order in which systems and the "
        "infrastructure under them are restored, and how we confirm that normal work has "
        "resumed."
    ),
    "scope": (
        "Every service the government delivers that relies on technology, and the systems, "
        "infrastructure and vendors behind it, as recorded in the estate. Each service's "
        "recovery time and recovery point objectives come from its business impact "
        "analysis. Keeping people safe, evacuating buildings and recovering paper records "
        "are covered by the emergency operations plan and departments' own procedures."
    ),
    "assumptions": (
        "The people named in this plan, or their alternates, can be reached and can work, "
        "on site or remotely.\n"
        "Backups are kept apart from the systems they protect, and at least one copy cannot "
        "be changed or deleted by an attacker.\n"
        "The recovery sites and vendor support named here are available under current "
        "contracts.\n"
        "Restore times recorded in the estate were measured in a test; untested times may "
        "be longer.\n"
        "The plan is reviewed at least once a year and after every activation or exercise."
    ),
    "activation": (
        "The continuity coordinator (or the alternate, when the coordinator cannot be "
        "reached) activates the plan when a disruption has stopped, or is expected to stop, "
        "a mission-essential service for longer than its recovery time objective allows, or "
        "when several services are down at once. The chief information officer or the "
        "chief executive may also activate it. Record the time, the reason and who decided."
    ),
    "notification": (
        "1. Whoever first notices the disruption tells the IT service desk and the "
        "continuity coordinator straight away.\n"
        "2. The coordinator assesses the damage and decides whether to activate the plan.\n"
        "3. Once the plan is active, the coordinator tells the recovery team leads, the "
        "heads and IT liaisons of the departments affected, and the vendors whose help is "
        "needed, from the contact lists in this plan. Phone when e-mail may be down.\n"
        "4. The public information officer prepares what residents and staff are told; "
        "nobody else speaks for the government about the incident.\n"
        "5. Updates go out at agreed times until the plan is deactivated."
    ),
    "reconstitution": (
        "Recovery ends when every affected service runs normally again. Before the plan is "
        "deactivated, the owners of each restored system confirm that it works and that its "
        "data is complete and current; the security lead confirms the cause is removed "
        "(after a cyberattack, that systems are clean before they are reconnected); work "
        "done by hand during the outage is entered into the systems; and the coordinator "
        "announces the end of the activation. Within two weeks the team reviews what "
        "happened, records lessons and follow-up actions, and updates this plan."
    ),
}
DEFAULT_ROLES: tuple[tuple[str, str], ...] = (
    (
        "Infrastructure recovery lead",
        "Restores the network, servers, storage and identity services, tier by tier.",
    ),
    (
        "Applications recovery lead",
        "Restores business systems once what they run on is back, and checks their data "
        "with the system owners.",
    ),
    (
        "Security lead",
        "Contains the cause, preserves evidence and confirms systems are clean before they "
        "reconnect.",
    ),
    (
        "Public information officer",
        "Keeps residents, staff and the media informed; the only voice of the government "
        "on the incident.",
    ),
)


def _editor(user: Any, doing: str) -> None:
    if not permissions.is_it_staff(user) or not permissions.can_add(user, P):
        raise PermissionDenied(f"Only IT staff and administrators {doing}.")


def latest() -> RecoveryPlan | None:
    """The newest version, whatever its status."""
    return P.objects.order_by("-number").first()


def current_approved() -> RecoveryPlan | None:
    """The version in force: the newest approved one."""
    return P.objects.filter(status=P.Status.APPROVED).order_by("-number").first()


def new_plan(user: Any) -> RecoveryPlan:
    """Start the next version as a draft, copying the written sections, coordinators and
    roles of the latest version; version 1 starts from the default text and roles.

    Refused (ValidationError) while a draft exists: finish or approve it first."""
    _editor(user, "start a new version of the recovery plan")
    with transaction.atomic():
        previous = latest()
        if previous is not None and previous.status == P.Status.DRAFT:
            raise ValidationError(
                f"Version {previous.number} is still a draft: change it, or approve it "
                "before starting another version."
            )
        if previous is None:
            values: dict[str, Any] = dict(DEFAULTS)
            roles: list[Mapping[str, object]] = [
                {"role": role, "responsibilities": duties, "order": n * 10}
                for n, (role, duties) in enumerate(DEFAULT_ROLES, start=1)
            ]
            number = 1
        else:
            values = {name: getattr(previous, name) for name in WRITTEN}
            roles = list(
                previous.roles.order_by("order", "role", "pk").values(
                    "role", "person", "alternate", "responsibilities", "order", "notes"
                )
            )
            number = previous.number + 1
        values.update(number=number, status=P.Status.DRAFT)
        try:
            with transaction.atomic():
                plan = services.create(user, P, values)
        except IntegrityError:
            raise ValidationError(
                f"Someone else started version {number} at the same moment; open it instead."
            ) from None
        for role in roles:
            services.create(user, PlanRole, {**role, "plan": plan})
    return plan


def missing_for_approval(plan: RecoveryPlan) -> list[str]:
    """What the version still lacks before it can be approved, in words for a message."""
    missing = [label for field, label in REQUIRED if not (getattr(plan, field) or "").strip()]
    if not plan.coordinator_id:
        missing.append("a continuity coordinator")
    return missing


def _words(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def missing_message(plan: RecoveryPlan) -> str:
    """ "Version 2 cannot be approved yet: fill in the purpose and the scope, and choose a
    continuity coordinator." — or "" when nothing is missing."""
    missing = missing_for_approval(plan)
    if not missing:
        return ""
    texts = [m for m in missing if not m.startswith("a ")]
    steps = [f"fill in {_words(texts)}"] if texts else []
    if "a continuity coordinator" in missing:
        steps.append("choose a continuity coordinator")
    return f"Version {plan.number} cannot be approved yet: {', and '.join(steps)}."


def check_approval(
    user: Any,
    plan: RecoveryPlan,
    *,
    approver_name: str,
    approver_title: str,
    approved_on: Any,
    version: int | None = None,
) -> tuple[str, str]:
    """Whether `user` may approve `plan` as asked, before anything is worked out: the
    approver's name and title (stripped), else PermissionDenied, ValidationError naming
    what is missing or wrong, or services.ConflictError when the version changed since
    `version` was read. Cheap: the approval page asks it before queuing the approval."""
    _editor(user, "approve a recovery plan")
    name, title = (approver_name or "").strip(), (approver_title or "").strip()
    if plan.status != P.Status.DRAFT:
        raise ValidationError(
            f"Version {plan.number} is already {plan.get_status_display().lower()}; "
            "start a new version to change the plan."
        )
    errors = {}
    if not name:
        errors["approver_name"] = "Give the name of the person who approved the plan."
    if not title:
        errors["approver_title"] = "Give the approver's title, such as County Manager."
    if not isinstance(approved_on, datetime.date):
        errors["approved_on"] = "Give the date the plan was approved."
    elif approved_on > timezone.localdate():
        errors["approved_on"] = "The approval date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    message = missing_message(plan)
    if message:
        raise ValidationError(message)
    newer = P.objects.filter(status=P.Status.APPROVED, number__gt=plan.number).first()
    if newer is not None:
        raise ValidationError(
            f"Version {newer.number} is approved already; an older version cannot replace it."
        )
    if version is not None and int(version) != plan.version:
        raise services.ConflictError(plan, [])
    return name, title


def approve(
    user: Any,
    plan: RecoveryPlan,
    *,
    approver_name: str,
    approver_title: str,
    approved_on: datetime.date,
    version: int | None = None,
) -> RecoveryPlan:
    """Approve a draft in the name of `approver_name`: freeze the generated content as
    `user` sees it now, and supersede the version approved before.

    `version` is the record version the approver reviewed; a change since is a conflict
    (services.ConflictError). Refusals: PermissionDenied for anyone but IT staff and
    administrators, ValidationError naming what is missing or wrong. Takes seconds in a
    large county (the content is worked out): pages run it as a job (`APPROVE_JOB`)."""
    with transaction.atomic():
        plan = P.objects.select_for_update().get(pk=plan.pk)
        name, title = check_approval(
            user,
            plan,
            approver_name=approver_name,
            approver_title=approver_title,
            approved_on=approved_on,
        )
        for older in P.objects.filter(status=P.Status.APPROVED).exclude(pk=plan.pk):
            _supersede(user, older)
        content = plan_content.build_content(user, plan=plan)
        return services.transition(
            user,
            plan,
            P.Status.APPROVED,
            extra={
                "approver_name": name,
                "approver_title": title,
                "approved_on": approved_on,
                "content": content,
            },
            note=f"approved by {name}",
            version=version,
        )


APPROVE_JOB = "continuity_plan_approval"


def _supersede(user: Any, plan: RecoveryPlan) -> None:
    """Mark an approved version superseded: a named state change (`services.transition`),
    as the record's own rule lets nobody edit an approved version."""
    services.transition(
        user, plan, P.Status.SUPERSEDED, note=f"a later version was approved by {user}"
    )


def _day(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def status_line(plan: RecoveryPlan) -> str:
    """The line every page of an export carries."""
    if plan.status == P.Status.DRAFT:
        return f"DRAFT — version {plan.number}, not approved"
    line = (
        f"Version {plan.number}, approved by {plan.approver_name}, {plan.approver_title} "
        f"on {_day(plan.approved_on)}"
        if plan.approved_on
        else f"Version {plan.number}, approved by {plan.approver_name}, {plan.approver_title}"
    )
    if plan.status == P.Status.SUPERSEDED:
        line += " — superseded by a later version"
    return line


def generated_line(plan: RecoveryPlan, content: dict[str, Any]) -> str:
    """When the generated part was made, in the documents' words. An approved version names
    one date, its approval's, as its status line does: the part was frozen by approving it,
    and a second date (the moment it was recorded) would read as a contradiction."""
    what = "The recovery sequence, runbooks, contacts and gaps"
    if plan.status != P.Status.DRAFT and plan.approved_on:
        return (
            f"{what} were generated from the estate when the version was approved, on "
            f"{_day(plan.approved_on)}, and are kept as they were then"
        )
    generated = str(content.get("generated_at") or "")[:10]
    return f"{what} were generated from the estate on {generated}"


def file_name(plan: RecoveryPlan, suffix: str) -> str:
    """recovery-plan-v3.pdf; a draft says so: recovery-plan-v4-draft.docx."""
    draft = "-draft" if plan.status == P.Status.DRAFT else ""
    return f"recovery-plan-v{plan.number}{draft}.{suffix}"


def content_for(user: Any, plan: RecoveryPlan) -> dict[str, Any]:
    """What a version says: frozen for an approved or superseded one, live for a draft
    (as `user` may see it)."""
    if plan.status != P.Status.DRAFT and plan.content:
        return plan.content
    # Working a draft out reads the whole estate (seconds in a county); it is the same on
    # every view until something changes, so it is kept until then.
    key = f"continuity:draft-plan:{plan.pk}:{plan.version}:{getattr(user, 'pk', None)}"
    return kept(key, _draft_content, user, plan)


def _draft_content(user: Any, plan: RecoveryPlan) -> dict[str, Any]:
    return plan_content.build_content(user, plan=plan)
