"""The hub's annual priorities survey (docs/exchange.md): the survey, each member's answer
and the challenge quotes the hub's administrators chose to publish."""

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from townhall.core import permissions
from townhall.core.models import TrackedModel
from townhall.exchange import survey as rules
from townhall.exchange.models import HubMember

YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Survey(TrackedModel):
    """One year's survey. Drafted, opened to members, closed, then published as the report
    once enough members answered (`EXCHANGE_MIN_COHORT`)."""

    admin_only = True

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open to members"
        CLOSED = "closed", "Closed"
        PUBLISHED = "published", "Report published"

    year = models.PositiveSmallIntegerField(unique=True, validators=YEARS)
    title = models.CharField(max_length=200)
    opens = models.DateField()
    closes = models.DateField()
    ranks = models.PositiveSmallIntegerField(
        "priorities to rank",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(rules.MAX_RANKS)],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default="draft")

    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "status": {
            ("draft", "open"),
            ("open", "closed"),
            ("closed", "open"),
            ("closed", "published"),
            ("published", "closed"),
        }
    }

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title or f"Priorities survey {self.year}"

    def may_transition(self, user: Any, field: str, was: str, to: str) -> bool:
        """Only the hub's administrators open, close and publish."""
        return permissions.is_admin(user)

    def clean(self) -> None:
        super().clean()
        if self.opens and self.closes and self.closes < self.opens:
            raise ValidationError({"closes": "The survey closes before it opens."})
        if self.status == self.Status.PUBLISHED and self.pk:
            why = rules.may_publish(self.responses.count(), settings.EXCHANGE_MIN_COHORT)
            if why:
                raise ValidationError({"status": f"Not published: {why}."})


class SurveyResponse(TrackedModel):
    """A member's answer: its ranked priorities and challenges. Answering again replaces
    it. Only the hub's administrators see it; the report shows counts, never an answer."""

    admin_only = True

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(HubMember, on_delete=models.PROTECT, related_name="+")
    ranked = models.JSONField(default=list, help_text="Priority keys, first rank first.")
    challenges = models.TextField(blank=True, max_length=rules.MAX_CHALLENGES)
    other = models.CharField("other priority", max_length=rules.MAX_OTHER, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "member"], name="exchange_survey_answer_once")
        ]
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return f"Answer to {self.survey}"


class SurveyQuote(TrackedModel):
    """A challenge a member named, as the hub's administrator edited it to publish: no
    name, no detail that tells who said it."""

    admin_only = True

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(max_length=600)
    published = models.BooleanField(default=True)

    class Meta:
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class MemberSurvey(TrackedModel):
    """The member's side: the open survey as last fetched from the hub, and the answer
    this government sent to it with the hub's word back. Administrators and IT managers
    answer it and only they see it: the same two roles as `permissions.sees_personnel`."""

    year = models.PositiveSmallIntegerField(unique=True, validators=YEARS)
    questions = models.JSONField(default=dict, help_text="The survey as the hub described it.")
    fetched_at = models.DateTimeField()
    answer = models.JSONField(default=dict, blank=True, help_text="The answer as sent.")
    sent_at = models.DateTimeField(null=True, blank=True)
    hub_answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "survey from the hub"

    def __str__(self) -> str:
        return f"Priorities survey {self.year}"

    @classmethod
    def restrict_rows(cls, qs: Any, user: Any, action: str, by_role: Any) -> Any:
        return qs if may_answer(user) else qs.none()

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        return may_answer(user)


def may_answer(user: Any) -> bool:
    """Administrators and IT managers answer the hub's survey for their government."""
    return permissions.sees_personnel(user)
