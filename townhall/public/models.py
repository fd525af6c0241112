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
