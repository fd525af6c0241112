"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")
application = get_wsgi_application()
# Load every page's code now rather than on the first request, then set the objects that
# live as long as the process aside from the garbage collector: its full passes otherwise
# walk them all (about 200,000) and paused a request for some 77 ms every so often.
get_resolver().url_patterns  # noqa: B018 - imports the URL configuration and every view
gc.collect()
gc.freeze()
