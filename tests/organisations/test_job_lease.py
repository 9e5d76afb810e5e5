"""The lease of long jobs (common.jobs), tried on the roster import and its page: a stalled
job is recovered by the beat job or resumed by its author (nobody else), a worker that lost
its lease commits nothing, a duplicate delivery does nothing, and a job that keeps dying
ends failed, resumable."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common import jobs
from common.models import OutboxMessage
from organisations import services
from organisations.models import RosterImport
from tests.organisations.test_roster_import import GOOD_ROWS, csv_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG_AGO = datetime.timedelta(minutes=5)


@pytest.fixture
def stalled(tree):
    """A confirmed import whose worker died before its first chunk."""
    job = services.check_roster_file(
        by=tree.commune_admin, file_name="r.csv", content=csv_bytes(GOOD_ROWS)
    )
    RosterImport.objects.filter(pk=job.pk).update(
        status=RosterImport.Status.RUNNING,
        total=3,
        done=0,
        lease_owner="may-da-chet:123",
        leased_until=timezone.now() - LONG_AGO,
        attempts=1,
    )
    return RosterImport.objects.get(pk=job.pk)


def test_the_beat_job_hands_a_stalled_import_to_a_worker(stalled, settings):
    assert stalled.is_stale and stalled.can_resume
    assert jobs.recover_stalled() == 1  # queued through the outbox (run in-process here)
    job = RosterImport.objects.get(pk=stalled.pk)
    assert (job.status, job.done, job.created_count, job.attempts) == ("DONE", 3, 3, 2)
    assert OutboxMessage.objects.filter(task_name=RosterImport.job_task).exists()
    assert jobs.recover_stalled() == 0  # nothing stale any more


def test_a_job_that_keeps_dying_fails_resumable_and_its_author_resumes_it(stalled, settings):
    RosterImport.objects.filter(pk=stalled.pk).update(attempts=settings.JOB_MAX_ATTEMPTS)
    assert jobs.recover_stalled() == 0
    job = RosterImport.objects.get(pk=stalled.pk)
    assert (job.status, job.resume_from) == ("FAILED", "QUEUED")
    assert "5 lần" in job.failure
    assert jobs.resume(job)
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("DONE", 3)


def test_stalled_job_page_offers_resume_to_its_author_only(client, home_page, tree, stalled):
    url = reverse("organisations_admin:import", args=[stalled.pk])
    resume = reverse("organisations_admin:import_resume", args=[stalled.pk])
    client.force_login(tree.province_admin)  # sees the whole province, but it is not theirs
    assert client.get(url).status_code == 404
    assert client.post(resume).status_code == 404
    assert RosterImport.objects.get(pk=stalled.pk).status == "RUNNING"

    client.force_login(tree.commune_admin)
    page = client.get(url).content.decode()
    assert "không tiến triển nữa" in page and "Chạy tiếp" in page
    assert '<meta http-equiv="refresh"' in page and "<script>setTimeout" not in page
    client.post(resume)
    job = RosterImport.objects.get(pk=stalled.pk)
    assert (job.status, job.created_count) == ("DONE", 3)
    page = client.get(url).content.decode()
    assert "100%" in page and "3 thành viên mới" in page and "http-equiv" not in page
    assert client.post(resume).status_code == 302  # nothing to resume: said, not done
    assert RosterImport.objects.get(pk=stalled.pk).created_count == 3


def test_a_running_job_shows_its_progress_and_refreshes_itself(client, home_page, tree, stalled):
    RosterImport.objects.filter(pk=stalled.pk).update(
        done=1, leased_until=timezone.now() + LONG_AGO
    )
    client.force_login(tree.commune_admin)
    page = client.get(reverse("organisations_admin:import", args=[stalled.pk])).content.decode()
    assert 'aria-valuenow="33"' in page and "Đã xong 1/3." in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Chạy tiếp" not in page  # alive: its worker holds the lease


def test_a_worker_that_lost_its_lease_commits_nothing(stalled):
    lease = jobs.claim(RosterImport, stalled.pk)
    assert lease is not None
    assert jobs.claim(RosterImport, stalled.pk) is None  # a second delivery does nothing
    RosterImport.objects.filter(pk=stalled.pk).update(lease_owner="another-worker")
    users = User.objects.count()
    with pytest.raises(jobs.LeaseLost), lease.chunk():
        User.objects.create(username="never-committed")
    with pytest.raises(jobs.LeaseLost):
        lease.beat(done=3)
    assert User.objects.count() == users
    assert RosterImport.objects.get(pk=stalled.pk).done == 0


def test_a_duplicate_delivery_while_the_lease_is_held_does_nothing(stalled):
    RosterImport.objects.filter(pk=stalled.pk).update(leased_until=timezone.now() + LONG_AGO)
    assert services.run_roster_job(job_id=stalled.pk) is None
    job = RosterImport.objects.get(pk=stalled.pk)
    assert (job.status, job.done, job.lease_owner) == ("RUNNING", 0, "may-da-chet:123")
