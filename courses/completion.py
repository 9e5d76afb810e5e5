"""Whether a member has completed a course, decided by a registry of requirement checks.

`courses` registers its own check (every required lesson completed); a higher app adds
its own at start-up (quizzes: "final quiz passed") without `courses` importing it.
"""

from collections.abc import Callable

from accounts.models import User

# A check returns None when it does not apply to the course (no required lessons, no final
# quiz), else whether the member meets it.
Requirement = Callable[[User, "CoursePage"], bool | None]  # noqa: F821 - avoids an import cycle

_requirements: dict[str, Requirement] = {}

__all__ = ["is_course_complete", "register_requirement"]


def register_requirement(name: str):
    def decorator(check: Requirement) -> Requirement:
        _requirements[name] = check
        return check

    return decorator


def is_course_complete(user: User, course) -> bool:
    """Complete when at least one requirement applies and every applicable one is met."""
    results = [check(user, course) for check in _requirements.values()]
    applicable = [result for result in results if result is not None]
    return bool(applicable) and all(applicable)


@register_requirement("required_lessons")
def required_lessons_completed(user: User, course) -> bool | None:
    from .models import LessonPage, LessonProgress

    required = LessonPage.objects.live().child_of(course).filter(required=True)
    total = required.count()
    if total == 0:
        return None
    done = LessonProgress.objects.filter(
        user=user, lesson__in=required, completed_at__isnull=False
    ).count()
    return done == total
