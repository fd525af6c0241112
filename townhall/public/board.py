"""What residents said, on the proposal's page in governance, where the board scores it:
counts of support and comments and the published comments; the same in the board
packet (`governance.packet.register_section`). Registered by the public app
(it comes after governance) through `core.plugins.register_panel`."""

from typing import Any

from townhall.core import plugins
from townhall.public import residents
from townhall.public.models import CommentWindow


def _context(request: Any, proposal: Any) -> dict[str, Any] | None:
    found = residents.said("proposal", proposal.pk)
    return None if found is None else {"said": found}


PANEL = plugins.Panel(
    name="public-input", template="public/board_panel.html", context=_context, order=80
)


def packet_sections(user: Any, proposals: list[Any]) -> dict[int, list[dict[str, Any]]]:
    """What residents said about each proposal of a board packet that was open for comment."""
    opened = set(
        CommentWindow.objects.filter(
            target_kind="proposal", target_id__in=[p.pk for p in proposals]
        ).values_list("target_id", flat=True)
    )
    sections: dict[int, list[dict[str, Any]]] = {}
    for pk in sorted(opened):
        found = residents.said("proposal", pk)
        if found is None:
            continue
        comments = "1 comment" if found.comments == 1 else f"{found.comments} comments"
        waiting = f", {found.waiting} still waiting for moderation" if found.waiting else ""
        counts = f"{found.support} showed support; {comments} confirmed{waiting}."
        lines = [counts, *(f"“{body}”" for body in found.published)]
        sections[pk] = [{"title": "What residents said", "lines": lines}]
    return sections


def register() -> None:
    from townhall.governance import packet

    plugins.register_panel(["governance.Proposal"], PANEL)
    packet.register_section(packet_sections)
