"""The global audit log: every change, filterable by person, kind of record and date."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views import View

from townhall.accounts.models import User
from townhall.audit.display import describe
from townhall.audit.models import AuditEntry
from townhall.core import permissions, registry
from townhall.core.filters import RecordFilterSet
from townhall.core.forms import DateInput
from townhall.core.paging import BadCursor, keyset_page


def _kinds(request: HttpRequest | None = None) -> "QuerySet[ContentType]":
    """The kinds of record the person may see (accounts only for administrators)."""
    admin = permissions.is_admin(getattr(request, "user", None))
    models = [
        r.model
        for r in registry.all_resources()
        if admin or not getattr(r.model, "admin_only", False)
    ]
    ids = [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]
    return ContentType.objects.filter(pk__in=ids).order_by("model")


def _actors(request: HttpRequest | None = None) -> "QuerySet[User]":
    """Only people who made changes the person may see: the filter must not list every
    account, nor reveal who has touched what is hidden (a board member's private ballot)."""
    user = getattr(request, "user", None)
    entries = AuditEntry.objects.restrict(user) if user is not None else AuditEntry.objects.none()
    # One EXISTS per account, through the actor index, stops at the first entry found: the
    # `IN (SELECT actor …)` form read every entry of the log (150 ms on SQLite at 500,000).
    return User.objects.filter(Exists(entries.filter(actor=OuterRef("pk")))).order_by("username")


class AuditFilterSet(RecordFilterSet):
    actor = django_filters.ModelChoiceFilter(queryset=_actors, label="Person")
    content_type = django_filters.ModelChoiceFilter(queryset=_kinds, label="Kind of record")
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices)
    after = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label="From", widget=DateInput
    )
    before = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label="To", widget=DateInput
    )
    request_id = django_filters.CharFilter(label="Request ID")

    class Meta:
        model = AuditEntry
        fields = ["actor", "content_type", "action", "after", "before", "request_id"]


# Entries counted at most: beyond, the page says "more than" (counting a county's millions
# of entries cost seconds on every page).
COUNT_LIMIT = 10_000
PER_PAGE = 50


class AuditLogPage(View):
    """The newest entries first, paged by key: "Older" starts after the last entry shown
    (`?cursor=`), so the millionth entry costs what the first does, and an entry written
    meanwhile moves nothing between pages. Page numbers (`?page=`) are no longer read."""

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = (
            AuditEntry.objects.restrict(request.user)
            .without_values()  # the log lists changes; an entry's page shows the values
            .select_related("actor")
        )
        filterset = AuditFilterSet(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound and filterset.is_valid():
            qs = filterset.qs
        try:
            page = keyset_page(qs, PER_PAGE, request.GET.get("cursor") or None)
        except BadCursor:  # an edited or cut address: the newest entries
            page = keyset_page(qs, PER_PAGE, None)
        found = qs.order_by()[: COUNT_LIMIT + 1].count()
        page.rows = describe(page.rows)
        query = request.GET.copy()
        for key in ("page", "cursor"):
            query.pop(key, None)
        return render(
            request,
            "audit/list.html",
            {
                "page": page,
                "count": min(found, COUNT_LIMIT),
                "capped": found > COUNT_LIMIT,
                "filterset": filterset,
                "query": query.urlencode(),
            },
        )


class AuditEntryPage(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(
            AuditEntry.objects.restrict(request.user).select_related("actor"), pk=pk
        )
        resource = (
            registry.for_model(entry.content_type.model_class())
            if entry.content_type.model_class()
            else None
        )
        describe([entry])
        return render(request, "audit/detail.html", {"entry": entry, "resource": resource})
