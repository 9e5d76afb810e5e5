"""Erasing a departed member: no personal field left in the database, the files or the
exports (searched for their phone and name), every figure the same before and after, and
each certificate either withdrawn without the name or, if the member chose, kept with it."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import models
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts import services as account_services
from accounts.models import ActivationCode, User
from certificates import services as certificate_services
from certificates.models import Certificate, CertificateArchive
from courses.models import CourseCompletion, LessonProgress
from notifications.models import RecordedMessage
from organisations.models import Membership, RosterImport
from privacy import services
from privacy.models import DataExport, ErasureRecord
from quizzes.models import Attempt
from reports import services as report_services
from reports.figures import breakdown, member_rows
from reports.filters import Filters
from reports.models import ReportExport

pytestmark = pytest.mark.django_db

REASON = "Thành viên đã chuyển công tác và đề nghị xoá dữ liệu (đơn ngày 01/12/2026)."


def _figures(tree):
    """The dashboard of the province (per commune and in total), the member list of
    commune X with each member's facts, and the rows behind them."""
    rows, totals = breakdown(tree.p, Filters())
    members = member_rows(tree.x, Filters())
    facts = sorted(
        tuple(sorted((k, v) for k, v in row.items() if k.startswith("is_") or k == "user_id"))
        for row in members.values()
    )
    return (
        sorted((row.unit.pk, row.figures) for row in rows),
        totals,
        facts,
        Membership.objects.count(),
        LessonProgress.objects.count(),
        CourseCompletion.objects.count(),
        Attempt.objects.count(),
        Certificate.objects.count(),
    )


def _texts_in_database() -> list[str]:
    """Every text and JSON value of every table, as text (JSON without escapes)."""
    found = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if not fields:
            continue
        for values in model._base_manager.values_list(*fields):
            for value in values:
                if value in (None, ""):
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                found.append(f"{model._meta.label}: {text}")
    return found


def _file_texts(root: Path) -> list[str]:
    """Every file under `root` as text: ZIP and XLSX members opened, PDF text extracted."""

    def read(name: str, content: bytes) -> list[str]:
        if content[:4] == b"PK\x03\x04":
            archive = zipfile.ZipFile(io.BytesIO(content))
            return [t for member in archive.namelist() for t in read(member, archive.read(member))]
        if content[:4] == b"%PDF":
            return [
                f"{name}: "
                + " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
            ]
        return [f"{name}: " + content.decode("utf-8", "replace")]

    return [
        text
        for path in root.rglob("*")
        if path.is_file()
        for text in read(str(path), path.read_bytes())
    ]


@pytest.fixture
def files_of_member(tree, held, django_capture_on_commit_callbacks):
    """Files that hold member1: their certificate PDF, a certificate ZIP of commune X, a
    member list of commune X, their own copy of their data, and the roster row that
    created them."""
    member = held.member
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.request_archive(by=tree.commune_admin, unit=tree.x)
        report_services.request_export(
            by=tree.commune_admin,
            kind=ReportExport.Kind.MEMBERS,
            file_format="xlsx",
            params={"unit": tree.x.pk},
        )
        services.request_data_export(user=member)
    RosterImport.objects.create(
        created_by=tree.commune_admin,
        file_name="danh-sach.xlsx",
        status="DONE",
        rows=[
            {"full_name": member.full_name, "phone": member.phone, "unit_code": "P-X-T1"},
            {
                "full_name": tree.member2.full_name,
                "phone": tree.member2.phone,
                "unit_code": "P-X-T2",
            },
        ],
        errors=[{"row": 4, "column": "Số điện thoại", "message": f"{member.phone} trùng dòng 2"}],
    )
    account_services.issue_activation_code(user=member)
    assert Certificate.objects.get(user=member).pdf
    assert CertificateArchive.objects.get().file
    assert ReportExport.objects.get().file
    assert DataExport.objects.get().file
    return member


def depart(client, admin, member) -> None:
    """The administrator ends the member's team membership on the member page (the member
    left the team): only a departed member's data can be erased."""
    client.force_login(admin)
    for membership in Membership.objects.current().filter(user=member):
        response = client.post(reverse("organisations_admin:membership_end", args=[membership.pk]))
        assert response.status_code == 302
    assert not Membership.objects.current().filter(user=member).exists()


def _private_root() -> Path:
    return Path(settings.STORAGES["private"]["OPTIONS"]["location"])


