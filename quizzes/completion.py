"""Registers "every final quiz of the course passed" with the course-completion rule."""

from courses.completion import register_requirement


@register_requirement("final_quizzes_passed")
def final_quizzes_passed(user, course) -> bool | None:
    from .models import Attempt, QuizPage

    finals = list(
        QuizPage.objects.live().child_of(course).filter(is_final=True).values_list("pk", flat=True)
    )
    if not finals:
        return None
    passed = (
        Attempt.objects.filter(user=user, quiz_id__in=finals, passed=True)
        .values("quiz_id")
        .distinct()
        .count()
    )
    return passed == len(finals)
