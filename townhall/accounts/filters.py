import django_filters

from townhall.accounts.models import Role, User
from townhall.core.filters import RecordFilterSet, department_filter


class UserFilterSet(RecordFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    department = department_filter("department")
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = User
        fields = ["role", "department", "is_active"]
