from townhall.core.registry import urls
from townhall.estate import views

app_name = "estate"
urlpatterns = urls(
    views.SERVICES,
    views.SYSTEMS,
    views.COMPONENTS,
    views.VENDORS,
    views.CONTRACTS,
    views.PEOPLE,
    views.LOCATIONS,
    views.DEPENDENCIES,
)
