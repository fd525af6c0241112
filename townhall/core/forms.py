"""Form bases shared by every app."""

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any, TypeVar, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from townhall.core import permissions

FieldT = TypeVar("FieldT", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field `name` as the kind of field it is: `form.fields` promises only a
    plain Field, which has no queryset or choices to narrow."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"The field {name} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


def edited_fields(form: type[forms.ModelForm] | forms.ModelForm) -> list[str]:
    """The model fields a record form edits, in its order: its Meta's list (every Townhall
    form names its fields; none uses "__all__" or exclude)."""
    names = form._meta.fields
    if names is None or isinstance(names, str):
        raise ImproperlyConfigured(f"{form} must list its fields in Meta.fields.")
    return list(names)


def read_only_fields(form: type[forms.ModelForm] | forms.ModelForm) -> list[str]:
    """The fields a record form shows but people do not set (`read_only` on the form: what
    the app itself works out, such as an exposure's installed-version verdict, which
    matching writes). The form shows them disabled, the API read-only, and neither an edit
    nor the importer takes a value for them."""
    return [name for name in getattr(form, "read_only", ()) if name in edited_fields(form)]


def style_fields(fields: Iterable[forms.Field]) -> None:
    """Give each widget its USWDS class."""
    for field in fields:
        widget = field.widget
        if isinstance(widget, forms.Select | forms.NullBooleanSelect | forms.SelectMultiple):
            widget.attrs.setdefault("class", "usa-select")
        elif isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", "usa-textarea")
            widget.attrs.setdefault("rows", 4)
        elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
            widget.attrs.setdefault("class", "usa-file-input")
        elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            continue  # a group of choices, not one text box (templates draw USWDS choices)
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "usa-checkbox__input")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "usa-input")


class RecordForm(forms.ModelForm):
    """A record's edit form. It carries the version it was opened at, so a second writer
    gets a conflict instead of silently overwriting (the check is in core.services)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Fields shown but set by the app, never by people (`read_only_fields`).
    read_only: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for name in read_only_fields(self):
            self.fields[name].disabled = True
        if self.instance.pk is not None:
            hold_states(self)
        style_fields(self.fields.values())


def free_states(model: type, field: str) -> set[str]:
    """The values of a workflow's state an edit may move between (`edited_states`); empty
    for a state moved only by its named transitions."""
    return set(getattr(model, "edited_states", {}).get(field, ()))


def narrow_to_free_states(field: forms.Field, free: set[str]) -> None:
    """Offer only the values an edit may set, keeping the blank choice if there is one."""
    if isinstance(field, forms.ChoiceField):
        offered = cast(Iterable[tuple[Any, Any]], field.choices)
        field.choices = [c for c in offered if c[0] in ("", *free)]


def hold_states(form: forms.ModelForm) -> None:
    """An edit may not move a workflow's state (core.services refuses it): the edit form
    shows such a field read-only, or, where people set some of its values freely, offers
    only those. A new record may still be created in any state."""
    model = type(form.instance)
    for name in getattr(model, "transitions", {}):
        field = form.fields.get(name)
        if field is None:
            continue
        free = free_states(model, name)
        if getattr(form.instance, name) in free:
            narrow_to_free_states(field, free)
        else:
            field.disabled = True
            field.help_text = "Changed by the actions on the record's page, not by an edit."


def offer_own_department(form: forms.BaseForm, user: Any, model: type, bulk: bool = False) -> None:
    """A department liaison may save a record only for their own department, so the field
    that says which department owns it offers only theirs (IT staff keep every choice).
    In a bulk edit every row they may select is theirs already, so the field goes."""
    if not permissions.is_liaison(user):
        return
    name = getattr(model, "department_field", None)
    if not name or name == "pk":
        return
    field = form.fields.get(name)
    if not isinstance(field, forms.ModelChoiceField):
        return
    if bulk:
        del form.fields[name]
        return
    assert field.queryset is not None  # a model choice field is always given one
    field.queryset = field.queryset.filter(pk=user.department_id)
    field.empty_label = None  # their department, chosen: a blank one cannot be saved


class BulkForm(forms.Form):
    """Base of bulk-edit forms (built from a record's form by core.views.bulk_form)."""

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        style_fields(self.fields.values())


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; shown and read in local time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def bounded_upload(upload: Any, suffixes: Iterable[str] = (), wrong_kind: str = "") -> Any:
    """An uploaded file, refused when it is over the upload limit or, when `suffixes` are
    given, not one of them (`wrong_kind` is the message; `{suffix}` is replaced)."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffixes and suffix not in suffixes:
        raise forms.ValidationError(wrong_kind.format(suffix=suffix or "this kind of"))
    if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        raise forms.ValidationError(
            f"The file is larger than the {settings.UPLOAD_MAX_MB} MB limit."
        )
    return upload
