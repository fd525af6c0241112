"""Cyber's kinds of record for the spreadsheet importer, registered by the app config.

Training completions come from a learning system's export, whose headings differ from one
product to the next ("Learner", "Employee Email", "Course Title", "Completed On"…): the
kind registers those headings, so the importer's column step proposes them, and the person
confirms, changes and saves the mapping as for any other file. A completion has no name:
it is the person, the course and the day (`natural_key`), so reading a file again finds
the completions it added and adds nothing. The person is found as the estate's finder
finds people (by e-mail when the cell holds one, else by name); the course by its name or
its code; a course the file names that Townhall does not know is added, as an optional
course, when its first row is kept.
"""

from typing import Any

from django.db import models

from townhall.core import plugins
from townhall.cyber import training_rules
from townhall.imports import refs
from townhall.imports.values import NotFound

COMPLETION_FIELDS = ("person", "course", "completed_on", "external_id", "notes")

KINDS = (
    plugins.ImportKind(
        key="course",
        label="Training courses",
        model="cyber.Course",
        order=90,
        name_spellings=training_rules.COURSE_HEADINGS,
        column_spellings={"code": training_rules.CODE_HEADINGS},
    ),
    plugins.ImportKind(
        key="training_completion",
        label="Training completions",
        model="cyber.TrainingCompletion",
        order=95,
        fields=COMPLETION_FIELDS,
        natural_key=("person", "course", "completed_on"),
        indexed=True,
        # A course the file names that Townhall does not know is added as it is kept, as
        # an optional course (someone marks it required on its page).
        adds={"course": {"required": False}},
        column_spellings={
            # E-mails or names: the estate's finder reads either (an e-mail tells two
            # people with one name apart).
            "person": training_rules.EMAIL_HEADINGS + training_rules.NAME_HEADINGS,
            "course": training_rules.COURSE_HEADINGS + training_rules.CODE_HEADINGS,
            "completed_on": training_rules.DATE_HEADINGS,
        },
    ),
)


def course(qs: models.QuerySet, text: str, department_id: int | None = None) -> Any:
    """A course by its name (any case), else by its code (any case)."""
    found = list(qs.filter(name__iexact=text)[:2]) or list(qs.filter(code__iexact=text)[:2])
    if not found:
        raise NotFound(
            f"No course called {text!r} (by name or code): add the course, or import the "
            "course list, first; or check the spelling"
        )
    return refs.one(qs.model, found, text, None)


def register() -> None:
    for kind in KINDS:
        plugins.register_import_kind(kind)
    plugins.register_import_finder("cyber.Course", course)
