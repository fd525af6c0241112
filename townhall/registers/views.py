"""The registers' records on the platform's generic pages and API (`declare`)."""

# --- AI use cases ---
from townhall.core.registry import declare  # noqa: E402
from townhall.registers import models as m  # noqa: E402

AI_USE_CASES = declare(
    m.AIUseCase,
    ["name", "purpose", "vendor__name", "system__name"],
    nav_label="AI use cases",
)
