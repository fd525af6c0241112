"""Foundation records for Juniper County, the fictional demo jurisdiction.

On top of the demo estate and cyber's sample release data: the expected service life of
each kind of component (when the migration's defaults are missing), cloud services and
databases without a vendor date marked "supported, no end date announced" as their
providers publish no end, and the support suggestions the release data gives, left
pending for someone to decide.
"""

from django.db.models import Q

from townhall.core import context, services
from townhall.estate.models import Component, SupportState
from townhall.foundation import life, suggestions
from townhall.foundation.models import ServiceLife, SupportSuggestion
from townhall.org.models import Department

NO_END_KINDS = (Component.Kind.CLOUD, Component.Kind.DATABASE)


def load(scale: str = "small", seed: int = 1) -> int:
    """Create the demo's foundation records; return how many were created or changed."""
    if SupportSuggestion.objects.exists() or not Department.objects.exists():
        return 0
    count = 0
    with context.acting("demo"):
        have = set(ServiceLife.objects.values_list("kind", flat=True))
        rows = [{"kind": k, "years": y} for k, y in life.DEFAULT_YEARS.items() if k not in have]
        count += len(services.create_many(context.SYSTEM, ServiceLife, rows))
        open_ended = Component.objects.filter(
            Q(kind__in=NO_END_KINDS),
            end_of_support__isnull=True,
            support_state=SupportState.UNKNOWN,
        ).order_by("pk")[:200]
        changes = [(c, {"support_state": SupportState.NO_END_DATE}) for c in open_ended]
        if changes:
            services.update_rows(context.SYSTEM, changes)
        count += len(changes)
        count += suggestions.make_suggestions(context.SYSTEM).made
    return count
