from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from townhall.core import api, views

handler403 = "townhall.core.views.error_403"
handler404 = "townhall.core.views.error_404"
handler500 = "townhall.core.views.error_500"

API_DOCS = SpectacularSwaggerSplitView.as_view(
    url_name="api-schema", template_name="api/docs.html", title="Townhall API"
)
# REST framework marks its views public (it signs API callers in itself); the docs page is not.
API_DOCS.login_required = True  # type: ignore[attr-defined]

urlpatterns = [
    path("", include("townhall.core.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("townhall.accounts.urls")),
    path("org/", include("townhall.org.urls")),
    path("estate/", include("townhall.estate.urls")),
    path("governance/", include("townhall.governance.urls")),
    path("cyber/", include("townhall.cyber.urls")),
    path("continuity/", include("townhall.continuity.urls")),
    path("foundation/", include("townhall.foundation.urls")),
    path("shadow-it/", include("townhall.shadowit.urls")),
    path("people/", include("townhall.people.urls")),
    path("registers/", include("townhall.registers.urls")),
    path("public/", include("townhall.public.urls")),
    path("publishing/", include("townhall.public.publishing_urls")),
    path("exchange/", include("townhall.exchange.urls")),
    path("hub/", include("townhall.exchange.hub_urls")),
    path("import/", include("townhall.imports.urls")),
    path("audit/", include("townhall.audit.urls")),
    path("jobs/", include("townhall.jobs.urls")),
    path("sso/", include("townhall.signin.flow_urls")),
    path("single-sign-on/", include("townhall.signin.urls")),
    re_path(r"^scim/v2/+", include("townhall.scim.urls")),  # one slash or more
    # The schema and its reference page need sign-in, like the API they describe. DRF's
    # views answer a signed-out request themselves (401), so the sign-in middleware leaves
    # them alone; the reference page is a page, so it sends people to sign in instead.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", API_DOCS, name="api-docs"),
    path("api/", include(api.router().urls)),
    path("api/", include(api.moved_urls())),  # addresses as they were, redirected
    path("media/<path:path>", views.media, name="media"),
]
