"""The registers' records on the platform's generic pages and API (`declare`)."""

from townhall.core.registry import declare
from townhall.registers import models as m

# --- Data inventory ---------------------------------------------------------------------

DATASETS = declare(
    m.Dataset,
    ["title", "identifier", "description", "keywords"],
    related=["distributions"],
)
DISTRIBUTIONS = declare(m.Distribution, ["title", "dataset__title"], in_nav=False)
