"""Search-and-choose widgets for foreign keys and many-to-many fields on large tables.

A `<select>` lists every row of the related table; at tens of thousands of rows that makes
a form megabytes long. `PickOne` (ForeignKey) and `PickMany` (ManyToMany) render only the
chosen record(s), as checked radios or checkboxes (so the form keeps them without
JavaScript), a search box, and a results region that htmx fills from the picker endpoint
(`townhall.core.pickers`). The form field keeps its queryset, so posted ids are validated
exactly as before; these widgets never iterate the field's choices, they only look up the
selected values (one query, none when nothing is chosen).
"""

import re
from typing import Any, Self

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template import loader
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

MAX_CHOSEN = 200  # more chosen values than this are not looked up (nor rendered)


def picker_id(name: str) -> str:
    """The id every part of one picker derives from, given the field's HTML name."""
    return "pick_" + re.sub(r"[^A-Za-z0-9_-]", "_", name)


def clean_ids(model: type[models.Model], values: Any, key: str = "pk") -> list[Any]:
    """The values that are valid for `model`'s `key` field, in order, without repeats.

    Anything else (text in an integer key, NUL characters, huge numbers) is dropped, so
    looking values up never raises."""
    field = model._meta.pk if key == "pk" else model._meta.get_field(key)
    found: list[Any] = []
    for value in values or ():
        value = getattr(value, "pk", value) if key == "pk" else value
        if value is None or value == "" or (isinstance(value, str) and "\x00" in value):
            continue
        try:
            value = field.to_python(value)  # type: ignore[union-attr]  # a concrete field
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                continue
        except (ValidationError, TypeError, ValueError, OverflowError):
            continue
        if value not in found:
            found.append(value)
        if len(found) >= MAX_CHOSEN:
            break
    return found


