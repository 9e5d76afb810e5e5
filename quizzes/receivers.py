from django.db import transaction
from django.dispatch import receiver

from common import outbox
from courses.signals import lesson_completed

from .models import RestudyUnlock


@receiver(lesson_completed)
def queue_unlock_after_restudy(sender, user_id, course_id, **kwargs):
    """A member re-studying a course to earn attempts re-read a lesson: maybe the last one."""
    if RestudyUnlock.objects.filter(user_id=user_id, unlocked_at__isnull=True).exists():
        with transaction.atomic():
            outbox.enqueue(
                "quizzes.tasks.unlock_after_restudy", user_id=user_id, course_id=course_id
            )
