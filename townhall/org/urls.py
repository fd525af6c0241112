from townhall.core.registry import urls
from townhall.org.views import DEPARTMENTS, DOCUMENTS

app_name = "org"
urlpatterns = urls(DEPARTMENTS, DOCUMENTS)
