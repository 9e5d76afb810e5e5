import pytest

from certificates.models import Certificate
from tests.worker import requires_redis, running_worker, send, wait_for

pytestmark = [
    pytest.mark.worker,
    requires_redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_real_worker_issues_the_certificate_once(completed, settings, tmp_path):
    # The worker subprocess writes PDFs where its own settings say: point both at one folder.
    import os

    os.environ["PRIVATE_MEDIA_ROOT"] = str(tmp_path / "worker-private")
    try:
        with running_worker() as queue:
            for _ in range(3):  # a duplicated event
                send(
                    "certificates.tasks.issue_certificate",
                    queue=queue,
                    completion_id=completed.completion.pk,
                )
            assert wait_for(
                lambda: Certificate.objects.filter(completion=completed.completion).exists()
            )
            wait_for(lambda: False, timeout=3)  # let the duplicates run too
    finally:
        del os.environ["PRIVATE_MEDIA_ROOT"]
    assert Certificate.objects.filter(completion=completed.completion).count() == 1
    certificate = Certificate.objects.get()
    assert (tmp_path / "worker-private" / certificate.pdf.name).read_bytes().startswith(b"%PDF")


def test_a_real_worker_does_not_resurrect_a_revoked_certificate(
    completed, make_user, tmp_path, monkeypatch
):
    """A redelivered or re-queued issue task, and the outbox sweep, run by a real worker after
    the certificate was revoked: still revoked, nothing new, no second notice."""
    from datetime import timedelta

    from django.utils import timezone

    from certificates import services
    from common.models import OutboxMessage
    from courses.models import CourseCompletion
    from notifications.models import Kind, Notification
    from organisations import services as org
    from organisations.models import Role

    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", str(tmp_path / "worker-private"))
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    services.revoke_certificate(certificate=certificate, by=completed.root, reason="Sai họ tên")
    # A second member's completion: its certificate appearing means the worker got past the
    # tasks queued before it (one queue, one process: first in, first out).
    other = make_user(username="other", full_name="Lê Văn Bình", phone="+84912345679")
    org.assign_role(by=completed.root, user=other, unit=completed.team, role=Role.MEMBER)
    marker = CourseCompletion.objects.create(user=other, course=completed.course)
    stale = OutboxMessage.objects.create(
        task_name="certificates.tasks.issue_certificate",
        kwargs={"completion_id": completed.completion.pk},
    )
    OutboxMessage.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    with running_worker() as queue:
        for _ in range(3):
            send(
                "certificates.tasks.issue_certificate",
                queue=queue,
                completion_id=completed.completion.pk,
            )
        send("common.tasks.dispatch_pending_outbox", queue=queue)
        send("certificates.tasks.issue_certificate", queue=queue, completion_id=marker.pk)
        assert wait_for(lambda: Certificate.objects.filter(completion=marker).exists())
        assert wait_for(
            lambda: OutboxMessage.objects.filter(pk=stale.pk, dispatched_at__isnull=False).exists()
        )
    assert list(Certificate.objects.filter(completion=completed.completion)) == [certificate]
    certificate.refresh_from_db()
    assert certificate.status() == "revoked"
    # The notice of the first issue only.
    notices = Notification.objects.filter(user=completed.member, kind=Kind.CERTIFICATE_ISSUED)
    assert list(notices.values_list("key", flat=True)) == [f"certificate:{certificate.pk}:issued"]
