from django.db import transaction
from django.dispatch import receiver

from common import outbox
from courses.signals import course_completed, course_restudied

from .models import Recertification


@receiver(course_completed)
@receiver(course_restudied)
def queue_renewal(sender, user_id, course_id, **kwargs):
    if Recertification.objects.filter(
        user_id=user_id, course_id=course_id, renewed_at__isnull=True
    ).exists():
        with transaction.atomic():
            outbox.enqueue(
                "training.tasks.renew_if_recertifying", user_id=user_id, course_id=course_id
            )
