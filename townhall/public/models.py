"""What an administrator has published. Nothing is public by default: a kind of record with
no `Publication`, or one not published, shows nowhere on the public site."""

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from townhall.core import context
from townhall.core.models import TrackedModel
from townhall.public import kinds
from townhall.public.actors import Resident


class Publication(TrackedModel):
    """One kind of record on the public site and the fields of it published. The record's
    name (the kind's title field) is public whenever the kind is."""

    admin_only = True
    department_field: ClassVar[str | None] = None

    kind = models.CharField(max_length=40, unique=True)
    published = models.BooleanField(
        "on the public site",
        default=False,
        help_text="Residents see this kind of record, with the fields chosen below.",
    )
    fields = models.JSONField(
        "published fields",
        default=list,
        blank=True,
        help_text="The fields residents see; every other field stays inside.",
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        found = kinds.get(self.kind)
        return str(found.label) if found else self.kind

    def clean(self) -> None:
        found = kinds.get(self.kind)
        if found is None:
            raise ValidationError(
                {"kind": f"“{self.kind}” is not a kind of record the public site knows."}
            )
        if not isinstance(self.fields, list) or not all(isinstance(f, str) for f in self.fields):
            raise ValidationError({"fields": "Published fields must be a list of field names."})
        unknown = [f for f in self.fields if found.field(f) is None]
        if unknown:
            raise ValidationError(
                {
                    "fields": f"Not a field of {found.label} that may be published: "
                    + ", ".join(unknown)
                }
            )
        if len(set(self.fields)) != len(self.fields):
            raise ValidationError({"fields": "A field is named twice."})


# --- Readiness statements ---
class PublicStatement(TrackedModel):
    """A general statement of the government's cyber security or continuity readiness that
    it chooses to publish, written by staff in English and in Spanish. It says how ready the
    government is in general words, never how it is defended; IT staff and administrators
    keep it, and residents see it once the "readiness" kind is published."""

    class Topic(models.TextChoices):
        CYBER = "cyber", "Cyber security"
        CONTINUITY = "continuity", "Continuity of operations"

    topic = models.CharField(max_length=20, choices=Topic.choices, unique=True)
    heading = models.CharField(
        max_length=200,
        blank=True,
        help_text="The statement's name on the public site, such as "
        "“How we keep county systems safe”.",
    )
    # Blank at the database; `clean` asks for each in words a writer understands.
    text_en = models.TextField("statement in English", blank=True)
    text_es = models.TextField("statement in Spanish", blank=True)
    last_reviewed_on = models.DateField("last reviewed on")

    class Meta:
        ordering = ["topic"]
        verbose_name = "public readiness statement"

    def __str__(self) -> str:
        return self.heading

    def clean(self) -> None:
        from django.utils import timezone

        errors: dict[str, str] = {}
        for name in ("heading", "text_en", "text_es"):
            if not (getattr(self, name) or "").strip():
                errors[name] = "Write this: residents read it in both languages."
        if self.last_reviewed_on and self.last_reviewed_on > timezone.localdate():
            errors["last_reviewed_on"] = "The last review cannot be in the future."
        if errors:
            raise ValidationError(errors)


# --- Residents' input ---
# Residents' input: a record staff open for comment, and what residents say about it or
# propose. The address a resident gives is never kept: only its keyed hash (to count and
# limit what one address sends) — the confirmation link is sent at once and carries the
# record's id, so nothing needs the address afterwards.

# What staff may open for comment: a kind key and the model it names.
COMMENT_TARGETS: dict[str, str] = {
    "proposal": "governance.Proposal",
    "pilot": "registers.Pilot",
    "surveillance_review": "registers.SurveillanceReview",
}
MAX_INPUT = 2000  # characters of a comment or an idea
MAX_IDEA_TITLE = 120


class CommentWindow(TrackedModel):
    """A record open for residents' comments and support from one day to another."""

    department_field: ClassVar[str | None] = None

    target_kind = models.CharField(
        "kind of record", max_length=40, choices=[(k, k.replace("_", " ")) for k in COMMENT_TARGETS]
    )
    target_id = models.PositiveIntegerField("record")
    opens = models.DateField()
    closes = models.DateField()

    class Meta:
        ordering = ["-closes", "pk"]

    def __str__(self) -> str:
        return f"{self.target_kind} {self.target_id}: {self.opens} to {self.closes}"

    def clean(self) -> None:
        from django.apps import apps

        if self.opens and self.closes and self.closes < self.opens:
            raise ValidationError({"closes": "A window closes on or after the day it opens."})
        label = COMMENT_TARGETS.get(self.target_kind)
        if label and self.target_id:
            if not apps.get_model(label)._default_manager.filter(pk=self.target_id).exists():
                raise ValidationError({"target_id": "There is no such record to open."})

    def is_open(self, day: "datetime.date") -> bool:
        return self.opens <= day <= self.closes


def _resident(user: Any) -> bool:
    """The public site's resident actor, or the system (demo data); never a person's
    account, so no staff member confirms input for a resident."""
    return isinstance(user, Resident) or user is context.SYSTEM


class ResidentInput(TrackedModel):
    """A resident's comment, show of support or idea. Nothing shows until the resident
    confirms the address and, by default, a moderator publishes it."""

    department_field: ClassVar[str | None] = None

    class Kind(models.TextChoices):
        COMMENT = "comment", "comment"
        SUPPORT = "support", "support"
        IDEA = "idea", "idea"

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "waiting for the address to be confirmed"
        PENDING = "pending", "waiting for moderation"
        HELD = "held", "held: a listed word"
        PUBLISHED = "published", "published"
        REJECTED = "rejected", "rejected"

    transitions: ClassVar[dict[str, set[tuple[str, str]]]] = {
        "status": {
            ("unconfirmed", "pending"),
            ("unconfirmed", "held"),
            ("unconfirmed", "published"),
            ("pending", "published"),
            ("pending", "rejected"),
            ("held", "published"),
            ("held", "rejected"),
            ("published", "rejected"),
        }
    }

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    window = models.ForeignKey(
        CommentWindow, on_delete=models.PROTECT, null=True, blank=True, related_name="inputs"
    )
    title = models.CharField(max_length=MAX_IDEA_TITLE, blank=True)
    body = models.TextField(max_length=MAX_INPUT, blank=True)
    address_hash = models.CharField(max_length=64, editable=False)
    held_words = models.CharField(max_length=300, blank=True)
    reason = models.CharField("reason for rejecting", max_length=300, blank=True)
    proposal = models.ForeignKey(
        "governance.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The draft proposal staff made from this idea.",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        return _resident(user)

    def may_transition(self, user: Any, field: str, was: str, to: str) -> bool:
        from townhall.core import permissions

        if was == self.Status.UNCONFIRMED:
            return _resident(user)
        return permissions.is_it_staff(user)

    def check_write(self, user: Any, before: Any) -> None:
        from townhall.core import permissions

        if before is not None and not (permissions.is_it_staff(user) or _resident(user)):
            raise ValidationError("Only staff moderate residents' input.")

    def clean(self) -> None:
        if self.kind == self.Kind.IDEA:
            if self.window_id is not None:
                raise ValidationError({"window": "An idea is not about a record."})
            if not self.title.strip() or not self.body.strip():
                raise ValidationError("An idea needs a title and a description.")
        else:
            if self.window_id is None:
                raise ValidationError({"window": "A comment is about a record open for comment."})
            if self.kind == self.Kind.COMMENT and not self.body.strip():
                raise ValidationError({"body": "Write a comment."})
        if self.status == self.Status.REJECTED and not self.reason.strip():
            raise ValidationError({"reason": "Say why it is rejected."})


class AbuseReport(TrackedModel):
    """A resident's report that a published comment or idea is abusive; the moderation
    queue lists reported input until staff reject it or keep it."""

    department_field: ClassVar[str | None] = None

    input = models.ForeignKey(ResidentInput, on_delete=models.CASCADE, related_name="abuse_reports")
    reason = models.CharField(max_length=300, blank=True)
    dismissed = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"report on {self.input}"

    @classmethod
    def may_add(cls, user: Any, department_id: int | None) -> bool:
        return _resident(user)
