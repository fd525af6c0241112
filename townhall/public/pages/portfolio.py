"""A budget year's public page: what departments asked for, how the board scores requests
(the criteria and their weights, explained), what it funded and why, and how the funded
projects are going. It answers the budget years' record address (`public:detail` for
`budget-cycles`), so every test of a kind's record page covers it; reads only through
`publishing`."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from townhall.public import kinds, language, publishing
from townhall.public.pages.site import _context

CYCLES = kinds.get("budget_cycle")


@login_not_required
@require_safe
@language.in_visitor_language
def cycle(request: HttpRequest, pk: int) -> HttpResponse:
    assert CYCLES is not None  # declared in kinds.KINDS
    pub = publishing.published_kind(CYCLES.slug)
    if pub is None:
        raise Http404(_("There is no such public page."))
    found = publishing.record(pub, pk)
    if found is None:
        raise Http404(_("There is no such public record."))
    values = {v.field.name: v for v in found.values}
    criteria = values.pop("criteria", None)
    return render(
        request,
        "public/cycle.html",
        _context(
            request,
            pub=pub,
            record=found,
            facts=list(values.values()),
            criteria=criteria,
            decisions=publishing.cycle_decisions(pk),
        ),
    )
