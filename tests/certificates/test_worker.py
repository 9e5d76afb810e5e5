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
