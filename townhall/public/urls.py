from django.urls import path

from townhall.public.pages import site

app_name = "public"
urlpatterns = [
    path("", site.home, name="home"),
    path("search/", site.search, name="search"),
    path("language/<str:code>/", site.choose_language, name="language"),
    path("<slug:slug>/", site.record_list, name="list"),
    path("<slug:slug>/<int:pk>/", site.record_detail, name="detail"),
    path("<slug:slug>/feed.atom", site.record_feed, name="feed"),
    path("<slug:slug>.csv", site.record_csv, name="csv"),
]

# --- The data catalog's files ---
from townhall.public.pages import catalog  # noqa: E402

urlpatterns += [
    path("data.json", catalog.data_json, name="data_json"),
    path("data.jsonld", catalog.data_jsonld, name="data_jsonld"),
]


# --- The technology investment portfolio ---
# A budget year's record page is its portfolio page; it goes first, before the generic one.
from townhall.public.pages import portfolio  # noqa: E402

urlpatterns[:0] = [path("budget-cycles/<int:pk>/", portfolio.cycle, name="cycle")]

# --- Residents' input ---
from townhall.public.pages import input as resident_input  # noqa: E402

urlpatterns[:0] = [
    path("ideas/", resident_input.idea, name="idea"),
    path("confirm/<str:token>/", resident_input.confirm, name="confirm"),
    path("comments/<int:pk>/report/", resident_input.report, name="report"),
    path("<slug:slug>/<int:pk>/comment/", resident_input.comment, name="comment"),
]
