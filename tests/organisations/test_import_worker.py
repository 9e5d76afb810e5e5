import pytest

from organisations import services
from organisations.models import RosterImport
from tests.organisations.test_roster_import import GOOD_ROWS, csv_bytes
from tests.worker import requires_redis, running_worker, send, wait_for

pytestmark = [
    pytest.mark.worker,
    requires_redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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
