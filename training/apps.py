from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training campaigns")

    def ready(self):
        from courses import dashboard, journey

        from . import (
            completion,  # noqa: F401 - registers "attended an in-person session"
            receivers,  # noqa: F401 - notices and renewals follow other apps' events
        )
        from .selectors import assignments_for, member_sessions, session_steps

        journey.register_steps(session_steps)

        dashboard.register_section(
            "training/includes/my_assignments.html",
            lambda user: {"assignments": assignments_for(user)},
            first=True,
        )
        dashboard.register_section(
            "training/includes/my_sessions.html",
            lambda user: {"sessions": member_sessions(user)},
            first=True,
        )
