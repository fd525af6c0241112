"""The public site's pages: its front page, each published kind's list, record, Atom feed
and CSV download, and search. Open to everyone (`login_not_required`), read only through
`publishing`, in the visitor's language."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from townhall.core import exports
from townhall.core.http import whole_number
from townhall.public import language, page_cache, publishing
from townhall.public.publishing import PublicRecord, Published

MAX_SEARCH = 200  # characters of a search read


def _published(slug: str) -> Published:
    pub = publishing.published_kind(slug)
    if pub is None:
        raise Http404(_("There is no such public page."))
    return pub


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return whole_number(raw, 6) or 1


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "public_kinds": publishing.published(),
        "languages": language.LANGUAGES,
        "language": language.visitor_language(request),
        **extra,
    }


@login_not_required
@require_safe
@language.in_visitor_language
@page_cache.kept
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", _context(request))


@login_not_required
@require_safe
@language.in_visitor_language
@page_cache.kept
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    pub = _published(slug)
    number = _page_number(request)
    records, total = publishing.page(pub, number)
    pages = max((total + publishing.PER_PAGE - 1) // publishing.PER_PAGE, 1)
    if number > pages:
        raise Http404(_("There is no such page of this list."))
    return render(
        request,
        "public/list.html",
        _context(request, pub=pub, records=records, total=total, number=number, pages=pages),
    )


@login_not_required
@require_safe
@language.in_visitor_language
@page_cache.kept
def record_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    pub = _published(slug)
    found = publishing.record(pub, pk)
    if found is None:
        raise Http404(_("There is no such public record."))
    return render(request, "public/detail.html", _context(request, pub=pub, record=found))


@login_not_required
@require_safe
@language.in_visitor_language
def record_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every public record of a kind, streamed, each cell safe to open in a spreadsheet."""
    pub = _published(slug)
    header = [str(pub.kind.title.label), *(str(f.label) for f in pub.fields)]
    body = (
        [exports.safe_cell(r.title), *(exports.safe_cell(v.text) for v in r.values)]
        for r in publishing.every(pub)
    )
    response = StreamingHttpResponse(exports.csv_lines(header, body), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{pub.kind.slug}.csv"'
    return response


class KindFeed(Feed):
    """The latest changes to a kind's public records, as an Atom feed."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Published:
        return _published(slug)

    def title(self, pub: Published) -> str:
        return str(pub.kind.label)

    def link(self, pub: Published) -> str:
        return reverse("public:list", args=[pub.kind.slug])

    def subtitle(self, pub: Published) -> str:
        return str(pub.kind.intro)

    def items(self, pub: Published) -> list[PublicRecord]:
        return publishing.latest(pub)

    def item_title(self, item: PublicRecord) -> str:
        return item.title

    def item_description(self, item: PublicRecord) -> str:
        return "\n".join(f"{v.field.label}: {v.text}" for v in item.values if v.text)

    def item_link(self, item: PublicRecord) -> str:
        return reverse("public:detail", args=[item.kind.slug, item.pk])

    def item_updateddate(self, item: PublicRecord) -> Any:
        return item.updated


record_feed = login_not_required(
    require_safe(language.in_visitor_language(page_cache.kept(KindFeed())))
)


@login_not_required
@require_safe
@language.in_visitor_language
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:MAX_SEARCH]
    return render(
        request,
        "public/search.html",
        _context(request, q=text, results=publishing.search(text)),
    )


@login_not_required
@require_safe
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    return language.choose(request, code)
