import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from quizzes.models import Question, QuestionImport
from quizzes.question_import import TEMPLATE_HEADERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(client, make_user, home_page):
    user = make_user(username="giangvien")
    user.groups.add(Group.objects.get(name="Giảng viên"))
    client.force_login(user)
    return user


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(TEMPLATE_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "cau-hoi.xlsx"
    return buffer


GOOD = [
    [
        "Lừa đảo trực tuyến",
        "Một đáp án",
        "Đầu số phản ánh lừa đảo?",
        "113",
        "156",
        "",
        "",
        "",
        "",
        "B",
        "Gọi 156",
        "1",
    ],
    [
        "An toàn thông tin",
        "Nhiều đáp án",
        "Cách bảo vệ tài khoản?",
        "2FA",
        "Dùng chung mật khẩu",
        "Cập nhật",
        "",
        "",
        "",
        "A, C",
        "",
        "2",
    ],
    [
        "an-toan-thong-tin",
        "Đúng/Sai",
        "Nên đọc OTP cho người khác.",
        "Đúng",
        "Sai",
        "",
        "",
        "",
        "",
        "B",
        "",
        "",
    ],
]


def test_template_download_and_a_valid_file_imports_after_preview(client, trainer):
    template = load_workbook(
        io.BytesIO(client.get(reverse("quizzes_admin:template")).content)
    ).active
    assert [c.value for c in template[1]] == TEMPLATE_HEADERS
    before = Question.objects.count()
    response = client.post(reverse("quizzes_admin:import_upload"), {"file": xlsx(GOOD)})
    job = QuestionImport.objects.get()
    assert response["Location"] == reverse("quizzes_admin:import", args=[job.pk])
    assert "Đầu số phản ánh lừa đảo?" in client.get(response["Location"]).content.decode()
    assert Question.objects.count() == before  # nothing yet
    client.post(response["Location"])
    assert Question.objects.count() == before + 3
    multiple = Question.objects.get(text__contains="Cách bảo vệ")
    assert multiple.kind == "MULTIPLE"
    assert [c.is_correct for c in multiple.choices.all()] == [True, False, True]
    assert multiple.revisions.count() == 1
    client.post(response["Location"])  # a second confirm imports nothing more
    assert Question.objects.count() == before + 3


def test_bad_rows_are_reported_and_nothing_is_imported_unless_chosen(client, trainer):
    bad = [
        ["Chủ đề lạ", "Một đáp án", "Câu?", "a", "b", "", "", "", "", "A", "", "1"],
        ["Lừa đảo trực tuyến", "Kiểu lạ", "Câu?", "a", "b", "", "", "", "", "A", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "", "a", "b", "", "", "", "", "A", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "Câu?", "a", "b", "", "", "", "", "A, B", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "Câu?", "a", "b", "", "", "", "", "E", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "Câu?", "a", "", "", "", "", "", "A", "", "1"],
        ["Lừa đảo trực tuyến", "Một đáp án", "Câu?", "a", "b", "", "", "", "", "A", "", "7"],
        GOOD[0],
    ]
    client.post(reverse("quizzes_admin:import_upload"), {"file": xlsx(bad)})
    job = QuestionImport.objects.get()
    assert sorted({e["row"] for e in job.errors}) == [2, 3, 4, 5, 6, 7, 8]
    before = Question.objects.count()
    client.post(reverse("quizzes_admin:import", args=[job.pk]))
    assert Question.objects.count() == before
    client.post(reverse("quizzes_admin:import", args=[job.pk]), {"only_valid": "1"})
    assert Question.objects.count() == before + 1


def test_unreadable_file_gets_a_message(client, trainer):
    upload = io.BytesIO(b"not a spreadsheet")
    upload.name = "cau-hoi.pdf"
    response = client.post(reverse("quizzes_admin:import_upload"), {"file": upload})
    assert response.status_code == 200
    assert "xlsx" in response.content.decode()
    assert not QuestionImport.objects.exists()


def test_members_cannot_import_questions(client, make_user, home_page):
    client.force_login(make_user(username="thanhvien"))
    assert client.get(reverse("quizzes_admin:import_upload")).status_code in (302, 403)


def test_trainer_edits_the_question_bank_with_revisions(client, trainer):
    assert client.get("/admin/snippets/quizzes/question/").status_code == 200
    assert client.get("/admin/snippets/quizzes/question/add/").status_code == 200
