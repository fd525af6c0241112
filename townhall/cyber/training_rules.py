"""Training completions from a learning system's export, and who is up to date.

Plain Python (no Django). The learning system's file says who finished which course on
which day; its headings differ from one product to the next ("Learner", "Employee Email",
"Course Title", "Completed On"…), so the columns are guessed from the headings people
actually see in those exports.

Reading a row (`plan`):

- the person is found by e-mail (ignoring case), else by name (ignoring case and repeated
  spaces, but not accents: "José" is not "Jose"). Two people with that name and no e-mail to
  tell them apart is an error naming both; a person not in the estate is an error too —
  people are never created from a training file;
- the course is found by name (ignoring case) or code; a course not seen before is new
  and will be created (`Plan.new_courses`);
- the date is read as the importer reads dates (3/14/2025, 2025-03-14, Excel serial
  numbers, date cells), with a time of day after it ignored; a date after today is refused;
- the same person, course and day again (in the file or already recorded) is unchanged.

Coverage (`coverage`): a person is covered when they hold a current completion of every
required course. A completion is current until its due date, `renewal_months` after it
(the same day of the month, or the month's last day when that month is shorter); the day
after the due date it is overdue. A course renewed every 0 months never expires.
"""

import calendar
import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from townhall.imports import values
from townhall.imports.mapping import normalize

# Headings by what the column holds, strongest first (normalized: lower case, plain words).
EMAIL_HEADINGS = (
    "email",
    "e mail",
    "email address",
    "e mail address",
    "employee email",
    "user email",
    "learner email",
    "work email",
    "person email",
    "login email",
    "mail",
)
NAME_HEADINGS = (
    "person",
    "name",
    "learner",
    "learner name",
    "employee",
    "employee name",
    "user",
    "user name",
    "username",
    "full name",
    "participant",
    "trainee",
    "student",
    "staff member",
    "display name",
)
COURSE_HEADINGS = (
    "course",
    "course title",
    "course name",
    "training",
    "training title",
    "training name",
    "module",
    "module name",
    "learning item",
    "content title",
    "title",
)
CODE_HEADINGS = ("course code", "course id", "code", "item id")
DATE_HEADINGS = (
    "date",
    "completion date",
    "completed on",
    "completed",
    "date completed",
    "completed date",
    "completion",
    "finished",
    "finished on",
    "date of completion",
    "completed at",
    "completion time",
)

# "3/14/2025 10:22 AM", "2025-03-14 10:22:05": the day, then a time we do not need.
_WITH_TIME = re.compile(
    r"^(?P<day>\S+)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"  # the day, then hours:minutes
    r"\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"  # AM/PM, a time zone
)


class ColumnProblem(ValueError):
    """The file's headings do not say where the person, course or date is."""


@dataclass(frozen=True)
class Columns:
    """Which heading holds what ("" when the file has no such column)."""

    course: str
    date: str
    email: str = ""
    name: str = ""
    code: str = ""

    def described(self) -> list[tuple[str, str]]:
        """(heading, what it is read as), for the page and the command's report."""
        pairs = [
            (self.email, "the person's e-mail"),
            (self.name, "the person's name"),
            (self.course, "the course"),
            (self.code, "the course code"),
            (self.date, "the completion date"),
        ]
        return [(h, what) for h, what in pairs if h]


# What each column of a completions file may hold, as the import's column step offers it.
FIELDS: dict[str, str] = {
    "email": "Person's e-mail",
    "name": "Person's name",
    "course": "Course",
    "code": "Course code",
    "date": "Completion date",
}


def guess_mapping(header: Sequence[str]) -> dict[str, str]:
    """{heading: field of FIELDS, or ""}: what each column of a learning-system export
    most likely holds, from its heading. Each field takes the first heading (in the order
    of its list of spellings) the file has; a heading is used once."""
    by_norm: dict[str, str] = {}
    for heading in header:
        if heading.strip():
            by_norm.setdefault(normalize(heading), heading)
    found: dict[str, str] = {h: "" for h in header if h.strip()}
    for name, spellings in (
        ("email", EMAIL_HEADINGS),
        ("date", DATE_HEADINGS),
        ("code", CODE_HEADINGS),
        ("course", COURSE_HEADINGS),
        ("name", NAME_HEADINGS),
    ):
        for spelling in spellings:
            match = by_norm.get(spelling)
            if match is not None and not found[match]:
                found[match] = name
                break
    return found


