from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from certificates import tasks
from certificates.models import Certificate
from common import outbox
from common.models import OutboxMessage
from courses.models import CourseCompletion

pytestmark = pytest.mark.django_db


def test_the_demo_revoked_certificate_stays_revoked_when_a_worker_catches_up(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # as in a real run
        call_command("seed_demo", stdout=StringIO())
    revoked = Certificate.objects.get(revoked_at__isnull=False, origin="ISSUED")
    before = sorted(Certificate.objects.values_list("pk", "revoked_at"))
    # What a worker started later would do: run every task the demo queued (whether or not
    # it already ran in-process) and every issue task again.
    queued = OutboxMessage.objects.filter(task_name="certificates.tasks.issue_certificate")
    assert queued.exists()
    OutboxMessage.objects.update(dispatched_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.dispatch_pending(older_than=timedelta(0))
        for completion_id in CourseCompletion.objects.filter(
            certificates__isnull=False
        ).values_list("pk", flat=True):
            tasks.issue_certificate(completion_id=completion_id)
    assert sorted(Certificate.objects.values_list("pk", "revoked_at")) == before
    assert not Certificate.objects.filter(user=revoked.user, revoked_at__isnull=True).exists()
