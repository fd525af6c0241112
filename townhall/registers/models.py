"""The registers: what the government has and does beyond its core systems, each tied to
the estate. Every register's record is `Reviewed`: a department answers for it, a person
owns its review, and the day it is next due puts it in the calendar and, once past, on IT
staff's home page (`reviews.py`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from townhall.core.models import OwnedModel


def _url(obj: models.Model) -> str:
    return reverse(f"registers:{obj._meta.model_name}_detail", args=[obj.pk])


class Reviewed(OwnedModel):
    """A register's record: owned by a department, reviewed by a person on a schedule.
    Every register's records take these fields, so one calendar, one overdue list and one
    front page serve them all."""

    review_owner = models.ForeignKey(
        "estate.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="review owner",
        help_text="The person who reviews this record and answers for it.",
    )
    last_reviewed_on = models.DateField("last reviewed on", null=True, blank=True)
    next_review_on = models.DateField(
        "next review due",
        null=True,
        blank=True,
        help_text="Empty: a year after the last review.",
    )

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return _url(self)

    def clean(self) -> None:
        super().clean()
        if self.last_reviewed_on and self.next_review_on is None:
            self.next_review_on = add_year(self.last_reviewed_on)
        if (
            self.last_reviewed_on
            and self.next_review_on
            and self.next_review_on < self.last_reviewed_on
        ):
            raise ValidationError({"next_review_on": "The next review comes after the last one."})


def add_year(day: datetime.date) -> datetime.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
