"""One filterset per register record: list-page and API filters."""

# --- AI use cases ---
from townhall.core.filters import RecordFilterSet, department_filter  # noqa: E402
from townhall.registers import models as m  # noqa: E402


class AIUseCaseFilterSet(RecordFilterSet):
    owner_department = department_filter()

    class Meta:
        model = m.AIUseCase
        fields = ["owner_department", "stage", "high_impact", "topic_area", "vendor", "system"]
