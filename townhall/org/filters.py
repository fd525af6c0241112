import django_filters

from townhall.core.filters import RecordFilterSet, department_filter
from townhall.core.models import Tag
from townhall.org.models import Department, Document


class DepartmentFilterSet(RecordFilterSet):
    parent = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label="Part of")
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=Tag.objects.all(), label="Tag"
    )

    class Meta:
        model = Department
        fields = ["parent", "tag"]


class DocumentFilterSet(RecordFilterSet):
    owner_department = department_filter()
    kind = django_filters.ChoiceFilter(choices=Document.Kind.choices)
    effective_after = django_filters.DateFilter(
        field_name="effective_date", lookup_expr="gte", label="Effective on or after"
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=Tag.objects.all(), label="Tag"
    )

    class Meta:
        model = Document
        fields = ["owner_department", "kind", "effective_after", "tag"]
