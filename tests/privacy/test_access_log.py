"""Every download of a member list, a certificate archive or activation codes is logged;
the province administrator reads the log of their province in the admin."""

import pytest
from django.urls import reverse

from certificates import services as certificate_services
from certificates.models import CertificateArchive
from organisations import services as org
from organisations.models import Role
from privacy.models import AccessLog
from reports import services as report_services
from reports.models import ReportExport

pytestmark = pytest.mark.django_db


def test_downloads_are_logged_and_the_province_reads_the_log(
    client, tree, held, make_user, django_capture_on_commit_callbacks
):
    admin = tree.commune_admin
    with django_capture_on_commit_callbacks(execute=True):
        export = report_services.request_export(
            by=admin, kind=ReportExport.Kind.MEMBERS, file_format="xlsx", params={"unit": tree.x.pk}
        )
        certificate_services.request_archive(by=admin, unit=tree.x)
    archive = CertificateArchive.objects.get()
    client.force_login(admin)
    assert client.get(reverse("reports_admin:export_download", args=[export.pk])).status_code == 200
    assert (
        client.get(reverse("certificates_admin:archive_download", args=[archive.pk])).status_code
        == 200
    )
    codes = client.get(reverse("organisations_admin:activation_codes", args=[tree.t1.pk]))
    assert codes.status_code == 200

    logged = list(AccessLog.objects.order_by("at").values_list("user", "kind", "unit"))
    assert logged == [
        (admin.pk, "REPORT", tree.x.pk),
        (admin.pk, "ARCHIVE", tree.x.pk),
        (admin.pk, "CODES", tree.t1.pk),
    ]
    # A refused download is not a download.
    client.force_login(tree.province_admin)
    assert client.get(reverse("reports_admin:export_download", args=[export.pk])).status_code == 404
    assert AccessLog.objects.count() == 3

    page = client.get(reverse("privacy_admin:access_log"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(admin.full_name) >= 3 and "Mã kích hoạt" in html

    other = make_user(username="yadmin", phone="+84900000010")
    org.assign_role(by=tree.root, user=other, unit=tree.y, role=Role.UNIT_ADMIN)
    client.force_login(other)
    assert admin.full_name not in client.get(reverse("privacy_admin:access_log")).content.decode()
    for nobody in (tree.leader, tree.member1):
        client.force_login(nobody)
        assert client.get(reverse("privacy_admin:access_log")).status_code in (302, 404)
