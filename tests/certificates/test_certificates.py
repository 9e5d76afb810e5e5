import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from certificates import codes, services
from certificates.models import Certificate, CertificateEvent
from courses import services as course_services
from courses.models import CourseCompletion
from tests.certificates.qr import needs_pdftoppm, qr_texts

pytestmark = pytest.mark.django_db


def pdf_text(certificate) -> str:
    with certificate.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(handle).pages)


def test_pdf_prints_exact_vietnamese(completed):
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    text = pdf_text(certificate)
    for expected in (
        "Nguyễn Thị Ánh Tuyết",
        "Nhận diện lừa đảo trực tuyến",
        "Tổ CNSCĐ Ấp Phú Hòa",
        "GIẤY CHỨNG NHẬN",
        "Sở Khoa học và Công nghệ".upper(),
        certificate.display_code,
    ):
        assert expected in text, expected
    assert "ắ" in "Nguyễn Thị Ánh Tuyết ắ ầ ẫ ệ ỡ ự" and "■" not in text


@needs_pdftoppm
def test_qr_code_on_the_rendered_page_is_the_verify_url(completed, tmp_path):
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    assert qr_texts(certificate, tmp_path) == [services.verify_url(certificate.code)]
    assert services.verify_url(certificate.code).endswith(f"/verify/{certificate.code}/")


def test_codes_are_long_random_and_typeable():
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(len(code) == 18 and set(code) <= set(codes.ALPHABET) for code in made)
    assert not set("0O1IL2Z5S8B") & set(codes.ALPHABET)
    import math

    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 80
    assert codes.normalise_code(" k7qx4m-3rtwh9 pcdna3 ") == "K7QX4M3RTWH9PCDNA3"


def test_issued_once_under_duplicated_events(completed, django_capture_on_commit_callbacks):
    first = services.issue_certificate(completion_id=completed.completion.pk)
    again = services.issue_certificate(completion_id=completed.completion.pk)
    assert first.pk == again.pk
    from courses.signals import course_completed

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            course_completed.send(
                sender=CourseCompletion,
                user_id=completed.member.pk,
                course_id=completed.course.pk,
                completion_id=completed.completion.pk,
            )
    assert Certificate.objects.count() == 1
    assert CertificateEvent.objects.filter(action="ISSUED").count() == 1


def test_completing_a_course_issues_the_certificate(completed, django_capture_on_commit_callbacks):
    completed.completion.delete()
    course_services.start_lesson(user=completed.member, lesson=completed.lesson)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_lesson(user=completed.member, lesson=completed.lesson)
    certificate = Certificate.objects.get(user=completed.member)
    assert certificate.course_title == "Nhận diện lừa đảo trực tuyến"
    assert (
        certificate.expires_at.date()
        == (certificate.issued_at + datetime.timedelta(days=365)).date()
    )


def test_snapshot_keeps_the_name_printed_at_issue_time(client, completed):
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    completed.member.first_name = "Tuyền"
    completed.member.save()
    completed.course.title = "Tên khoá mới"
    completed.course.save()
    html = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "Nguyễn Thị Ánh Tuyết" in html and "Nhận diện lừa đảo trực tuyến" in html


def test_verify_page_shows_valid_expired_revoked_and_not_found(client, completed):
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    url = reverse("certificates:verify", args=[certificate.code])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Chứng chỉ hợp lệ" in html
    assert "0912" not in html and "+8491" not in html  # never the phone number
    assert page["X-Robots-Tag"].startswith("noindex")
    assert 'name="robots" content="noindex' in html
    with time_machine.travel(certificate.expires_at + datetime.timedelta(days=1)):
        assert "đã hết hạn" in client.get(url).content.decode()
    services.revoke_certificate(
        certificate=certificate, by=completed.commune_admin, reason="Cấp nhầm"
    )
    assert "đã bị thu hồi" in client.get(url).content.decode()
    near_miss = certificate.code[:-1] + ("3" if certificate.code[-1] != "3" else "4")
    missing = client.get(reverse("certificates:verify", args=[near_miss]))
    assert (
        missing.status_code == 404
        and "Không có chứng chỉ nào mang số này" in missing.content.decode()
    )
    typed = client.get(
        reverse("certificates:verify_form"), {"code": certificate.display_code.lower()}
    )
    assert typed["Location"] == url


def test_verify_is_rate_limited_with_a_friendly_message(client, completed, settings):
    limit = settings.RATE_LIMITS["verify"]["limit"]
    for _ in range(limit):
        client.get(reverse("certificates:verify", args=["KHONGCO"]))
    limited = client.get(reverse("certificates:verify", args=["KHONGCO"]))
    assert limited.status_code == 429
    assert "vui lòng chờ" in limited.content.decode().lower()
    assert int(limited["Retry-After"]) > 0


def test_revoking_needs_a_reason_and_keeps_an_audit_record(completed):
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    with pytest.raises(ValidationError):
        services.revoke_certificate(
            certificate=certificate, by=completed.commune_admin, reason="  "
        )
    services.revoke_certificate(
        certificate=certificate, by=completed.commune_admin, reason="Sai họ tên"
    )
    event = CertificateEvent.objects.get(action="REVOKED")
    assert (event.by, event.reason) == (completed.commune_admin, "Sai họ tên")
    new = services.reissue_certificate(
        certificate=certificate, by=completed.commune_admin, reason="Sửa họ tên"
    )
    assert new.pk != certificate.pk and new.status() == "valid"
    assert Certificate.objects.filter(completion=completed.completion).count() == 2


def test_downloads_only_for_the_owner_and_administrators_in_scope(client, completed, make_user):
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    url = reverse("certificates:download", args=[certificate.code])
    client.force_login(completed.member)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(completed.commune_admin)
    assert client.get(url).status_code == 200
    for outsider in (completed.other_admin, make_user(username="nguoi-khac")):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    with pytest.raises(ValueError):
        certificate.pdf.url  # noqa: B018 - private files have no public address
    client.force_login(completed.member)
    assert client.get("/media/" + certificate.pdf.name).status_code == 404


def test_admin_list_revoke_and_zip_stay_in_scope(
    client, completed, django_capture_on_commit_callbacks
):
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    client.force_login(completed.other_admin)
    assert (
        "Nguyễn Thị Ánh Tuyết"
        not in client.get(reverse("certificates_admin:index")).content.decode()
    )
    assert (
        client.post(
            reverse("certificates_admin:revoke", args=[certificate.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    client.force_login(completed.commune_admin)
    assert (
        "Nguyễn Thị Ánh Tuyết" in client.get(reverse("certificates_admin:index")).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates_admin:archive_create"), {"unit": completed.commune.pk}
        )
    archive_page = client.get(response["Location"]).content.decode()
    assert "100%" in archive_page
    import io
    import zipfile

    from certificates.models import CertificateArchive

    archive = CertificateArchive.objects.get()
    download = client.get(reverse("certificates_admin:archive_download", args=[archive.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert names == [f"Nguyễn Thị Ánh Tuyết - {certificate.display_code}.pdf"]


def test_my_certificates_lists_and_links(client, completed):
    certificate = services.issue_certificate(completion_id=completed.completion.pk)
    client.force_login(completed.member)
    html = client.get(reverse("certificates:mine")).content.decode()
    assert (
        certificate.display_code in html
        and reverse("certificates:download", args=[certificate.code]) in html
    )
