"""Whether a member has completed a course, decided by a registry of requirement checks.

`courses` registers its own check (every required lesson completed); a higher app adds
its own at start-up (quizzes: "final quiz passed") without `courses` importing it.
"""

from collections.abc import Callable

from accounts.models import User

Requirement = Callable[[User, "CoursePage"], bool]  # noqa: F821 - avoids an import cycle

_requirements: dict[str, Requirement] = {}

__all__ = ["is_course_complete", "register_requirement"]


def register_requirement(name: str):
    def decorator(check: Requirement) -> Requirement:
        _requirements[name] = check
        return check

    return decorator


def is_course_complete(user: User, course) -> bool:
    return bool(_requirements) and all(check(user, course) for check in _requirements.values())


@register_requirement("required_lessons")
def required_lessons_completed(user: User, course) -> bool:
    from .models import LessonPage, LessonProgress

    required = LessonPage.objects.live().child_of(course).filter(required=True)
    total = required.count()
    if total == 0:
        return False
    done = LessonProgress.objects.filter(
        user=user, lesson__in=required, completed_at__isnull=False
    ).count()
    return done == total
