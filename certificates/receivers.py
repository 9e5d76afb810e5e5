from django.db import transaction
from django.dispatch import receiver

from common import outbox
from courses.signals import course_completed


@receiver(course_completed)
def queue_certificate(sender, completion_id, **kwargs):
    with transaction.atomic():
        outbox.enqueue("certificates.tasks.issue_certificate", completion_id=completion_id)
