import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Load every view module now (through the URLconf), then exclude everything loaded so far
# from garbage collection. Otherwise each full collection walks the whole of Django and
# Wagtail: measured at ~100 ms on the reference machine, every few dozen admin requests.
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
gc.freeze()
