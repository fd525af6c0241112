from django.urls import path

from townhall.core.registry import urls
from townhall.registers.pages import home

app_name = "registers"
urlpatterns = urls()

# The registers' front page: each register, its records and its reviews due (pages/home.py).
urlpatterns += [path("", home.home, name="home")]