def missing(mapping: dict[str, str]) -> str:
    """What a mapping lacks to read a completion (the person, the course, the date), or ""."""
    chosen = set(mapping.values())
    lacking = []
    if not chosen & {"email", "name"}:
        lacking.append('the person (a heading such as "Learner", "Employee Email" or "Name")')
    if "course" not in chosen:
        lacking.append('the course (a heading such as "Course" or "Course Title")')
    if "date" not in chosen:
        lacking.append('the date (a heading such as "Completion Date" or "Completed On")')
    return ("No column holds " + " nor ".join(lacking) + ".") if lacking else ""


def columns_from(mapping: dict[str, str]) -> Columns:
    """The Columns a mapping {heading: field} chooses; ColumnProblem when one is missing."""
    problem = missing(mapping)
    if problem:
        raise ColumnProblem(problem)
    by_field = {f: h for h, f in mapping.items() if f}
    return Columns(
        course=by_field["course"],
        date=by_field["date"],
        email=by_field.get("email", ""),
        name=by_field.get("name", ""),
        code=by_field.get("code", ""),
    )


def guess_columns(header: Sequence[str]) -> Columns:
    """The columns of a learning-system export, from its headings (`guess_mapping`).
    Raises ColumnProblem naming what is missing and the headings the file has."""
    try:
        return columns_from(guess_mapping(header))
    except ColumnProblem as exc:
        found = ", ".join(repr(h) for h in header if h.strip()) or "none"
        raise ColumnProblem(
            str(exc).replace("No column holds", "The file has no column for", 1)[:-1]
            + f". Its headings: {found}."
        ) from exc


# --- people and courses -----------------------------------------------------------------


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str
    email: str = ""
    department_id: int | None = None
    department: str = ""


def name_key(name: str) -> str:
    """Names compare ignoring case and repeated spaces (not accents)."""
    return " ".join(name.split()).casefold()


class People:
    """The people a file may name, found by e-mail or by name."""

    def __init__(self, people: Iterable[PersonRef]) -> None:
        self.by_email: dict[str, list[PersonRef]] = {}
        self.by_name: dict[str, list[PersonRef]] = {}
        for p in people:
            if p.email.strip():
                self.by_email.setdefault(p.email.strip().casefold(), []).append(p)
            self.by_name.setdefault(name_key(p.name), []).append(p)

    def match(self, email: str, name: str) -> tuple[PersonRef | None, str]:
        """The person, or None and the reason. E-mail first; the name when the e-mail is
        missing or unknown."""
        if email:
            found = self.by_email.get(email.casefold(), [])
            if len(found) == 1:
                return found[0], ""
            if len(found) > 1:
                return None, _several(found, f"the e-mail {email}")
        if name:
            found = self.by_name.get(name_key(name), [])
            if len(found) == 1:
                return found[0], ""
            if len(found) > 1:
                return None, _several(found, f"the name {name}") + (
                    " Give each one's e-mail address in the file to tell them apart."
                )
        if email and name:
            return None, (
                f"No person in the estate has the e-mail {email} or the name {name}. "
                "Add them to People first, or correct the file."
            )
        return None, (
            f"No person in the estate has the {'e-mail' if email else 'name'} "
            f"{email or name}. Add them to People first, or correct the file."
        )


def _several(found: Sequence[PersonRef], what: str) -> str:
    names = "; ".join(
        f"{p.name} ({p.department or 'no department'}{', ' + p.email if p.email else ''})"
        for p in sorted(found, key=lambda p: (p.department, p.email, p.id))
    )
    return f"{len(found)} people have {what}: {names}."


@dataclass(frozen=True)
class CourseRef:
    id: int
    name: str
    code: str = ""


class Courses:
    """Known courses by name (ignoring case) and by code."""

    def __init__(self, courses: Iterable[CourseRef]) -> None:
        self.by_name: dict[str, CourseRef] = {}
        self.by_code: dict[str, CourseRef] = {}
        for c in courses:
            self.by_name.setdefault(name_key(c.name), c)
            if c.code.strip():
                self.by_code.setdefault(c.code.strip().casefold(), c)

    def find(self, name: str, code: str) -> CourseRef | None:
        if name and (found := self.by_name.get(name_key(name))):
            return found
        if code and (found := self.by_code.get(code.casefold())):
            return found
        return None


