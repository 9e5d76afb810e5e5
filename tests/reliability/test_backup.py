"""Backup, wipe, restore, verify: on the test database (SQLite, or PostgreSQL with pg_dump
when DATABASE_URL says so), with the media and private files."""

import io
import shutil
import tarfile

import pytest
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image
from wagtail.images.models import Image as WagtailImage

from accounts.models import User
from certificates import services as certificate_services
from certificates.models import Certificate
from quizzes.models import Attempt
from tests.certificates.qr import qr_texts
from tests.quizzes.conftest import right_answers

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor == "postgresql" and not shutil.which("pg_dump"),
        reason="needs pg_dump and pg_restore (postgresql-client) for a PostgreSQL database",
    ),
]


def _picture() -> ImageFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#2f5d9e").save(buffer, "PNG")
    return ImageFile(buffer, name="ban-do.png")


@pytest.fixture
def site_with_records(quiz_setup, make_user):
    """A member of a team with a quiz attempt and a certificate (PDF in the private files),
    an image in the media."""
    from courses.models import CourseCompletion
    from organisations import services as org
    from organisations.models import Role, UnitKind
    from quizzes import services as quiz_services

    root = make_user(username="root", is_superuser=True, is_staff=True)
    province = org.create_unit(
        parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Vĩnh Long", code="VL"
    )
    team = org.create_unit(parent=province, kind=UnitKind.COMMUNE, name="Xã Châu Thành", code="X")
    team = org.create_unit(parent=team, kind=UnitKind.TEAM, name="Tổ Phú Hòa", code="X-T1")
    member = make_user(username="tuyet", full_name="Nguyễn Thị Ánh Tuyết", phone="+84912345678")
    org.assign_role(by=root, user=member, unit=team, role=Role.MEMBER)
    attempt = quiz_services.start_attempt(user=member, quiz=quiz_setup.quiz)
    for question, choices in right_answers(attempt).items():
        quiz_services.save_answer(
            user=member, attempt=attempt, question_id=question, choice_ids=choices
        )
    quiz_services.submit_attempt(user=member, attempt_id=attempt.pk)
    completion, _ = CourseCompletion.objects.get_or_create(user=member, course=quiz_setup.course)
    certificate = certificate_services.issue_certificate(completion_id=completion.pk)
    WagtailImage.objects.create(title="Bản đồ", file=_picture())
    return certificate


def _state():
    return {
        "members": sorted(User.objects.values_list("username", "password")),
        "attempts": sorted(Attempt.objects.values_list("pk", "user_id", "state", "percent")),
        "certificates": sorted(Certificate.objects.values_list("code", "revoked_at", "pdf")),
    }


def _wipe():
    # An empty database, as on a new server (nothing re-created by post_migrate).
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    for name in ("default", "private"):
        shutil.rmtree(storages[name].location, ignore_errors=True)


def test_backup_wipe_restore_and_the_certificates_still_verify(site_with_records, client, tmp_path):
    certificate = site_with_records
    before = _state()
    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").glob("digiskills-*.tar.gz")
    with tarfile.open(archive) as bundle:
        names = bundle.getnames()
    database = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert {"manifest.json", database} <= set(names)
    assert f"private-media/{certificate.pdf.name}" in names
    assert any(n.startswith("media/original_images/") for n in names)

    # Over a site that holds data, nothing happens without --replace.
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert _state() == before

    _wipe()
    assert not User.objects.exists() and not Certificate.objects.exists()
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Every table has its rows and every file its content" in out.getvalue()
    assert _state() == before

    # The certificate still verifies: its check page, its PDF and the QR code on it.
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "Chứng chỉ hợp lệ" in page and "Nguyễn Thị Ánh Tuyết" in page
    restored = Certificate.objects.get(code=certificate.code)
    with restored.pdf.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    if shutil.which("pdftoppm"):
        expected = [certificate_services.verify_url(certificate.code)]
        assert qr_texts(restored, tmp_path) == expected
    # The member logs in with the password they had.
    response = client.post(
        "/account/login/", {"username": "0912345678", "password": "Mat-khau-rat-dai-1"}
    )
    assert response.status_code == 302 and client.get("/me/").status_code == 200

    # Restoring again over the live copy, explicitly.
    call_command("restore", str(archive), "--replace", stdout=io.StringIO())
    assert _state() == before


def test_restore_refuses_an_archive_of_another_kind(tmp_path, db):
    foreign = tmp_path / "not-a-backup.tar.gz"
    with tarfile.open(foreign, "w:gz") as bundle:
        data = b"hello"
        info = tarfile.TarInfo("hello.txt")
        info.size = len(data)
        bundle.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="not a digiskills backup"):
        call_command("restore", str(foreign), "--replace", stdout=io.StringIO())
