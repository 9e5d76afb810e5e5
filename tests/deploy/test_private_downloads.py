"""Every private download goes through common.downloads: the certificate PDF, the
certificate ZIP, report exports and the member's own data export, in each mode."""

from urllib.parse import quote

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.urls import reverse
from moto import mock_aws

from certificates import services
from privacy.models import DataExport
from reports.models import ReportExport

pytestmark = pytest.mark.django_db


def test_certificate_pdf_through_nginx_only_for_those_allowed(client, settings, completed):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = True
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    url = reverse("certificates:download", args=[certificate.code])
    client.force_login(completed.member)
    response = client.get(url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/_private/" + quote(certificate.pdf.name)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="chung-chi-{certificate.display_code}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    client.force_login(completed.other_admin)  # the access check stays in the view
    response = client.get(url)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_report_and_data_exports_through_nginx(client, settings, completed):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = True
    member = completed.member
    data = DataExport.objects.create(created_by=member, status=DataExport.Status.DONE)
    data.file.save("du-lieu-cua-toi.zip", ContentFile(b"PK zip"), save=True)
    client.force_login(member)
    response = client.get(reverse("privacy:export_download", args=[data.pk]))
    assert response["X-Accel-Redirect"] == "/_private/" + quote(data.file.name)
    assert response["Content-Type"] == "application/zip"
    admin = completed.commune_admin
    export = ReportExport.objects.create(
        created_by=admin,
        kind="MEMBERS",
        file_format="csv",
        params={"unit": completed.commune.pk},
        status=ReportExport.Status.DONE,
    )
    export.file.save("thanh-vien.csv", ContentFile(b"a,b\n"), save=True)
    client.force_login(admin)
    response = client.get(reverse("reports_admin:export_download", args=[export.pk]))
    assert response.status_code == 200, response.content[:300]
    assert response["X-Accel-Redirect"] == "/_private/" + quote(export.file.name)
    client.force_login(completed.other_admin)  # not the author: still refused
    refused = client.get(reverse("reports_admin:export_download", args=[export.pk]))
    assert refused.status_code == 404


def test_certificate_pdf_from_a_bucket_by_a_signed_link(client, settings, completed):
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="private")
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                "BACKEND": "common.s3.PrivateS3Storage",
                "OPTIONS": {
                    "bucket_name": "private",
                    "region_name": "us-east-1",
                    "signature_version": "s3v4",
                    "file_overwrite": False,
                },
            },
        }
        certificate = services.issue_certificate(completion_id=completed.completion.pk)
        client.force_login(completed.member)
        response = client.get(reverse("certificates:download", args=[certificate.code]))
        assert response.status_code == 302 and "no-store" in response["Cache-Control"]
        pdf = requests.get(response["Location"], timeout=5)
        assert pdf.content.startswith(b"%PDF") and pdf.headers["Content-Type"] == (
            "application/pdf"
        )
        client.force_login(completed.other_admin)
        refused = client.get(reverse("certificates:download", args=[certificate.code]))
        assert refused.status_code == 404


def test_activation_codes_are_never_kept(client, tree):
    client.force_login(tree.leader)
    response = client.get(reverse("organisations_admin:activation_codes", args=[tree.t1.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="ma-kich-hoat-{tree.t1.code}.xlsx"'
    )
    assert "no-store" in response["Cache-Control"]
