"""What an administrator has published. Nothing is public by default: a kind of record with
no `Publication`, or one not published, shows nowhere on the public site."""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from townhall.core.models import TrackedModel
from townhall.public import kinds


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


# --- pub-registers ---
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
