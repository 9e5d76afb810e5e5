"""Exports and certificate ZIPs are leased jobs too: a stalled one shows it and is resumed
by its author only; one that cannot be built fails with a message, never "running"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import CertificateArchive
from reports.models import ReportExport

pytestmark = pytest.mark.django_db

STALE = {
    "status": "RUNNING",
    "lease_owner": "may-da-chet:1",
    "leased_until": timezone.now() - datetime.timedelta(minutes=5),
    "total": 10,
    "done": 4,
}


@pytest.mark.parametrize("kind", ["export", "archive"])
def test_a_stalled_file_job_is_resumed_by_its_author_only(
    client, home_page, tree, kind, django_capture_on_commit_callbacks
):
    if kind == "export":
        job = ReportExport.objects.create(
            created_by=tree.commune_admin,
            kind="UNITS",
            file_format="csv",
            params={"unit": tree.x.pk},
            **STALE,
        )
        page = reverse("reports_admin:export", args=[job.pk])
        resume = reverse("reports_admin:export_resume", args=[job.pk])
    else:
        job = CertificateArchive.objects.create(created_by=tree.commune_admin, unit=tree.x, **STALE)
        page = reverse("certificates_admin:archive", args=[job.pk])
        resume = reverse("certificates_admin:archive_resume", args=[job.pk])
    client.force_login(tree.province_admin)
    assert client.get(page).status_code == 404
    assert client.post(resume).status_code == 404
    client.force_login(tree.commune_admin)
    html = client.get(page).content.decode()
    assert 'aria-valuenow="40"' in html and "không tiến triển nữa" in html
    assert "Chạy tiếp" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(resume)
    job.refresh_from_db()
    assert job.status == "DONE" and job.file
    html = client.get(page).content.decode()
    assert "/download/" in html and "Chạy tiếp" not in html and "http-equiv" not in html


def test_an_export_that_cannot_be_built_fails_with_a_message(
    client, home_page, tree, django_capture_on_commit_callbacks
):
    client.force_login(tree.commune_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports_admin:export_create"),
            {"kind": "MEMBERS", "format": "xlsx", "unit": tree.x.pk},
        )
    export = ReportExport.objects.get()
    assert export.status == "DONE"
    # The unit leaves the author's area before a second build (e.g. resumed later).
    tree.commune_admin.memberships.update(ended_on=timezone.localdate())
    ReportExport.objects.filter(pk=export.pk).update(**STALE)
    from reports import services

    services.build_export(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "FAILED" and not export.resume_from
    assert "phạm vi" in export.failure
    html = client.get(reverse("reports_admin:export", args=[export.pk])).content.decode()
    assert export.failure in html and "Chạy tiếp" not in html