def test_erasure_leaves_no_personal_data_and_every_figure_the_same(
    client, tree, held, files_of_member
):
    member = files_of_member
    phone, name, username = member.phone, member.full_name, member.username
    # The member's own phone, logged in: their session must end.
    phone_client = Client(HTTP_HOST="localhost")
    phone_client.force_login(member)
    depart(client, tree.commune_admin, member)
    # The search works before: the member is everywhere.
    assert any(phone in t for t in _texts_in_database())
    assert any(name in t for t in _file_texts(_private_root()))
    before = _figures(tree)

    client.force_login(tree.commune_admin)
    page = client.get(reverse("privacy_admin:erase_search"), {"q": phone})
    assert reverse("privacy_admin:erase", args=[member.pk]) in page.content.decode()
    url = reverse("privacy_admin:erase", args=[member.pk])
    assert name in client.get(url).content.decode()
    response = client.post(url, {"reason": REASON, "confirm": "1"})
    assert response.status_code == 302

    leftovers = [t for t in _texts_in_database() if phone in t or name in t or username in t]
    assert leftovers == []
    file_leftovers = [t[:200] for t in _file_texts(_private_root()) if phone in t or name in t]
    assert file_leftovers == []
    assert _figures(tree) == before

    erased = User.objects.get(pk=member.pk)
    assert (erased.first_name, erased.last_name, erased.email, erased.phone) == ("", "", "", None)
    assert erased.date_of_birth is None and not erased.has_usable_password()
    assert erased.username == f"da-xoa-{member.pk}"
    assert not ActivationCode.objects.filter(user=member).exists()
    assert not RecordedMessage.objects.exists()
    assert phone_client.get(reverse("privacy:my_data")).status_code == 302  # logged out
    assert SESSION_KEY not in phone_client.session
    roster = RosterImport.objects.get()
    assert [row["phone"] for row in roster.rows] == [tree.member2.phone]
    assert roster.errors == []

    record = ErasureRecord.objects.get()
    assert (record.user_id_erased, record.by, record.reason) == (
        member.pk,
        tree.commune_admin,
        REASON,
    )
    assert record.counts["certificate_pdfs"] == 1 and record.counts["report_exports"] == 1

    # The certificate: withdrawn at the member's request, without their name.
    certificate = Certificate.objects.get(user=member)
    verify = client.get(reverse("certificates:verify", args=[certificate.code]))
    html = verify.content.decode()
    assert "Đã thu hồi theo yêu cầu" in html and name not in html
    assert certificate.full_name == "" and not certificate.pdf


def test_a_member_who_chose_to_keep_their_name_keeps_verifiable_certificates(client, tree, held):
    member = held.member
    client.force_login(member)
    client.post(reverse("privacy:choices"), {"keep_name": "1"})
    depart(client, tree.commune_admin, member)
    client.post(
        reverse("privacy_admin:erase", args=[member.pk]), {"reason": REASON, "confirm": "1"}
    )
    certificate = Certificate.objects.get(user=member)
    html = client.get(reverse("certificates:verify", args=[certificate.code])).content.decode()
    assert "Chứng chỉ hợp lệ" in html and "Người member1" in html
    assert User.objects.get(pk=member.pk).phone is None


def test_erasure_needs_a_reason_and_a_confirmation_and_changes_nothing_without(client, tree, held):
    member = held.member
    url = reverse("privacy_admin:erase", args=[member.pk])
    depart(client, tree.commune_admin, member)
    no_reason = client.post(url, {"reason": " ", "confirm": "1"})
    assert no_reason.status_code == 400 and "Hãy ghi lý do" in no_reason.content.decode()
    unconfirmed = client.post(url, {"reason": REASON})
    assert unconfirmed.status_code == 400
    assert "không thể hoàn tác" in unconfirmed.content.decode()
    assert User.objects.get(pk=member.pk).phone == member.phone
    assert not ErasureRecord.objects.exists()


def test_only_administrators_above_the_member_may_erase(client, tree, held, make_user):
    from organisations import services as org
    from organisations.models import Role

    other = make_user(username="yadmin", phone="+84900000010")
    org.assign_role(by=tree.root, user=other, unit=tree.y, role=Role.UNIT_ADMIN)
    for someone, target in (
        (other, held.member),  # another commune
        (tree.leader, tree.commune_admin),  # above the leader
        (tree.commune_admin, tree.province_admin),
    ):
        client.force_login(someone)
        url = reverse("privacy_admin:erase", args=[target.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": REASON, "confirm": "1"}).status_code == 404
    client.force_login(tree.member2)
    assert (
        client.post(
            reverse("privacy_admin:erase", args=[held.member.pk]),
            {"reason": REASON, "confirm": "1"},
        ).status_code
        == 302
    )  # not let into the admin
    assert not ErasureRecord.objects.exists()
    assert User.objects.get(pk=held.member.pk).phone == held.member.phone
