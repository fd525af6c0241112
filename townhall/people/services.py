"""The people module's verbs, each on the write path (`core.services`): the built-in NICE
core set, NIST's JSON release, the technology skills worked out from the estate, a
budget cycle's staff hours set from the positions in each skill pool, training plans met
as the people reach their levels, and a requisition moved from one hiring stage to the
next."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from townhall.core import changes, context, services
from townhall.governance.models import BudgetCycle, SkillPool
from townhall.people import (
    capacity,
    capacity_input,
    nice,
    nice_core,
    technology,
    technology_input,
    training,
    training_input,
)
from townhall.people.models import CapacityApplied, Position, Requisition, Skill, TrainingPlan

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loaded:
    added: int
    changed: int

    def text(self, what: str) -> str:
        return f"{self.added} {what} added, {self.changed} changed."


def _save(user: Any, rows: list[dict[str, Any]]) -> Loaded:
    """Add the skills `rows` name by code and change those that differ; others stay."""
    existing = {s.code: s for s in Skill.objects.filter(code__in=[r["code"] for r in rows])}
    new = [r for r in rows if r["code"] not in existing]
    edits = []
    for row in rows:
        skill = existing.get(row["code"])
        if skill is None:
            continue
        values = {}
        for name, value in row.items():
            if name in ("systems", "components"):
                current = sorted(getattr(skill, name).values_list("pk", flat=True))
                if current != sorted(value):
                    values[name] = value
            elif getattr(skill, name) != value:
                values[name] = value
        if values:
            edits.append((skill, values))
    if new:
        services.create_many(user, Skill, new)
    changed = services.update_rows(user, edits) if edits else 0
    return Loaded(len(new), changed)


def load_core_skills(user: Any) -> Loaded:
    """Add the built-in NICE work roles and competency areas that are not there yet; a
    skill already there (perhaps from NIST's own file) is left as it is."""
    rows = [
        {"code": code, "name": name, "kind": kind, "description": text, "source": nice_core.SOURCE}
        for kind, elements in (
            (Skill.Kind.WORK_ROLE, nice_core.WORK_ROLES),
            (Skill.Kind.COMPETENCY, nice_core.COMPETENCY_AREAS),
        )
        for code, name, text in elements
    ]
    present = set(
        Skill.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True)
    )
    return _save(user, [r for r in rows if r["code"] not in present])


def import_nice(user: Any, text: str | bytes) -> Loaded:
    """Read NIST's NICE Framework components release (JSON) and add or bring up to date the
    work roles and competency areas it holds, by identifier, all or nothing. Bad input
    raises `nice.NiceError` naming the element."""
    rows = [
        {
            "code": e.code,
            "name": e.name,
            "kind": e.kind,
            "description": e.description,
            "source": e.document[:200],
        }
        for e in nice.parse(text)
    ]
    return _save(user, rows)


def derive_technology(user: Any, progress: Callable[..., None] | None = None) -> Loaded:
    """A technology skill for every product and platform in the estate `user` may see,
    linked to the systems and components that use it (`technology.py`). Run by a job."""
    found = technology.derive(technology_input.items(user))
    if progress:
        progress(1, f"Found {len(found)} products and platforms; saving them.")
    rows = [
        {
            "code": t.code,
            "name": t.name,
            "kind": Skill.Kind.TECHNOLOGY,
            "source": "The estate",
            "systems": t.systems,
            "components": t.components,
        }
        for t in found
    ]
    return _save(user, rows)


class CapacityRefused(Exception):
    """The cycle's staff hours cannot be set from the people; the message says why."""


@dataclass(frozen=True)
class PoolYear:
    """One skill pool's hours in one fiscal year: derived from the people, and the cycle's."""

    code: str
    name: str
    year: int
    derived: int
    current: Decimal


def capacity_rows(user: Any, cycle: BudgetCycle) -> tuple[capacity_input.Basis, list[PoolYear]]:
    """The derived hours beside the cycle's, per pool and fiscal year of the cycle; the
    pools named by positions or by the cycle."""
    found = capacity_input.basis(user)
    years = cycle.fiscal_years()
    derived = capacity.pool_hours(found.seats, years, found.start_month)
    codes = sorted(set(derived) | set(cycle.capacities or {}))
    names = dict(SkillPool.objects.filter(code__in=codes).values_list("code", "name"))
    rows = [
        PoolYear(
            code,
            names.get(code, code),
            year,
            (derived.get(code) or {}).get(str(year), 0),
            cycle.capacity(code, year),
        )
        for code in codes
        for year in years
    ]
    return found, rows


def apply_capacity(user: Any, cycle: BudgetCycle, *, version: int | None) -> BudgetCycle:
    """Set the cycle's staff hours, for its fiscal years, to those derived from the people;
    other years and pools no position belongs to stay as they are. Through governance's
    own write path (`core.services.update` on the cycle, so who may change a cycle and its
    rules decide), with a `CapacityApplied` record beside it in the same transaction naming
    the settings and positions counted. A closed cycle is refused: its decisions are made,
    and changing its hours afterwards would rewrite why they were made."""
    if cycle.status == BudgetCycle.Status.CLOSED:
        raise CapacityRefused(
            f"{cycle} is closed: its decisions are made, so its staff hours stay as they were."
        )
    found = capacity_input.basis(user)
    years = cycle.fiscal_years()
    derived = capacity.pool_hours(found.seats, years, found.start_month)
    capacities = {code: dict(hours) for code, hours in (cycle.capacities or {}).items()}
    for code, hours in derived.items():
        capacities.setdefault(code, {}).update(hours)
    counted = capacity.count(found.seats, years, found.start_month)
    basis = {
        "hours_per_fte": found.hours_per_fte,
        "operations_share": str(found.operations_share),
        "fiscal_year_starts_month": found.start_month,
        "positions": [
            {
                "id": c.position,
                "title": c.title,
                "pool": c.pool,
                "year": c.year,
                "share_of_year": str(c.share_of_year.quantize(Decimal("0.001"))),
                "hours": str(c.hours.quantize(Decimal("0.1"))),
            }
            for c in counted
        ],
    }
    with transaction.atomic():
        updated = services.update(user, cycle, {"capacities": capacities}, version=version)
        services.create(user, CapacityApplied, {"cycle": updated, "hours": derived, "basis": basis})
    return updated


