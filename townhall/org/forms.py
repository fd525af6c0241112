from typing import Any

from django import forms

from townhall.core.forms import DateInput, RecordForm, field_of, style_fields
from townhall.org.models import Department, Document


class DepartmentForm(RecordForm):
    class Meta:
        model = Department
        fields = [
            "name",
            "code",
            "parent",
            "head",
            "it_liaison",
            "employees",
            "external_id",
            "tags",
            "notes",
        ]


class DocumentForm(RecordForm):
    class Meta:
        model = Document
        fields = [
            "title",
            "kind",
            "owner_department",
            "file",
            "effective_date",
            "external_id",
            "tags",
            "notes",
        ]
        widgets = {"effective_date": DateInput}


class DepartmentChoice(forms.Form):
    """A department to look at, among those the reader may see: the pages that ask a
    department for something (its impact analyses, its answers about what it bought) let
    IT staff and read-only roles choose whose to show."""

    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "department", forms.ModelChoiceField).queryset = Department.objects.restrict(
            user, "view"
        ).order_by("name", "pk")
        style_fields(self.fields.values())
