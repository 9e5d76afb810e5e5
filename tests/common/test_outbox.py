from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import ActivationCode
from common import outbox
from common.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TASK = "accounts.tasks.purge_expired_activation_codes"


def expired_code(make_user):
    user = make_user(username="expired")
    past = timezone.now() - timedelta(days=1)
    return ActivationCode.objects.create(
        user=user, code="ACDEFGHJ", expires_at=past, created_at=past
    )


def test_work_is_queued_only_after_commit(make_user):
    code = expired_code(make_user)
    with transaction.atomic():
        message = outbox.enqueue(TASK)
        code.refresh_from_db()
        assert code.code == "ACDEFGHJ"  # nothing ran inside the transaction
    code.refresh_from_db()
    assert code.code == ""
    assert OutboxMessage.objects.get(pk=message.pk).dispatched_at is not None


def test_rolled_back_work_is_never_queued(make_user):
    code = expired_code(make_user)
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(TASK)
        raise RuntimeError
    assert not OutboxMessage.objects.exists()
    code.refresh_from_db()
    assert code.code == "ACDEFGHJ"


def test_broker_down_keeps_the_message_for_the_sweep(make_user, settings, monkeypatch):
    code = expired_code(make_user)
    from accounts import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.purge_expired_activation_codes, "apply_async", broker_down)
    with transaction.atomic():
        message = outbox.enqueue(TASK)  # the caller's transaction still commits
    pending = OutboxMessage.objects.get(pk=message.pk)
    assert pending.dispatched_at is None
    assert pending.attempts == 1
    assert "Redis is down" in pending.last_error

    monkeypatch.undo()
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert outbox.dispatch_pending() == 1
    assert OutboxMessage.objects.get(pk=message.pk).dispatched_at is not None
    code.refresh_from_db()
    assert code.code == ""
    assert outbox.dispatch_pending() == 0  # nothing is sent twice
