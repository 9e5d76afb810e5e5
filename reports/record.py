"""A member's record: everything one member did, for the record screen and its export."""

from accounts.models import User
from certificates.models import Certificate
from courses.models import CourseCompletion, LessonProgress
from organisations.models import Membership
from quizzes.models import Attempt
from quizzes.selectors import grants_of

__all__ = ["member_record"]


def member_record(user: User) -> dict:
    """Everything a member did: lessons, attempts, certificates, memberships."""
    return {
        "person": user,
        "memberships": Membership.objects.filter(user=user)
        .select_related("unit")
        .order_by("-started_on"),
        "completions": CourseCompletion.objects.filter(user=user)
        .select_related("course")
        .order_by("-completed_at"),
        "lessons": LessonProgress.objects.filter(user=user)
        .select_related("lesson")
        .order_by("-last_opened_at"),
        "attempts": Attempt.objects.filter(user=user)
        .select_related("quiz")
        .order_by("-started_at"),
        "certificates": Certificate.objects.filter(user=user)
        .select_related("replacement")
        .order_by("-issued_at"),
        "grants": grants_of(user),
    }
