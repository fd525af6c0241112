from django.urls import path

from townhall.core.registry import urls
from townhall.registers import views
from townhall.registers.pages import data, home

app_name = "registers"
urlpatterns = urls(views.DATASETS, views.DISTRIBUTIONS)

# The registers' front page: each register, its records and its reviews due (pages/home.py).
urlpatterns += [path("", home.home, name="home")]

# --- Data inventory: the catalog as data.json and JSON-LD, and importing a data.json.
urlpatterns += [
    path("data/", data.catalog, name="data_catalog"),
    path("data.json", data.data_json, name="data_json"),
    path("data.jsonld", data.data_jsonld, name="data_jsonld"),
    path("data/import/", data.data_import, name="data_import"),
]