# --- reading the rows -------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A line of the report: an error (the row is rejected) or a note (it is not)."""

    row: int
    column: str
    value: str
    reason: str
    error: bool = True


@dataclass
class Row:
    """A row that can be imported."""

    number: int
    person: PersonRef
    course_key: str  # name_key of the course's name, known or new
    course_id: int | None  # None for a course the import creates
    completed_on: datetime.date
    outcome: str = "create"  # "create", or "unchanged" (recorded already, or earlier row)


@dataclass
class NewCourse:
    name: str
    code: str
    first_row: int


@dataclass
class Plan:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_courses: dict[str, NewCourse] = field(default_factory=dict)
    rejected: int = 0

    @property
    def to_create(self) -> list[Row]:
        return [r for r in self.rows if r.outcome == "create"]

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "unchanged")

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.to_create),
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "new_courses": len(self.needed_courses()),
        }

    def needed_courses(self) -> list[NewCourse]:
        """The new courses some row to create uses, in the order the file first names them."""
        used = {r.course_key for r in self.to_create if r.course_id is None}
        return [c for key, c in self.new_courses.items() if key in used]

    def report(self) -> list[Problem]:
        """Errors and notes by row number; a new course's note sits at its first row."""
        notes = [
            Problem(
                c.first_row,
                "",
                c.name,
                "A new course: it will be created, not yet required of anyone "
                "(mark it required on its page to count it toward coverage).",
                error=False,
            )
            for c in self.needed_courses()
        ]
        return sorted([*self.problems, *notes], key=lambda p: (p.row, not p.error))


def read_date(value: Any, today: datetime.date) -> datetime.date:
    """A completion date, with any time of day after it ignored; never after `today`."""
    if isinstance(value, str) and (match := _WITH_TIME.match(value.strip())):
        value = match.group("day")
    day = values.date(value)
    if day is None:
        raise values.ValueProblem(
            "No completion date: the course may not be finished yet; leave such rows out"
        )
    if day > today:
        raise values.ValueProblem(f"{day.isoformat()} is after today ({today.isoformat()})")
    return day


def plan(
    records: Iterable[tuple[int, Mapping[str, Any]]],
    columns: Columns,
    people: People,
    courses: Courses,
    today: datetime.date,
) -> Plan:
    """Read each row into a completion to record, or into the problems that stop it.

    `records` are (row number in the file, {heading: cell}). Rows repeating an earlier row
    of the file (same person, course and day) are unchanged, not errors."""
    result = Plan()
    seen: dict[tuple[int, str, datetime.date], int] = {}
    for number, record in records:
        problems: list[Problem] = []
        email_cell = values.text(record.get(columns.email)) if columns.email else ""
        name_cell = values.text(record.get(columns.name)) if columns.name else ""
        # A "User" column may hold e-mail addresses: read them as such.
        email, name = email_cell, name_cell
        email_column = columns.email
        if not email and "@" in name_cell:
            email, name, email_column = name_cell, "", columns.name
        person = None
        if not (email or name):
            column = " / ".join(h for h in (columns.email, columns.name) if h)
            problems.append(Problem(number, column, "", "No person: give an e-mail or a name"))
        else:
            person, reason = people.match(email, name)
            if person is None:
                column = " / ".join(
                    h for h, v in ((email_column, email), (columns.name, name)) if v
                )
                value = " / ".join(v for v in (email, name) if v)
                problems.append(Problem(number, column, value, reason))
        course_name = values.text(record.get(columns.course))
        code = values.text(record.get(columns.code)) if columns.code else ""
        course = None
        if not course_name and not code:
            problems.append(Problem(number, columns.course, "", "No course named"))
        else:
            course = courses.find(course_name, code)
            if course is None and not course_name:
                problems.append(
                    Problem(
                        number,
                        columns.code,
                        code,
                        f"No course has the code {code}; give the course's name to add it",
                    )
                )
        day = None
        raw_date = record.get(columns.date)
        try:
            day = read_date(raw_date, today)
        except values.ValueProblem as exc:
            problems.append(Problem(number, columns.date, values.text(raw_date), str(exc)))
        if problems or person is None or day is None:
            result.problems.extend(problems)
            result.rejected += 1
            continue
        if course is not None:
            key, course_id = name_key(course.name), course.id
        else:
            key, course_id = name_key(course_name), None
            result.new_courses.setdefault(key, NewCourse(course_name, code, number))
        row = Row(number, person, key, course_id, day)
        earlier = seen.get((person.id, key, day))
        if earlier is not None:
            row.outcome = "unchanged"
            result.problems.append(
                Problem(
                    number,
                    "",
                    "",
                    f"The same person, course and date as row {earlier}: counted once",
                    error=False,
                )
            )
        else:
            seen[(person.id, key, day)] = number
        result.rows.append(row)
    return result


