import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from notifications.models import Delivery, Notification
from notifications.services import next_sending_time
from tests.worker import new_queue_name, requires_redis, running_worker, wait_for
from training.services import campaigns as campaign_services

pytestmark = [
    pytest.mark.worker,
    requires_redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_registered_daily_jobs_run_on_a_real_worker_and_beat(tree, courses):
    jobs = PeriodicTask.objects.filter(
        task__in=[
            "training.tasks.run_daily_reminders",
            "training.tasks.open_recertifications",
            "notifications.tasks.send_pending_deliveries",
        ]
    )
    assert jobs.count() == 3  # registered by migrations, so visible in the admin
    campaign = campaign_services.create_campaign(
        by=tree.province_admin,
        title="Đợt chạy bằng beat",
        course_ids=[courses[0].pk],
        unit_codes=["P-X"],
        starts_on=timezone.localdate(),
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    campaign.status = "RUNNING"  # no notice sent on start: the beat job must do it
    campaign.save(update_fields=["status"])
    due_3 = f"campaign:{campaign.pk}:{campaign.due_on.isoformat()}:due:3"
    # Beat sends the real registered jobs to this test's own queue, every second.
    queue = new_queue_name()
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    jobs.update(interval=every_second, crontab=None, queue=queue, enabled=True)
    PeriodicTask.objects.exclude(pk__in=jobs).update(enabled=False)
    PeriodicTasks.update_changed()
    with running_worker(beat=True, queue=queue):
        members = {tree.member1.pk, tree.member2.pk, tree.leader.pk}
        assert wait_for(
            lambda: (
                set(Notification.objects.filter(key=due_3).values_list("user_id", flat=True))
                == members
            ),
            timeout=60,
        )
        wait_for(lambda: False, timeout=4)  # several more runs of every job
    assert Notification.objects.filter(key=f"campaign:{campaign.pk}:assigned").count() == 3
    assert Notification.objects.filter(key=due_3).count() == 3
    assert Notification.objects.count() == 6
    now = timezone.now()
    # Sent by the beat-driven sender by day; held while it is night in Vietnam.
    expected = Delivery.Status.SENT if next_sending_time(now) == now else Delivery.Status.PENDING
    assert Delivery.objects.count() == 6  # SMS stand-in for the three phones, per notice
    assert set(Delivery.objects.values_list("status", flat=True)) == {expected}
