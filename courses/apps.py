from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses and lessons")

    def ready(self):
        from . import completion, receivers  # noqa: F401 - registers checks and signal handlers
        from .journey import register_steps
        from .selectors import lesson_steps

        register_steps(lesson_steps)
