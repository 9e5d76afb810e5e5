"""common.downloads: one way to serve every private file, in its three modes."""

from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import Http404
from moto import mock_aws

from common.downloads import content_disposition, serve_private_content, serve_private_file
from reports.models import ReportExport

pytestmark = pytest.mark.django_db

BUCKET = "digiskills-private-test"


def test_vietnamese_names_follow_rfc_5987_with_an_ascii_fallback():
    assert content_disposition("chung-chi-ABC.pdf") == 'attachment; filename="chung-chi-ABC.pdf"'
    assert content_disposition("Chứng chỉ Đạt.pdf") == (
        "attachment; filename=\"chung-chi-dat.pdf\"; filename*=UTF-8''"
        "Ch%E1%BB%A9ng%20ch%E1%BB%89%20%C4%90%E1%BA%A1t.pdf"
    )
    # A quote cannot close the plain name early.
    assert content_disposition('a"b.zip').startswith('attachment; filename="ab.zip"; filename*=')


def _export_with_file(user, content=b"PK\x03\x04 data") -> ReportExport:
    export = ReportExport.objects.create(created_by=user, kind="MEMBERS", file_format="xlsx")
    export.file.save("Danh sách thành viên.xlsx", ContentFile(content), save=True)
    return export


def test_streams_the_file_when_nothing_else_is_configured(make_user):
    export = _export_with_file(make_user())
    response = serve_private_file(export.file, filename="Danh sách.xlsx")
    assert b"".join(response.streaming_content) == b"PK\x03\x04 data"
    assert response["Content-Disposition"].endswith("filename*=UTF-8''Danh%20s%C3%A1ch.xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "X-Accel-Redirect" not in response


def test_a_missing_or_empty_file_is_not_found(make_user):
    export = _export_with_file(make_user())
    export.file.storage.delete(export.file.name)
    with pytest.raises(Http404):
        serve_private_file(export.file)
    export.file = ""
    with pytest.raises(Http404):
        serve_private_file(export.file)


def test_hands_the_file_to_nginx_with_x_accel_redirect(settings, make_user):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = True
    export = _export_with_file(make_user())
    response = serve_private_file(export.file)
    assert response.status_code == 200 and response.content == b""
    name = export.file.name  # the storage's name: report-exports/Danh_sách_thành_viên.xlsx
    assert response["X-Accel-Redirect"] == "/_private/report-exports/" + (
        "Danh_s%C3%A1ch_th%C3%A0nh_vi%C3%AAn.xlsx"
    )
    assert (
        "filename*=UTF-8''Danh_s%C3%A1ch_th%C3%A0nh_vi%C3%AAn.xlsx"
        in (response["Content-Disposition"])
    )
    assert "no-store" in response["Cache-Control"]
    export.file.storage.delete(name)
    with pytest.raises(Http404):
        serve_private_file(export.file)  # nginx would answer 404 too late to log it


@pytest.fixture
def s3_private(settings):
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                "BACKEND": "common.s3.PrivateS3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "querystring_auth": True,
                    "file_overwrite": False,
                    "default_acl": "private",
                    "signature_version": "s3v4",
                },
            },
        }
        yield storages["private"]


def test_redirects_to_a_short_lived_signed_link_when_files_are_in_a_bucket(
    s3_private, settings, make_user
):
    settings.PRIVATE_FILES_ACCEL_REDIRECT = True  # object storage wins: nginx has no disk
    export = _export_with_file(make_user(), content=b"exported rows")
    assert s3_private.exists(export.file.name)
    response = serve_private_file(export.file, filename="Báo cáo.xlsx")
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    link = urlsplit(response["Location"])
    query = parse_qs(link.query)
    assert BUCKET in link.netloc + link.path and query["X-Amz-Expires"] == ["60"]
    assert query["response-cache-control"] == ["private, no-store"]
    fetched = requests.get(response["Location"], timeout=5)
    assert fetched.status_code == 200 and fetched.content == b"exported rows"
    assert fetched.headers["Content-Disposition"] == content_disposition("Báo cáo.xlsx")
    with pytest.raises(ValueError):
        export.file.url  # noqa: B018 - no public address, as on the disk
    unsigned = link._replace(query="").geturl()
    assert requests.get(unsigned, timeout=5).status_code == 403


def test_a_file_made_for_the_request_gets_the_same_headers():
    response = serve_private_content(
        b"codes", filename="Mã kích hoạt.xlsx", content_type="application/octet-stream"
    )
    assert response.content == b"codes"
    assert response["Content-Disposition"] == content_disposition("Mã kích hoạt.xlsx")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
