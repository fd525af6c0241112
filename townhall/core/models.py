"""The base every Townhall record stands on: version, audit fields, tags, notes, provenance."""

from typing import Any, ClassVar

from django.db import models

from townhall.core import changes, context


class Tag(models.Model):
    """A free label any record can carry ("pilot", "grant-funded", "council priority")."""

    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        guard(self)
        super().save(*args, **kwargs)


def guard(obj: object) -> None:
    """Every save, delete and bulk change of a record passes here: refused outside the write
    path, and reported to whoever keeps something worked out from such records."""
    model = obj if isinstance(obj, type) else type(obj)
    if not context.is_writing():
        raise context.OutsideWritePath(
            f"{model.__name__} can only be changed through townhall.core.services"
        )
    changes.changed(model)


def field_named(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    """The model's own field `name` (a column or a many-to-many), never a reverse relation,
    which `_meta.get_field` may also return."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a reverse relation, not a field.")
    return field


def related_model(field: "models.Field[Any, Any]") -> type[models.Model]:
    """The model a relation field points to (a class once the apps are loaded; the stubs
    also allow the "self" or "app.Model" it was declared with)."""
    model = field.related_model
    if not isinstance(model, type):
        raise TypeError(f"{field} refers to no model.")
    return model


class TrackedQuerySet(models.QuerySet):
    """Querysets that know who may see or change which rows, and refuse bulk side doors."""

    def restrict(self, user: Any, action: str = "view") -> "TrackedQuerySet":
        from townhall.core.permissions import restrict

        return restrict(self, user, action)

    def update(self, **kwargs: Any) -> int:
        guard(self.model)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        guard(self.model)
        return super().delete()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list:
        guard(self.model)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> int:
        guard(self.model)
        return super().bulk_update(objs, *args, **kwargs)


class TrackedModel(models.Model):
    """Abstract base: change history, optimistic locking, tags, notes and provenance.

    `department_field` names the lookup that says which department owns a row; department
    liaisons may change only rows whose department is theirs.
    """

    department_field: ClassVar[str | None] = None
    # Fields never offered on forms or written through the API.
    system_fields: ClassVar[tuple[str, ...]] = ("id", "version", "created_at", "updated_at")

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    notes = models.TextField(blank=True)
    external_id = models.CharField(
        "external ID",
        max_length=100,
        blank=True,
        help_text="The identifier this record has in another system, such as an asset tag.",
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Where this record came from, such as an import file."
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")

    objects = TrackedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        guard(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        guard(self)
        return super().delete(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        # A JSON field left empty on a form or sent as null comes as None, which Django's
        # checks let through for a blank field and the database then refuses (a 500): an
        # empty value of a field that holds no null is its default (an empty list or map).
        for field in self._meta.concrete_fields:
            if (
                isinstance(field, models.JSONField)
                and not field.null
                and getattr(self, field.attname) is None
            ):
                setattr(self, field.attname, field.get_default())
        super().clean_fields(exclude=exclude)

    def department_id_value(self) -> int | None:
        """The id of the department that owns this record, for permission checks."""
        if not self.department_field:
            return None
        if self.department_field == "pk":
            return self.pk
        return getattr(self, f"{self.department_field}_id", None)


class OwnedModel(TrackedModel):
    """A record that belongs to one department."""

    department_field: ClassVar[str | None] = "owner_department"

    owner_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_%(app_label)s_%(class)s",
        help_text="The department responsible for this record.",
    )

    class Meta:
        abstract = True
