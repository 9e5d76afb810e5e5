from django.conf import settings
from django_celery_beat.models import PeriodicTask

from config.celery_app import app


def test_the_visibility_timeout_outlasts_the_longest_task():
    """Redis hands an unacknowledged task to another worker after the visibility timeout:
    shorter than a task may run, a running task would be started twice."""
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout > app.conf.task_time_limit > app.conf.task_soft_time_limit
    # A dead worker's job is taken over after its lease, long before that timeout.
    assert timeout > settings.JOB_LEASE_SECONDS * settings.JOB_MAX_ATTEMPTS


def test_the_recovery_job_is_registered_every_minute(db):
    job = PeriodicTask.objects.get(task="common.tasks.recover_stalled_jobs")
    assert job.enabled and (job.interval.every, job.interval.period) == (1, "minutes")
