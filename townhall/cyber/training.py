"""Training on the write path: import completions from a learning system's file, and read
who is up to date (the rules are in `training_rules.py`).

`run_import(user, data, filename, commit=..., valid_only=...)` reads the file, matches
people and courses, and — when asked to commit — writes every new completion (and the new
courses they need) through `core.services` in one transaction: a file with a rejected row
writes nothing unless `valid_only` is set. Reading a file again changes nothing.

`coverage(user, today)` and `training_summary(user, today)` read in a fixed number of
queries however many people there are.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from townhall.core import context, permissions, services
from townhall.cyber import training_rules as rules
from townhall.cyber.models import Course, TrainingCompletion
from townhall.estate.models import Person
from townhall.imports import parsing
from townhall.org.models import Department


class ImportProblem(ValueError):
    """The file as a whole cannot be imported; the message says why."""


@dataclass
class Outcome:
    """What an import did (or would do): counts, the report, and whether it was saved."""

    filename: str
    rows: int
    columns: rules.Columns | None
    counts: dict[str, int]
    report: list[rules.Problem]
    committed: bool = False
    dry_run: bool = False
    new_courses: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.counts.get("rejected", 0)

    @property
    def errors(self) -> list[rules.Problem]:
        return [p for p in self.report if p.error]


def may_import(user: Any) -> bool:
    """Completions and courses are shared records: IT staff and administrators import."""
    return permissions.can_add(user, TrainingCompletion) and permissions.can_add(user, Course)


def today_here() -> datetime.date:
    return timezone.localdate()


def _people(user: Any) -> list[rules.PersonRef]:
    rows = (
        Person.objects.restrict(user, "view")
        .order_by("name", "pk")
        .values_list("pk", "name", "email", "owner_department_id", "owner_department__name")
    )
    return [
        rules.PersonRef(pk, name, email or "", dept, dept_name or "")
        for pk, name, email, dept, dept_name in rows
    ]


def _courses(user: Any) -> list[rules.CourseRef]:
    rows = Course.objects.restrict(user, "view").order_by("pk").values_list("pk", "name", "code")
    return [rules.CourseRef(pk, name, code or "") for pk, name, code in rows]


def read_sheet(data: bytes, filename: str) -> parsing.Sheet:
    """The file's rows, read as every import reads files (bounded, with a clear reason)."""
    try:
        return parsing.read_file(data, filename)
    except parsing.FileProblem as exc:
        raise ImportProblem(str(exc)) from exc


def read(
    data: bytes, filename: str, mapping: dict[str, str] | None = None
) -> tuple[parsing.Sheet, rules.Columns]:
    """The file and its columns: as the person mapped them ({heading: field}), else guessed."""
    sheet = read_sheet(data, filename)
    try:
        if mapping is None:
            return sheet, rules.guess_columns(sheet.header)
        unknown = [h for h, f in mapping.items() if f and h not in sheet.header]
        if unknown:
            raise rules.ColumnProblem(f"The file has no column {unknown[0]!r}.")
        return sheet, rules.columns_from(mapping)
    except rules.ColumnProblem as exc:
        raise ImportProblem(str(exc)) from exc


def check(
    user: Any, sheet: parsing.Sheet, columns: rules.Columns, today: datetime.date
) -> rules.Plan:
    """Match every row and mark what is already recorded; writes nothing."""
    result = rules.plan(
        sheet.records(),
        columns,
        rules.People(_people(user)),
        rules.Courses(_courses(user)),
        today,
    )
    dates = [r.completed_on for r in result.rows if r.course_id is not None]
    if dates:
        recorded = TrainingCompletion.objects.filter(
            completed_on__gte=min(dates), completed_on__lte=max(dates)
        ).values_list("person_id", "course_id", "completed_on")
        rules.mark_recorded(result, recorded.iterator(chunk_size=5000))
    return result


