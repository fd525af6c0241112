from townhall.core.registry import urls
from townhall.shadowit import views

app_name = "shadowit"
urlpatterns = urls(views.PURCHASES, views.SIGN_INS, views.DOMAINS)