# --- recruiting ----------------------------------------------------------------------------

# The day each stage sets when a requisition reaches it (stages without one set none).
STAGE_DAY: dict[str, str] = {
    Requisition.Stage.APPROVED: "approved_on",
    Requisition.Stage.POSTED: "posted_on",
    Requisition.Stage.OFFER: "offer_on",
    Requisition.Stage.FILLED: "filled_on",
    Requisition.Stage.CANCELLED: "closed_on",
}
S = Requisition.Stage
# The moves the stage buttons offer, the model's own (`Requisition.transitions`).
NEXT_STAGES = Requisition.NEXT_STAGES
# Days that belong to a closing stage only, cleared when a requisition leaves it.
CLOSING_DAYS: dict[str, str] = {
    "filled_on": Requisition.Stage.FILLED,
    "closed_on": Requisition.Stage.CANCELLED,
}


def move_requisition(
    user: Any,
    requisition: Requisition,
    stage: str,
    day: datetime.date,
    *,
    hired: Any = None,
    version: int | None = None,
) -> Requisition:
    """Move `requisition` to `stage` on `day`, setting that stage's day, as its own audit
    entry (`core.services.transition`). Filling it may name the person hired; when it is
    for a position, the position is filled by them in the same transaction (its vacancy
    date and planned fill date cleared), so the chart and the vacancy figures agree with
    the requisition. The model's rules apply: a day before an earlier stage's is refused."""
    if stage not in Requisition.Stage.values:
        raise ValidationError({"stage": f"“{stage}” is not a stage of a requisition."})
    if stage == requisition.stage:
        raise ValidationError(
            {"stage": f"This requisition is already {requisition.get_stage_display().lower()}."}
        )
    if requisition.stage == S.FILLED:
        raise ValidationError(
            {
                "stage": "A filled requisition is closed and its position filled. If the hire "
                "fell through, make the position vacant on its page and open a new requisition."
            }
        )
    if stage not in NEXT_STAGES[requisition.stage]:
        raise ValidationError(
            {
                "stage": f"A requisition {requisition.get_stage_display().lower()} cannot be "
                f"moved to {S(stage).label.lower()}."
            }
        )
    extra: dict[str, Any] = {name: None for name, kept in CLOSING_DAYS.items() if kept != stage}
    if stage in STAGE_DAY:
        extra[STAGE_DAY[stage]] = day
    if stage == Requisition.Stage.FILLED and hired is not None:
        extra["hired"] = hired
    with transaction.atomic():
        moved = services.transition(
            user, requisition, stage, field="stage", extra=extra, version=version
        )
        position = moved.position
        if stage == Requisition.Stage.FILLED and position is not None and hired is not None:
            position = Position.objects.select_for_update().get(pk=position.pk)
            if position.person_id not in (None, hired.pk):
                raise ValidationError(
                    {"hired": f"{position} is already filled by {position.person}."}
                )
            if position.person_id is None:
                services.update(
                    user,
                    position,
                    {"person": hired, "vacant_since": None, "fill_planned": None},
                    version=position.version,
                )
    return moved


def meet_plans(user: Any, today: datetime.date | None = None) -> int:
    """Move every open training plan whose person now has the target level to "met", with
    `met_on` the day, each through the write path (`core.services.transition`, so its
    history says so). Returns how many were met. Reads every plan, whoever asks: a plan
    is met by the level recorded, not by who looks."""
    today = today or timezone.localdate()
    records, levels = training_input.open_plans()
    met = set(training.now_met([training_input.plain(r) for r in records], levels))
    done = 0
    for record in records:
        if record.pk not in met:
            continue
        try:
            services.transition(
                user,
                record,
                TrainingPlan.Status.MET,
                note="the person reached the level",
                extra={"met_on": today},
            )
        except ValidationError as refused:
            # A plan its own rules now refuse (its skill unlinked from its system since):
            # left open for a person to put right, the other plans still met.
            log.warning("Training plan %s left open: %s", record.pk, refused.messages)
            continue
        done += 1
    return done


def _meet_after_commit() -> None:
    with context.acting("system"):
        meet_plans(context.SYSTEM)


def _proficiency_written(model: type) -> None:
    # Once per transaction, after it commits, so the new levels are there to read.
    if any(entry[1] is _meet_after_commit for entry in connection.run_on_commit):
        return
    # Robust: the level is saved whatever happens here, so a failure is logged, not raised.
    transaction.on_commit(_meet_after_commit, robust=True)


def connect() -> None:
    """Meet the plans whenever a level is written, through any door (the app config calls
    this): a form, the API, the importer or a bulk change."""
    changes.listen(["people.Proficiency"], _proficiency_written)
