"""Rating all five lanes of a continuum self-assessment at once: one form, a level and the
evidence for each lane, saved all or nothing through the write path. People rate the lanes
together in one sitting, so a lane refused leaves the other four as they were and the form
says why beside that lane."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from townhall.core import permissions, services
from townhall.core.http import whole_number
from townhall.core.services import ConflictError
from townhall.registers import interop
from townhall.registers.models import ContinuumAssessment, LaneRating


@dataclass
class Row:
    """One lane of the form: what is on file, what the person wrote and what is wrong."""

    lane: interop.Lane
    rating: LaneRating | None
    level: str
    evidence: str
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def levels(self) -> list[dict[str, Any]]:
        return [
            {
                "value": str(s.level),
                "label": f"{s.level}: {s.label}",
                "chosen": self.level == str(s.level),
            }
            for s in self.lane.stages
        ]


class _Refused(Exception):
    """Leaves the form's transaction, keeping nothing."""


def _rows(assessment: ContinuumAssessment, user: Any) -> list[Row]:
    on_file = {
        r.lane: r for r in LaneRating.objects.restrict(user, "view").filter(assessment=assessment)
    }
    rows = []
    for lane in interop.load_continuum():
        rating = on_file.get(lane.key)
        rows.append(
            Row(
                lane=lane,
                rating=rating,
                level=str(rating.level) if rating else "",
                evidence=rating.evidence if rating else "",
            )
        )
    return rows


def _read(rows: list[Row], post: Any) -> list[tuple[Row, int]]:
    """The rows to write, with their level; the problems noted on each row. A lane left
    empty that was never rated stays unrated; a rated lane keeps a level."""
    wanted = []
    for row in rows:
        row.level = post.get(f"{row.lane.key}-level", "").strip()
        row.evidence = post.get(f"{row.lane.key}-evidence", "").strip()
        if not row.level:
            if row.rating is not None:
                row.errors["level"] = "A rated lane keeps a level: choose one from 1 to 5."
            elif row.evidence:
                row.errors["level"] = "Choose the level this evidence shows, from 1 to 5."
            continue
        if not row.level.isdecimal() or int(row.level) not in interop.LEVELS:
            row.errors["level"] = "Choose a level from 1 to 5."
            continue
        level = int(row.level)
        if row.rating is None or (row.rating.level, row.rating.evidence) != (level, row.evidence):
            wanted.append((row, level))
    return wanted


def _write(
    user: Any, assessment: ContinuumAssessment, wanted: list[tuple[Row, int]], post: Any
) -> None:
    """Each changed lane through the write path; any refusal undoes them all."""
    failed = False
    with transaction.atomic():
        for row, level in wanted:
            values = {"level": level, "evidence": row.evidence}
            try:
                if row.rating is None:
                    services.create(
                        user, LaneRating, {"assessment": assessment, "lane": row.lane.key, **values}
                    )
                else:
                    version = post.get(f"{row.lane.key}-version", "")
                    services.update(
                        user,
                        row.rating,
                        values,
                        version=whole_number(version),
                    )
            except ValidationError as error:
                said = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                for name, messages in said.items():
                    where = name if name in ("level", "evidence") else "level"
                    row.errors[where] = " ".join([*row.errors.get(where, "").split(), *messages])
                failed = True
        if failed:
            raise _Refused


@require_http_methods(["GET", "HEAD", "POST"])
def lanes(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = ContinuumAssessment.objects.restrict(request.user, "view").filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such continuum self-assessment.")
    may_rate = permissions.can(request.user, "change", assessment) and permissions.can_add(
        request.user, LaneRating
    )
    rows = _rows(assessment, request.user)
    problems: list[str] = []
    if request.method == "POST":
        if not may_rate:
            raise PermissionDenied("You may not rate this assessment's lanes.")
        wanted = _read(rows, request.POST)
        if not any(row.errors for row in rows):
            try:
                _write(request.user, assessment, wanted, request.POST)
            except _Refused:
                pass
            except ConflictError:
                problems.append(
                    "Someone changed a lane of this assessment since you opened it: nothing "
                    "was saved. Reload the page to see their ratings."
                )
            else:
                return HttpResponseRedirect(assessment.get_absolute_url())
    refused = bool(problems) or any(row.errors for row in rows)
    return render(
        request,
        "registers/continuum_lanes.html",
        {
            "object": assessment,
            "rows": rows,
            "problems": problems,
            "refused": refused,
            "may_rate": may_rate,
        },
        status=400 if refused else 200,
    )
