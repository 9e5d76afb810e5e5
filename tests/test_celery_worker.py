from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ActivationCode
from tests.worker import requires_redis, running_worker, send, wait_for

pytestmark = [
    pytest.mark.worker,
    requires_redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_real_worker_on_redis_runs_a_task_that_writes_to_the_database(make_user):
    user = make_user(username="stale")
    past = timezone.now() - timedelta(days=2)
    code = ActivationCode.objects.create(
        user=user, code="ACDEFGHJ", expires_at=past, created_at=past
    )

    with running_worker() as queue:
        send("accounts.tasks.purge_expired_activation_codes", queue=queue)
        assert wait_for(lambda: ActivationCode.objects.get(pk=code.pk).code == "")
