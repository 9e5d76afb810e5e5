"""A real worker killed with SIGKILL in the middle of a long certificate job (a ZIP, issuing
the missing certificates): the beat job hands it to another worker once its lease runs out;
everything is done exactly once."""

import io
import os
import zipfile

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from certificates import codes
from certificates.models import Certificate, CertificateArchive
from courses.models import CourseCompletion
from organisations.models import Membership, Role
from tests.organisations.test_import_worker import LEASE, recovery_every_second
from tests.worker import new_queue_name, requires_redis, send, wait_for, worker_process

pytestmark = [
    pytest.mark.worker,
    requires_redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MEMBERS = 150


@pytest.fixture
def many_certificates(completed):
    """150 members of the team, each with a certificate whose PDF is 400 KB."""
    users = User.objects.bulk_create(
        [
            User(username=f"hv{n}", first_name=f"Học Viên {n:03d}", last_name="Trần")
            for n in range(MEMBERS)
        ]
    )
    users = list(User.objects.filter(username__startswith="hv"))
    Membership.objects.bulk_create(
        [Membership(user=u, unit=completed.team, role=Role.MEMBER) for u in users]
    )
    noise = os.urandom(400 * 1024)  # PDFs hardly compress: neither does this
    for user in users:
        completion = CourseCompletion.objects.create(user=user, course=completed.course)
        certificate = Certificate(
            code=codes.new_code(),
            user=user,
            course=completed.course,
            completion=completion,
            full_name=user.full_name,
            course_title=completed.course.title,
        )
        certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(noise), save=False)
        certificate.save()
    return Certificate.objects.filter(user__in=users)


def test_a_worker_killed_mid_archive_finishes_after_the_lease(completed, many_certificates):
    archive = CertificateArchive.objects.create(
        created_by=completed.commune_admin, unit=completed.commune
    )
    env = {
        "JOB_LEASE_SECONDS": str(LEASE),
        "PRIVATE_MEDIA_ROOT": settings.STORAGES["private"]["OPTIONS"]["location"],
    }
    with worker_process(env=env) as first:
        send("certificates.tasks.build_archive", queue=first.queue, archive_id=archive.pk)
        assert wait_for(
            lambda: 0 < CertificateArchive.objects.get(pk=archive.pk).done < MEMBERS,
            timeout=60,
            interval=0.02,
        )
        first.kill()
    killed_at = timezone.now()
    assert CertificateArchive.objects.get(pk=archive.pk).status == "RUNNING"

    queue = new_queue_name()
    recovery_every_second(queue)
    with worker_process(beat=True, queue=queue, env=env):
        assert wait_for(
            lambda: CertificateArchive.objects.get(pk=archive.pk).status == "DONE", timeout=90
        )
    archive.refresh_from_db()
    assert (archive.finished_at - killed_at).total_seconds() < LEASE + 30
    assert archive.attempts == 2 and archive.done == archive.total == MEMBERS
    with archive.file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    expected = {f"{c.full_name} - {c.display_code}.pdf" for c in many_certificates}
    assert len(names) == MEMBERS == len(set(names)) and set(names) == expected
    folder = archive.file.storage.path("certificate-archives")
    assert os.listdir(folder) == [os.path.basename(archive.file.name)]  # one ZIP, no leftovers


@pytest.fixture
def completions_without_certificates(completed):
    """120 members of the team who completed the course before it issued certificates."""
    User.objects.bulk_create(
        [User(username=f"cu{n}", first_name=f"Cũ {n:03d}", last_name="Phạm") for n in range(120)]
    )
    users = list(User.objects.filter(username__startswith="cu"))
    Membership.objects.bulk_create(
        [Membership(user=u, unit=completed.team, role=Role.MEMBER) for u in users]
    )
    CourseCompletion.objects.bulk_create(
        [CourseCompletion(user=u, course=completed.course) for u in users]
    )
    return CourseCompletion.objects.filter(course=completed.course)  # 121 with Tuyết's


def test_a_worker_killed_mid_bulk_issue_issues_each_certificate_once(
    completed, completions_without_certificates
):
    from certificates.models import BulkIssue, CertificateEvent

    total = completions_without_certificates.count()
    job = BulkIssue.objects.create(
        created_by=completed.commune_admin, unit=completed.commune, course=completed.course
    )
    env = {
        "JOB_LEASE_SECONDS": str(LEASE),
        "PRIVATE_MEDIA_ROOT": settings.STORAGES["private"]["OPTIONS"]["location"],
    }
    with worker_process(env=env) as first:
        send("certificates.tasks.issue_missing_certificates", queue=first.queue, job_id=job.pk)
        assert wait_for(
            lambda: 10 <= BulkIssue.objects.get(pk=job.pk).done < total - 20,
            timeout=90,
            interval=0.02,
        )
        first.kill()
    killed_at = timezone.now()
    assert BulkIssue.objects.get(pk=job.pk).status == "RUNNING"

    queue = new_queue_name()
    recovery_every_second(queue)
    with worker_process(beat=True, queue=queue, env=env):
        assert wait_for(lambda: BulkIssue.objects.get(pk=job.pk).status == "DONE", timeout=120)
    job.refresh_from_db()
    assert (job.finished_at - killed_at).total_seconds() < LEASE + 60
    assert (job.done, job.issued_count, job.total, job.attempts) == (total, total, total, 2)
    assert Certificate.objects.count() == total
    assert Certificate.objects.values("completion").distinct().count() == total
    assert CertificateEvent.objects.filter(action="ISSUED").count() == total