class PickOne(forms.Widget):
    """One record from a large table: the chosen one, "None" when optional, and search."""

    template_name = "core/widgets/picker.html"
    allow_multiple_selected = False
    use_fieldset = True  # core/_field.html then puts the field's label in a legend

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        # Set by ModelChoiceField to its ModelChoiceIterator; only its queryset and field
        # are used, never the iterator itself (that would read the whole table).
        self.choices: Any = ()

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        obj = super().__deepcopy__(memo)
        obj.choices = self.choices
        return obj

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        # The stock picker is written in Python (`picker_html`): a page of a hundred
        # pickers (the assessment workspace) spent a fifth of its time in their templates.
        if template_name == PickOne.template_name:
            return picker_html(context["picker"])
        # The project's template engine (templates/core/widgets/), not the form renderer's.
        return mark_safe(loader.render_to_string(template_name, context))  # noqa: S308

    # --- values in and out ---------------------------------------------------------------

    def format_value(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        if not isinstance(value, list | tuple | set | models.QuerySet):
            value = [value]
        return [str(getattr(v, "pk", v)) for v in value if v is not None and v != ""]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # radios and checkboxes: the form checks on the server (novalidate)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_q" if id_ else id_

    # --- what is chosen --------------------------------------------------------------------

    def _field(self) -> forms.ModelChoiceField | None:
        return getattr(self.choices, "field", None)

    def chosen(self, values: list[str]) -> list[tuple[str, str]]:
        """(value, label) of each chosen record, looked up in one query."""
        field = self._field()
        queryset = getattr(self.choices, "queryset", None)
        if field is None or queryset is None or not values:
            return []
        key = field.to_field_name or "pk"
        ids = clean_ids(queryset.model, values, key)
        if not ids:
            return []
        rows = {
            str(getattr(obj, key) if key != "pk" else obj.pk): obj
            for obj in queryset.filter(**{f"{key}__in": ids})
        }
        return [(str(i), field.label_from_instance(rows[str(i)])) for i in ids if str(i) in rows]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        field = self._field()
        queryset = getattr(self.choices, "queryset", None)
        model = queryset.model if queryset is not None else None
        optional = field is not None and not field.required and not self.allow_multiple_selected
        empty_label = getattr(field, "empty_label", None)
        if not empty_label or set(str(empty_label)) <= {"-"}:
            empty_label = "None"
        base = picker_id(name)
        chosen = self.chosen(context["widget"]["value"])
        url = ""
        if model is not None:
            url = reverse("core:pick", args=[model._meta.app_label, model._meta.model_name])
            query: dict[str, str | int] = {
                "field": name,
                "multiple": int(self.allow_multiple_selected),
                "optional": int(optional),
            }
            url += "?" + urlencode(query)
        attrs = context["widget"]["attrs"]
        context["picker"] = {
            "id": base,
            # The search box takes the field's id, so labels and the error summary reach it.
            "q_id": f"{attrs['id']}_q" if attrs.get("id") else f"{base}_q",
            "invalid": attrs.get("aria-invalid") == "true",
            "name": name,
            "multiple": self.allow_multiple_selected,
            "optional": optional,
            "empty_label": empty_label,
            "chosen": chosen,
            "url": url,
            "plural": str(model._meta.verbose_name_plural) if model else "records",
            "singular": str(model._meta.verbose_name) if model else "record",
        }
        return context


def picker_html(p: dict[str, Any]) -> SafeString:
    """templates/core/widgets/picker.html, written in Python: the same HTML (a test compares
    them), without a template render per picker."""
    e = conditional_escape
    pid, url = e(p["id"]), e(p["url"])
    none = ""
    if p["optional"]:
        checked = "" if p["chosen"] else " checked"
        none = (
            '<div class="usa-radio">\n'
            f'      <input class="usa-radio__input" type="radio" name="{e(p["name"])}" '
            f'id="{pid}_none" value=""{checked}>\n'
            f'      <label class="usa-radio__label" for="{pid}_none">'
            f"{e(p['empty_label'])}</label>\n"
            "    </div>"
        )
    invalid = ' aria-invalid="true"' if p["invalid"] else ""
    html = (
        f'\n<div class="th-picker" id="{pid}">\n'
        '  <div class="th-picker__chosen">\n'
        f"    {none}\n"
        f"    {chosen_html(p)}\n"
        "  </div>\n"
        '  <div class="th-picker__search">\n'
        f'    <label class="usa-label" for="{e(p["q_id"])}">Search {e(p["plural"])}</label>\n'
        '    <div class="th-picker__row">\n'
        f'      <input class="usa-input th-picker__q" type="search" id="{e(p["q_id"])}" '
        f'name="q"{invalid} maxlength="200" autocomplete="off" aria-describedby="{pid}_hint"\n'
        f'        data-picker-search hx-get="{url}" hx-trigger="input changed delay:300ms, '
        f'search" hx-target="#{pid}_results" hx-include="#{pid}" hx-sync="this:replace">\n'
        '      <button class="usa-button usa-button--outline th-picker__button" type="button" '
        f'hx-get="{url}" hx-target="#{pid}_results" hx-include="#{pid}">Search</button>\n'
        "    </div>\n"
        f'    <div class="usa-hint" id="{pid}_hint">Type part of a name, then choose from the '
        "matches below (press Down to reach them).</div>\n"
        "  </div>\n"
        f'  <div class="th-picker__results" id="{pid}_results"></div>\n'
        f'  <div class="usa-sr-only" role="status" data-announce-from="{pid}_count"></div>\n'
        "</div>\n"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped


def chosen_html(p: dict[str, Any]) -> str:
    """templates/core/_picker_chosen.html (not out of band), written in Python."""
    e = conditional_escape
    pid, name = e(p["id"]), e(p["name"])
    box = "usa-checkbox" if p["multiple"] else "usa-radio"
    kind = "checkbox" if p["multiple"] else "radio"
    parts = [f'<div class="th-picker__chosen-list" id="{pid}_chosen">\n  ']
    for n, (value, label) in enumerate(p["chosen"], start=1):
        parts.append(
            f'<div class="{box}">\n'
            f'    <input class="{box}__input" type="{kind}" name="{name}" id="{pid}_c{n}" '
            f'value="{e(value)}" checked>\n'
            f'    <label class="{box}__label" for="{pid}_c{n}">{e(label)}</label>\n'
            "  </div>"
        )
    if not p["chosen"] and not p["optional"]:
        nothing = "None chosen." if p["multiple"] else "Nothing chosen yet."
        parts.append(f'<p class="th-picker__nothing">{nothing}</p>')
    parts.append("\n</div>\n")
    return "".join(parts)


class PickMany(PickOne):
    """Any number of records from a large table: each chosen one as a ticked checkbox."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        if getter is not None:
            return getter(name)
        value = data.get(name)
        return value if isinstance(value, list | tuple) else ([] if value is None else [value])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an unticked checkbox is not posted: no value means "none chosen"


class QuickSelect(forms.Select):
    """A `<select>` that writes its options in Python instead of rendering a template per
    option: the same HTML as `forms.Select`, at a fraction of the cost, which matters for
    list filters offering hundreds of departments or vendors on every page view.

    Only the stock select template is written this way; a subclass that names another
    template renders through it as usual."""

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        if template_name != forms.Select.template_name:
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        widget = context["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
                for option in group_choices
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped

    @classmethod
    def like(cls, widget: forms.Select) -> "QuickSelect":
        """A QuickSelect standing in for a form field's `Select` (same attributes, choices)."""
        quick = cls(attrs=widget.attrs, choices=())
        quick.choices = widget.choices
        quick.is_required = widget.is_required
        quick.is_localized = widget.is_localized
        return quick


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing
    for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )
