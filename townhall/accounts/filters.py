import django_filters

from townhall.accounts.models import Role, User
from townhall.core.filters import RecordFilterSet
from townhall.org.models import Department


class UserFilterSet(RecordFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all())
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = User
        fields = ["role", "department", "is_active"]
