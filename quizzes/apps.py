from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from courses import dashboard, journey

        from . import (
            completion,  # noqa: F401 - registers the final-quiz requirement
            receivers,  # noqa: F401 - re-studying unlocks attempts
        )
        from .selectors import quiz_steps, quiz_summaries_for, topic_mastery_for

        journey.register_steps(quiz_steps)

        dashboard.register_section(
            "quizzes/includes/my_quizzes.html",
            lambda user: {
                "quiz_summaries": quiz_summaries_for(user),
                "topic_mastery": topic_mastery_for(user),
            },
        )
