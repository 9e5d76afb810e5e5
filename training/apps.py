from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training campaigns")

    def ready(self):
        from courses import dashboard

        from . import receivers  # noqa: F401 - notices and renewals follow other apps' events
        from .selectors import assignments_for

        dashboard.register_section(
            "training/includes/my_assignments.html",
            lambda user: {"assignments": assignments_for(user)},
            first=True,
        )
