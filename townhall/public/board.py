"""What residents said, on the proposal's page in governance, where the board scores it:
counts of support and comments and the published comments. Registered by the public app
(it comes after governance) through `core.plugins.register_panel`."""

from typing import Any

from townhall.core import plugins
from townhall.public import residents


def _context(request: Any, proposal: Any) -> dict[str, Any] | None:
    found = residents.said("proposal", proposal.pk)
    return None if found is None else {"said": found}


PANEL = plugins.Panel(
    name="public-input", template="public/board_panel.html", context=_context, order=80
)


def register() -> None:
    plugins.register_panel(["governance.Proposal"], PANEL)
