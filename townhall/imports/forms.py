"""The forms of the import pages: upload, column mapping, and the commit choice."""

from typing import Any

from django import forms

from townhall.core.forms import bounded_upload, field_of, style_fields
from townhall.core.models import field_named
from townhall.imports import mapping, parsing
from townhall.imports.kinds import Kind, choices
from townhall.imports.models import SavedMapping

IGNORE = ("", "— Do not import —")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=choices)
    file = forms.FileField(
        label="File",
        help_text="A CSV file (comma, semicolon or tab separated) or an Excel workbook (.xlsx).",
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if kinds is not None:
            field_of(self, "kind", forms.ChoiceField).choices = kinds
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,.xlsx"
        style_fields(self.fields.values())

    def clean_file(self) -> Any:
        return bounded_upload(
            self.cleaned_data["file"],
            (*parsing.CSV_EXTENSIONS, *parsing.XLSX_EXTENSIONS),
            "Townhall cannot import {suffix} files. "
            "Save the spreadsheet as CSV or Excel (.xlsx) and upload that.",
        )


def _samples(sheet: parsing.Sheet, heading: str, limit: int = 3) -> str:
    seen: list[str] = []
    for _, record in sheet.records():
        value = record.get(heading)
        text = "" if value is None else str(value).strip()
        if text and text not in seen:
            seen.append(text[:40])
        if len(seen) == limit:
            break
    return ", ".join(seen)


class ColumnsForm(forms.Form):
    """One select per column of a file, proposing the field it most likely holds, among
    `headings` (field -> label). `required(mapping)` says what is missing, or "" (see
    `MappingForm`)."""

    def __init__(
        self,
        *args: Any,
        headings: dict[str, str],
        sheet: parsing.Sheet,
        initial_map: dict[str, str],
        required: Any = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.headings = headings
        self.required = required
        self.headers = [h for h in sheet.header if h]
        choices = [IGNORE, *headings.items()]
        columns = {}
        for index, heading in enumerate(self.headers):
            samples = _samples(sheet, heading)
            columns[f"col_{index}"] = forms.ChoiceField(
                label=heading,
                choices=choices,
                required=False,
                initial=initial_map.get(heading, ""),
                help_text=f"For example: {samples}" if samples else "This column is empty.",
            )
        self.fields = {**columns, **self.fields}
        style_fields(self.fields.values())

    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("col_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        proposed = {h: data.get(f"col_{i}", "") for i, h in enumerate(self.headers)}
        result, problems = mapping.clean(proposed, self.headers, self.headings)
        for problem in problems:
            self.add_error(None, problem)
        missing = self.required(result) if self.required is not None else ""
        if missing:
            self.add_error(None, missing)
        data["mapping"] = result
        return data


class MappingForm(ColumnsForm):
    """The columns of a file of records of one kind, and a name to save them under."""

    save_as = forms.CharField(
        label="Save this mapping as (optional)",
        required=False,
        max_length=100,
        help_text="A name such as “Finance asset list”, to reuse for next month's file.",
    )

    def __init__(
        self, *args: Any, kind: Kind, sheet: parsing.Sheet, initial_map: dict[str, str], **kw: Any
    ) -> None:
        from townhall.imports.engine import identity_problem

        self.kind = kind
        super().__init__(
            *args,
            headings=kind.headings(),
            sheet=sheet,
            initial_map=initial_map,
            required=lambda result: identity_problem(kind, result),
            **kw,
        )


class SavedMappingChoice(forms.Form):
    saved = forms.ModelChoiceField(
        label="Use a saved mapping", queryset=SavedMapping.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, kind: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field_of(self, "saved", forms.ModelChoiceField).queryset = SavedMapping.objects.filter(
            kind=kind
        )
        style_fields(self.fields.values())


class CommitForm(forms.Form):
    valid_only = forms.BooleanField(
        label="Import only the valid rows",
        required=False,
        help_text="Without this, a file with any rejected row imports nothing.",
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        style_fields(self.fields.values())


LEAVE = ("", "— Leave it refused —")


class ValueMapForm(forms.Form):
    """One select per value of the file that is none of its field's choices: the person
    says once which choice it means, and every row holding it is read that way."""

    def __init__(
        self,
        *args: Any,
        kind: Kind,
        unknown: list[tuple[str, str, str, int]],
        saved_name: str = "",
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.unknown = unknown
        for index, (name, column, value, count) in enumerate(unknown):
            field = field_named(kind.model, name)  # a choice field of the record
            choices = [(str(k), str(v)) for k, v in field.flatchoices if str(k) != ""]
            rows = f"{count:,} row{'s' if count != 1 else ''}"
            self.fields[f"v_{index}"] = forms.ChoiceField(
                label=f"“{value}” in {column}",
                choices=[LEAVE, *choices],
                required=False,
                help_text=f"In {rows}. Which {field.verbose_name} does it mean?",
            )
        if saved_name:
            self.fields["keep"] = forms.BooleanField(
                label=f"Remember these in the saved mapping “{saved_name}”",
                required=False,
                initial=True,
                help_text="So next month's file with the same values is read the same way.",
            )
        style_fields(self.fields.values())

    def chosen(self) -> dict[str, dict[str, str]]:
        """field -> {value: choice} for the values given a choice."""
        result: dict[str, dict[str, str]] = {}
        for index, (name, _column, value, _count) in enumerate(self.unknown):
            stored = self.cleaned_data.get(f"v_{index}")
            if stored:
                result.setdefault(name, {})[value] = stored
        return result
