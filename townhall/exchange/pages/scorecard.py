"""The priorities scorecard page: the table the home shows, then per priority its question,
the figures behind its status with links to the records, and the thresholds in words."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from townhall.core import permissions
from townhall.exchange import peers_input, scorecard_input


@require_safe
def scorecard(request: HttpRequest) -> HttpResponse:
    """Everyone signed in may open it: every figure counts only the records the reader may
    see, so IT and admins see the whole city and a liaison their department's share."""
    user = request.user
    # Where we stand against peers, for those who read the peer comparison, once a year's
    # metrics were submitted.
    peers = peers_input.compare() if peers_input.may_read(user) else None
    return render(
        request,
        "exchange/scorecard.html",
        {
            "scorecard": scorecard_input.rows_for(user),
            "whole_city": permissions.is_admin(user) or permissions.is_it_staff(user),
            "peers": peers if peers is not None and peers.year is not None else None,
        },
    )
