"""The retention job runs in a real Celery worker on Redis, as the beat schedule sends it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import RecordedMessage
from privacy.models import RetentionRun
from tests.worker import requires_redis, running_worker, send, wait_for

pytestmark = [
    pytest.mark.worker,
    requires_redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_real_worker_applies_retention():
    old = RecordedMessage.objects.create(channel="sms", address="+84900000099", text="cũ")
    RecordedMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    new = RecordedMessage.objects.create(channel="sms", address="+84900000098", text="mới")

    with running_worker() as queue:
        send("privacy.tasks.apply_retention", queue=queue)
        assert wait_for(lambda: RetentionRun.objects.filter(finished_at__isnull=False).exists())
    run = RetentionRun.objects.get()
    assert run.counts["recorded_messages"] == 1
    assert list(RecordedMessage.objects.values_list("pk", flat=True)) == [new.pk]
