import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")


class FreezeAfterWarmUp:
    """Exclude from garbage collection what the first requests load and keep for the life
    of the process (compiled templates, translation catalogues, Wagtail's registries and
    menus, cached content types...), as `gc.freeze()` below does for what importing loads.
    Otherwise every full collection walks them again: measured on the 400,000-member bench
    database at ~40 ms, on one request in ten of the filtered dashboard (its p95)."""

    def __init__(self, app, *, after: tuple[int, ...] = (20, 200)) -> None:
        self.app = app
        self.after = set(after)
        self.served = 0

    def __call__(self, environ, start_response):
        self.served += 1  # a race between threads only shifts a freeze by a request
        if self.served in self.after:
            gc.freeze()
        return self.app(environ, start_response)


application = FreezeAfterWarmUp(get_wsgi_application())

# Load every view module now (through the URLconf), then exclude everything loaded so far
# from garbage collection. Otherwise each full collection walks the whole of Django and
# Wagtail: measured at ~100 ms on the reference machine, every few dozen admin requests.
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
gc.freeze()