def run_import(
    user: Any,
    data: bytes,
    filename: str,
    *,
    commit: bool,
    valid_only: bool = False,
    today: datetime.date | None = None,
    mapping: dict[str, str] | None = None,
) -> Outcome:
    """Check a learning system's file and, when `commit` is true, record its completions.

    Nothing is written when a row is rejected, unless `valid_only`; nothing at all when
    `commit` is false (a preview or a dry run). Raises ImportProblem when the file cannot be
    read or its headings say nothing of the person, course or date; PermissionDenied when
    the person may not import."""
    if not may_import(user):
        raise PermissionDenied("Only IT staff and administrators import training records.")
    today = today or today_here()
    sheet, columns = read(data, filename, mapping)
    result = check(user, sheet, columns, today)
    counts = result.counts()
    may_write = commit and (valid_only or result.rejected == 0)
    created = 0
    if may_write:
        source = f"Training import of {filename}"[:200]
        with context.acting("import", context.current().request_id), transaction.atomic():
            course_ids: dict[str, int] = {}
            for new in result.needed_courses():
                course = services.create(
                    user,
                    Course,
                    {
                        "name": new.name[:200],
                        "code": new.code[:60],
                        "required": False,
                        "source": source,
                    },
                )
                course_ids[rules.name_key(new.name)] = course.pk
            for row in result.to_create:
                services.create(
                    user,
                    TrainingCompletion,
                    {
                        "person": row.person.id,
                        "course": row.course_id or course_ids[row.course_key],
                        "completed_on": row.completed_on,
                        "source": source,
                    },
                )
                created += 1
    return Outcome(
        filename=filename,
        rows=len(sheet.rows),
        columns=columns,
        counts=counts,
        report=result.report(),
        committed=may_write,
        dry_run=not commit,
        new_courses=[c.name for c in result.needed_courses()],
    )


# --- coverage ---------------------------------------------------------------------------


def coverage(user: Any, today: datetime.date | None = None) -> rules.Coverage:
    """Coverage of the required courses by department, from the people and completions the
    person may see: three queries, whatever their number."""
    today = today or today_here()
    people = _people(user)
    required = [
        rules.Required(pk, name, months)
        for pk, name, months in Course.objects.restrict(user, "view")
        .filter(required=True)
        .order_by("name", "pk")
        .values_list("pk", "name", "renewal_months")
    ]
    last_done = {
        (p, c): last
        for p, c, last in TrainingCompletion.objects.restrict(user, "view")
        .filter(course__required=True)
        .values("person_id", "course_id")
        .annotate(last=Max("completed_on"))
        .order_by()
        .values_list("person_id", "course_id", "last")
    }
    return rules.coverage(people, required, last_done, today)


def training_summary(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Training coverage for the leader brief.

    Returns::

        {
          "today": date,                 # the day coverage was measured on
          "required_courses": [str],     # names of the required courses
          "people": int,                 # people in the estate the user may see
          "covered": int,                # of them, current on every required course
          "percent": float | None,       # covered / people × 100, one decimal; None when
                                         # no course is required or nobody is listed
          "overdue": int,                # (person, required course) pairs overdue or never done
          "overdue_people": int,         # people with at least one of those
          "departments": [               # by department name; "No department" last
            {"id": int | None, "name": str, "people": int, "covered": int,
             "percent": float | None},
          ],
        }
    """
    today = today or today_here()
    result = coverage(user, today)
    return {
        "today": today,
        "required_courses": [c.name for c in result.required],
        "people": result.people,
        "covered": result.covered,
        "percent": result.percent,
        "overdue": len(result.overdue),
        "overdue_people": result.overdue_people,
        "departments": [
            {
                "id": row.department_id,
                "name": row.department,
                "people": row.people,
                "covered": row.covered,
                "percent": row.percent if result.required else None,
            }
            for row in result.departments
        ],
    }


def departments(user: Any) -> list[Department]:
    return list(Department.objects.restrict(user, "view").order_by("name"))
