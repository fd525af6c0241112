from django.urls import path

from townhall.core.registry import urls
from townhall.registers import views
from townhall.registers.pages import home, social

app_name = "registers"
urlpatterns = urls(
    views.SOCIAL_ACCOUNTS,
)

# The registers' front page: each register, its records and its reviews due (pages/home.py).
urlpatterns += [path("", home.home, name="home")]

# --- Social media accounts ---
urlpatterns += [path("social-media/", social.social_media, name="social")]
