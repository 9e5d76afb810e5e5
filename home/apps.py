from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home page and site settings")

    def ready(self):
        from . import receivers  # noqa: F401 - cache invalidation
