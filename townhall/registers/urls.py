from django.urls import path

from townhall.core.registry import urls
from townhall.registers import views
from townhall.registers.pages import home, radio

app_name = "registers"
urlpatterns = urls(
    # --- Emergency communications ---
    views.CONTINUUM_ASSESSMENTS,
    views.LANE_RATINGS,
    views.TALKGROUPS,
    views.PARTNER_AGENCIES,
    views.INTEROP_LINKS,
)

# The registers' front page: each register, its records and its reviews due (pages/home.py).
urlpatterns += [path("", home.home, name="home")]
# --- Emergency communications ---
urlpatterns += [
    path("emergency-communications/", radio.communications, name="emergency_communications")
]
