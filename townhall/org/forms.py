from townhall.core.forms import DateInput, RecordForm
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
