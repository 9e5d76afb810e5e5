import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from accounts.models import ActivationCode, User
from organisations import services
from organisations.models import Membership, RosterImport
from tests.organisations.test_roster_import import GOOD_ROWS, HEADER, csv_bytes
from tests.worker import (
    new_queue_name,
    requires_redis,
    running_worker,
    send,
    wait_for,
    worker_process,
)

pytestmark = [
    pytest.mark.worker,
    requires_redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEASE = 4  # seconds, for the workers these tests start


def test_roster_import_runs_on_a_real_worker(tree):
    job = services.check_roster_file(
        by=tree.commune_admin, file_name="r.csv", content=csv_bytes(GOOD_ROWS)
    )
    RosterImport.objects.filter(pk=job.pk).update(status=RosterImport.Status.QUEUED)
    with running_worker() as queue:
        send("organisations.tasks.run_roster_import", queue=queue, job_id=job.pk)
        assert wait_for(
            lambda: RosterImport.objects.get(pk=job.pk).status == RosterImport.Status.DONE
        )
    assert RosterImport.objects.get(pk=job.pk).created_count == 3


def recovery_every_second(queue: str) -> None:
    """The registered recovery beat job, sent to this test's queue every second."""
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    recovery = PeriodicTask.objects.filter(task="common.tasks.recover_stalled_jobs")
    assert recovery.count() == 1  # registered by a migration, visible in the admin
    recovery.update(interval=every_second, crontab=None, queue=queue, enabled=True)
    PeriodicTask.objects.exclude(pk__in=recovery).update(enabled=False)
    PeriodicTasks.update_changed()


def test_a_worker_killed_mid_import_loses_and_duplicates_nothing(tree, django_db_blocker):
    """SIGKILL in the middle of a 5,000-row import: the beat job hands the job to another
    worker once the lease runs out, which carries on from the last committed chunk."""
    teams = ["P-X-T1", "P-X-T2"]
    rows = [f"Thành Viên Số {n},097{n:07d},{teams[n % 2]},Thành viên,," for n in range(1, 5001)]
    content = ("\n".join([HEADER, *rows]) + "\n").encode()
    job = services.check_roster_file(by=tree.commune_admin, file_name="5000.csv", content=content)
    assert job.status == RosterImport.Status.CHECKED and not job.errors
    users_before = User.objects.count()
    codes_before = ActivationCode.objects.count()
    RosterImport.objects.filter(pk=job.pk).update(
        status=RosterImport.Status.QUEUED, total=5000, done=0, attempts=0
    )

    env = {"JOB_LEASE_SECONDS": str(LEASE)}
    with worker_process(env=env) as first:
        send("organisations.tasks.run_roster_import", queue=first.queue, job_id=job.pk)
        assert wait_for(
            lambda: 1000 <= RosterImport.objects.get(pk=job.pk).done < 4500,
            timeout=60,
            interval=0.02,
        )
        first.kill()
    killed_at = timezone.now()
    stalled = RosterImport.objects.get(pk=job.pk)
    assert stalled.status == RosterImport.Status.RUNNING and stalled.done < 5000
    # What the dead worker committed is whole chunks, each with its progress mark.
    assert User.objects.count() - users_before == stalled.done == stalled.created_count

    queue = new_queue_name()
    recovery_every_second(queue)
    with worker_process(beat=True, queue=queue, env=env):
        assert wait_for(
            lambda: RosterImport.objects.get(pk=job.pk).status == RosterImport.Status.DONE,
            timeout=90,
        )
    done = RosterImport.objects.get(pk=job.pk)
    # Taken over once the lease ran out (seconds), not after the broker's visibility
    # timeout (the better part of an hour).
    assert (done.finished_at - killed_at).total_seconds() < LEASE + 30
    assert done.attempts == 2
    assert (done.done, done.created_count, done.updated_count) == (5000, 5000, 0)
    new_users = User.objects.filter(phone__startswith="+8497")
    assert User.objects.count() - users_before == 5000 == new_users.count()
    assert ActivationCode.objects.count() - codes_before == 5000
    assert (
        ActivationCode.objects.filter(user__in=new_users).values("user").distinct().count() == 5000
    )
    assert Membership.objects.filter(user__in=new_users, ended_on__isnull=True).count() == 5000

    # Running the finished job again, and a chunk of it again, changes nothing.
    before = (User.objects.count(), ActivationCode.objects.count(), Membership.objects.count())
    assert services.run_roster_job(job_id=job.pk) is None
    RosterImport.objects.filter(pk=job.pk).update(
        status=RosterImport.Status.RUNNING, done=4500, lease_owner="", leased_until=killed_at
    )
    again = services.run_roster_job(job_id=job.pk)
    assert again.status == RosterImport.Status.DONE
    assert again.unchanged_count - done.unchanged_count == 500
    assert (
        User.objects.count(),
        ActivationCode.objects.count(),
        Membership.objects.count(),
    ) == before
