from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from courses.journey import register_reward

        from . import receivers  # noqa: F401 - issues certificates when courses are completed
        from .selectors import certificate_rewards

        register_reward(certificate_rewards)
