"""One table per register record: list columns, also the export's."""

# --- AI use cases ---
from townhall.core.tables import Column, Table  # noqa: E402
from townhall.registers import models as m  # noqa: E402


class AIUseCaseTable(Table):
    model = m.AIUseCase
    columns = [
        Column("name", link=True),
        Column("owner_department", label="Department"),
        Column("topic_area"),
        Column("stage"),
        Column("high_impact"),
        Column("vendor"),
        Column("system"),
        Column("next_review_on", label="Next review"),
    ]