def mark_recorded(result: Plan, recorded: Iterable[tuple[int, int, datetime.date]]) -> None:
    """Rows whose (person id, course id, date) is already recorded are unchanged."""
    done = set(recorded)
    for row in result.rows:
        if row.course_id is not None and (row.person.id, row.course_id, row.completed_on) in done:
            row.outcome = "unchanged"


# --- coverage ---------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when that month is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(last: datetime.date, renewal_months: int) -> datetime.date | None:
    """When a completion on `last` must be renewed; None for a course that never expires."""
    return add_months(last, renewal_months) if renewal_months else None


@dataclass(frozen=True)
class Required:
    """A required course and how often it must be renewed."""

    id: int
    name: str
    renewal_months: int


@dataclass(frozen=True)
class Overdue:
    person: PersonRef
    course: Required
    last: datetime.date | None  # the latest completion, None when never
    due: datetime.date | None  # when it fell due, None when never completed
    days: int | None  # days past the due date, None when never completed


@dataclass(frozen=True)
class DepartmentRow:
    department_id: int | None
    department: str
    people: int
    covered: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.covered / self.people, 1) if self.people else None


@dataclass
class Coverage:
    departments: list[DepartmentRow]
    overdue: list[Overdue]
    people: int
    covered: int
    required: list[Required]

    @property
    def percent(self) -> float | None:
        if not self.required or not self.people:
            return None
        return round(100 * self.covered / self.people, 1)

    @property
    def overdue_people(self) -> int:
        return len({o.person.id for o in self.overdue})


def coverage(
    people: Sequence[PersonRef],
    required: Sequence[Required],
    last_done: Mapping[tuple[int, int], datetime.date],
    today: datetime.date,
    no_department: str = "No department",
) -> Coverage:
    """Per department: how many people hold a current completion of every required course;
    and every (person, required course) that is overdue or was never completed.

    `last_done[(person id, course id)]` is the person's latest completion of the course.
    Departments come in name order, people without one last; the overdue list puts the
    never-completed first, then the longest overdue, then by department and name."""
    by_department: dict[int | None, list[int]] = {}
    names: dict[int | None, str] = {}
    overdue: list[Overdue] = []
    covered_total = 0
    # Completions fall on a few hundred days: each day's due date is worked out once, not
    # once per person (the calendar arithmetic was a third of the page on a county).
    dues: dict[tuple[datetime.date, int], datetime.date | None] = {}
    for person in people:
        missing = False
        for course in required:
            last = last_done.get((person.id, course.id))
            if last is None:
                overdue.append(Overdue(person, course, None, None, None))
                missing = True
                continue
            key = (last, course.renewal_months)
            if key in dues:
                due = dues[key]
            else:
                due = dues[key] = due_date(last, course.renewal_months)
            if due is not None and today > due:
                overdue.append(Overdue(person, course, last, due, (today - due).days))
                missing = True
        dept = person.department_id
        names.setdefault(dept, person.department or no_department)
        counts = by_department.setdefault(dept, [0, 0])
        counts[0] += 1
        if not missing and required:
            counts[1] += 1
            covered_total += 1
    rows = [
        DepartmentRow(dept, names[dept], n, covered) for dept, (n, covered) in by_department.items()
    ]
    rows.sort(
        key=lambda r: (r.department_id is None, r.department.casefold(), r.department_id or 0)
    )
    overdue.sort(
        key=lambda o: (
            o.days is not None,
            -(o.days or 0),
            o.person.department.casefold(),
            o.person.name.casefold(),
            o.person.id,
            o.course.name.casefold(),
        )
    )
    return Coverage(
        departments=rows,
        overdue=overdue,
        people=len(people),
        covered=covered_total,
        required=list(required),
    )
