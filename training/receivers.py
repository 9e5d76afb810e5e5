from django.db import transaction
from django.dispatch import receiver

from certificates.signals import certificate_issued
from common import outbox
from courses.signals import course_completed, course_restudied, restudy_requested

from .models import Recertification


@receiver(certificate_issued)
def queue_certificate_notice(sender, certificate_id, **kwargs):
    with transaction.atomic():
        outbox.enqueue("training.tasks.notify_certificate_issued", certificate_id=certificate_id)


@receiver(restudy_requested)
def queue_lesson_update_notices(sender, lesson_id, revision_id=None, **kwargs):
    with transaction.atomic():
        outbox.enqueue(
            "training.tasks.notify_lesson_updated", lesson_id=lesson_id, revision_id=revision_id
        )


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
