import io
import os

import openpyxl
import pytest

from reports.models import ReportExport, UnitRollup
from tests.worker import requires_redis, running_worker, send, wait_for

pytestmark = [
    pytest.mark.worker,
    requires_redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_real_worker_builds_exports_and_the_rollup(tree, learning, tmp_path):
    # The worker subprocess writes files where its own settings say: point it at tmp_path.
    os.environ["PRIVATE_MEDIA_ROOT"] = str(tmp_path)
    job = ReportExport.objects.create(
        created_by=tree.province_admin,
        kind="MEMBERS",
        file_format="xlsx",
        params={"unit": tree.p.pk, "status": "overdue"},
    )
    try:
        with running_worker() as queue:
            for _ in range(2):  # delivered twice: built once, same result
                send("reports.tasks.build_export", queue=queue, export_id=job.pk)
            send("reports.tasks.refresh_rollups", queue=queue)
            assert wait_for(
                lambda: (
                    ReportExport.objects.filter(pk=job.pk, status="DONE").exists()
                    and UnitRollup.objects.filter(unit=tree.p, course=None).exists()
                )
            )
    finally:
        del os.environ["PRIVATE_MEDIA_ROOT"]
    job.refresh_from_db()
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / job.file.name).read_bytes()))
    names = sorted(row[0].value for row in book.worksheets[0].iter_rows(min_row=2))
    assert names == ["Người leader1", "Người member2"]
    assert UnitRollup.objects.get(unit=tree.p, course=None).members == 4
